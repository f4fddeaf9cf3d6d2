//! Funding decisions of a call's round (立项, issue 7 "Decisions"): the recommendation list, the public
//! notice (公示) with its period and its objection log, the final decision per item, and the result
//! package that carries it to each applicant. Every step is one transaction with one audit event (action
//! `decision`); what is recorded is what the steps below allow, in this order.
//!
//! - [`recommend`]: the list is read from the round's ranking by the chosen method (the mean unless the
//!   officer picks another; calls carry no method of their own yet) and the funding line (domain.md
//!   "Scoring and aggregation"). The officer may add an item below the line or drop one above it, each
//!   with a reason. The list keeps its inputs — the method and the SHA-256 of the ranking it was read
//!   from — so a later look can tell whether the sheets changed since. It may be made again until the 公示
//!   starts; from then on it is frozen.
//! - [`start_publicity`]: the 公示 runs `days` calendar days from the start date, both ends included
//!   (`ends_on = start + days − 1`), and has ended at 00:00 Beijing time the day after `ends_on`. The rule
//!   is five working days; without a holiday calendar in the program the default is seven calendar days,
//!   which covers five working days in an ordinary week, and fewer than five days are refused.
//! - [`record_objection`] / [`resolve_objection`]: the objection log (received date, item, summary;
//!   then upheld or dismissed with a reason). An upheld objection takes its item off the list at the final
//!   decision, with the resolution's reason.
//! - [`finalize`]: refused while the 公示 has not ended or an objection is unresolved (the time is a
//!   parameter, never the clock, so that tests and re-runs decide the same). Every ranked item is decided
//!   at once: funded when it is on the list and no objection against it was upheld, with the requested
//!   fiscal funding unless the officer gives an adjusted amount; otherwise not funded with the reason
//!   (below the line, dropped, objection upheld). Then one result package per applicant, signed by the
//!   office and encrypted to the key that sent the submission, as the formal check's results are. The
//!   items decided are the ranked ones (those with at least one sealed sheet in the round); the decisions
//!   are recorded before the packages are written (each package carries the chain head that includes
//!   them), so a package that fails to write is not re-sent by this module yet.
//!
//! What the applicant reads: [`FundingResultPayload`] carries the decision, its reason, the amount, the
//! item's rank and score summary, and the anonymised comments: the strengths, the weaknesses and the
//! opinions of the sealed sheets as three separate lists, each sorted by text, with no expert number, name,
//! key id, packet id or receipt. Sorting (rather than keeping the sheets' order, which follows the expert
//! numbers) and separating the lists (so that a strength cannot be paired with its weakness) leave nothing
//! that tells which expert wrote what.
//!
//! 定向委托 decides its plans in `directed` (no ranking, no list, no 公示) and sends them through the same
//! [`record_and_send`] as the same payload, with `method` `directed_commission`, no rank or score, and an
//! optional `feasibility` part (the panel's opinion and the selection) that the other modes leave out, so
//! their packages keep their bytes and an older reader, which ignores unknown fields, still reads one.
//!
//! How the applicant's laptop tells a funding result from a formal-check result: both travel as
//! `Kind::Result`, and a funding payload has `"stage": "funding"` while the formal check's payload has no
//! `stage` field (its packages, written before this module, stay readable unchanged). The import pipeline
//! asks [`is_funding_result`] and hands the payload to this module or to `application::formal`. An older
//! program reading a funding result fails on the formal payload's required `decision` field and refuses it
//! as malformed, writing nothing.

use super::sheet::{Marks, SealedSheet};
use super::view::{ranking, RankRow};
use crate::audit::record_sha256;
use crate::calendar::{Date, Moment, SHANGHAI_OFFSET_MINUTES};
use crate::call::desk as calls;
use crate::identity;
use crate::outgoing;
use crate::package::{self, Inspection, Kind, SecretKeys};
use crate::score::Method;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{
    AuditAction, AuditEvent, FinalRow, FundingResultRow, ObjectionRow, PublicityRow, RecommendationRow, SubmissionRow,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The format of funding result payloads this version writes and the newest it reads.
pub const FORMAT: u16 = 1;
/// The `stage` of a funding result payload.
pub const STAGE: &str = "funding";
/// The 公示's length when none is given: seven calendar days for five working days.
pub const DEFAULT_PUBLICITY_DAYS: u32 = 7;
/// The shortest 公示 accepted, in calendar days.
pub const MIN_PUBLICITY_DAYS: u32 = 5;

/// Why an item is on the recommendation list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Within the funding line.
    Line,
    /// Added by the officer below the line.
    Added,
    /// Selected as the 挂帅 team of a challenge (`challenge::select`): core indicators met, then ranking,
    /// or named by the officer with a reason.
    Selected,
    /// Recommended by the 会议评审 vote and within the funding line walked in the shortlist's order
    /// (`voted`).
    Voted,
}

/// One item of the recommendation list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecommendedItem {
    pub number: String,
    pub title: String,
    pub rank: u32,
    /// The score by the list's method, with 2 decimals.
    pub score: String,
    pub requested_fen: i64,
    pub basis: Basis,
    /// The officer's reason for an added item.
    #[serde(default)]
    pub reason: Option<String>,
    /// The panel's vote, on a list made from a 会议评审 vote round; absent from other lists, which keep
    /// their bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<super::voted::VoteTally>,
}

