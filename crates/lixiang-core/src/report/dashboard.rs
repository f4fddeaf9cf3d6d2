//! The plan dashboard (issue 8, plan 七(三) monitoring): per programme of 专栏19, each quantified target
//! beside the sum of the indicator values that approved projects committed to it, the applications in the
//! office's pipeline by stage, the 专栏1 indicators as the catalog keeps them; and the chart data of the
//! review — per call and round the distribution of sheet totals and each expert's leniency against the
//! panel. The CLI (`lixiang report dashboard`) and the window's 规划监测 read the same [`Dashboard`].
//!
//! Split in two so that the figures are testable on a hand-made portfolio: [`load`] reads what the office
//! holds once (one read transaction) into a [`Portfolio`]; [`build`] is a pure function of it.
//!
//! What counts as committed: an application is approved when the final decision of the latest round that
//! decided it funded it (review/decision.rs); its indicators are those of the version that was decided. An
//! indicator counts towards a target when it links that target, the target belongs to the application's
//! programme, its kind may link a plan target (papers, patents, talent never do) and its unit agrees with
//! the target's (compared like the applicant's check does, whitespace and width aside). Links that fail one
//! of these are listed, with the reason, instead of being dropped in silence. A target is covered when the
//! sum is within [min, max] as printed (a single printed number has min = max), under below min, over above
//! max: "over" is shown, not refused — the plan's ranges are what the office aims at, and promising more is
//! for the officer to judge.
//!
//! Committed is not achieved: achieved values need post-award data (annual monitoring, mid-term and final
//! evaluation) that the product does not hold yet, and [`Dashboard::notice_zh`] says so in plain words.
//!
//! Leniency (per call and round, over the sealed scored sheets): for each expert, n, the mean and the
//! sample SD of their totals; the panel is the other experts who scored the same items, and for each item
//! the expert scored that at least one other expert scored too, the others' mean on it. The panel mean is
//! the mean of those per-item means, the difference the mean of (own total − others' mean) over the same
//! items — so a positive difference is a lenient expert, and it does not depend on how many others scored
//! each item. The panel SD is the sample SD of the other experts' totals on those items.

use crate::application::{Application, Indicator};
use crate::call::{Call, RoundKind};
use crate::catalog::{Catalog, PlanFootnote, PlanIndicator};
use crate::score::Sheet;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The statement that committed values are not achieved values, in Chinese.
pub const NOTICE_ZH: &str = "“承诺值”是已立项项目在申报书考核指标中承诺的数值之和，不是实际完成值。\
实际完成情况需要立项后的年度监测、中期评估和验收数据，本软件目前尚未采集这些数据。";
/// The same statement in English.
pub const NOTICE_EN: &str = "“Committed” is the sum of what approved projects promised in their applications' \
indicators, not what they achieved. Achieved values need post-award data (annual monitoring, mid-term evaluation, \
acceptance) that this product does not hold yet.";
/// What the pipeline counts, in Chinese: the office sees an application from its receipt.
pub const PIPELINE_NOTE_ZH: &str =
    "申报书草稿保存在申报单位的电脑上，项目办从收到申报文件包起才能看到；这里按项目办持有的记录统计。";
/// The same in English.
pub const PIPELINE_NOTE_EN: &str = "Drafts stay on the applicants' laptops: the office sees an application from the \
moment its submission package is received, and counts what it holds.";

/// Where an application stands in the office's pipeline, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum PipelineStage {
    /// 待形式审查: received, no formal decision on the newest version yet.
    Received,
    /// 退回修改.
    Returned,
    /// 不予受理.
    NotAccepted,
    /// 形式审查通过, not yet sent out for review.
    Accepted,
    /// 评审中: sent to experts in a packet, or scored.
    InReview,
    /// 拟立项: on a recommendation list, no final decision yet.
    Recommended,
    /// 立项.
    Funded,
    /// 未立项.
    NotFunded,
    /// 已撤回.
    Withdrawn,
}

