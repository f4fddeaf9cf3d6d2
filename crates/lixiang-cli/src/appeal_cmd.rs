//! `lixiang check NUMBER --appeal …` and `--appeal-resolve …`: an appeal (申诉) against the formal check's
//! 不予受理, logged as it arrives and resolved once (upheld or granted). Upheld writes the answer for the
//! applicant as a result package to `--out` (required); after a granted appeal the officer decides the same
//! version again with `lixiang check NUMBER --decide … --out FILE` as usual, and that package carries the answer.

use crate::check_cmd::Args;
use crate::{passphrase, Out};
use lixiang_core::application::appeal::{self, AppealInput, AppealOutcome, AppealView};
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::{identity, CoreError, Lang, Workspace};

fn bad(field: &str, lang: Lang, zh: &str, en: &str) -> CoreError {
    CoreError::Validation { field: field.into(), reason: lang.pick(zh, en).into() }
}

pub fn run(ws: &mut Workspace, a: &Args, at: Moment, out: &Out) -> lixiang_core::Result<()> {
    let mut written: Option<lixiang_core::outgoing::Resent> = None;
    let view = match &a.appeal_resolve {
        Some(outcome) => {
            let outcome = AppealOutcome::parse(outcome).ok_or_else(|| {
                bad(
                    "--appeal-resolve",
                    out.lang,
                    "应为 upheld（维持原决定）或 granted（申诉成立）",
                    "expected upheld or granted",
                )
            })?;
            // Several --reason are one reason for the resolution, as the officer typed them in order.
            let reason: Vec<&str> = a.reasons.iter().map(|r| r.trim()).filter(|r| !r.is_empty()).collect();
            let reason = reason.join("；");
            // With --out the keys sign the answer's package; the core refuses a file where none belongs
            // (granted) and a missing one (upheld) before anything is written.
            let resolved = match &a.out {
                Some(target) => {
                    let pass = passphrase::read(out.lang, false)?;
                    let keys = identity::unlock(ws, &pass)?;
                    appeal::resolve(ws, &a.number, outcome, &reason, at, Some((&keys, target)))?
                }
                None => appeal::resolve(ws, &a.number, outcome, &reason, at, None)?,
            };
            if let Some(p) = &resolved.package {
                written = Some(p.clone());
            }
            resolved.appeal
        }
        None => {
            let received = a.received.as_deref().unwrap_or_default();
            let received_on = Date::parse(received).ok_or_else(|| {
                bad("--received", out.lang, "应为日期，如 2027-04-01", "expected a date such as 2027-04-01")
            })?;
            let input = AppealInput {
                received_on,
                appellant: a.from.clone().unwrap_or_default(),
                text: a.text.clone().unwrap_or_default(),
            };
            appeal::log(ws, &a.number, &input, at)?
        }
    };
    if out.json {
        let mut doc = serde_json::to_value(&view).expect("serialises");
        doc["schema"] = "lixiang.formal_appeal.v1".into();
        if let Some(p) = &written {
            doc["package"] = serde_json::to_value(p).expect("serialises");
        }
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let mut text = line(&view, out.lang);
        if view.outcome == Some(AppealOutcome::Granted) {
            text.push_str(out.lang.pick(
                "原不予受理决定已撤销，请重新作出形式审查结论（lixiang check 申报编号 --decide …）。\n",
                "The refusal is set aside: decide the formal check again (lixiang check NUMBER --decide …).\n",
            ));
        }
        if let Some(p) = &written {
            text.push_str(&match out.lang {
                Lang::Zh => format!("申诉结果文件包已写入 {}（SHA-256 {}），请交给申报单位。\n", p.path, p.file_sha256),
                Lang::En => format!(
                    "The answer's result package was written to {} (SHA-256 {}): send it to the applicant.\n",
                    p.path, p.file_sha256
                ),
            });
        }
        crate::emit(&text);
    }
    Ok(())
}

/// One line saying where an appeal stands, and a second naming the upheld answer's package.
pub fn line(v: &AppealView, lang: Lang) -> String {
    let mut text = standing(v, lang);
    if let Some(p) = &v.answer {
        let hash = p.file_sha256.as_deref().unwrap_or("-");
        text.push_str(&match lang {
            Lang::Zh => format!(
                "  申诉结果文件包：{}（包 {}，SHA-256 {}）；再次写出：lixiang check {} --resend --out 文件\n",
                p.file_name, p.package_id, hash, v.number
            ),
            Lang::En => format!(
                "  the answer's result package: {} (package {}, SHA-256 {}); write it again: lixiang check {} --resend --out FILE\n",
                p.file_name, p.package_id, hash, v.number
            ),
        });
    }
    text
}

fn standing(v: &AppealView, lang: Lang) -> String {
    match (&v.outcome, lang) {
        (None, Lang::Zh) => format!(
            "申诉：{} 第 {} 版不予受理，{} 收到（{}），待处理：{}\n",
            v.number, v.version, v.received_on, v.appellant, v.text
        ),
        (None, Lang::En) => format!(
            "Appeal: {} version {} not accepted; received on {} ({}), open: {}\n",
            v.number, v.version, v.received_on, v.appellant, v.text
        ),
        (Some(o), Lang::Zh) => format!(
            "申诉：{} 第 {} 版不予受理，{} 收到（{}），已处理：{}。理由：{}\n",
            v.number,
            v.version,
            v.received_on,
            v.appellant,
            o.zh(),
            v.reason.as_deref().unwrap_or_default()
        ),
        (Some(o), Lang::En) => format!(
            "Appeal: {} version {} not accepted; received on {} ({}), resolved: {}. Reason: {}\n",
            v.number,
            v.version,
            v.received_on,
            v.appellant,
            o.en(),
            v.reason.as_deref().unwrap_or_default()
        ),
    }
}