/// An item within the line the officer dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DroppedItem {
    pub number: String,
    pub rank: u32,
    pub reason: String,
}

/// What the officer changes in the list the funding line gives: (申报编号, reason) pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecommendInput {
    pub method: Option<Method>,
    pub add: Vec<(String, String)>,
    pub drop: Vec<(String, String)>,
}

/// A round's decision state as the office sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoundDecisions {
    pub call: String,
    pub call_id: String,
    pub round: u32,
    pub method: String,
    pub ranking_sha256: String,
    pub items: Vec<RecommendedItem>,
    pub dropped: Vec<DroppedItem>,
    /// The sum of the recommended items' requested fiscal funding, in fen.
    pub recommended_fen: i64,
    pub budget_fen: i64,
    pub made_at: String,
    pub publicity: Option<PublicityRow>,
    pub objections: Vec<ObjectionRow>,
    pub finals: Vec<FinalRow>,
}

fn refused(code: &'static str, zh: String, en: String) -> CoreError {
    CoreError::DecisionRefused { code, zh, en }
}

fn invalid(field: &str, zh: &str, en: &str) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

fn event(target: &'static str, id: String, record: &impl Serialize, detail: serde_json::Value) -> AuditEvent {
    AuditEvent::new(AuditAction::Decision, target, id, record_sha256(record).expect("a decision record serialises"))
        .with_detail(&detail)
}

pub(crate) fn score_of(row: &RankRow, method: Method) -> String {
    match method {
        Method::Mean => row.mean.clone(),
        Method::Median => row.median.clone(),
        Method::TrimmedMean => row.trimmed_mean.clone(),
        Method::ZMean => row.z_scaled.clone(),
    }
}

/// A round's decision state: refused (not found) until its recommendation list is made.
pub fn show(ws: &mut Workspace, call: &str, round: u32) -> Result<RoundDecisions> {
    let c = calls::get(ws, call)?;
    super::directed::refuse_ranking(&c)?;
    let call_id = c.id.to_string();
    let (rec, publicity, objections, finals) = ws.store.read(|r| {
        Ok::<_, CoreError>((
            r.recommendation(&call_id, round)?,
            r.publicity(&call_id, round)?,
            r.objections(&call_id, round)?,
            r.finals(&call_id, round)?,
        ))
    })?;
    let rec = rec.ok_or_else(|| {
        refused(
            "decision.no_recommendation",
            format!("指南 {} 第 {round} 轮尚未形成推荐名单：请先运行 decide recommend", c.code),
            format!("call {} round {round} has no recommendation list yet: run decide recommend first", c.code),
        )
    })?;
    let items: Vec<RecommendedItem> = serde_json::from_str(&rec.items).unwrap_or_default();
    let dropped: Vec<DroppedItem> = serde_json::from_str(&rec.dropped).unwrap_or_default();
    Ok(RoundDecisions {
        call: c.code.clone(),
        call_id,
        round,
        method: rec.method,
        ranking_sha256: rec.ranking_sha256,
        recommended_fen: items.iter().map(|i| i.requested_fen).sum(),
        items,
        dropped,
        budget_fen: i64::try_from(c.funding_total.get()).unwrap_or(i64::MAX),
        made_at: rec.made_at,
        publicity,
        objections,
        finals,
    })
}