impl PipelineStage {
    pub const ALL: [PipelineStage; 9] = [
        PipelineStage::Received,
        PipelineStage::Returned,
        PipelineStage::NotAccepted,
        PipelineStage::Accepted,
        PipelineStage::InReview,
        PipelineStage::Recommended,
        PipelineStage::Funded,
        PipelineStage::NotFunded,
        PipelineStage::Withdrawn,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            PipelineStage::Received => "待形式审查",
            PipelineStage::Returned => "退回修改",
            PipelineStage::NotAccepted => "不予受理",
            PipelineStage::Accepted => "待评审",
            PipelineStage::InReview => "评审中",
            PipelineStage::Recommended => "拟立项",
            PipelineStage::Funded => "立项",
            PipelineStage::NotFunded => "未立项",
            PipelineStage::Withdrawn => "已撤回",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            PipelineStage::Received => "received",
            PipelineStage::Returned => "returned",
            PipelineStage::NotAccepted => "not accepted",
            PipelineStage::Accepted => "awaiting review",
            PipelineStage::InReview => "in review",
            PipelineStage::Recommended => "recommended",
            PipelineStage::Funded => "approved",
            PipelineStage::NotFunded => "not approved",
            PipelineStage::Withdrawn => "withdrawn",
        }
    }

    /// The stage from what the office recorded: a final decision first, then a recommendation list, then
    /// review, then the formal check's status (`received`, `accepted`, `returned`, `not_accepted`,
    /// `withdrawn`; anything else reads as received).
    pub fn of(office_status: &str, in_review: bool, recommended: bool, funded: Option<bool>) -> PipelineStage {
        match (funded, recommended, in_review, office_status) {
            (Some(true), ..) => PipelineStage::Funded,
            (Some(false), ..) => PipelineStage::NotFunded,
            (None, _, _, "withdrawn") => PipelineStage::Withdrawn,
            (None, _, _, "not_accepted") => PipelineStage::NotAccepted,
            (None, true, ..) => PipelineStage::Recommended,
            (None, false, true, _) => PipelineStage::InReview,
            (None, false, false, "accepted") => PipelineStage::Accepted,
            (None, false, false, "returned") => PipelineStage::Returned,
            _ => PipelineStage::Received,
        }
    }
}

/// One application the office holds, as the dashboard needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldApplication {
    pub number: String,
    pub title: String,
    pub call: String,
    /// `ZX01` … `ZX08`.
    pub programme: String,
    pub stage: PipelineStage,
    /// The indicators of the funded version; [`load`] leaves them empty for any other application, whose
    /// promises count nowhere.
    pub indicators: Vec<Indicator>,
}

/// The sealed scored sheets of one round of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundScores {
    pub call: String,
    pub programme: String,
    /// From 1, the position in the call's review plan.
    pub round: u32,
    pub kind: RoundKind,
    pub sheets: Vec<Sheet>,
}

/// Everything the dashboard is computed from, read once.
#[derive(Debug, Clone, PartialEq)]
pub struct Portfolio {
    pub catalog: Catalog,
    pub applications: Vec<HeldApplication>,
    pub rounds: Vec<RoundScores>,
}

/// Where a target stands against what approved projects committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Committed below min.
    Under,
    /// min ≤ committed ≤ max.
    Covered,
    /// Committed above max.
    Over,
}

impl Coverage {
    pub fn of(committed: f64, min: u32, max: u32) -> Coverage {
        if committed < f64::from(min) {
            Coverage::Under
        } else if committed > f64::from(max) {
            Coverage::Over
        } else {
            Coverage::Covered
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Coverage::Under => "未覆盖",
            Coverage::Covered => "已覆盖",
            Coverage::Over => "超出",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Coverage::Under => "under",
            Coverage::Covered => "covered",
            Coverage::Over => "over",
        }
    }
}

/// An approved project's indicator counted towards a target.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Contribution {
    pub number: String,
    pub title: String,
    pub call: String,
    /// The indicator's id in the application (`K1`) and its name.
    pub indicator: String,
    pub indicator_name: String,
    pub value: f64,
    pub unit: String,
}

