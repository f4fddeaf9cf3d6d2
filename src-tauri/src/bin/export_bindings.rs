//! Writes the TypeScript bindings of every command to `ui/src/bindings.ts` (or to the path given as
//! the first argument, which the staleness check uses to compare against the committed file), and, when
//! writing the committed bindings, the seeded catalog the UI's build renders the first screen with
//! (`ui/prerender/catalog.json`).

fn main() {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");
    let out = std::env::args().nth(1);
    let bindings = out.clone().unwrap_or_else(|| default.to_string());
    if let Err(e) = lixiang_desktop::export_bindings(std::path::Path::new(&bindings)) {
        eprintln!("export-bindings: cannot write {bindings}: {e}");
        std::process::exit(1);
    }
    println!("bindings written to {bindings}");
    if out.is_none() {
        let catalog = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/prerender/catalog.json");
        if let Err(e) = lixiang_desktop::seeded_catalog_json()
            .and_then(|json| std::fs::write(catalog, json).map_err(|e| e.to_string()))
        {
            eprintln!("export-bindings: cannot write {catalog}: {e}");
            std::process::exit(1);
        }
        println!("seeded catalog written to {catalog}");
    }
}