/// Makes (or, before the 公示, makes again) a round's recommendation list from its ranking by the method
/// and the funding line, with the officer's additions below the line and drops above it (audited
/// `decision`). Refused once the 公示 has started.
pub fn recommend(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    input: &RecommendInput,
    at: Moment,
) -> Result<RoundDecisions> {
    let c = calls::get(ws, call)?;
    super::challenge::refuse_funding_line(&c)?;
    super::directed::refuse_ranking(&c)?;
    let call_id = c.id.to_string();
    if let Some(p) = ws.store.read(|r| r.publicity(&call_id, round))? {
        return Err(refused(
            "decision.list_frozen",
            format!("指南 {} 第 {round} 轮的推荐名单已于 {} 开始公示，不能再修改", c.code, p.starts_on),
            format!(
                "the recommendation list of call {} round {round} is in its public notice since {}: it cannot change",
                c.code, p.starts_on
            ),
        ));
    }
    if super::voted::is_vote_round(&c, round) {
        super::voted::recommend(ws, &c, round, input, at)?;
        return show(ws, call, round);
    }
    let method = input.method.unwrap_or(Method::Mean);
    let view = ranking(ws, call, round, method)?;
    if view.rows.is_empty() {
        return Err(invalid(
            "round",
            "这一轮还没有收到封存的评分表",
            "no sealed score sheet was received for this round yet",
        ));
    }
    let find = |n: &str| view.rows.iter().find(|r| r.number == n.trim());
    let mut seen = BTreeSet::new();
    let mut added = Vec::new();
    for (number, reason) in &input.add {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid(
                "reason",
                "资金线以下补充推荐须写明理由",
                "an item added below the line needs a reason",
            ));
        }
        let row = find(number).ok_or_else(|| CoreError::NotFound {
            what: "ranked application / 本轮排名中的申报书".into(),
            key: number.clone(),
        })?;
        if row.funded {
            return Err(invalid(
                "add",
                &format!("{} 已在资金线以内，无需补充", row.number),
                &format!("{} is within the funding line already", row.number),
            ));
        }
        if !seen.insert(row.number.clone()) {
            return Err(invalid("add", &format!("{} 重复出现", row.number), &format!("{} is given twice", row.number)));
        }
        added.push((row, reason.to_string()));
    }
    let mut dropped = Vec::new();
    for (number, reason) in &input.drop {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid("reason", "从推荐名单中去除须写明理由", "dropping an item needs a reason"));
        }
        let row = find(number).ok_or_else(|| CoreError::NotFound {
            what: "ranked application / 本轮排名中的申报书".into(),
            key: number.clone(),
        })?;
        if !row.funded {
            return Err(invalid(
                "drop",
                &format!("{} 不在资金线以内，无需去除", row.number),
                &format!("{} is not within the funding line", row.number),
            ));
        }
        if !seen.insert(row.number.clone()) {
            return Err(invalid(
                "drop",
                &format!("{} 重复出现", row.number),
                &format!("{} is given twice", row.number),
            ));
        }
        dropped.push(DroppedItem { number: row.number.clone(), rank: row.rank as u32, reason: reason.to_string() });
    }
    let requests = super::office::round_input(ws, call, round)?.requests_fen;
    let item = |row: &RankRow, basis, reason: Option<String>| RecommendedItem {
        number: row.number.clone(),
        title: row.title.clone(),
        rank: row.rank as u32,
        score: score_of(row, method),
        requested_fen: requests.get(&row.number).copied().unwrap_or(0),
        basis,
        reason,
        votes: None,
    };
    let mut items: Vec<RecommendedItem> = view
        .rows
        .iter()
        .filter(|r| r.funded && !dropped.iter().any(|d| d.number == r.number))
        .map(|r| item(r, Basis::Line, None))
        .collect();
    items.extend(added.iter().map(|(r, reason)| item(r, Basis::Added, Some(reason.clone()))));
    items.sort_by_key(|i| i.rank);
    let ranking_sha256 = record_sha256(&view).expect("a ranking serialises");
    let row = RecommendationRow {
        call_id: call_id.clone(),
        round,
        method: method.name().to_string(),
        ranking_sha256: ranking_sha256.clone(),
        items: serde_json::to_string(&items).expect("items serialise"),
        dropped: serde_json::to_string(&dropped).expect("items serialise"),
        made_at: at.to_string(),
    };
    let ev = event(
        "recommendation",
        format!("{call_id}#{round}"),
        &row,
        serde_json::json!({
            "call": c.code, "round": round, "method": row.method, "ranking_sha256": ranking_sha256,
            "items": items.iter().map(|i| &i.number).collect::<Vec<_>>(),
            "added": added.iter().map(|(r, reason)| serde_json::json!({"number": r.number, "reason": reason})).collect::<Vec<_>>(),
            "dropped": dropped,
        }),
    );
    ws.store.write(ev, |w| w.recommendation_put(&row))?;
    show(ws, call, round)
}

/// The date `days` days after `d`.
fn plus_days(d: Date, days: i64) -> Date {
    let (y, m, day) = lixiang_store::civil_from_days(d.days_since_epoch() + days);
    Date::new(y as i32, m as u8, day as u8).expect("a civil date is on the calendar")
}

/// The moment a 公示 has ended: 00:00 Beijing time the day after its last day.
pub fn publicity_end(p: &PublicityRow) -> Option<Moment> {
    let last = Date::parse(&p.ends_on)?;
    Moment::new(plus_days(last, 1), 0, 0, 0, SHANGHAI_OFFSET_MINUTES)
}

/// Starts the 公示 of a round's recommendation list on `starts_on` for `days` calendar days (audited
/// `decision`). Refused without a list, a second time, for fewer than [`MIN_PUBLICITY_DAYS`], and for a
/// challenge while a selected team has no recorded agreement.
pub fn start_publicity(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    starts_on: Date,
    days: u32,
    at: Moment,
) -> Result<PublicityRow> {
    let state = show(ws, call, round)?;
    if let Some(p) = &state.publicity {
        return Err(refused(
            "decision.publicity_started",
            format!("指南 {} 第 {round} 轮已于 {} 开始公示（至 {}）", state.call, p.starts_on, p.ends_on),
            format!(
                "call {} round {round} is in public notice since {} (until {})",
                state.call, p.starts_on, p.ends_on
            ),
        ));
    }
    super::challenge::refuse_publicity_without_agreements(ws, call, &state.items, starts_on)?;
    if days < MIN_PUBLICITY_DAYS {
        return Err(invalid(
            "days",
            &format!("公示期不少于 {MIN_PUBLICITY_DAYS} 天，给出的是 {days} 天"),
            &format!("a public notice lasts at least {MIN_PUBLICITY_DAYS} days; {days} were given"),
        ));
    }
    let row = PublicityRow {
        call_id: state.call_id.clone(),
        round,
        starts_on: starts_on.to_string(),
        ends_on: plus_days(starts_on, i64::from(days) - 1).to_string(),
        days,
        started_at: at.to_string(),
    };
    let ev = event(
        "publicity",
        format!("{}#{round}", state.call_id),
        &row,
        serde_json::json!({ "call": state.call, "round": round, "starts_on": row.starts_on, "ends_on": row.ends_on,
            "items": state.items.iter().map(|i| &i.number).collect::<Vec<_>>() }),
    );
    ws.store.write(ev, |w| w.publicity_insert(&row))?;
    Ok(row)
}

