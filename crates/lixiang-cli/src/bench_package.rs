//! `lixiang bench package`: seal and open one confidential package with a large attachment, against a
//! baseline of SHA-256 + age encrypt + age decrypt of the same bytes in memory, measured in the same run.
//! Figures only; never a pass/fail.

use crate::Out;
use lixiang_core::package::bench;

#[derive(clap::Args)]
pub struct Args {
    /// Size of the attachment in MiB
    #[arg(long, default_value_t = 100)]
    pub size_mb: u64,
    /// Print one JSON document
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args, out: &Out) -> lixiang_core::Result<()> {
    let r = bench::seal_open(args.size_mb)?;
    if out.json {
        let mut doc = serde_json::to_value(&r).unwrap_or_default();
        doc["schema"] = "lixiang.bench.package.v1".into();
        doc["target_ratio"] = 0.7.into();
        doc["target_extra_peak_mib"] = 64.into();
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let mem = match r.extra_peak_mib {
        Some(m) => format!("{m:.1} MiB above idle (target < 64 MiB; VmHWM from /proc/self/status)"),
        None => "not measured (needs Linux /proc)".into(),
    };
    let l = |zh: &'static str, en: &'static str| out.lang.pick(zh, en);
    crate::emit(&format!(
        "{}{} MiB\n  seal {:.3} s ({} fsync {:.3} s) + open {:.3} s = {:.1} MiB/s ({} {} bytes)\n  {} sha256 {:.3} s + encrypt {:.3} s + decrypt {:.3} s = {:.1} MiB/s\n  {}{:.2} ({} ≥ 0.7); {}{:.2}\n  {}{mem}\n",
        l("交换包基准（保密），附件 ", "Package benchmark (confidential), attachment "),
        args.size_mb,
        r.seal_s,
        l("其中", "of which"),
        r.seal_flush_s,
        r.open_s,
        r.package_mib_s,
        l("文件", "file"),
        r.file_bytes,
        l("基线（内存中）：", "baseline (in memory):"),
        r.baseline_sha256_s,
        r.baseline_encrypt_s,
        r.baseline_decrypt_s,
        r.baseline_mib_s,
        l("比值：", "ratio: "),
        r.ratio,
        l("目标", "target"),
        l("不计 fsync：", "without the fsync: "),
        r.ratio_without_flush,
        l("峰值内存：", "peak memory: "),
    ));
    Ok(())
}
