//! `lixiang audit verify`: checks the workspace's audit chain from its first event to its last and
//! against every signed head, and names the first broken link (exit 4, a state conflict: the
//! workspace's history is not what Lixiang wrote).
//!
//! Signatures of heads are checked with the public keys the workspace knows (its own identity's and its
//! contacts'); a head signed by a key it does not know is still compared with the chain (which finds
//! a deleted or rewritten tail) and its signature reported as not checked (a warning).

use crate::Out;
use lixiang_core::audit::{self, AuditReport};
use lixiang_core::{workspace, Lang, Workspace};
use std::path::Path;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Check the audit chain and its signed heads; name the first broken link
    Verify(VerifyArgs),
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Print one JSON document: intact, events, first_break {seq, kind}, warnings
    #[arg(long)]
    pub json: bool,
}

pub fn verify(data_dir: Option<&Path>, _args: &VerifyArgs, out: &Out) -> lixiang_core::Result<()> {
    let dir = workspace::resolve_dir(data_dir)?;
    let mut ws = Workspace::open(&dir)?;
    // Seals are checked against the workspace's own key and its contacts' keys.
    let keys = lixiang_core::identity::verifying_keys(&mut ws)?;
    let report = audit::verify(&mut ws, |id| keys.get(id).copied())?;
    if out.json {
        crate::emit(&format!("{:#}\n", json_of(&report, out.lang)));
    } else if report.is_intact() {
        crate::emit(&sentence(&report, out.lang));
    }
    // A break is reported on stderr by main, with what it means and what to do.
    report.into_result(&ws).map(|_| ())
}

fn json_of(report: &AuditReport, lang: Lang) -> serde_json::Value {
    let warnings: Vec<serde_json::Value> = report
        .warnings
        .iter()
        .map(|w| {
            let mut v = serde_json::to_value(w).unwrap_or_default();
            v["message"] = w.message(lang).into();
            v
        })
        .collect();
    let first_break = report.first_break.as_ref().map(|b| {
        let mut v = serde_json::to_value(b).unwrap_or_default();
        v["message"] = b.message(lang).into();
        v
    });
    serde_json::json!({
        "schema": "lixiang.audit_verify.v1",
        "intact": report.is_intact(),
        "events": report.events,
        "head": report.head,
        "seals": report.seals,
        "seals_verified": report.seals_verified,
        "last_sealed_seq": report.last_sealed_seq,
        "first_break": first_break,
        "warnings": warnings,
    })
}

fn sentence(report: &AuditReport, lang: Lang) -> String {
    let n = report.events;
    let mut s = match (lang, report.last_sealed_seq) {
        (Lang::Zh, _) if n == 0 => "审计链完整：0 条事件。\n".to_string(),
        (Lang::En, _) if n == 0 => "Audit chain intact: 0 events.\n".to_string(),
        (Lang::Zh, Some(m)) => format!("审计链完整：{n} 条事件，最后签名于第 {m} 条。\n"),
        (Lang::En, Some(m)) => format!("Audit chain intact: {n} events, last signed at event {m}.\n"),
        (Lang::Zh, None) => format!("审计链完整：{n} 条事件，尚无签名的链头。\n"),
        (Lang::En, None) => format!("Audit chain intact: {n} events, no signed head yet.\n"),
    };
    for w in &report.warnings {
        s.push_str(lang.pick("注意：", "Note: "));
        s.push_str(&w.message(lang));
        s.push('\n');
    }
    s
}