/// Logs an objection to an item of the round received on `received_on` (audited `decision`). Refused
/// before the 公示, once the round is decided, for an application not in the round, and before the 公示's
/// first day.
pub fn record_objection(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    number: &str,
    received_on: Date,
    summary: &str,
    at: Moment,
) -> Result<ObjectionRow> {
    let state = show(ws, call, round)?;
    let publicity = state.publicity.clone().ok_or_else(|| no_publicity(&state))?;
    if !state.finals.is_empty() {
        return Err(already_final(&state));
    }
    let number = number.trim();
    let requests = super::office::round_input(ws, call, round)?.requests_fen;
    if !requests.contains_key(number) {
        return Err(CoreError::NotFound {
            what: "application of the call / 本指南的申报书".into(),
            key: number.into(),
        });
    }
    if summary.trim().is_empty() {
        return Err(invalid("summary", "请写明异议的内容摘要", "give a summary of the objection"));
    }
    if received_on.to_string() < publicity.starts_on {
        return Err(invalid(
            "received_on",
            &format!("异议收到日期 {received_on} 早于公示开始日期 {}", publicity.starts_on),
            &format!("the objection's date {received_on} is before the public notice began on {}", publicity.starts_on),
        ));
    }
    let mut row = ObjectionRow {
        id: 0,
        call_id: state.call_id.clone(),
        round,
        number: number.to_string(),
        received_on: received_on.to_string(),
        summary: summary.trim().to_string(),
        recorded_at: at.to_string(),
        resolution: None,
        resolution_reason: None,
        resolved_at: None,
    };
    let id = ws.store.write_with_event(|w| {
        let id = w.objection_insert(&row)?;
        let rec = ObjectionRow { id, ..row.clone() };
        let ev = event(
            "objection",
            id.to_string(),
            &rec,
            serde_json::json!({ "call": state.call, "round": round, "number": rec.number, "received_on": rec.received_on }),
        );
        Ok::<_, CoreError>((id, ev))
    })?;
    row.id = id;
    Ok(row)
}

/// Resolves a logged objection, upheld or dismissed, with a reason (audited `decision`). Refused for an
/// objection resolved already.
pub fn resolve_objection(ws: &mut Workspace, id: i64, upheld: bool, reason: &str, at: Moment) -> Result<ObjectionRow> {
    let held = ws
        .store
        .read(|r| r.objection(id))?
        .ok_or_else(|| CoreError::NotFound { what: "objection / 异议".into(), key: id.to_string() })?;
    if let Some(res) = &held.resolution {
        return Err(refused(
            "decision.objection_resolved",
            format!("异议 {id} 已于 {} 处理（{}）", held.resolved_at.clone().unwrap_or_default(), resolution_zh(res)),
            format!("objection {id} was resolved on {} ({res})", held.resolved_at.clone().unwrap_or_default()),
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", "处理异议须写明理由", "resolving an objection needs a reason"));
    }
    let resolution = if upheld { "upheld" } else { "dismissed" };
    let row = ObjectionRow {
        resolution: Some(resolution.into()),
        resolution_reason: Some(reason.into()),
        resolved_at: Some(at.to_string()),
        ..held
    };
    let ev = event(
        "objection",
        id.to_string(),
        &row,
        serde_json::json!({ "number": row.number, "resolution": resolution, "reason": reason }),
    );
    // Resolved by another window since it was read: roll back, event and all.
    ws.store.write(ev, |w| {
        if w.objection_resolve(id, resolution, reason, &at.to_string())? {
            Ok(())
        } else {
            Err(CoreError::NotFound { what: "unresolved objection / 未处理的异议".into(), key: id.to_string() })
        }
    })?;
    Ok(row)
}

fn resolution_zh(r: &str) -> &'static str {
    if r == "upheld" {
        "异议成立"
    } else {
        "异议不成立"
    }
}

fn no_publicity(s: &RoundDecisions) -> CoreError {
    refused(
        "decision.no_publicity",
        format!("指南 {} 第 {} 轮的推荐名单尚未公示：请先运行 decide publicity", s.call, s.round),
        format!(
            "the recommendation list of call {} round {} is not in public notice yet: run decide publicity first",
            s.call, s.round
        ),
    )
}

fn already_final(s: &RoundDecisions) -> CoreError {
    refused(
        "decision.already_final",
        format!("指南 {} 第 {} 轮已作出立项决定（{} 项），不能再次决定", s.call, s.round, s.finals.len()),
        format!(
            "call {} round {} is decided already ({} item(s)): it cannot be decided again",
            s.call,
            s.round,
            s.finals.len()
        ),
    )
}

/// The officer's adjustments at the final decision: 申报编号 → the funded amount in fen, for funded
/// items whose amount differs from the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinalInput {
    pub amounts: BTreeMap<String, i64>,
}

