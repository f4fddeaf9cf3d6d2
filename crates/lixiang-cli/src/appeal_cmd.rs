//! `lixiang check NUMBER --appeal …` and `--appeal-resolve …`: an appeal (申诉) against the formal check's
//! 不予受理, logged as it arrives and resolved once (upheld or granted). After a granted appeal the
//! officer decides the same version again with `lixiang check NUMBER --decide …` as usual.

use crate::check_cmd::Args;
use crate::Out;
use lixiang_core::application::appeal::{self, AppealInput, AppealOutcome, AppealView};
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::{CoreError, Lang, Workspace};

fn bad(field: &str, lang: Lang, zh: &str, en: &str) -> CoreError {
    CoreError::Validation { field: field.into(), reason: lang.pick(zh, en).into() }
}

pub fn run(ws: &mut Workspace, a: &Args, at: Moment, out: &Out) -> lixiang_core::Result<()> {
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
            appeal::resolve(ws, &a.number, outcome, &reason.join("；"), at)?
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
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let mut text = line(&view, out.lang);
        if view.outcome == Some(AppealOutcome::Granted) {
            text.push_str(out.lang.pick(
                "原不予受理决定已撤销，请重新作出形式审查结论（lixiang check 申报编号 --decide …）。\n",
                "The refusal is set aside: decide the formal check again (lixiang check NUMBER --decide …).\n",
            ));
        }
        crate::emit(&text);
    }
    Ok(())
}

/// One line saying where an appeal stands.
pub fn line(v: &AppealView, lang: Lang) -> String {
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