/// One quantified target of 专栏19 beside what approved projects committed.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct TargetCoverage {
    pub code: String,
    pub indicator: String,
    pub min: u32,
    pub max: u32,
    pub unit: String,
    pub printed: String,
    pub committed: f64,
    pub status: Coverage,
    /// By 申报编号, then indicator id.
    pub contributions: Vec<Contribution>,
}

/// Why an approved project's link to a plan target does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Excluded {
    /// The indicator's unit is not the target's.
    UnitMismatch,
    /// Papers, patents and talent serve no plan target.
    KindNotLinkable,
    /// The code is not a target of the application's programme.
    NotInProgramme,
}

impl Excluded {
    pub fn zh(self) -> &'static str {
        match self {
            Excluded::UnitMismatch => "单位与规划目标不一致",
            Excluded::KindNotLinkable => "该类指标不对应规划目标",
            Excluded::NotInProgramme => "不是本专项的规划目标",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Excluded::UnitMismatch => "unit differs from the target's",
            Excluded::KindNotLinkable => "this kind of indicator serves no plan target",
            Excluded::NotInProgramme => "not a target of the project's programme",
        }
    }
}

/// A link of an approved project that is not counted, and why.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ExcludedLink {
    pub number: String,
    pub indicator: String,
    pub indicator_name: String,
    pub plan_target: String,
    pub value: f64,
    pub unit: String,
    pub reason: Excluded,
}

/// How many of a programme's applications are at one stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct StageCount {
    pub stage: PipelineStage,
    pub count: u32,
}

/// One programme of 专栏19 on the dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ProgrammeCoverage {
    pub code: String,
    pub name: String,
    pub short_name: String,
    /// In the catalog's order.
    pub targets: Vec<TargetCoverage>,
    /// Every stage in lifecycle order, zeros included.
    pub pipeline: Vec<StageCount>,
    /// Applications held, all stages.
    pub applications: u32,
    /// Approved projects.
    pub approved: u32,
    pub excluded: Vec<ExcludedLink>,
}

/// A bin of the distribution of sheet totals: [from, to), the last one [90, 100].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
pub struct Bin {
    pub from: u32,
    pub to: u32,
    pub count: u32,
}

/// One expert's leniency in a round (see the module's doc for the definitions).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ExpertLeniency {
    pub expert: String,
    pub sheets: u32,
    pub mean: f64,
    /// Sample SD (n − 1); none below 2 sheets.
    pub sd: Option<f64>,
    /// Items scored by this expert and at least one other.
    pub compared: u32,
    /// The mean of the other experts' per-item means over the compared items; none when none is.
    pub panel_mean: Option<f64>,
    /// The sample SD of the other experts' totals on the compared items; none below 2 of them.
    pub panel_sd: Option<f64>,
    /// The mean of (own total − others' mean) over the compared items: above 0 is lenient.
    pub difference: Option<f64>,
}

/// The scored sheets of one round of a call: distribution and leniency.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RoundChart {
    pub call: String,
    pub programme: String,
    pub round: u32,
    /// The round's kind code (`mail_review` …) and its names.
    pub kind: String,
    pub kind_zh: String,
    pub kind_en: String,
    pub sheets: u32,
    pub mean: f64,
    /// Sample SD over every sheet of the round; none below 2.
    pub sd: Option<f64>,
    /// Ten bins of 10 points, from 0–10 to 90–100.
    pub bins: Vec<Bin>,
    /// By expert number.
    pub experts: Vec<ExpertLeniency>,
}