/// One item decided, with the result package written for its applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinalDecided {
    pub number: String,
    pub funded: bool,
    pub amount_fen: i64,
    pub reason_zh: String,
    pub reason_en: String,
    pub rank: Option<u32>,
    pub path: String,
    pub package_id: String,
}

/// The score summary of an item, as the applicant sees it (no sheet, no expert).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreSummary {
    pub n: u32,
    pub mean: String,
    pub median: String,
    /// The score by the list's method.
    pub score: String,
    /// A, B, C, D counts.
    pub grades: Vec<u32>,
}

/// The experts' comments without who wrote them: each list sorted by text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comments {
    pub strengths: Vec<String>,
    pub weaknesses: Vec<String>,
    /// The written opinions of verdict forms.
    pub opinions: Vec<String>,
}

/// What a funding result package carries (signed by the office, encrypted to the applicant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingResultPayload {
    pub format: u16,
    /// Always [`STAGE`]: what tells it from a formal-check result.
    pub stage: String,
    pub application_id: String,
    pub call_id: String,
    pub call_code: String,
    pub round: u32,
    pub version: u32,
    /// The hash of the version reviewed.
    pub sha256: String,
    /// 申报编号.
    pub number: String,
    pub funded: bool,
    pub amount_fen: i64,
    pub requested_fen: i64,
    pub reason_zh: String,
    pub reason_en: String,
    pub method: String,
    pub rank: Option<u32>,
    /// How many items were ranked.
    pub ranked: u32,
    pub score: Option<ScoreSummary>,
    pub comments: Comments,
    pub decided_at: String,
    /// 定向委托: the panel's consolidated opinion and, with invited units, the selection. Absent from the
    /// other modes' results, which keep their bytes; a reader from before it ignores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feasibility: Option<super::directed::FeasibilityResult>,
}

/// The anonymised comments of one item from the round's sealed sheets (see the module doc).
pub(crate) fn comments_of(sheets: &[lixiang_store::ReceivedSheetRow], number: &str) -> Comments {
    let mut c = Comments::default();
    for s in sheets.iter().filter(|s| s.number == number) {
        let Ok(sheet) = serde_json::from_str::<SealedSheet>(&s.body) else { continue };
        let push = |list: &mut Vec<String>, text: &str| {
            let t = text.trim();
            if !t.is_empty() {
                list.push(t.to_string());
            }
        };
        match &sheet.marks {
            Marks::Scored { strengths, weaknesses, .. } => {
                push(&mut c.strengths, strengths);
                push(&mut c.weaknesses, weaknesses);
            }
            Marks::Verdicts { opinion, .. } => push(&mut c.opinions, opinion),
        }
    }
    c.strengths.sort();
    c.weaknesses.sort();
    c.opinions.sort();
    c
}

/// Whether a round may be decided at `at` with `input` into `out_dir`: every refusal of [`finalize`],
/// checked without a key (the command line asks for the passphrase only when this passes).
pub fn check_final(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    input: &FinalInput,
    at: Moment,
    out_dir: &Path,
) -> Result<RoundDecisions> {
    let state = show(ws, call, round)?;
    let publicity = state.publicity.clone().ok_or_else(|| no_publicity(&state))?;
    if !state.finals.is_empty() {
        return Err(already_final(&state));
    }
    let end =
        publicity_end(&publicity).ok_or_else(|| invalid("ends_on", "公示结束日期无法读取", "unreadable end date"))?;
    // By the instant: a time written in UTC is as good as one in Beijing time.
    if at.unix_seconds() < end.unix_seconds() {
        return Err(refused(
            "decision.publicity_running",
            format!(
                "公示期为 {} 至 {}，{at} 尚在公示期内：公示期满后才能作出立项决定",
                publicity.starts_on, publicity.ends_on
            ),
            format!(
                "the public notice runs from {} through {}, and {at} is within it: decide once it has ended",
                publicity.starts_on, publicity.ends_on
            ),
        ));
    }
    let open: Vec<&ObjectionRow> = state.objections.iter().filter(|o| o.resolution.is_none()).collect();
    if !open.is_empty() {
        let list = open.iter().map(|o| format!("#{} {}", o.id, o.number)).collect::<Vec<_>>().join(", ");
        return Err(refused(
            "decision.objection_open",
            format!("公示期间的异议尚未处理（{list}）：请先用 decide resolve 处理"),
            format!("objections of the public notice are unresolved ({list}): resolve them with decide resolve first"),
        ));
    }
    if !out_dir.is_dir() {
        return Err(CoreError::Validation {
            field: out_dir.display().to_string(),
            reason: format!("目录 {0} 不存在 / the folder {0} does not exist", out_dir.display()),
        });
    }
    let requests = super::office::round_input(ws, call, round)?.requests_fen;
    for (number, amount) in &input.amounts {
        let requested = requests.get(number).copied();
        let listed = state.items.iter().any(|i| &i.number == number);
        if requested.is_none() || !listed {
            return Err(invalid(
                "amount",
                &format!("{number} 不在推荐名单中，不能给出资助额度"),
                &format!("{number} is not on the recommendation list: it has no funded amount"),
            ));
        }
        if *amount <= 0 || Some(*amount) > requested {
            return Err(invalid(
                "amount",
                &format!("{number} 的资助额度须大于零且不超过申请的财政经费"),
                &format!("the amount for {number} must be above zero and at most the fiscal funding requested"),
            ));
        }
    }
    Ok(state)
}

