//! `lixiang bench validate|list|import`: the figures of issue 5 over synthetic data in temporary
//! workspaces — validation of a full application, the office's list query over thousands of received
//! applications, and the import of many submission packages against a verify-and-decrypt baseline
//! measured in the same run. Figures only, never pass/fail; targets are printed beside them.

use crate::Out;
use lixiang_core::application::{bench, bench_validate};

#[derive(clap::Args)]
pub struct ValidateArgs {
    /// Runs; the median is reported
    #[arg(long, default_value_t = 200)]
    pub runs: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ListArgs {
    /// Received applications seeded into the office's workspace
    #[arg(long, default_value_t = 3000)]
    pub count: usize,
    /// Runs of each query; the median is reported
    #[arg(long, default_value_t = 21)]
    pub runs: usize,
    /// The Chinese search word
    #[arg(long, default_value = "牦牛")]
    pub search: String,
    /// Leave the seeded office workspace in this (new) directory, to open the window on it
    #[arg(long, value_name = "DIR")]
    pub keep: Option<std::path::PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// Submission packages generated and imported
    #[arg(long, default_value_t = 1000)]
    pub count: usize,
    /// Size of each package in KiB (one random attachment makes up most of it)
    #[arg(long, default_value_t = 200)]
    pub size_kb: usize,
    /// Measure nothing: leave the packages and the office that has not imported them in this (new)
    /// directory, to import them in the window (tests/e2e/measure-import.mjs)
    #[arg(long, value_name = "DIR")]
    pub keep: Option<std::path::PathBuf>,
    #[arg(long)]
    pub json: bool,
}

fn profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}

pub fn validate(a: &ValidateArgs, out: &Out) -> lixiang_core::Result<()> {
    let median = bench_validate(a.runs).as_secs_f64() * 1e3;
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.bench.validate.v1", "runs": a.runs.max(1), "median_ms": median,
            "target_ms": 5.0, "profile": profile(),
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!(
            "{}{median:.3} ms ({} {}, {}; {} ≤ 5 ms)\n",
            out.lang.pick("完整申报书校验（中位数）：", "validation of a full application (median): "),
            a.runs.max(1),
            out.lang.pick("次", "runs"),
            profile(),
            out.lang.pick("目标", "target"),
        ));
    }
    Ok(())
}

pub fn list(a: &ListArgs, out: &Out) -> lixiang_core::Result<()> {
    let r = bench::bench_list(a.count, a.runs, &a.search, a.keep.as_deref())?;
    if out.json {
        let mut doc = serde_json::to_value(&r).unwrap_or_default();
        doc["schema"] = "lixiang.bench.list.v1".into();
        doc["profile"] = profile().into();
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let mut text = format!(
        "{} {} ({:.1} s {}), {} {}, {}\n",
        out.lang.pick("申报书列表查询，已收申报书", "office list query over"),
        r.count,
        r.seed_s,
        out.lang.pick("生成", "to seed"),
        r.runs,
        out.lang.pick("次取中位数", "runs each, median"),
        profile()
    );
    for q in &r.queries {
        text.push_str(&format!("  {:<48} {:>8.2} ms  {:>5} rows\n", q.label, q.median_ms, q.rows));
    }
    crate::emit(&text);
    Ok(())
}

pub fn import(a: &ImportArgs, out: &Out) -> lixiang_core::Result<()> {
    if let Some(dir) = &a.keep {
        let k = bench::keep_import_setup(a.count, a.size_kb, dir)?;
        if out.json {
            let mut doc = serde_json::to_value(&k).unwrap_or_default();
            doc["schema"] = "lixiang.bench.import_kept.v1".into();
            crate::emit(&format!("{doc:#}\n"));
        } else {
            crate::emit(&format!(
                "{} {}\n  {} {}\n  {} {}\n",
                out.lang.pick("已生成申报文件包：", "submission packages generated:"),
                k.count,
                out.lang
                    .pick("项目办工作区（口令 bench passphrase）：", "office workspace (passphrase bench passphrase):"),
                k.office.display(),
                out.lang.pick("文件包目录：", "packages folder:"),
                k.inbox.display(),
            ));
        }
        return Ok(());
    }
    let r = bench::bench_import(a.count, a.size_kb)?;
    if out.json {
        let mut doc = serde_json::to_value(&r).unwrap_or_default();
        doc["schema"] = "lixiang.bench.import.v1".into();
        doc["profile"] = profile().into();
        doc["target_ratio"] = 0.5.into();
        doc["target_packages_s"] = 20.into();
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let l = |zh: &'static str, en: &'static str| out.lang.pick(zh, en);
    crate::emit(&format!(
        "{} {} × {:.0} KB = {:.1} MB ({} {:.1} s, {})\n  {} {:.1} {} {:.1} MB/s ({:.2} s)\n  {} {:.1} {} {:.1} MB/s ({:.2} s)\n  {}{:.2} ({} ≥ 0.5, ≥ 20 {})\n  {}{}\n",
        l("导入申报文件包", "import of submission packages:"),
        r.count,
        r.file_bytes as f64 / r.count.max(1) as f64 / 1e3,
        r.file_bytes as f64 / 1e6,
        l("生成", "generated in"),
        r.generate_s,
        profile(),
        l("基线（验签 + 解密，不写出）：", "baseline (verify + decrypt to nowhere):"),
        r.baseline_packages_s,
        l("个/秒，", "packages/s,"),
        r.baseline_mb_s,
        r.baseline_s,
        l("导入：", "import:"),
        r.import_packages_s,
        l("个/秒，", "packages/s,"),
        r.import_mb_s,
        r.import_s,
        l("比值：", "ratio: "),
        r.ratio,
        l("目标", "target"),
        l("个/秒", "packages/s"),
        l("查重标记的申报书：", "applications flagged by 查重: "),
        r.duplicates_flagged,
    ));
    Ok(())
}
