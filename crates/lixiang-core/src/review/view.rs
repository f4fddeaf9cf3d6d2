//! What the windows show of review: the expert's packet with its form and items, an application as the
//! expert reads it (full or blind), and the office's ranking of a round. Plain, typed structures (text
//! already formatted where the UI would only format it again), so the UI needs no domain logic.

use super::expert::{self, PacketSummary};
use super::{ItemContent, PacketPayload};
use crate::application::{Application, Role};
use crate::call::review::{Form, VerdictScale};
use crate::score::{self, Method, NonConsensus};
use crate::workspace::Workspace;
use crate::Result;
use serde::Serialize;

/// A band of a criterion: "8–10 分：国际先进".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct BandView {
    pub low: String,
    pub high: String,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CriterionView {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub max: u32,
    pub bands: Vec<BandView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Choice {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// The round's form as the sheet shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FormView {
    /// `scored`, `verdicts` or `vote`.
    pub kind: String,
    pub criteria: Vec<CriterionView>,
    /// Verdict forms: the items, and the verdicts to choose from.
    pub verdict_items: Vec<Choice>,
    pub verdicts: Vec<Choice>,
}

impl From<&Form> for FormView {
    fn from(f: &Form) -> FormView {
        match f {
            Form::Scored(r) => FormView {
                kind: "scored".into(),
                criteria: r
                    .criteria
                    .iter()
                    .map(|c| CriterionView {
                        id: c.id.clone(),
                        name_zh: c.name.zh.clone(),
                        name_en: c.name.en.clone(),
                        max: c.weight,
                        bands: c
                            .bands
                            .iter()
                            .map(|b| BandView {
                                low: b.low.to_string(),
                                high: b.high.to_string(),
                                zh: b.text.zh.clone(),
                                en: b.text.en.clone(),
                            })
                            .collect(),
                    })
                    .collect(),
                verdict_items: vec![],
                verdicts: vec![],
            },
            Form::Verdicts(v) => FormView {
                kind: "verdicts".into(),
                criteria: vec![],
                verdict_items: v
                    .items
                    .iter()
                    .map(|i| Choice { code: i.id.clone(), zh: i.name.zh.clone(), en: i.name.en.clone() })
                    .collect(),
                verdicts: match v.scale {
                    VerdictScale::Feasibility | VerdictScale::Acceptance => v
                        .scale
                        .verdicts()
                        .iter()
                        .map(|x| Choice {
                            code: serde_json::to_value(x)
                                .ok()
                                .and_then(|j| j.as_str().map(String::from))
                                .unwrap_or_default(),
                            zh: x.name().zh,
                            en: x.name().en,
                        })
                        .collect(),
                },
            },
            Form::Vote => FormView { kind: "vote".into(), criteria: vec![], verdict_items: vec![], verdicts: vec![] },
        }
    }
}

/// One application of a packet in the expert's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PacketItemRow {
    pub number: String,
    pub title: String,
    /// `draft`, `sealed` or `conflict`.
    pub status: String,
    pub total: Option<String>,
    pub receipt_sha256: Option<String>,
}

/// A packet with its form and its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PacketView {
    pub summary: PacketSummary,
    pub form: FormView,
    pub form_sha256: String,
    pub items: Vec<PacketItemRow>,
}

pub(crate) fn title_of(content: &ItemContent) -> String {
    match content {
        ItemContent::Full { version } => {
            serde_json::from_str::<Application>(version).map(|a| a.title).unwrap_or_default()
        }
        ItemContent::Blind(b) => b.title.clone(),
        ItemContent::Removed => String::new(),
    }
}