/// The final decisions of a round at `at`, and one result package per applicant written into `out_dir`
/// (audited `decision`, one event for the round). Refused (see [`check_final`]) before the 公示 has ended,
/// while an objection is unresolved, and once the round is decided.
pub fn finalize(
    ws: &mut Workspace,
    keys: &SecretKeys,
    call: &str,
    round: u32,
    input: &FinalInput,
    at: Moment,
    out_dir: &Path,
) -> Result<Vec<FinalDecided>> {
    let state = check_final(ws, call, round, input, at, out_dir)?;
    let c = calls::get(ws, call)?;
    if super::voted::is_vote_round(&c, round) {
        let (planned, detail) = super::voted::plan_finals(ws, &c, &state, round, input, &at.to_string())?;
        return record_and_send(ws, keys, &state.call_id, round, planned, detail, out_dir);
    }
    let method = Method::parse(&state.method).unwrap_or(Method::Mean);
    let view = ranking(ws, call, round, method)?;
    let requests = super::office::round_input(ws, call, round)?.requests_fen;
    let (submissions, sheets) = ws
        .store
        .read(|r| Ok::<_, CoreError>((r.submissions_latest()?, r.review_sheets_counted(&state.call_id, round)?)))?;
    let upheld: BTreeMap<&str, &ObjectionRow> = state
        .objections
        .iter()
        .filter(|o| o.resolution.as_deref() == Some("upheld"))
        .map(|o| (o.number.as_str(), o))
        .collect();
    let decided_at = at.to_string();
    let mut planned: Vec<Planned> = Vec::new();
    for row in &view.rows {
        let sub =
            submissions.iter().find(|s| s.number == row.number && s.call_id == state.call_id).ok_or_else(|| {
                CoreError::NotFound {
                    what: "received application / 收到的申报书".into(), key: row.number.clone()
                }
            })?;
        let listed = state.items.iter().find(|i| i.number == row.number);
        let dropped = state.dropped.iter().find(|d| d.number == row.number);
        let requested = requests.get(&row.number).copied().unwrap_or(0);
        let (funded, zh, en) = match (listed, upheld.get(row.number.as_str()), dropped) {
            (Some(_), Some(o), _) => (
                false,
                format!("公示期间异议成立：{}", o.resolution_reason.clone().unwrap_or_default()),
                format!(
                    "an objection during the public notice was upheld: {}",
                    o.resolution_reason.clone().unwrap_or_default()
                ),
            ),
            (Some(i), None, _) if i.basis == Basis::Added => (
                true,
                format!("资金线以下补充推荐（{}），公示期满", i.reason.clone().unwrap_or_default()),
                format!(
                    "recommended below the funding line ({}); the public notice has ended",
                    i.reason.clone().unwrap_or_default()
                ),
            ),
            (Some(i), None, _) if i.basis == Basis::Selected => {
                let (zh, en) = match &i.reason {
                    Some(r) => (format!("，办公室指定：{r}"), format!("; named by the office: {r}")),
                    None => (String::new(), String::new()),
                };
                (
                    true,
                    format!("选定为挂帅团队（第 {} 名，满足全部核心指标{zh}），公示期满", row.rank),
                    format!(
                        "selected as the team (rank {}, every core indicator met{en}); the public notice has ended",
                        row.rank
                    ),
                )
            }
            (Some(_), None, _) => (
                true,
                format!("列入推荐名单（第 {} 名，资金线以内），公示期满", row.rank),
                format!(
                    "on the recommendation list (rank {}, within the funding line); the public notice has ended",
                    row.rank
                ),
            ),
            (None, _, Some(d)) => (
                false,
                format!("未列入推荐名单：{}", d.reason),
                format!("not on the recommendation list: {}", d.reason),
            ),
            (None, _, None) => (
                false,
                format!("未列入推荐名单（第 {} 名，资金线以下）", row.rank),
                format!("not on the recommendation list (rank {}, below the funding line)", row.rank),
            ),
        };
        let amount_fen = if funded { input.amounts.get(&row.number).copied().unwrap_or(requested) } else { 0 };
        let package_id = uuid::Uuid::now_v7();
        let rec = FinalRow {
            call_id: state.call_id.clone(),
            round,
            number: row.number.clone(),
            application_id: sub.application_id.clone(),
            version: sub.version,
            funded,
            amount_fen,
            reason: zh.clone(),
            rank: Some(row.rank as u32),
            decided_at: decided_at.clone(),
            package_id: package_id.to_string(),
        };
        let payload = FundingResultPayload {
            format: FORMAT,
            stage: STAGE.into(),
            application_id: sub.application_id.clone(),
            call_id: state.call_id.clone(),
            call_code: state.call.clone(),
            round,
            version: sub.version,
            sha256: sub.sha256.clone(),
            number: row.number.clone(),
            funded,
            amount_fen,
            requested_fen: requested,
            reason_zh: zh,
            reason_en: en,
            method: state.method.clone(),
            rank: Some(row.rank as u32),
            ranked: view.rows.len() as u32,
            score: Some(ScoreSummary {
                n: row.n as u32,
                mean: row.mean.clone(),
                median: row.median.clone(),
                score: score_of(row, method),
                grades: row.grades.clone(),
            }),
            comments: comments_of(&sheets, &row.number),
            decided_at: decided_at.clone(),
            feasibility: None,
        };
        planned.push(Planned { row: rec, sub: sub.clone(), payload });
    }
    let detail = serde_json::json!({
        "call": state.call, "round": round,
        "funded": planned.iter().filter(|p| p.row.funded).map(|p| serde_json::json!({"number": p.row.number, "amount_fen": p.row.amount_fen})).collect::<Vec<_>>(),
        "not_funded": planned.iter().filter(|p| !p.row.funded).map(|p| &p.row.number).collect::<Vec<_>>(),
    });
    record_and_send(ws, keys, &state.call_id, round, planned, detail, out_dir)
}

