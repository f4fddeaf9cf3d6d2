//! Blind rounds: what an expert may see of an application, and the scan for the names and numbers that
//! must not be in it.
//!
//! A blind packet carries a [`BlindView`]: the title, keywords, discipline, period, the sections the
//! call marks reviewable-blind, the indicators and the funding asked, and no team, no units, no
//! attachments. The view is then scanned for every identifying string of the application (the
//! leader's and members' names and document numbers, the units' names and credit codes): a hit refuses
//! the packet, naming the item and the part, instead of sending the name to the expert.

use crate::application::{Application, Indicator, RichText, Stage};
use crate::budget::Sources;
use crate::call::{Call, Period};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a blind round shows of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlindView {
    pub programme: String,
    pub stage: Stage,
    pub title: String,
    pub keywords: Vec<String>,
    pub discipline: String,
    pub period: Period,
    /// Only the sections the call marks reviewable-blind, by section code.
    pub sections: BTreeMap<String, RichText>,
    pub indicators: Vec<Indicator>,
    pub requested: Sources,
}

/// An identifying string of an application and what it is (for the refusal message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    pub text: String,
    pub what_zh: String,
    pub what_en: String,
}

/// Every string that identifies the applicant: names of two characters or more, document numbers and
/// credit codes (compared without spaces, case-insensitively).
pub fn identifiers(app: &Application) -> Vec<Identifier> {
    let mut out = Vec::new();
    let mut add = |text: &str, zh: String, en: String| {
        let t = text.trim();
        if t.chars().count() >= 2 {
            out.push(Identifier { text: t.to_string(), what_zh: zh, what_en: en });
        }
    };
    add(&app.applicant.name, "申报单位名称".into(), "the applicant unit's name".into());
    add(&app.applicant.credit_code, "申报单位信用代码".into(), "the applicant unit's credit code".into());
    for p in &app.partners {
        add(&p.name, "合作单位名称".into(), "a partner unit's name".into());
        add(&p.credit_code, "合作单位信用代码".into(), "a partner unit's credit code".into());
    }
    for m in &app.team {
        add(&m.name, format!("成员 {} 的姓名", m.name), format!("the name of member {}", m.name));
        add(&m.id_number, format!("成员 {} 的证件号码", m.name), format!("the document number of member {}", m.name));
    }
    out
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// The identifiers found in `text`.
pub fn find_identifiers<'a>(text: &str, ids: &'a [Identifier]) -> Vec<&'a Identifier> {
    let hay = squeeze(text);
    ids.iter().filter(|i| hay.contains(&squeeze(&i.text))).collect()
}

/// The blind view of an application under a call.
pub fn view(app: &Application, call: &Call) -> BlindView {
    let blind: Vec<&str> = call.sections.iter().filter(|s| s.blind_reviewable).map(|s| s.code.as_str()).collect();
    BlindView {
        programme: app.programme.clone(),
        stage: app.stage,
        title: app.title.clone(),
        keywords: app.keywords.clone(),
        discipline: app.discipline.clone(),
        period: app.period,
        sections: app
            .sections
            .iter()
            .filter(|(code, _)| blind.contains(&code.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        indicators: app.indicators.clone(),
        requested: app.budget.requested,
    }
}

/// A part of a blind view that names the applicant: (part, identifier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    pub part_zh: String,
    pub part_en: String,
    pub identifier: Identifier,
}

/// Every part of the view that contains an identifier of the application.
pub fn leaks(view: &BlindView, app: &Application) -> Vec<Leak> {
    let ids = identifiers(app);
    let mut parts: Vec<(String, String, String)> = vec![
        ("项目名称".into(), "the title".into(), view.title.clone()),
        ("关键词".into(), "the keywords".into(), view.keywords.join(" ")),
    ];
    for (code, text) in &view.sections {
        parts.push((format!("章节 {code}"), format!("section {code}"), text.plain_text()));
    }
    for i in &view.indicators {
        parts.push((format!("考核指标 {}", i.name), format!("indicator {}", i.name), format!("{} {}", i.name, i.unit)));
    }
    let mut out = Vec::new();
    for (zh, en, text) in parts {
        for id in find_identifiers(&text, &ids) {
            out.push(Leak { part_zh: zh.clone(), part_en: en.clone(), identifier: id.clone() });
        }
    }
    out
}
