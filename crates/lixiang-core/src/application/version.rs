//! Sealed versions of an application and their comparison.
//!
//! A version's content is the application serialised once, at sealing, as canonical JSON: serde_json's
//! value of the [`Application`] written by RFC 8785 (JCS) rules — object keys sorted by their UTF-16
//! code units at every level, no whitespace, strings escaped as `JSON.stringify` does — so the field order
//! is fixed by the keys' names, not by the order of the struct's fields or a serde_json feature.
//! Applications hold no binary floats (quantities are decimal strings, money integer fen), so every value
//! has exactly one written form. The version hash is SHA-256 of those bytes (lowercase hex). The bytes
//! are kept as they are and never re-serialised: the office, the experts and a later comparison read the
//! same bytes, and anyone can recompute the hash (domain.md "Ids that cross machines").

use super::{Application, ApplicationId};
use crate::calendar::Moment;
use crate::lang::Bilingual;
use crate::money::Fen;
use crate::CoreError;
use lixiang_store::{canonical_json, sha256_hex};
use std::collections::BTreeMap;

/// One sealed version: its number (1, 2 … per application), when it was sealed, its exact bytes and
/// their hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedVersion {
    pub application_id: ApplicationId,
    pub number: u32,
    pub sealed_at: Moment,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

impl SealedVersion {
    /// Whether the bytes still hash to the recorded hash.
    pub fn verify(&self) -> bool {
        sha256_hex(&self.bytes) == self.sha256
    }

    /// The application these bytes hold.
    pub fn application(&self) -> Result<Application, serde_json::Error> {
        serde_json::from_slice(&self.bytes)
    }
}

/// The canonical bytes of `app`'s content (see the module's documentation).
pub fn canonical_bytes(app: &Application) -> Result<Vec<u8>, serde_json::Error> {
    Ok(canonical_json(&serde_json::to_value(app)?).into_bytes())
}

/// Seals `app` as the version after `previous` (the application's latest sealed version, if any):
/// number 1 for the first, n+1 after n. Refuses a `previous` of another application or one sealed
/// later than `sealed_at`. It does not run the checks: the caller refuses to seal when
/// [`super::validate_application`] or [`super::check_submission_time`] report an error.
pub fn seal_version(
    app: &Application,
    previous: Option<&SealedVersion>,
    sealed_at: Moment,
) -> Result<SealedVersion, CoreError> {
    let refuse = |reason: String| CoreError::Validation { field: "previous".into(), reason };
    let number = match previous {
        None => 1,
        Some(p) if p.application_id != app.id => {
            return Err(refuse(format!(
                "version {} belongs to the application {}, not {}",
                p.number, p.application_id, app.id
            )))
        }
        Some(p) if p.sealed_at > sealed_at => {
            return Err(refuse(format!("version {} was sealed at {}, after {sealed_at}", p.number, p.sealed_at)))
        }
        Some(p) => p.number + 1,
    };
    let bytes = canonical_bytes(app)
        .map_err(|e| CoreError::Validation { field: "application".into(), reason: e.to_string() })?;
    let sha256 = sha256_hex(&bytes);
    Ok(SealedVersion { application_id: app.id, number, sealed_at, bytes, sha256 })
}

/// One difference between two versions: `before` is `None` for something added, `after` for something
/// removed. List entries are keyed by what identifies them — members by document number, partners by
/// credit code, indicators by id, budget cells by category and year — so inserting one does not show
/// every later one as changed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Difference {
    /// Where (`indicators[K1].target`, `budget.lines[labour][2028].fiscal`, `team[5401…].title`).
    pub field: String,
    /// Section and field, in both languages (考核指标 K1 目标值 / Indicators K1 target).
    pub label: Bilingual,
    pub before: Option<Bilingual>,
    pub after: Option<Bilingual>,
}

/// What changed from `a` to `b`, in `b`'s order, then what was removed, in `a`'s order.
pub fn compare_versions(a: &Application, b: &Application) -> Vec<Difference> {
    let old = describe(a);
    let new = describe(b);
    let before: BTreeMap<&str, &Line> = old.iter().map(|l| (l.field.as_str(), l)).collect();
    let after: BTreeMap<&str, &Line> = new.iter().map(|l| (l.field.as_str(), l)).collect();
    let mut out = Vec::new();
    for l in &new {
        match before.get(l.field.as_str()) {
            Some(o) if o.value == l.value => {}
            o => out.push(Difference {
                field: l.field.clone(),
                label: l.label.clone(),
                before: o.map(|o| o.value.clone()),
                after: Some(l.value.clone()),
            }),
        }
    }
    for l in &old {
        if !after.contains_key(l.field.as_str()) {
            out.push(Difference {
                field: l.field.clone(),
                label: l.label.clone(),
                before: Some(l.value.clone()),
                after: None,
            });
        }
    }
    out
}