/// A held packet for the scoring screen.
pub fn packet_view(ws: &mut Workspace, packet_id: &str) -> Result<PacketView> {
    let summary = expert::packets(ws)?.into_iter().find(|p| p.packet_id == packet_id).ok_or_else(|| {
        crate::CoreError::NotFound { what: "review packet / 评审包".into(), key: packet_id.to_string() }
    })?;
    let held = expert::held(ws, packet_id)?;
    let mut items = Vec::new();
    for item in &held.payload.items {
        let st = expert::sheet_state(ws, packet_id, &item.number)?;
        items.push(PacketItemRow {
            number: item.number.clone(),
            title: title_of(&item.content),
            status: st.status,
            total: if st.receipt_sha256.is_some() { st.total } else { None },
            receipt_sha256: st.receipt_sha256,
        });
    }
    Ok(PacketView {
        summary,
        form: FormView::from(&held.payload.form),
        form_sha256: held.payload.form_sha256.clone(),
        items,
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SectionText {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct MemberLine {
    pub name: String,
    pub role_zh: String,
    pub role_en: String,
    pub title: String,
    pub months: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct IndicatorLine {
    pub name: String,
    pub target: String,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AttachmentLine {
    pub name: String,
    pub sha256: String,
    #[specta(type = f64)]
    pub size: u64,
    pub media_type: String,
}

/// An application as the expert reads it. In a blind round the unit and the team are absent; once the
/// contents were removed only the number is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ItemReading {
    pub number: String,
    pub version: u32,
    pub version_sha256: String,
    pub blind: bool,
    pub removed: bool,
    /// The expert declared a conflict on the item (it left the packet): its contents are not shown again.
    pub withdrawn: bool,
    pub title: String,
    pub keywords: Vec<String>,
    pub discipline: String,
    pub period: String,
    pub applicant: Option<String>,
    pub team: Vec<MemberLine>,
    pub sections: Vec<SectionText>,
    pub indicators: Vec<IndicatorLine>,
    /// 申请财政经费 and 自筹, in 万元.
    pub fiscal_wan: String,
    pub self_raised_wan: String,
    pub attachments: Vec<AttachmentLine>,
}

fn section_texts(
    p: &PacketPayload,
    sections: &std::collections::BTreeMap<String, crate::application::RichText>,
) -> Vec<SectionText> {
    let mut out: Vec<SectionText> = Vec::new();
    // In the call's order first, then any other section the application holds.
    let mut codes: Vec<String> =
        p.sections.iter().map(|s| s.code.clone()).filter(|c| sections.contains_key(c)).collect();
    codes.extend(sections.keys().filter(|k| !codes.contains(k)).cloned().collect::<Vec<_>>());
    for code in codes {
        let text = &sections[&code];
        let name = p.sections.iter().find(|s| s.code == code).map(|s| s.name.clone());
        out.push(SectionText {
            code: code.clone(),
            name_zh: name.as_ref().map_or(code.clone(), |n| n.zh.clone()),
            name_en: name.as_ref().map_or(code.clone(), |n| n.en.clone()),
            paragraphs: text.plain_text().lines().map(str::to_string).filter(|l| !l.trim().is_empty()).collect(),
        });
    }
    out
}

/// One application of a held packet, for reading beside the sheet.
pub fn item_reading(ws: &mut Workspace, packet_id: &str, number: &str) -> Result<ItemReading> {
    let held = expert::held(ws, packet_id)?;
    let item = held.payload.items.iter().find(|i| i.number == number).ok_or_else(|| crate::CoreError::NotFound {
        what: "item of the packet / 评审包中的申报书".into(),
        key: number.to_string(),
    })?;
    let mut r = ItemReading {
        number: item.number.clone(),
        version: item.version,
        version_sha256: item.version_sha256.clone(),
        blind: held.payload.blind,
        removed: false,
        withdrawn: false,
        title: String::new(),
        keywords: vec![],
        discipline: String::new(),
        period: String::new(),
        applicant: None,
        team: vec![],
        sections: vec![],
        indicators: vec![],
        fiscal_wan: String::new(),
        self_raised_wan: String::new(),
        attachments: vec![],
    };
    let indicator = |i: &crate::application::Indicator| IndicatorLine {
        name: i.name.clone(),
        target: format!("{} {}", i.direction.symbol(), i.target),
        unit: i.unit.clone(),
    };
    // An item withdrawn by a conflict declaration is read no more (its attachments are refused and gone
    // from the laptop too): the pane says so instead of showing the application.
    if ws.store.read(|rd| rd.review_sheet(packet_id, number))?.is_some_and(|sheet| sheet.conflict_reason.is_some()) {
        r.withdrawn = true;
        return Ok(r);
    }
    match &item.content {
        ItemContent::Removed => r.removed = true,
        ItemContent::Blind(b) => {
            r.title = b.title.clone();
            r.keywords = b.keywords.clone();
            r.discipline = b.discipline.clone();
            r.period = format!("{} – {}", b.period.start, b.period.end);
            r.sections = section_texts(&held.payload, &b.sections);
            r.indicators = b.indicators.iter().map(indicator).collect();
            r.fiscal_wan = b.requested.fiscal.wan();
            r.self_raised_wan = b.requested.self_raised.wan();
        }
        ItemContent::Full { version } => {
            let a: Application = serde_json::from_str(version).map_err(|e| crate::CoreError::Validation {
                field: format!("application {number}"),
                reason: format!("stored content unreadable: {e}"),
            })?;
            r.title = a.title.clone();
            r.keywords = a.keywords.clone();
            r.discipline = a.discipline.clone();
            r.period = format!("{} – {}", a.period.start, a.period.end);
            r.applicant = Some(a.applicant.name.clone());
            r.team = a
                .team
                .iter()
                .map(|m| {
                    let (zh, en) = match m.role {
                        Role::Leader => ("项目负责人", "leader"),
                        Role::Backbone => ("骨干成员", "key member"),
                        Role::Participant => ("参与人员", "participant"),
                    };
                    MemberLine {
                        name: m.name.clone(),
                        role_zh: zh.into(),
                        role_en: en.into(),
                        title: m.title_name.clone(),
                        months: m.months,
                    }
                })
                .collect();
            r.sections = section_texts(&held.payload, &a.sections);
            r.indicators = a.indicators.iter().map(indicator).collect();
            r.fiscal_wan = a.budget.requested.fiscal.wan();
            r.self_raised_wan = a.budget.requested.self_raised.wan();
            r.attachments = a
                .attachments
                .iter()
                .map(|x| AttachmentLine {
                    name: x.name.clone(),
                    sha256: x.sha256.clone(),
                    size: x.size,
                    media_type: x.media_type.clone(),
                })
                .collect();
        }
    }
    Ok(r)
}

/// One item of the office's ranking.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RankRow {
    #[specta(type = u32)]
    pub rank: usize,
    pub number: String,
    pub title: String,
    #[specta(type = u32)]
    pub n: usize,
    pub mean: String,
    pub median: String,
    pub sd: Option<String>,
    pub trimmed_mean: String,
    pub z_scaled: String,
    pub min: String,
    pub max: String,
    /// A, B, C, D counts.
    pub grades: Vec<u32>,
    /// `spread`, `grades_a_and_d`.
    pub non_consensus: Vec<String>,
    /// The rank under mean, median, trimmed mean, z-mean.
    pub ranks_by_method: Vec<u32>,
    pub requested_wan: String,
    pub funded: bool,
    pub first_unfunded: bool,
}

/// The office's ranking of a round.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RankingView {
    pub call: String,
    pub round: u32,
    pub method: Method,
    pub rows: Vec<RankRow>,
    pub sheets: u32,
    pub budget_wan: String,
    pub used_wan: String,
    pub remaining_wan: String,
    /// Experts whose z-scores fell back to the round's μ and σ.
    pub fallback_experts: Vec<String>,
}

fn two(x: f64) -> String {
    format!("{x:.2}")
}

/// Ranks a call's round from the sealed sheets received: statistics, every method's rank, the funding
/// line over the call's total funding.
pub fn ranking(ws: &mut Workspace, call: &str, round: u32, method: Method) -> Result<RankingView> {
    let input = super::office::round_input(ws, call, round)?;
    let titles: std::collections::BTreeMap<String, String> = {
        let c = crate::call::desk::get(ws, call)?;
        crate::conflict::desk::call_applications(ws, &c.id.to_string())?
            .into_iter()
            .map(|(i, _)| (i.number, i.title))
            .collect()
    };
    let rules = score::RoundRules { method, ..input.rules };
    let agg = score::aggregate(&input.sheets, &rules);
    let ranked = score::rank(&agg, method);
    let line = score::funding_line(&ranked, &input.requests_fen, input.budget_fen);
    let wan = |fen: i64| crate::money::Fen::new(u64::try_from(fen).unwrap_or(0)).wan();
    let rows = ranked
        .iter()
        .map(|r| {
            let s = agg.items.iter().find(|s| s.item == r.item).expect("ranked items come from the aggregation");
            RankRow {
                rank: r.rank,
                number: r.item.clone(),
                title: titles.get(&r.item).cloned().unwrap_or_default(),
                n: s.n,
                mean: two(s.mean),
                median: two(s.median),
                sd: s.sd.map(two),
                trimmed_mean: two(s.trimmed_mean),
                z_scaled: two(s.z_scaled),
                min: two(s.min),
                max: two(s.max),
                grades: s.grades.iter().map(|g| *g as u32).collect(),
                non_consensus: s
                    .non_consensus
                    .iter()
                    .map(|f| match f {
                        NonConsensus::Spread => "spread".to_string(),
                        NonConsensus::GradesAandD => "grades_a_and_d".to_string(),
                    })
                    .collect(),
                ranks_by_method: r.ranks_by_method.iter().map(|k| *k as u32).collect(),
                requested_wan: wan(input.requests_fen.get(&r.item).copied().unwrap_or(0)),
                funded: line.funded.contains(&r.item),
                first_unfunded: line.first_unfunded.as_deref() == Some(r.item.as_str()),
            }
        })
        .collect();
    Ok(RankingView {
        call: input.call,
        round,
        method,
        rows,
        sheets: input.sheets.len() as u32,
        budget_wan: wan(line.budget_fen),
        used_wan: wan(line.used_fen),
        remaining_wan: wan(line.remaining_fen),
        fallback_experts: agg.fallback_experts,
    })
}

/// A sealed sheet with what its printout shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct SealedPrint {
    pub call_code: String,
    pub call_title: crate::lang::Bilingual,
    pub round: u32,
    pub round_kind: crate::call::review::RoundKind,
    pub blind: bool,
    /// The application's title ("" once the contents were removed).
    pub title: String,
    pub expert_number: String,
    pub expert_name: String,
    pub form: Form,
    pub sheet: super::sheet::SealedSheet,
    /// SHA-256 of the sealed text.
    pub receipt_sha256: String,
}

/// A sealed sheet of a held packet, for printing. Refused while the sheet is not sealed.
pub fn sealed_print(ws: &mut Workspace, packet_id: &str, number: &str) -> Result<SealedPrint> {
    let held = expert::held(ws, packet_id)?;
    let row = held.sheets.iter().find(|s| s.number == number).ok_or_else(|| crate::CoreError::NotFound {
        what: "item of the packet / 评审包中的申报书".into(),
        key: number.to_string(),
    })?;
    let (Some(text), Some(receipt)) = (&row.sealed, &row.receipt_sha256) else {
        return Err(crate::CoreError::Validation {
            field: format!("sheet {number}"),
            reason: "评分表尚未封存，封存后才能打印 / the sheet is not sealed yet: seal it before printing".into(),
        });
    };
    let sheet: super::sheet::SealedSheet = serde_json::from_str(text).map_err(|e| crate::CoreError::Validation {
        field: format!("sheet {number}"),
        reason: format!("stored sheet unreadable: {e}"),
    })?;
    let title =
        held.payload.items.iter().find(|i| i.number == number).map(|i| title_of(&i.content)).unwrap_or_default();
    Ok(SealedPrint {
        call_code: held.payload.call_code.clone(),
        call_title: held.payload.call_title.clone(),
        round: held.payload.round,
        round_kind: held.payload.round_kind,
        blind: held.payload.blind,
        title,
        expert_number: held.payload.expert_number.clone(),
        expert_name: held.payload.expert_name.clone(),
        form: held.payload.form.clone(),
        sheet,
        receipt_sha256: receipt.clone(),
    })
}

/// One item of the recommendation list as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RecommendedLine {
    pub number: String,
    pub title: String,
    pub rank: u32,
    pub score: String,
    pub requested_wan: String,
    /// Added below the funding line by the officer (with `reason`).
    pub added: bool,
    /// Recommended by the 会议评审 vote (a vote round's list), with the tally in `votes`.
    pub voted: bool,
    pub reason: Option<String>,
    /// The panel's tally of a vote round's line, in Chinese (同意 2 票、…).
    pub votes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ObjectionLine {
    pub id: i32,
    pub number: String,
    pub received_on: String,
    pub summary: String,
    /// `upheld` or `dismissed` once resolved.
    pub resolution: Option<String>,
    pub resolution_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct FinalLine {
    pub number: String,
    pub funded: bool,
    pub amount_wan: String,
    pub reason: String,
}

/// A round's decisions for the window: the recommendation list, the 公示 and its objections, the final
/// decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DecisionsView {
    pub method: String,
    pub items: Vec<RecommendedLine>,
    pub dropped: Vec<String>,
    pub recommended_wan: String,
    pub budget_wan: String,
    /// The 公示's first and last day, when it was started.
    pub publicity: Option<(String, String)>,
    pub objections: Vec<ObjectionLine>,
    pub finals: Vec<FinalLine>,
}

impl From<&super::decision::RoundDecisions> for DecisionsView {
    fn from(d: &super::decision::RoundDecisions) -> DecisionsView {
        let wan = |fen: i64| crate::money::Fen::new(u64::try_from(fen).unwrap_or(0)).wan();
        DecisionsView {
            method: d.method.clone(),
            items: d
                .items
                .iter()
                .map(|i| RecommendedLine {
                    number: i.number.clone(),
                    title: i.title.clone(),
                    rank: i.rank,
                    score: i.score.clone(),
                    requested_wan: wan(i.requested_fen),
                    added: i.basis == super::decision::Basis::Added,
                    voted: i.basis == super::decision::Basis::Voted,
                    reason: i.reason.clone(),
                    votes: i.votes.as_ref().map(|v| v.zh()),
                })
                .collect(),
            dropped: d.dropped.iter().map(|x| format!("{}：{}", x.number, x.reason)).collect(),
            recommended_wan: wan(d.recommended_fen),
            budget_wan: wan(d.budget_fen),
            publicity: d.publicity.as_ref().map(|p| (p.starts_on.clone(), p.ends_on.clone())),
            objections: d
                .objections
                .iter()
                .map(|o| ObjectionLine {
                    id: i32::try_from(o.id).unwrap_or(i32::MAX),
                    number: o.number.clone(),
                    received_on: o.received_on.clone(),
                    summary: o.summary.clone(),
                    resolution: o.resolution.clone(),
                    resolution_reason: o.resolution_reason.clone(),
                })
                .collect(),
            finals: d
                .finals
                .iter()
                .map(|f| FinalLine {
                    number: f.number.clone(),
                    funded: f.funded,
                    amount_wan: wan(f.amount_fen),
                    reason: f.reason.clone(),
                })
                .collect(),
        }
    }
}