/// The plan dashboard.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Dashboard {
    /// In the catalog's order (one, when asked for one programme).
    pub programmes: Vec<ProgrammeCoverage>,
    /// 专栏1 as the catalog keeps it (figures as printed and parsed, with their footnotes).
    pub plan_indicators: Vec<PlanIndicator>,
    pub plan_footnotes: Vec<PlanFootnote>,
    /// Approved projects over the programmes shown.
    pub approved: u32,
    /// Committed is not achieved (see [`NOTICE_ZH`]).
    pub notice_zh: String,
    pub notice_en: String,
    pub pipeline_note_zh: String,
    pub pipeline_note_en: String,
    /// By call code, then round.
    pub rounds: Vec<RoundChart>,
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Sample SD (n − 1); none below 2 values.
fn sample_sd(xs: &[f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    let mu = mean(xs);
    Some((xs.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt())
}

/// The ten bins of 10 points over totals in 0 … 100; 100 falls in the last bin.
pub fn histogram(totals: &[f64]) -> Vec<Bin> {
    let mut bins: Vec<Bin> = (0..10).map(|i| Bin { from: i * 10, to: i * 10 + 10, count: 0 }).collect();
    for t in totals {
        let i = ((t / 10.0).floor().max(0.0) as usize).min(9);
        bins[i].count += 1;
    }
    bins
}

/// Each expert's leniency over one round's sheets, by expert number.
pub fn leniency(sheets: &[Sheet]) -> Vec<ExpertLeniency> {
    // Sorted, so every sum runs in the same order whatever the input order: the same figures every time.
    let mut sorted: Vec<&Sheet> = sheets.iter().collect();
    sorted.sort_by(|a, b| (a.expert.as_str(), a.item.as_str()).cmp(&(b.expert.as_str(), b.item.as_str())));
    let mut by_item: BTreeMap<&str, Vec<&Sheet>> = BTreeMap::new();
    for s in &sorted {
        by_item.entry(s.item.as_str()).or_default().push(s);
    }
    let mut by_expert: BTreeMap<&str, Vec<&Sheet>> = BTreeMap::new();
    for s in &sorted {
        by_expert.entry(s.expert.as_str()).or_default().push(s);
    }
    by_expert
        .into_iter()
        .map(|(expert, own)| {
            let totals: Vec<f64> = own.iter().map(|s| s.total).collect();
            let mut panel_means = Vec::new();
            let mut differences = Vec::new();
            let mut others_all = Vec::new();
            for s in &own {
                let others: Vec<f64> =
                    by_item[s.item.as_str()].iter().filter(|o| o.expert != expert).map(|o| o.total).collect();
                if others.is_empty() {
                    continue;
                }
                let m = mean(&others);
                panel_means.push(m);
                differences.push(s.total - m);
                others_all.extend(others);
            }
            let some_mean = |xs: &[f64]| (!xs.is_empty()).then(|| mean(xs));
            ExpertLeniency {
                expert: expert.to_string(),
                sheets: own.len() as u32,
                mean: mean(&totals),
                sd: sample_sd(&totals),
                compared: panel_means.len() as u32,
                panel_mean: some_mean(&panel_means),
                panel_sd: sample_sd(&others_all),
                difference: some_mean(&differences),
            }
        })
        .collect()
}

fn round_chart(r: &RoundScores) -> RoundChart {
    let mut totals: Vec<f64> = r.sheets.iter().map(|s| s.total).collect();
    totals.sort_by(f64::total_cmp);
    let name = r.kind.name();
    RoundChart {
        call: r.call.clone(),
        programme: r.programme.clone(),
        round: r.round,
        kind: r.kind.code().to_string(),
        kind_zh: name.zh.clone(),
        kind_en: name.en.clone(),
        sheets: totals.len() as u32,
        mean: if totals.is_empty() { 0.0 } else { mean(&totals) },
        sd: sample_sd(&totals),
        bins: histogram(&totals),
        experts: leniency(&r.sheets),
    }
}

/// The dashboard of `portfolio`, of every programme or of the one `programme` names (`ZX01`). Refused
/// (not found) for a code the catalog does not hold.
pub fn build(portfolio: &Portfolio, programme: Option<&str>) -> Result<Dashboard> {
    let catalog = &portfolio.catalog;
    if let Some(code) = programme {
        if !catalog.programmes.iter().any(|p| p.code == code) {
            return Err(CoreError::NotFound { what: "programme / 专项".into(), key: code.to_string() });
        }
    }
    let compact = crate::validate::compact;
    let mut apps: Vec<&HeldApplication> = portfolio.applications.iter().collect();
    apps.sort_by(|a, b| a.number.cmp(&b.number));
    let mut programmes = Vec::new();
    for p in catalog.programmes.iter().filter(|p| programme.is_none_or(|c| c == p.code)) {
        let mine: Vec<&&HeldApplication> = apps.iter().filter(|a| a.programme == p.code).collect();
        let mut contributions: BTreeMap<&str, Vec<Contribution>> = BTreeMap::new();
        let mut excluded = Vec::new();
        for a in mine.iter().filter(|a| a.stage == PipelineStage::Funded) {
            let mut indicators: Vec<&Indicator> = a.indicators.iter().collect();
            indicators.sort_by(|x, y| x.id.cmp(&y.id));
            for ind in indicators {
                let Some(code) = &ind.plan_target else { continue };
                let value = ind.target.to_f64();
                let target = p.targets.iter().find(|t| &t.code == code);
                let reason = match target {
                    None => Some(Excluded::NotInProgramme),
                    Some(_) if !ind.kind.may_link_plan_target() => Some(Excluded::KindNotLinkable),
                    Some(t) if compact(&t.unit) != compact(&ind.unit) => Some(Excluded::UnitMismatch),
                    Some(_) => None,
                };
                match (reason, target) {
                    (None, Some(t)) => contributions.entry(t.code.as_str()).or_default().push(Contribution {
                        number: a.number.clone(),
                        title: a.title.clone(),
                        call: a.call.clone(),
                        indicator: ind.id.clone(),
                        indicator_name: ind.name.clone(),
                        value,
                        unit: ind.unit.clone(),
                    }),
                    (reason, _) => excluded.push(ExcludedLink {
                        number: a.number.clone(),
                        indicator: ind.id.clone(),
                        indicator_name: ind.name.clone(),
                        plan_target: code.clone(),
                        value,
                        unit: ind.unit.clone(),
                        reason: reason.unwrap_or(Excluded::NotInProgramme),
                    }),
                }
            }
        }
        let targets = p
            .targets
            .iter()
            .map(|t| {
                let contributions = contributions.remove(t.code.as_str()).unwrap_or_default();
                // Folded from +0.0: an empty f64 sum is -0.0, which would print as "-0".
                let committed = contributions.iter().fold(0.0, |s, c| s + c.value);
                TargetCoverage {
                    code: t.code.clone(),
                    indicator: t.indicator.clone(),
                    min: t.min,
                    max: t.max,
                    unit: t.unit.clone(),
                    printed: t.printed.clone(),
                    committed,
                    status: Coverage::of(committed, t.min, t.max),
                    contributions,
                }
            })
            .collect();
        let pipeline = PipelineStage::ALL
            .into_iter()
            .map(|stage| StageCount { stage, count: mine.iter().filter(|a| a.stage == stage).count() as u32 })
            .collect();
        programmes.push(ProgrammeCoverage {
            code: p.code.clone(),
            name: p.name.clone(),
            short_name: p.short_name.clone(),
            targets,
            pipeline,
            applications: mine.len() as u32,
            approved: mine.iter().filter(|a| a.stage == PipelineStage::Funded).count() as u32,
            excluded,
        });
    }
    let shown: BTreeSet<&str> = programmes.iter().map(|p| p.code.as_str()).collect();
    let mut rounds: Vec<RoundChart> = portfolio
        .rounds
        .iter()
        .filter(|r| shown.contains(r.programme.as_str()) && !r.sheets.is_empty())
        .map(round_chart)
        .collect();
    rounds.sort_by(|a, b| (a.call.as_str(), a.round).cmp(&(b.call.as_str(), b.round)));
    Ok(Dashboard {
        approved: programmes.iter().map(|p| p.approved).sum(),
        programmes,
        plan_indicators: catalog.plan_indicators.clone(),
        plan_footnotes: catalog.plan_footnotes.clone(),
        notice_zh: NOTICE_ZH.into(),
        notice_en: NOTICE_EN.into(),
        pipeline_note_zh: PIPELINE_NOTE_ZH.into(),
        pipeline_note_en: PIPELINE_NOTE_EN.into(),
        rounds,
    })
}

fn unreadable(what: String, e: serde_json::Error) -> CoreError {
    CoreError::Validation { field: what, reason: format!("stored record unreadable: {e}") }
}

/// Reads what the office holds into a [`Portfolio`]: the catalog, every application received with its
/// stage (and the decided version's indicators), and the sealed scored sheets of every round of every call.
pub fn load(ws: &mut Workspace) -> Result<Portfolio> {
    let listed = crate::application::office::office_list(ws, &crate::application::office::ListQuery::default())?;
    let (catalog, calls, finals, recommended, reviewed, latest) = ws.store.read(|r| {
        Ok::<_, CoreError>((
            r.catalog()?,
            r.calls_latest()?,
            r.finals_all()?,
            r.recommended_items_all()?,
            r.reviewed_items_all()?,
            r.submissions_latest()?,
        ))
    })?;
    let calls: Vec<Call> = calls
        .iter()
        .map(|row| serde_json::from_str(&row.body).map_err(|e| unreadable(format!("call {}", row.code), e)))
        .collect::<Result<_>>()?;
    let code_of: BTreeMap<String, String> = calls.iter().map(|c| (c.id.to_string(), c.code.clone())).collect();
    let recommended: BTreeSet<(String, String)> = recommended.into_iter().collect();
    let reviewed: BTreeSet<(String, String)> = reviewed.into_iter().collect();
    // The decision of the latest round that decided an application is the one that stands.
    let mut decided: BTreeMap<String, lixiang_store::FinalRow> = BTreeMap::new();
    for f in finals {
        let newer = decided.get(&f.application_id).is_none_or(|d| f.round >= d.round);
        if newer {
            decided.insert(f.application_id.clone(), f);
        }
    }
    let latest: BTreeMap<String, lixiang_store::SubmissionRow> =
        latest.into_iter().map(|s| (s.application_id.clone(), s)).collect();
    let mut applications = Vec::new();
    for row in &listed {
        let key = (row.call_id.clone(), row.number.clone());
        let fin = decided.get(&row.application_id);
        let stage = PipelineStage::of(
            row.status.as_str(),
            reviewed.contains(&key),
            recommended.contains(&key),
            fin.map(|f| f.funded),
        );
        // Only what a funded application promised counts, so only those are decoded: the version the
        // decision was about (the newest received, unless a later one arrived since).
        let bytes = match fin {
            Some(f) if !f.funded => None,
            Some(f) if latest.get(&row.application_id).is_none_or(|s| s.version != f.version) => {
                ws.store.read(|r| r.submission(&f.application_id, f.version))?.map(|s| s.bytes)
            }
            Some(_) => latest.get(&row.application_id).map(|s| s.bytes.clone()),
            None => None,
        };
        let indicators = match bytes {
            Some(b) => {
                serde_json::from_slice::<Application>(&b)
                    .map_err(|e| unreadable(format!("application {}", row.number), e))?
                    .indicators
            }
            None => Vec::new(),
        };
        applications.push(HeldApplication {
            number: row.number.clone(),
            title: row.title.clone(),
            call: code_of.get(&row.call_id).cloned().unwrap_or_else(|| row.call_code.clone()),
            programme: row.programme.clone(),
            stage,
            indicators,
        });
    }
    let mut rounds = Vec::new();
    for c in &calls {
        for (i, r) in c.review_plan.rounds.iter().enumerate() {
            let round = i as u32 + 1;
            let sheets = crate::review::office::round_sheets(ws, &c.id.to_string(), round)?;
            if !sheets.is_empty() {
                rounds.push(RoundScores {
                    call: c.code.clone(),
                    programme: c.programme.clone(),
                    round,
                    kind: r.kind,
                    sheets,
                });
            }
        }
    }
    Ok(Portfolio { catalog, applications, rounds })
}

/// The dashboard of the workspace: [`load`] then [`build`].
pub fn dashboard(ws: &mut Workspace, programme: Option<&str>) -> Result<Dashboard> {
    build(&load(ws)?, programme)
}

#[cfg(test)]
mod tests;
