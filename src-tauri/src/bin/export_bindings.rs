//! Writes the TypeScript bindings of every command to `ui/src/bindings.ts` (or to the path given as
//! the first argument, which the staleness check uses to compare against the committed file).

fn main() {
    let default = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");
    let out = std::env::args().nth(1).unwrap_or_else(|| default.to_string());
    if let Err(e) = lixiang_desktop::export_bindings(std::path::Path::new(&out)) {
        eprintln!("export-bindings: cannot write {out}: {e}");
        std::process::exit(1);
    }
    println!("bindings written to {out}");
}
