//! `lixiang bench pdf`: renders the catalog PDF several times (fonts loaded once by the first run, as
//! in the app) and reports the first render and the median of the rest. Figures only.

use crate::Out;
use lixiang_core::{catalog, workspace, Lang, Workspace};
use std::path::Path;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Timed runs after the first; the median is reported
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: Option<&Path>, args: &Args, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let cat = catalog::get(&mut ws)?;
    let opts = lixiang_pdf::RenderOptions { lang: Lang::Zh, created: lixiang_pdf::Created::from_env_or_now() };
    let t0 = Instant::now();
    let first = lixiang_pdf::catalog::render(&cat, &opts)?;
    let first_ms = t0.elapsed().as_secs_f64() * 1e3;
    let mut times = Vec::with_capacity(args.runs.max(1));
    for _ in 0..args.runs.max(1) {
        let t = Instant::now();
        let pdf = lixiang_pdf::catalog::render(&cat, &opts)?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(pdf.pages, first.pages);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.bench_pdf.v1", "pages": first.pages, "bytes": first.bytes.len(),
            "first_ms": first_ms, "median_ms": median, "runs": times.len(), "profile": if cfg!(debug_assertions) { "debug" } else { "release" },
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!(
            "catalog PDF: {} pages, {} bytes; first render {first_ms:.0} ms (fonts loaded), median of {} more {median:.0} ms ({})\n",
            first.pages,
            first.bytes.len(),
            times.len(),
            if cfg!(debug_assertions) { "debug build" } else { "release build" }
        ));
    }
    Ok(())
}
