//! `lixiang catalog`: the plan's catalog as tables, or as one JSON document with `--json`, or as a
//! printable PDF with `--pdf FILE` (the same document the desktop app saves).

use crate::Out;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use lixiang_core::catalog::{Catalog, ChangeKind};
use lixiang_core::{catalog, workspace, Lang, Workspace};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// Print the whole catalog, plan indicators included, as one JSON document
    #[arg(long)]
    pub json: bool,

    /// Write the catalog as a PDF to FILE (headings in the --lang language; the creation time is
    /// now, or SOURCE_DATE_EPOCH when set) and say where
    #[cfg(feature = "pdf")]
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<std::path::PathBuf>,
}

#[cfg_attr(not(feature = "pdf"), allow(unused_variables))]
pub fn run(data_dir: Option<&Path>, args: &Args, out: &Out) -> lixiang_core::Result<()> {
    let dir = workspace::resolve_dir(data_dir)?;
    let mut ws = Workspace::open(&dir)?;
    let cat = catalog::get(&mut ws)?;
    #[cfg(feature = "pdf")]
    if let Some(file) = &args.pdf {
        return write_pdf(&cat, file, out);
    }
    if out.json {
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            schema: &'static str,
            #[serde(flatten)]
            catalog: &'a Catalog,
        }
        let doc = Doc { schema: "lixiang.catalog.v1", catalog: &cat };
        crate::emit(&format!("{}\n", serde_json::to_string_pretty(&doc).expect("the catalog serialises")));
    } else {
        crate::emit(&render_tables(&cat, out.lang));
    }
    Ok(())
}

/// Renders the catalog PDF, writes it to `file` and says where (and how many pages).
#[cfg(feature = "pdf")]
fn write_pdf(cat: &Catalog, file: &Path, out: &Out) -> lixiang_core::Result<()> {
    let opts = lixiang_pdf::RenderOptions { lang: out.lang, created: lixiang_pdf::Created::from_env_or_now() };
    let pdf = lixiang_pdf::catalog::render(cat, &opts)?;
    lixiang_pdf::write_file(file, &pdf.bytes)?;
    // Absolute, so the sentence is useful from any directory; the file exists now, so this resolves.
    let shown = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.catalog_pdf.v1",
            "path": shown,
            "pages": pdf.pages,
            "bytes": pdf.bytes.len(),
        });
        crate::emit(&format!("{doc}\n"));
    } else {
        let line = match out.lang {
            Lang::Zh => format!("已生成目录 PDF（{} 页）：{}\n", pdf.pages, shown.display()),
            Lang::En => format!("Catalog PDF written ({} pages): {}\n", pdf.pages, shown.display()),
        };
        crate::emit(&line);
    }
    Ok(())
}

fn table(header: Vec<&str>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(header);
    t
}

/// The catalog as plain-text tables: programmes with their targets, then the 专栏1 indicators.
pub fn render_tables(cat: &Catalog, lang: Lang) -> String {
    let l = |zh, en| lang.pick(zh, en);
    let mut s = String::new();
    s.push_str(l("科技重大专项（专栏19）\n", "Major special projects (专栏19)\n"));
    let mut t = table(vec![
        l("代码", "Code"),
        l("专项", "Programme"),
        l("目标代码", "Target"),
        l("考核目标", "Indicator"),
        l("目标值", "Range"),
        l("单位", "Unit"),
    ]);
    for p in &cat.programmes {
        for (i, tg) in p.targets.iter().enumerate() {
            let range = if tg.min == tg.max { tg.min.to_string() } else { format!("{}–{}", tg.min, tg.max) };
            let (code, name) = if i == 0 { (p.code.as_str(), p.name.as_str()) } else { ("", "") };
            t.add_row(vec![code, name, &tg.code, &tg.indicator, &range, &tg.unit]);
        }
    }
    if let Some(c) = t.column_mut(4) {
        c.set_cell_alignment(CellAlignment::Right);
    }
    s.push_str(&t.to_string());
    s.push_str("\n\n");
    s.push_str(&plan_indicators_table(cat, lang));
    s
}

/// The 专栏1 indicators as a plain-text table with its notes (also on the dashboard).
pub fn plan_indicators_table(cat: &Catalog, lang: Lang) -> String {
    let l = |zh, en| lang.pick(zh, en);
    let mut s = String::new();
    s.push_str(l("规划指标（专栏1）\n", "Plan indicators (专栏1)\n"));
    let mut t = table(vec![
        l("代码", "Code"),
        l("指标", "Indicator"),
        l("2020年", "2020"),
        l("2025年", "2025"),
        l("年均/累计", "Yearly/cumulative"),
        l("属性", "Attribute"),
    ]);
    for i in &cat.plan_indicators {
        let kind = match i.change.kind {
            ChangeKind::YearlyAverage => l("年均", "yearly"),
            ChangeKind::Cumulative => l("累计", "cumulative"),
        };
        t.add_row(vec![
            i.code.clone(),
            format!("{}（{}）", i.name, i.unit),
            i.baseline.printed.clone(),
            i.target.printed.clone(),
            format!("{} {kind}", i.change.printed),
            i.attribute.clone(),
        ]);
    }
    for c in 2..=4 {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    s.push_str(&t.to_string());
    s.push_str(l("\n注：", "\nNotes: "));
    let notes: Vec<String> = cat.plan_footnotes.iter().map(|f| format!("{}. {}", f.seq, f.text)).collect();
    s.push_str(&notes.join(l("；", "; ")));
    s.push('\n');
    s
}