struct Line {
    field: String,
    label: Bilingual,
    value: Bilingual,
}

fn same(s: impl Into<String>) -> Bilingual {
    let s = s.into();
    Bilingual::new(s.clone(), s)
}

fn section_label(code: &str) -> (String, String) {
    let (zh, en) = match code {
        "rationale" => ("立项依据", "Rationale"),
        "content" => ("研究内容与技术路线", "Research content and technical route"),
        "innovation" => ("创新点", "Innovations"),
        "implementation_plan" => ("实施方案", "Implementation plan"),
        "schedule" => ("进度安排与里程碑", "Schedule and milestones"),
        "risks" => ("风险分析", "Risks"),
        other => (other, other),
    };
    (zh.into(), en.into())
}

struct Lines(Vec<Line>);

impl Lines {
    fn push(&mut self, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>, value: Bilingual) {
        self.0.push(Line { field: field.into(), label: Bilingual::new(zh, en), value });
    }
}

fn describe(app: &Application) -> Vec<Line> {
    let mut l = Lines(Vec::new());
    l.push(
        "call_revision",
        "基本信息 指南版本",
        "Basic information call revision",
        same(app.call_revision.to_string()),
    );
    l.push("title", "基本信息 项目名称", "Basic information title", same(&app.title));
    l.push(
        "keywords",
        "基本信息 关键词",
        "Basic information keywords",
        Bilingual::new(app.keywords.join("；"), app.keywords.join("; ")),
    );
    l.push("discipline", "基本信息 学科代码", "Basic information discipline", same(&app.discipline));
    l.push(
        "period",
        "基本信息 实施周期",
        "Basic information period",
        Bilingual::new(
            format!("{} 至 {}", app.period.start, app.period.end),
            format!("{} to {}", app.period.start, app.period.end),
        ),
    );
    let u = &app.applicant;
    l.push("applicant.name", "基本信息 申报单位", "Basic information applicant unit", same(&u.name));
    l.push(
        "applicant.credit_code",
        "基本信息 申报单位信用代码",
        "Basic information applicant's credit code",
        same(&u.credit_code),
    );
    l.push(
        "applicant.registered_on",
        "基本信息 单位注册日期",
        "Basic information registration date",
        same(u.registered_on.to_string()),
    );
    l.push("applicant.region", "基本信息 所在地区", "Basic information region", same(&u.region));
    for p in &app.partners {
        l.push(
            format!("partners[{}]", p.credit_code),
            "基本信息 合作单位",
            "Basic information partner unit",
            same(&p.name),
        );
    }
    for m in &app.team {
        let key = format!("team[{}]", crate::validate::compact(&m.id_number).to_ascii_uppercase());
        let who = &m.name;
        let (dz, de) = m.document.name();
        l.push(format!("{key}.name"), format!("项目团队 {who} 姓名"), format!("Team {who} name"), same(&m.name));
        l.push(
            format!("{key}.document"),
            format!("项目团队 {who} 证件类型"),
            format!("Team {who} document"),
            Bilingual::new(dz, de),
        );
        l.push(
            format!("{key}.birth_date"),
            format!("项目团队 {who} 出生日期"),
            format!("Team {who} birth date"),
            same(m.birth_date.to_string()),
        );
        l.push(
            format!("{key}.unit_credit_code"),
            format!("项目团队 {who} 单位"),
            format!("Team {who} unit"),
            same(&m.unit_credit_code),
        );
        l.push(
            format!("{key}.department"),
            format!("项目团队 {who} 部门"),
            format!("Team {who} department"),
            same(&m.department),
        );
        l.push(
            format!("{key}.title"),
            format!("项目团队 {who} 职称"),
            format!("Team {who} title"),
            same(&m.title_name),
        );
        l.push(
            format!("{key}.degree"),
            format!("项目团队 {who} 学位"),
            format!("Team {who} degree"),
            same(format!("{:?}", m.degree)),
        );
        l.push(
            format!("{key}.role"),
            format!("项目团队 {who} 分工"),
            format!("Team {who} role"),
            same(format!("{:?}", m.role)),
        );
        l.push(
            format!("{key}.months"),
            format!("项目团队 {who} 投入月数"),
            format!("Team {who} months"),
            same(m.months.to_string()),
        );
    }
    for (code, text) in &app.sections {
        let (zh, en) = section_label(code);
        l.push(format!("sections[{code}]"), zh, en, same(text.plain_text()));
    }
    for ind in &app.indicators {
        let key = format!("indicators[{}]", ind.id);
        let id = &ind.id;
        let (kz, ke) = ind.kind.name();
        l.push(format!("{key}.name"), format!("考核指标 {id} 名称"), format!("Indicators {id} name"), same(&ind.name));
        l.push(
            format!("{key}.kind"),
            format!("考核指标 {id} 类型"),
            format!("Indicators {id} kind"),
            Bilingual::new(kz, ke),
        );
        l.push(
            format!("{key}.baseline"),
            format!("考核指标 {id} 现有水平"),
            format!("Indicators {id} baseline"),
            same(ind.baseline.map(|b| format!("{b} {}", ind.unit)).unwrap_or_default()),
        );
        l.push(
            format!("{key}.target"),
            format!("考核指标 {id} 目标值"),
            format!("Indicators {id} target"),
            same(format!("{} {} {}", ind.direction.symbol(), ind.target, ind.unit)),
        );
        l.push(
            format!("{key}.plan_target"),
            format!("考核指标 {id} 关联规划目标"),
            format!("Indicators {id} plan target"),
            same(ind.plan_target.clone().unwrap_or_default()),
        );
        l.push(
            format!("{key}.core_indicator"),
            format!("考核指标 {id} 对应核心指标"),
            format!("Indicators {id} core indicator"),
            same(ind.core_indicator.clone().unwrap_or_default()),
        );
    }
    for m in &app.milestones {
        l.push(
            format!("milestones[{}]", m.code),
            format!("里程碑 {}", m.code),
            format!("Milestone {}", m.code),
            same(format!("{} {}：{}", m.due, m.name, m.deliverable)),
        );
    }
    let b = &app.budget;
    l.push("budget.schema", "经费预算 预算规则", "Budget rules", same(b.schema.to_string()));
    l.push(
        "budget.requested.fiscal",
        "经费预算 申请财政资金",
        "Budget fiscal funding requested",
        same(b.requested.fiscal.to_string()),
    );
    l.push(
        "budget.requested.self_raised",
        "经费预算 自筹资金",
        "Budget self-raised funding",
        same(b.requested.self_raised.to_string()),
    );
    for (cat, years) in &b.lines {
        for (year, s) in years {
            for (src, zh, en, amount) in
                [("fiscal", "财政资金", "fiscal", s.fiscal), ("self_raised", "自筹资金", "self-raised", s.self_raised)]
            {
                if amount != Fen::ZERO {
                    l.push(
                        format!("budget.lines[{cat}][{year}].{src}"),
                        format!("经费预算 {cat} {year} 年{zh}"),
                        format!("Budget {cat} {year} {en}"),
                        same(amount.to_string()),
                    );
                }
            }
        }
    }
    for e in &b.equipment {
        l.push(
            format!("budget.equipment[{}]", e.name),
            format!("经费预算 设备 {}", e.name),
            format!("Budget equipment {}", e.name),
            same(format!("{} × {}（{}）", e.unit_price, e.quantity, e.category)),
        );
    }
    for w in &app.representative_works {
        l.push(
            format!("representative_works[{}]", w.title),
            "代表作",
            "Representative work",
            same(format!("{}（{}）{}", w.citation, w.year, w.attachment.as_deref().map(short).unwrap_or_default())),
        );
    }
    for a in &app.attachments {
        l.push(
            format!("attachments[{}/{}]", a.rule, a.name),
            format!("附件 {}", a.name),
            format!("Attachment {}", a.name),
            same(format!("{} {} B {}", short(&a.sha256), a.size, a.media_type)),
        );
    }
    for x in &app.avoid_experts {
        l.push(
            format!("avoid_experts[{}]", x.name),
            "申请回避的专家",
            "Expert to avoid",
            same(format!("{}（{}）：{}", x.name, x.unit, x.reason)),
        );
    }
    for (code, accepted) in &app.pledges {
        l.push(
            format!("pledges[{code}]"),
            format!("承诺 {code}"),
            format!("Pledge {code}"),
            if *accepted {
                Bilingual::new("已确认", "accepted")
            } else {
                Bilingual::new("未确认", "not accepted")
            },
        );
    }
    l.0
}

fn short(sha: &str) -> String {
    format!("{}…", sha.chars().take(12).collect::<String>())
}