/// One item decided and not yet recorded: its final row, the submission it answers (whose sender key the
/// result is encrypted to) and the payload of its result package.
pub(crate) struct Planned {
    pub(crate) row: FinalRow,
    pub(crate) sub: SubmissionRow,
    pub(crate) payload: FundingResultPayload,
}

/// Records the final decisions of a round in one transaction with one audit event (`final_decision`,
/// `detail` as given) and writes one result package per applicant into `out_dir`, signed by the office and
/// encrypted to the key that sent the submission. Every applicant's key is looked up before anything is
/// recorded: a recorded decision is final. Shared by every mode's decisions ([`finalize`] here, and
/// `directed::finalize` for 定向委托), so that one kind of result package reaches the applicants.
pub(crate) fn record_and_send(
    ws: &mut Workspace,
    keys: &SecretKeys,
    call_id: &str,
    round: u32,
    planned: Vec<Planned>,
    detail: serde_json::Value,
    out_dir: &Path,
) -> Result<Vec<FinalDecided>> {
    for p in &planned {
        ws.store
            .read(|r| r.contact(&p.sub.sender_key_id))?
            .ok_or_else(|| CoreError::NotFound {
                what: "contact / 联系人".into(), key: p.sub.sender_key_id.clone()
            })?;
    }
    let rows: Vec<FinalRow> = planned.iter().map(|p| p.row.clone()).collect();
    // Each payload is recorded with the decisions, so every package can always be written (again): see
    // `outgoing`.
    let kept: Vec<_> = planned
        .iter()
        .map(|p| {
            let name =
                package::default_file_name(&Kind::Result, &format!("funding-{}", p.row.number), &p.row.decided_at);
            let bytes = serde_json::to_vec(&p.payload).expect("a result payload serialises");
            outgoing::pending(
                outgoing::Stage::Funding,
                &p.row.application_id,
                &p.row.number,
                &p.sub.sender_key_id,
                &name,
                &p.row.package_id,
                bytes,
            )
        })
        .collect();
    let ev = event("final_decision", format!("{call_id}#{round}"), &rows, detail);
    ws.store.write(ev, |w| {
        for r in &rows {
            w.final_insert(r)?;
            // The office's list (申报受理) reads 立项 / 不予立项 from now on, in the same transaction.
            let status = crate::application::office::OfficeStatus::of_final(r.funded);
            w.application_index_set_status(&r.application_id, status.as_str())?;
        }
        for k in &kept {
            w.outgoing_insert(k)?;
        }
        Ok::<_, CoreError>(())
    })?;
    let mut out = Vec::new();
    // Every package is written even when one cannot be: the first failure is reported after the rest.
    let mut first_failure = None;
    for (Planned { row: rec, payload, .. }, k) in planned.into_iter().zip(kept) {
        let path = out_dir.join(&k.file_name);
        match outgoing::deliver(ws, keys, &rec.package_id, &path) {
            Ok(_) => {}
            Err(e @ CoreError::ResultNotWritten { .. }) => {
                first_failure.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
        out.push(FinalDecided {
            number: rec.number,
            funded: rec.funded,
            amount_fen: rec.amount_fen,
            reason_zh: payload.reason_zh,
            reason_en: payload.reason_en,
            rank: rec.rank,
            path: path.display().to_string(),
            package_id: rec.package_id,
        });
    }
    match first_failure {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

#[derive(Deserialize)]
struct StagePeek {
    #[serde(default)]
    stage: Option<String>,
}

/// Whether a result payload is a funding result (it names the stage) rather than a formal-check result.
pub(crate) fn is_funding_result(payload: &[u8]) -> bool {
    serde_json::from_slice::<StagePeek>(payload).is_ok_and(|p| p.stage.as_deref() == Some(STAGE))
}

/// The applicant's handler for funding results, run by the import pipeline before its transaction: only
/// from the office that published the call, for a version sealed here, and once per application.
pub(crate) fn check_result_import(
    ws: &mut Workspace,
    inspection: &Inspection,
    payload: &[u8],
    file: &str,
) -> Result<(FundingResultRow, String, String)> {
    let malformed =
        |what: String| CoreError::Package { file: file.to_string(), source: package::PackageError::malformed(what) };
    let p: FundingResultPayload =
        serde_json::from_slice(payload).map_err(|e| malformed(format!("funding result payload: {e}")))?;
    if p.format > FORMAT {
        return Err(CoreError::ReviewRefused {
            file: file.to_string(),
            code: "decision.newer_format",
            zh: format!("立项结果格式为第 {} 版，本程序只能读到第 {FORMAT} 版：请升级立项", p.format),
            en: format!(
                "the funding result is format {}; this program reads up to {FORMAT}: upgrade Lixiang",
                p.format
            ),
        });
    }
    let sender = crate::application::formal::check_result_origin(
        ws,
        inspection,
        file,
        &p.call_id,
        &p.application_id,
        p.version,
        &p.sha256,
    )?;
    if let Some(had) = ws.store.read(|r| r.funding_result(&p.application_id))? {
        return Err(CoreError::Superseded {
            file: file.to_string(),
            what: "funding result / 立项结果".into(),
            held: format!("the funding result of {} / {} 收到的立项结果", had.received_at, had.received_at),
        });
    }
    let body = String::from_utf8(payload.to_vec()).map_err(|_| malformed("the payload is not UTF-8".into()))?;
    let row = FundingResultRow {
        application_id: p.application_id.clone(),
        version: p.version,
        number: p.number.clone(),
        funded: p.funded,
        body,
        decided_at: p.decided_at.clone(),
        package_id: inspection.manifest.id.to_string(),
        sender_key_id: sender,
        received_at: identity::now(),
    };
    let (dz, de) = if p.funded { ("立项", "approved") } else { ("不予立项", "not approved") };
    let zh = format!("申报书 {}：{dz}。理由：{}", p.number, p.reason_zh);
    let en = format!("application {}: {de}. Reason: {}", p.number, p.reason_en);
    Ok((row, zh, en))
}

/// A funding result as the applicant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundingView {
    pub number: String,
    pub funded: bool,
    /// 立项 or 不予立项.
    pub decision_zh: String,
    pub amount_wan: String,
    pub requested_wan: String,
    pub reason_zh: String,
    pub reason_en: String,
    pub rank: Option<u32>,
    pub ranked: u32,
    pub method: String,
    pub score: Option<ScoreSummary>,
    pub comments: Comments,
    pub decided_at: String,
    pub received_at: String,
    pub version: u32,
    /// 定向委托: the panel's consolidated opinion (see [`FundingResultPayload::feasibility`]).
    pub feasibility: Option<super::directed::FeasibilityResult>,
}

/// The funding result received for one of this workspace's applications, if any.
pub fn funding_view(ws: &mut Workspace, application_id: &str) -> Result<Option<FundingView>> {
    let Some(row) = ws.store.read(|r| r.funding_result(application_id))? else { return Ok(None) };
    let p: FundingResultPayload = serde_json::from_str(&row.body).map_err(|e| CoreError::Validation {
        field: format!("funding result {}", row.number),
        reason: format!("stored result unreadable: {e}"),
    })?;
    let wan = |fen: i64| crate::money::format_wan(fen);
    Ok(Some(FundingView {
        number: p.number,
        funded: p.funded,
        decision_zh: if p.funded { "立项" } else { "不予立项" }.into(),
        amount_wan: wan(p.amount_fen),
        requested_wan: wan(p.requested_fen),
        reason_zh: p.reason_zh,
        reason_en: p.reason_en,
        rank: p.rank,
        ranked: p.ranked,
        method: p.method,
        score: p.score,
        comments: p.comments,
        decided_at: p.decided_at,
        received_at: row.received_at,
        version: p.version,
        feasibility: p.feasibility,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publicity_ends_the_day_after_its_last_day_in_beijing_time() {
        let p = PublicityRow {
            call_id: "c".into(),
            round: 1,
            starts_on: "2027-06-28".into(),
            ends_on: plus_days(Date::new(2027, 6, 28).unwrap(), 6).to_string(),
            days: 7,
            started_at: String::new(),
        };
        assert_eq!(p.ends_on, "2027-07-04");
        let end = publicity_end(&p).unwrap();
        assert_eq!(end.to_string(), "2027-07-05T00:00:00+08:00");
        assert!(Moment::parse("2027-07-04T15:59:59Z").unwrap().unix_seconds() < end.unix_seconds());
        assert_eq!(Moment::parse("2027-07-04T16:00:00Z").unwrap().unix_seconds(), end.unix_seconds());
        assert_eq!(plus_days(Date::new(2028, 2, 28).unwrap(), 1).to_string(), "2028-02-29");
    }

    #[test]
    fn only_a_payload_naming_the_funding_stage_is_a_funding_result() {
        assert!(is_funding_result(br#"{"format":1,"stage":"funding"}"#));
        assert!(!is_funding_result(br#"{"format":1,"decision":"accept"}"#));
        assert!(!is_funding_result(br#"{"stage":"other"}"#));
        assert!(!is_funding_result(b"not json"));
    }
}
