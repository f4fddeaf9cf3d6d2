//! 揭榜挂帅 (open challenge list) after its review round (domain.md "Calls and the three selection modes",
//! "Races and bounties"): the core-indicator gate, the selection of the 挂帅 team(s), a race's milestone
//! gates with its tranche ledger, and a bounty's acceptance (验收) and payouts. Owns these rules; the rows
//! live in `lixiang-store` (`challenge.rs`, migration 0013) and the list, 公示 and final decision are
//! [`super::decision`]'s.
//!
//! - [`core_gate`]: an item is out when, for any locked core indicator of the call (its newest revision),
//!   it answers with a value that misses the target in its direction, answers in another unit, or does
//!   not answer at all. Each miss names the indicator, the promised value, the target and the direction.
//! - [`select`]: from the round's ranking (the mean unless the officer picks another method), among the
//!   items that pass the gate: the best one (single, bounty), or the top `teams` of a race. The officer may
//!   name the team(s) instead, with a reason; an item that is out is refused even then. The selection is
//!   written as the round's recommendation list (basis `selected`; every other ranked item `dropped` with
//!   why: out of the gate, or not selected), so the existing 公示, objections, final decisions and result
//!   packages carry it unchanged; `decide recommend` (the funding line) is refused for a challenge. It may
//!   be made again until the 公示 starts.
//! - Race: the teams are the items the round's final decision funded; each has received the first
//!   tranche. At each milestone, in order, the officer records every running team's result from its
//!   report (the file kept in the blob store by its SHA-256; the achieved value of each indicator examined
//!   there), then decides the gate for every running team at once: continue (the milestone's tranche is
//!   released), increase (continue, and an extra amount released), terminate (this and later tranches
//!   cancelled), merge B into A (B's tranches cancelled, A raised by an entered amount, B's members added
//!   to A by a logged amendment). At the last gate at most `places` teams continue: they finish, the
//!   winners. The ledger ([`RaceState`]) is computed from the gates, never stored twice: released,
//!   cancelled and planned per team, and a gate is refused when the money released would exceed the
//!   call's total funding plus the increases logged.
//! - Bounty: the winner is the item funded at the final decision. Agreement-time parts of the reward are
//!   due from then; acceptance-time parts only once an acceptance found every core indicator 达到. Each
//!   part is paid once, for the amount [`Bounty::payouts`] gives.
//!
//! - Agreement: between the selection and the 公示 the office records, per selected team, the 任务书/协议
//!   the 发榜方 signed: its number, the date (not before the selection), the signed scan (a PDF in the blob
//!   store by its SHA-256) and the funding, which must be what the call fixes ([`agreed_funding`]). The
//!   公示 of a challenge is refused while a selected team has none, and may not start before the last
//!   agreement was signed. A selection made again may not leave out a team whose agreement is recorded:
//!   the agreement is annulled first ([`annul_agreement`], with a reason, before the 公示 only).
//!
//! Times are parameters (never the clock); every write is one transaction with one audit event (action
//! `decision`).

use super::decision::{self, Basis, DroppedItem, RecommendedItem};
use super::view::{ranking, RankRow};
use crate::application::{Application, Quantity};
use crate::audit::record_sha256;
use crate::blobs::BlobStore;
use crate::calendar::{Date, Moment};
use crate::call::desk as calls;
use crate::call::{Bounty, Call, Contest, Milestone, PayoutWhen, Race, RoundKind, Verdict};
use crate::lang::Bilingual;
use crate::money::Fen;
use crate::score::Method;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{
    AcceptanceRow, AgreementRow, AmendmentRow, AuditAction, AuditEvent, FinalRow, GateDecisionRow, GateRow,
    MilestoneResultRow, PayoutRow, RecommendationRow,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

fn refused(code: &'static str, zh: String, en: String) -> CoreError {
    CoreError::DecisionRefused { code, zh, en }
}

fn invalid(field: &str, zh: String, en: String) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

fn event(target: &'static str, id: String, record: &impl Serialize, detail: serde_json::Value) -> AuditEvent {
    AuditEvent::new(AuditAction::Decision, target, id, record_sha256(record).expect("a challenge record serialises"))
        .with_detail(&detail)
}

fn fen_i64(f: Fen) -> i64 {
    i64::try_from(f.get()).unwrap_or(i64::MAX)
}

fn wan(fen: i64) -> String {
    crate::money::format_wan(fen)
}

/// A number as people write it: `4500`, `99.5`.
fn show_number(x: f64) -> String {
    Quantity::from_f64(x).map(|q| q.to_string()).unwrap_or_else(|| format!("{x}"))
}

// ------------------------------------------------------------------------------------------------
// The core-indicator gate
// ------------------------------------------------------------------------------------------------

/// Why an item misses a core indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissKind {
    /// The promised value misses the target in its direction.
    Below,
    /// No indicator of the application answers the core indicator.
    Unanswered,
    /// The answer counts in another unit, so it cannot be compared.
    UnitDiffers,
}

/// One locked core indicator an item misses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Miss {
    pub indicator: String,
    pub name: Bilingual,
    pub unit: String,
    /// `≥` or `≤`.
    pub direction: String,
    pub target: String,
    /// The value the application promises (with its unit when it differs), if it answers at all.
    pub promised: Option<String>,
    pub why: MissKind,
}

impl Miss {
    /// "I2 单机容量：承诺 2.5 MW，要求 ≥ 3 MW" in both languages.
    pub fn text(&self) -> Bilingual {
        match self.why {
            MissKind::Below | MissKind::UnitDiffers => Bilingual::new(
                format!(
                    "核心指标 {}“{}”承诺 {}，要求 {} {} {}",
                    self.indicator,
                    self.name.zh,
                    self.promised.clone().unwrap_or_default(),
                    self.direction,
                    self.target,
                    self.unit
                ),
                format!(
                    "core indicator {} “{}” promised {}, required {} {} {}",
                    self.indicator,
                    self.name.en,
                    self.promised.clone().unwrap_or_default(),
                    self.direction,
                    self.target,
                    self.unit
                ),
            ),
            MissKind::Unanswered => Bilingual::new(
                format!(
                    "核心指标 {}“{}”（{} {} {}）未回应",
                    self.indicator, self.name.zh, self.direction, self.target, self.unit
                ),
                format!(
                    "core indicator {} “{}” ({} {} {}) is not answered",
                    self.indicator, self.name.en, self.direction, self.target, self.unit
                ),
            ),
        }
    }
}

fn same_unit(a: &str, b: &str) -> bool {
    crate::validate::compact(a) == crate::validate::compact(b)
}

/// The locked core indicators of `call` that `app` misses (empty: the item passes).
pub fn core_gate(call: &Call, app: &Application) -> Vec<Miss> {
    let mut out = Vec::new();
    for core in call.core_indicators.iter().filter(|c| c.locked) {
        let miss = |promised: Option<String>, why| Miss {
            indicator: core.code.clone(),
            name: core.name.clone(),
            unit: core.unit.clone(),
            direction: core.direction.symbol().to_string(),
            target: show_number(core.target),
            promised,
            why,
        };
        match app.indicators.iter().find(|i| i.core_indicator.as_deref() == Some(core.code.as_str())) {
            None => out.push(miss(None, MissKind::Unanswered)),
            Some(i) if !same_unit(&i.unit, &core.unit) => {
                out.push(miss(Some(format!("{} {}", i.target, i.unit)), MissKind::UnitDiffers))
            }
            Some(i) if !core.direction.met(i.target.to_f64(), core.target) => {
                out.push(miss(Some(format!("{} {}", i.target, i.unit)), MissKind::Below))
            }
            Some(_) => {}
        }
    }
    out
}

/// An item out of the gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemOut {
    pub number: String,
    pub title: String,
    pub misses: Vec<Miss>,
}

/// The gate over a call's applications: the numbers that pass, and the items out with their misses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateView {
    pub passing: Vec<String>,
    pub out: Vec<ItemOut>,
}

/// The gate over every application of a call the office holds (not rejected at the formal check).
pub fn gate(ws: &mut Workspace, call: &Call) -> Result<GateView> {
    let mut view = GateView { passing: Vec::new(), out: Vec::new() };
    for (item, app) in crate::conflict::desk::call_applications(ws, &call.id.to_string())? {
        let misses = core_gate(call, &app);
        if misses.is_empty() {
            view.passing.push(item.number);
        } else {
            view.out.push(ItemOut { number: item.number, title: item.title, misses });
        }
    }
    Ok(view)
}

// ------------------------------------------------------------------------------------------------
// Selection
// ------------------------------------------------------------------------------------------------

/// The challenge of a call, or a refusal naming the call's mode.
fn challenge_of(call: &Call) -> Result<&crate::call::Challenge> {
    call.mode.challenge().ok_or_else(|| {
        refused(
            "challenge.not_a_challenge",
            format!("指南 {} 的遴选方式是{}，不是揭榜挂帅", call.code, call.mode.name().zh),
            format!("call {} is {}, not a challenge", call.code, call.mode.name().en),
        )
    })
}

/// How many teams a contest selects: a race's `teams`, else one.
pub fn seats(contest: &Contest) -> usize {
    match contest {
        Contest::Race(r) => r.teams as usize,
        Contest::Single | Contest::Bounty(_) => 1,
    }
}

/// The round a challenge selects on: the last round of its plan that is not 验收 (1-based).
pub fn selection_round(call: &Call) -> u32 {
    call.review_plan.rounds.iter().rposition(|r| r.kind != RoundKind::Acceptance).map_or(1, |i| i as u32 + 1)
}

/// The team(s) to select from the ranking (`ranked`, 申报编号 in rank order): the first `seats` not
/// `out`, or the officer's `chosen` (each ranked, not out, no more than `seats`).
pub fn pick(
    seats: usize,
    ranked: &[String],
    out: &BTreeMap<String, Vec<Miss>>,
    chosen: &[String],
) -> Result<Vec<String>> {
    if chosen.is_empty() {
        let picked: Vec<String> = ranked.iter().filter(|n| !out.contains_key(*n)).take(seats).cloned().collect();
        if picked.is_empty() {
            return Err(refused(
                "challenge.none_passes",
                "本轮排名中没有满足全部核心指标的申报书，无法选定挂帅团队".into(),
                "no ranked application meets every core indicator: no team can be selected".into(),
            ));
        }
        return Ok(picked);
    }
    if chosen.len() > seats {
        return Err(invalid(
            "choose",
            format!("最多选定 {seats} 个团队，给出了 {} 个", chosen.len()),
            format!("at most {seats} team(s) may be selected; {} were given", chosen.len()),
        ));
    }
    let mut seen = BTreeSet::new();
    for n in chosen {
        if !ranked.contains(n) {
            return Err(CoreError::NotFound {
                what: "ranked application / 本轮排名中的申报书".into(), key: n.clone()
            });
        }
        if !seen.insert(n) {
            return Err(invalid("choose", format!("{n} 重复出现"), format!("{n} is given twice")));
        }
        if let Some(m) = out.get(n) {
            let list_zh = m.iter().map(|x| x.text().zh).collect::<Vec<_>>().join("；");
            let list_en = m.iter().map(|x| x.text().en).collect::<Vec<_>>().join("; ");
            return Err(refused(
                "challenge.item_out",
                format!("{n} 未满足核心指标，不能选定：{list_zh}"),
                format!("{n} does not meet the core indicators and cannot be selected: {list_en}"),
            ));
        }
    }
    let mut picked = chosen.to_vec();
    picked.sort_by_key(|n| ranked.iter().position(|r| r == n));
    Ok(picked)
}

/// What the officer gives for a selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SelectInput {
    pub method: Option<Method>,
    /// The team(s) the officer names instead of the ranking's (申报编号), with `reason`.
    pub choose: Vec<String>,
    pub reason: Option<String>,
}

/// A selected team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelectedTeam {
    pub number: String,
    pub title: String,
    pub rank: u32,
    pub score: String,
}

/// One part of a bounty's reward, with its amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PayoutPart {
    pub part: u32,
    pub label: Bilingual,
    /// `agreement` or `acceptance`.
    pub when: String,
    pub percent: u32,
    pub amount_fen: i64,
    pub amount_wan: String,
}

fn parts(b: &Bounty) -> Vec<PayoutPart> {
    b.split
        .iter()
        .zip(b.payouts())
        .enumerate()
        .map(|(i, (p, amount))| PayoutPart {
            part: i as u32,
            label: p.label.clone(),
            when: when_code(p.when).into(),
            percent: p.percent,
            amount_fen: fen_i64(amount),
            amount_wan: amount.wan(),
        })
        .collect()
}

fn when_code(w: PayoutWhen) -> &'static str {
    match w {
        PayoutWhen::Agreement => "agreement",
        PayoutWhen::Acceptance => "acceptance",
    }
}

fn contest_code(c: &Contest) -> &'static str {
    match c {
        Contest::Single => "single",
        Contest::Race(_) => "race",
        Contest::Bounty(_) => "bounty",
    }
}

/// A selection, proposed or recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Selection {
    pub call: String,
    pub call_id: String,
    pub round: u32,
    /// `single`, `race` or `bounty`.
    pub contest: String,
    pub method: String,
    /// How many teams the contest selects.
    pub seats: u32,
    pub gate: GateView,
    pub selected: Vec<SelectedTeam>,
    /// The officer named the team(s), with `reason`.
    pub overridden: bool,
    pub reason: Option<String>,
    /// A race: the first tranche each selected team receives.
    pub first_tranche_fen: Option<i64>,
    /// A bounty: the parts paid when the agreement is signed.
    pub agreement_parts: Vec<PayoutPart>,
    /// Recorded (the round's recommendation list), or only proposed.
    pub recorded: bool,
}

struct Proposed {
    selection: Selection,
    row: RecommendationRow,
}

fn propose(ws: &mut Workspace, call: &str, round: u32, input: &SelectInput, made_at: String) -> Result<Proposed> {
    let c = calls::get(ws, call)?;
    let ch = challenge_of(&c)?.clone();
    let call_id = c.id.to_string();
    let method = input.method.unwrap_or(Method::Mean);
    let view = ranking(ws, call, round, method)?;
    if view.rows.is_empty() {
        return Err(invalid(
            "round",
            "这一轮还没有收到封存的评分表".into(),
            "no sealed score sheet was received for this round yet".into(),
        ));
    }
    let g = gate(ws, &c)?;
    let out: BTreeMap<String, Vec<Miss>> = g.out.iter().map(|o| (o.number.clone(), o.misses.clone())).collect();
    let ranked: Vec<String> = view.rows.iter().map(|r| r.number.clone()).collect();
    let chosen: Vec<String> = input.choose.iter().map(|n| n.trim().to_string()).collect();
    let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(String::from);
    if !chosen.is_empty() && reason.is_none() {
        return Err(invalid(
            "reason",
            "指定挂帅团队（不按排名）须写明理由".into(),
            "naming the team(s) instead of the ranking's needs a reason".into(),
        ));
    }
    let seats = seats(&ch.contest);
    let picked = pick(seats, &ranked, &out, &chosen)?;
    // The team(s) the ranking would have picked: a line displaced by the officer's choice says so.
    let automatic =
        if chosen.is_empty() { picked.clone() } else { pick(seats, &ranked, &out, &[]).unwrap_or_default() };
    let requests = super::office::round_input(ws, call, round)?.requests_fen;
    let score = |r: &RankRow| match method {
        Method::Mean => r.mean.clone(),
        Method::Median => r.median.clone(),
        Method::TrimmedMean => r.trimmed_mean.clone(),
        Method::ZMean => r.z_scaled.clone(),
    };
    let row_of = |n: &str| view.rows.iter().find(|r| r.number == n).expect("picked from the ranking");
    let selected: Vec<SelectedTeam> = picked
        .iter()
        .map(|n| {
            let r = row_of(n);
            SelectedTeam { number: n.clone(), title: r.title.clone(), rank: r.rank as u32, score: score(r) }
        })
        .collect();
    let items: Vec<RecommendedItem> = selected
        .iter()
        .map(|s| RecommendedItem {
            number: s.number.clone(),
            title: s.title.clone(),
            rank: s.rank,
            score: s.score.clone(),
            requested_fen: requests.get(&s.number).copied().unwrap_or(0),
            basis: Basis::Selected,
            reason: reason.clone(),
            votes: None,
        })
        .collect();
    let dropped: Vec<DroppedItem> = view
        .rows
        .iter()
        .filter(|r| !picked.contains(&r.number))
        .map(|r| {
            let why = match out.get(&r.number) {
                Some(m) => {
                    let zh = m.iter().map(|x| x.text().zh).collect::<Vec<_>>().join("；");
                    let en = m.iter().map(|x| x.text().en).collect::<Vec<_>>().join("; ");
                    format!("未满足核心指标：{zh} / does not meet the core indicators: {en}")
                }
                None if automatic.contains(&r.number) => format!(
                    "按排名应为挂帅团队（第 {} 名），项目办改选 {}：{} / ranked to lead (rank {}); the office selected {} instead: {}",
                    r.rank,
                    picked.join("、"),
                    reason.clone().unwrap_or_default(),
                    r.rank,
                    picked.join(", "),
                    reason.clone().unwrap_or_default()
                ),
                None => format!("未被选为挂帅团队（第 {} 名）/ not selected as the team (rank {})", r.rank, r.rank),
            };
            DroppedItem { number: r.number.clone(), rank: r.rank as u32, reason: why }
        })
        .collect();
    let row = RecommendationRow {
        call_id: call_id.clone(),
        round,
        method: method.name().to_string(),
        ranking_sha256: record_sha256(&view).expect("a ranking serialises"),
        items: serde_json::to_string(&items).expect("items serialise"),
        dropped: serde_json::to_string(&dropped).expect("items serialise"),
        made_at,
    };
    let (first_tranche_fen, agreement_parts) = match &ch.contest {
        Contest::Race(r) => (Some(fen_i64(r.first_tranche)), Vec::new()),
        Contest::Bounty(b) => (None, parts(b).into_iter().filter(|p| p.when == "agreement").collect()),
        Contest::Single => (None, Vec::new()),
    };
    let selection = Selection {
        call: c.code.clone(),
        call_id,
        round,
        contest: contest_code(&ch.contest).into(),
        method: method.name().to_string(),
        seats: seats as u32,
        gate: g,
        selected,
        overridden: !chosen.is_empty(),
        reason,
        first_tranche_fen,
        agreement_parts,
        recorded: false,
    };
    Ok(Proposed { selection, row })
}

/// The selection the ranking and the gate give (or the officer's, checked), without recording it.
pub fn preview(ws: &mut Workspace, call: &str, round: u32, input: &SelectInput) -> Result<Selection> {
    Ok(propose(ws, call, round, input, String::new())?.selection)
}

/// Records the selection as the round's recommendation list (audited `decision`). Refused for a call
/// that is not a challenge, without sheets, once the 公示 has started, for an item out of the gate.
pub fn select(ws: &mut Workspace, call: &str, round: u32, input: &SelectInput, at: Moment) -> Result<Selection> {
    let c = calls::get(ws, call)?;
    challenge_of(&c)?;
    let call_id = c.id.to_string();
    if let Some(p) = ws.store.read(|r| r.publicity(&call_id, round))? {
        return Err(refused(
            "decision.list_frozen",
            format!("指南 {} 第 {round} 轮的挂帅团队已于 {} 开始公示，不能再修改", c.code, p.starts_on),
            format!(
                "the selection of call {} round {round} is in its public notice since {}: it cannot change",
                c.code, p.starts_on
            ),
        ));
    }
    let Proposed { mut selection, row } = propose(ws, call, round, input, at.to_string())?;
    refuse_dropping_agreed_teams(ws, &c, &selection)?;
    let ev = event(
        "challenge_selection",
        format!("{call_id}#{round}"),
        &row,
        serde_json::json!({
            "call": selection.call, "round": round, "contest": selection.contest, "method": selection.method,
            "selected": selection.selected.iter().map(|s| &s.number).collect::<Vec<_>>(),
            "overridden": selection.overridden, "reason": selection.reason,
            "out": selection.gate.out.iter().map(|o| serde_json::json!({
                "number": o.number,
                "misses": o.misses.iter().map(|m| serde_json::json!({
                    "indicator": m.indicator, "promised": m.promised, "target": m.target, "direction": m.direction,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }),
    );
    ws.store.write(ev, |w| w.recommendation_put(&row))?;
    selection.recorded = true;
    Ok(selection)
}

// ------------------------------------------------------------------------------------------------
// The agreement (任务书/协议) with each selected team, before the 公示
// ------------------------------------------------------------------------------------------------

/// What the officer records of a signed agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementInput {
    /// The selected team's 申报编号.
    pub number: String,
    /// The agreement's own number, as printed on it.
    pub agreement_no: String,
    pub signed_on: Date,
    /// The agreed funding; `None` takes what the call fixes (see [`agreed_funding`]).
    pub funding: Option<Fen>,
    /// The signed scan: its file name and bytes (a PDF, kept in the blob store).
    pub file_name: String,
    pub file: Vec<u8>,
}

/// An agreement as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AgreementView {
    pub number: String,
    pub agreement_no: String,
    pub signed_on: String,
    pub funding_wan: String,
    pub file_name: String,
    pub file_sha256: String,
    pub recorded_at: String,
}

fn agreement_view(a: &AgreementRow) -> AgreementView {
    AgreementView {
        number: a.number.clone(),
        agreement_no: a.agreement_no.clone(),
        signed_on: a.signed_on.clone(),
        funding_wan: wan(a.funding_fen),
        file_name: a.file_name.clone(),
        file_sha256: a.file_sha256.clone(),
        recorded_at: a.recorded_at.clone(),
    }
}

/// The funding an agreement must carry, as the call fixes it: a race's first tranche (each team is
/// funded in parallel with it; later tranches follow the gates), a bounty's reward, otherwise the fixed
/// 资助额度 per project.
pub fn agreed_funding(call: &Call) -> Result<Fen> {
    Ok(match &challenge_of(call)?.contest {
        Contest::Race(r) => r.first_tranche,
        Contest::Bounty(b) => b.reward,
        Contest::Single => call.funding_per_project,
    })
}

/// The agreements recorded for a call, by 申报编号.
pub fn agreements(ws: &mut Workspace, call: &str) -> Result<Vec<AgreementView>> {
    let c = calls::get(ws, call)?;
    challenge_of(&c)?;
    let id = c.id.to_string();
    Ok(ws.store.read(|r| r.agreements(&id))?.iter().map(agreement_view).collect())
}

/// Records the agreement the 发榜方 signed with a selected team (audited `decision`, one transaction).
/// Refused for a call that is not a challenge, a team not on the selection, a team whose agreement is
/// recorded, a date before the selection, a missing or non-PDF scan, and a funding other than the one
/// the call fixes.
pub fn record_agreement(ws: &mut Workspace, call: &str, input: &AgreementInput, at: Moment) -> Result<AgreementView> {
    let c = calls::get(ws, call)?;
    challenge_of(&c)?;
    let round = selection_round(&c);
    let number = input.number.trim();
    let selection = match decision::show(ws, call, round) {
        Ok(s) => s,
        Err(CoreError::DecisionRefused { code: "decision.no_recommendation", .. }) => {
            return Err(refused(
                "challenge.agreement_no_selection",
                format!("指南 {} 尚未选定挂帅团队：先用 decide select 选定，再登记任务书", c.code),
                format!(
                    "call {} has no selected team yet: select with decide select, then record the agreement",
                    c.code
                ),
            ))
        }
        Err(e) => return Err(e),
    };
    let selected: Vec<&str> = selection.items.iter().map(|i| i.number.as_str()).collect();
    if !selected.contains(&number) {
        return Err(refused(
            "challenge.agreement_not_selected",
            format!(
                "{number} 不是指南 {} 选定的挂帅团队（选定的是 {}）：任务书只与选定团队签订",
                c.code,
                selected.join("、")
            ),
            format!(
                "{number} is not a selected team of call {} (selected: {}): agreements are signed with selected teams only",
                c.code,
                selected.join(", ")
            ),
        ));
    }
    let id = c.id.to_string();
    if let Some(a) = ws.store.read(|r| r.agreements(&id))?.into_iter().find(|a| a.number == number) {
        return Err(refused(
            "challenge.agreement_recorded",
            format!(
                "{number} 的任务书 {} 已于 {} 登记（签订于 {}），不能再登记",
                a.agreement_no, a.recorded_at, a.signed_on
            ),
            format!(
                "the agreement {} of {number} was recorded on {} (signed {}): it cannot be recorded again",
                a.agreement_no, a.recorded_at, a.signed_on
            ),
        ));
    }
    let agreement_no = input.agreement_no.trim();
    if agreement_no.is_empty() {
        return Err(invalid(
            "number",
            format!("请填写 {number} 任务书的编号"),
            format!("enter the number of the agreement of {number}"),
        ));
    }
    let selected_on = Moment::parse(&selection.made_at).map(|m| m.shanghai_date());
    if let Some(sel) = selected_on.filter(|d| input.signed_on < *d) {
        return Err(refused(
            "challenge.agreement_before_selection",
            format!("{number} 的任务书签订日期 {} 早于挂帅团队选定日期 {sel}：请核对签订日期", input.signed_on),
            format!(
                "the agreement of {number} is dated {}, before the team was selected on {sel}: check the date signed",
                input.signed_on
            ),
        ));
    }
    let file_name = input.file_name.trim();
    if input.file.is_empty() || file_name.is_empty() {
        return Err(refused(
            "challenge.agreement_no_file",
            format!("须附上 {number} 签字盖章的任务书扫描件（PDF）"),
            format!("attach the signed scan (PDF) of the agreement of {number}"),
        ));
    }
    if !input.file.starts_with(b"%PDF-") {
        return Err(refused(
            "challenge.agreement_not_pdf",
            format!("{file_name} 不是 PDF 文件：请附上 {number} 任务书签字盖章页的 PDF 扫描件"),
            format!("{file_name} is not a PDF: attach the signed agreement of {number} scanned as a PDF"),
        ));
    }
    let fixed = agreed_funding(&c)?;
    let funding = input.funding.unwrap_or(fixed);
    if funding != fixed {
        return Err(refused(
            "challenge.agreement_funding",
            format!(
                "{number} 任务书的经费 {} 万元与指南 {} 规定的 {} 万元不一致：按指南填写",
                funding.wan(),
                c.code,
                fixed.wan()
            ),
            format!(
                "the agreement of {number} funds {} 万元 but call {} fixes {} 万元: enter the call's amount",
                funding.wan(),
                c.code,
                fixed.wan()
            ),
        ));
    }
    let blobs = BlobStore::new(ws.dir());
    let sha = blobs.put(&input.file).map_err(|e| blobs.io_error(e))?;
    let row = AgreementRow {
        call_id: id.clone(),
        number: number.to_string(),
        agreement_no: agreement_no.to_string(),
        signed_on: input.signed_on.to_string(),
        funding_fen: fen_i64(funding),
        file_sha256: sha.clone(),
        file_name: file_name.to_string(),
        file_size: input.file.len() as i64,
        recorded_at: at.to_string(),
    };
    let ev = event(
        "challenge_agreement",
        format!("{id}#{number}"),
        &row,
        serde_json::json!({ "call": c.code, "number": number, "agreement_no": row.agreement_no,
            "signed_on": row.signed_on, "funding_fen": row.funding_fen, "file_sha256": sha }),
    );
    ws.store.write(ev, |w| w.agreement_insert(&row))?;
    Ok(agreement_view(&row))
}

/// A new selection may not leave out a team whose agreement is recorded: the 发榜方 has signed with it.
/// The agreement is annulled first ([`annul_agreement`], with its reason in the audit chain), then the
/// selection made again.
fn refuse_dropping_agreed_teams(ws: &mut Workspace, c: &Call, selection: &Selection) -> Result<()> {
    let kept: BTreeSet<&str> = selection.selected.iter().map(|s| s.number.as_str()).collect();
    let id = c.id.to_string();
    let dropped: Vec<AgreementRow> =
        ws.store.read(|r| r.agreements(&id))?.into_iter().filter(|a| !kept.contains(a.number.as_str())).collect();
    if dropped.is_empty() {
        return Ok(());
    }
    let zh: Vec<String> = dropped.iter().map(|a| format!("{}（任务书 {}）", a.number, a.agreement_no)).collect();
    let en: Vec<String> = dropped.iter().map(|a| format!("{} (agreement {})", a.number, a.agreement_no)).collect();
    Err(refused(
        "challenge.selection_drops_agreement",
        format!(
            "新的选定会撤下已登记任务书的团队 {}：先撤销其任务书登记并写明理由，再重新选定",
            zh.join("、")
        ),
        format!(
            "the new selection would leave out {}, whose signed agreement is recorded: annul that agreement with a reason first, then select again",
            en.join(", ")
        ),
    ))
}

/// Annuls the recorded agreement of a team before the 公示 (the 发榜方 and the team rescinded it, or it
/// was recorded against the wrong team): the row goes, and the audit event (action `decision`) keeps it
/// with the officer's reason. Refused once the 公示 has started, without a reason, and for a team with
/// no recorded agreement.
pub fn annul_agreement(
    ws: &mut Workspace,
    call: &str,
    number: &str,
    reason: &str,
    at: Moment,
) -> Result<AgreementView> {
    let c = calls::get(ws, call)?;
    challenge_of(&c)?;
    let round = selection_round(&c);
    let id = c.id.to_string();
    let number = number.trim();
    if let Some(p) = ws.store.read(|r| r.publicity(&id, round))? {
        return Err(refused(
            "challenge.agreement_frozen",
            format!("指南 {} 已于 {} 开始公示：{number} 的任务书登记不能再撤销", c.code, p.starts_on),
            format!(
                "call {} is in its public notice since {}: the agreement of {number} can no longer be annulled",
                c.code, p.starts_on
            ),
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid(
            "reason",
            format!("请写明撤销 {number} 任务书登记的理由"),
            format!("give the reason for annulling the agreement of {number}"),
        ));
    }
    let Some(row) = ws.store.read(|r| r.agreements(&id))?.into_iter().find(|a| a.number == number) else {
        return Err(refused(
            "challenge.agreement_none",
            format!("指南 {} 没有 {number} 的任务书登记，无可撤销", c.code),
            format!("call {} has no recorded agreement of {number} to annul", c.code),
        ));
    };
    let ev = event(
        "challenge_agreement",
        format!("{id}#{number}"),
        &row,
        serde_json::json!({ "call": c.code, "number": number, "annulled": true, "agreement_no": row.agreement_no,
            "signed_on": row.signed_on, "file_sha256": row.file_sha256, "reason": reason, "at": at.to_string() }),
    );
    ws.store.write(ev, |w| w.agreement_delete(&id, number))?;
    Ok(agreement_view(&row))
}

/// The selected teams of `items` with no recorded agreement (the 公示 of a challenge waits for them).
pub fn missing_agreements(ws: &mut Workspace, call: &Call, items: &[RecommendedItem]) -> Result<Vec<String>> {
    let id = call.id.to_string();
    let have: BTreeSet<String> = ws.store.read(|r| r.agreements(&id))?.into_iter().map(|a| a.number).collect();
    Ok(items.iter().filter(|i| !have.contains(&i.number)).map(|i| i.number.clone()).collect())
}

/// Whether `decision::start_publicity` must refuse: a challenge's 公示 starts once every selected team
/// has its agreement recorded, and not before the last of them was signed (the 公示 announces teams the
/// 发榜方 has agreed with).
pub(crate) fn refuse_publicity_without_agreements(
    ws: &mut Workspace,
    call: &str,
    items: &[RecommendedItem],
    starts_on: Date,
) -> Result<()> {
    let c = calls::get(ws, call)?;
    if c.mode.challenge().is_none() {
        return Ok(());
    }
    // One read of the recorded agreements, for both checks: every selected team has one, and the
    // latest was signed on or before the start.
    let id = c.id.to_string();
    let recorded: BTreeMap<String, AgreementRow> =
        ws.store.read(|r| r.agreements(&id))?.into_iter().map(|a| (a.number.clone(), a)).collect();
    let missing: Vec<&str> = items.iter().map(|i| i.number.as_str()).filter(|n| !recorded.contains_key(*n)).collect();
    if !missing.is_empty() {
        return Err(refused(
            "challenge.agreement_missing",
            format!(
                "指南 {} 的挂帅团队 {} 尚未登记任务书：先用 decide agreement 登记（编号、签订日期、扫描件），再开始公示",
                c.code,
                missing.join("、")
            ),
            format!(
                "call {}: the selected team(s) {} have no recorded agreement: record it with decide agreement (number, date signed, scan), then start the public notice",
                c.code,
                missing.join(", ")
            ),
        ));
    }
    let latest = items
        .iter()
        .filter_map(|i| recorded.get(&i.number))
        .filter_map(|a| Date::parse(&a.signed_on).map(|d| (d, a)))
        .max_by_key(|(d, _)| *d);
    if let Some((signed, a)) = latest.filter(|(d, _)| starts_on < *d) {
        return Err(refused(
            "challenge.publicity_before_agreement",
            format!(
                "指南 {} 的公示开始日期 {starts_on} 早于 {} 任务书 {} 的签订日期 {signed}：公示从任务书签订之日或之后开始",
                c.code, a.number, a.agreement_no
            ),
            format!(
                "call {}: the public notice would start on {starts_on}, before the agreement {} of {} was signed on {signed}: start it on or after that date",
                c.code, a.agreement_no, a.number
            ),
        ));
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------------
// Race: gates and the tranche ledger (pure)
// ------------------------------------------------------------------------------------------------

/// What a gate decides for one running team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum TeamCall {
    /// Continue: the milestone's tranche is released.
    Continue,
    /// Continue with more money: the tranche and `amount` are released.
    Increase { amount: Fen },
    /// Stop: this milestone's and later tranches are cancelled.
    Terminate,
    /// Join `into` (which continues at this gate): this team's remaining tranches are cancelled, `into` is
    /// raised by `amount` and gets this team's members.
    Merge { into: String, amount: Fen },
}

impl TeamCall {
    fn code(&self) -> &'static str {
        match self {
            TeamCall::Continue => "continue",
            TeamCall::Increase { .. } => "increase",
            TeamCall::Terminate => "terminate",
            TeamCall::Merge { .. } => "merge",
        }
    }

    fn continues(&self) -> bool {
        matches!(self, TeamCall::Continue | TeamCall::Increase { .. })
    }
}

/// A gate decided: the milestone and the call for each team running at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateDecided {
    pub milestone: String,
    pub calls: BTreeMap<String, TeamCall>,
}

/// Where a ledger line stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    Planned,
    Released,
    Cancelled,
}

/// One line of a team's tranche ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrancheLine {
    /// `first`, `milestone` (the milestone's tranche) or `increase` (an increase or a merge's raise).
    pub kind: String,
    /// The milestone of the tranche, or the gate that gave the increase.
    pub milestone: Option<String>,
    /// For a merge's raise: the team merged in.
    pub from: Option<String>,
    pub amount_fen: i64,
    pub amount_wan: String,
    pub state: LineState,
}

/// Where a team of a race stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamStatus {
    Running,
    Terminated,
    Merged,
    /// Continued at the last gate: a winner.
    Finished,
}

/// A team of a race, with its ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TeamState {
    pub number: String,
    pub status: TeamStatus,
    /// The gate that terminated, merged or finished it.
    pub at: Option<String>,
    /// The team a merged team joined.
    pub into: Option<String>,
    pub lines: Vec<TrancheLine>,
    pub released_fen: i64,
    pub cancelled_fen: i64,
    pub planned_fen: i64,
    pub increases_fen: i64,
}

/// A race's state: the teams with their ledgers and the totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaceState {
    pub teams: Vec<TeamState>,
    /// The milestones decided, in order.
    pub decided: Vec<String>,
    /// The next milestone to decide (none once the last is decided or no team runs).
    pub next: Option<String>,
    pub winners: Vec<String>,
    pub released_fen: i64,
    pub cancelled_fen: i64,
    pub planned_fen: i64,
    pub increases_fen: i64,
    /// What the race still owes at most: the `places` largest planned sums among the running teams (so
    /// that a finishing team can always be paid its remaining tranches).
    pub reserve_fen: i64,
    /// What may be released and reserved at most: the call's total funding plus the increases logged.
    pub cap_fen: i64,
}

fn line(kind: &str, milestone: Option<&str>, from: Option<&str>, amount: i64, state: LineState) -> TrancheLine {
    TrancheLine {
        kind: kind.into(),
        milestone: milestone.map(String::from),
        from: from.map(String::from),
        amount_fen: amount,
        amount_wan: wan(amount),
        state,
    }
}

impl RaceState {
    /// The race as the final decision starts it: every funded team (in rank order) has received the
    /// first tranche, the milestones' tranches are planned.
    pub fn start(race: &Race, places: u32, funding_total: Fen, teams: &[String]) -> RaceState {
        let teams = teams
            .iter()
            .map(|n| {
                let mut lines = vec![line("first", None, None, fen_i64(race.first_tranche), LineState::Released)];
                lines.extend(
                    race.milestones
                        .iter()
                        .map(|m| line("milestone", Some(&m.code), None, fen_i64(m.tranche), LineState::Planned)),
                );
                TeamState {
                    number: n.clone(),
                    status: TeamStatus::Running,
                    at: None,
                    into: None,
                    lines,
                    released_fen: 0,
                    cancelled_fen: 0,
                    planned_fen: 0,
                    increases_fen: 0,
                }
            })
            .collect();
        let mut s = RaceState {
            teams,
            decided: Vec::new(),
            next: race.milestones.first().map(|m| m.code.clone()),
            winners: Vec::new(),
            released_fen: 0,
            cancelled_fen: 0,
            planned_fen: 0,
            increases_fen: 0,
            reserve_fen: 0,
            cap_fen: fen_i64(funding_total),
        };
        s.total(places, funding_total);
        if s.teams.is_empty() {
            s.next = None;
        }
        s
    }

    fn total(&mut self, places: u32, funding_total: Fen) {
        for t in &mut self.teams {
            let sum = |st: LineState| t.lines.iter().filter(|l| l.state == st).map(|l| l.amount_fen).sum::<i64>();
            t.released_fen = sum(LineState::Released);
            t.cancelled_fen = sum(LineState::Cancelled);
            t.planned_fen = sum(LineState::Planned);
            t.increases_fen = t.lines.iter().filter(|l| l.kind == "increase").map(|l| l.amount_fen).sum();
        }
        self.released_fen = self.teams.iter().map(|t| t.released_fen).sum();
        self.cancelled_fen = self.teams.iter().map(|t| t.cancelled_fen).sum();
        self.planned_fen = self.teams.iter().map(|t| t.planned_fen).sum();
        self.increases_fen = self.teams.iter().map(|t| t.increases_fen).sum();
        self.cap_fen = fen_i64(funding_total).saturating_add(self.increases_fen);
        let mut owed: Vec<i64> =
            self.teams.iter().filter(|t| t.status == TeamStatus::Running).map(|t| t.planned_fen).collect();
        owed.sort_unstable_by(|a, b| b.cmp(a));
        self.reserve_fen = owed.into_iter().take(places as usize).sum();
    }

    pub fn team(&self, number: &str) -> Option<&TeamState> {
        self.teams.iter().find(|t| t.number == number)
    }

    /// The numbers of the teams running.
    pub fn running(&self) -> Vec<String> {
        self.teams.iter().filter(|t| t.status == TeamStatus::Running).map(|t| t.number.clone()).collect()
    }

    /// Applies a gate: refused (nothing changed) when it is not the next milestone, when a running team has
    /// no decision or a team that is not running has one, for a merge into a team that does not continue,
    /// an increase of nothing, more than `places` teams finishing at the last gate, or when the money
    /// released would exceed the cap.
    pub fn apply(&self, race: &Race, places: u32, funding_total: Fen, gate: &GateDecided) -> Result<RaceState> {
        let Some(next) = self.next.clone() else {
            return Err(refused(
                "challenge.race_over",
                "赛马已结束（最后一个里程碑已考核，或已无在研团队）".into(),
                "the race is over (the last milestone is decided, or no team is running)".into(),
            ));
        };
        if gate.milestone != next {
            let (code, zh, en) = if self.decided.contains(&gate.milestone) {
                (
                    "challenge.gate_decided",
                    format!("里程碑 {} 已考核", gate.milestone),
                    format!("milestone {} is decided already", gate.milestone),
                )
            } else {
                (
                    "challenge.gate_out_of_order",
                    format!("里程碑须按顺序考核：下一个是 {next}，不是 {}", gate.milestone),
                    format!("milestones are decided in order: the next is {next}, not {}", gate.milestone),
                )
            };
            return Err(refused(code, zh, en));
        }
        let index = race.milestones.iter().position(|m| m.code == next).expect("next is a milestone of the race");
        let last = index + 1 == race.milestones.len();
        let running = self.running();
        for n in &running {
            if !gate.calls.contains_key(n) {
                return Err(invalid(
                    "decision",
                    format!("里程碑 {next} 须对在研团队 {n} 作出决定（继续、终止、合并或增加经费）"),
                    format!("milestone {next} needs a decision for the running team {n} (continue, terminate, merge or increase)"),
                ));
            }
        }
        for (n, call) in &gate.calls {
            if !running.contains(n) {
                return Err(invalid(
                    "decision",
                    format!("{n} 不是在研团队，不能在里程碑 {next} 作出决定"),
                    format!("{n} is not a running team: no decision at milestone {next}"),
                ));
            }
            match call {
                TeamCall::Increase { amount } if *amount == Fen::ZERO => {
                    return Err(invalid(
                        "increase",
                        format!("{n} 增加的经费须大于零"),
                        format!("the increase for {n} must be above zero"),
                    ))
                }
                TeamCall::Merge { into, .. } if into == n || !gate.calls.get(into).is_some_and(TeamCall::continues) => {
                    return Err(invalid(
                        "merge",
                        format!("{n} 只能并入在本里程碑继续的另一在研团队，{into} 不是"),
                        format!(
                            "{n} can only merge into another running team that continues at this gate; {into} does not"
                        ),
                    ));
                }
                _ => {}
            }
        }
        let finishing = gate.calls.values().filter(|c| c.continues()).count();
        if last && finishing > places as usize {
            return Err(refused(
                "challenge.too_many_finish",
                format!("最后一个里程碑 {next} 至多 {places} 个团队胜出，决定继续的有 {finishing} 个：请终止或合并其余团队"),
                format!("at the last milestone {next} at most {places} team(s) finish, but {finishing} continue: terminate or merge the others"),
            ));
        }
        let mut s = self.clone();
        let cancel_from = |t: &mut TeamState| {
            for l in t.lines.iter_mut().filter(|l| l.state == LineState::Planned) {
                l.state = LineState::Cancelled;
            }
        };
        let mut raises: Vec<(String, String, Fen)> = Vec::new();
        for t in s.teams.iter_mut().filter(|t| t.status == TeamStatus::Running) {
            let call = &gate.calls[&t.number];
            match call {
                TeamCall::Continue | TeamCall::Increase { .. } => {
                    if let Some(l) =
                        t.lines.iter_mut().find(|l| l.kind == "milestone" && l.milestone.as_deref() == Some(&next))
                    {
                        l.state = LineState::Released;
                    }
                    if let TeamCall::Increase { amount } = call {
                        t.lines.push(line("increase", Some(&next), None, fen_i64(*amount), LineState::Released));
                    }
                    if last {
                        t.status = TeamStatus::Finished;
                        t.at = Some(next.clone());
                    }
                }
                TeamCall::Terminate => {
                    cancel_from(t);
                    t.status = TeamStatus::Terminated;
                    t.at = Some(next.clone());
                }
                TeamCall::Merge { into, amount } => {
                    cancel_from(t);
                    t.status = TeamStatus::Merged;
                    t.at = Some(next.clone());
                    t.into = Some(into.clone());
                    raises.push((into.clone(), t.number.clone(), *amount));
                }
            }
        }
        for (into, from, amount) in raises {
            let t = s.teams.iter_mut().find(|t| t.number == into).expect("checked above");
            t.lines.push(line("increase", Some(&next), Some(&from), fen_i64(amount), LineState::Released));
        }
        s.decided.push(next.clone());
        s.total(places, funding_total);
        if s.released_fen.saturating_add(s.reserve_fen) > s.cap_fen {
            return Err(refused(
                "challenge.over_budget",
                format!(
                    "按此决定累计拨付 {} 万元，另须为完成的团队预留 {} 万元，超过指南资助总额与已登记增加经费之和 {} 万元：请减少继续的团队",
                    wan(s.released_fen),
                    wan(s.reserve_fen),
                    wan(s.cap_fen)
                ),
                format!(
                    "this gate would bring the money released to {} 万元 with {} 万元 still owed to finishing teams, above the call's total funding plus the increases logged ({} 万元): continue fewer teams",
                    wan(s.released_fen),
                    wan(s.reserve_fen),
                    wan(s.cap_fen)
                ),
            ));
        }
        s.winners = s.teams.iter().filter(|t| t.status == TeamStatus::Finished).map(|t| t.number.clone()).collect();
        s.next = if last || s.running().is_empty() { None } else { Some(race.milestones[index + 1].code.clone()) };
        Ok(s)
    }
}

// ------------------------------------------------------------------------------------------------
// Race: the office's desk
// ------------------------------------------------------------------------------------------------

fn race_of(call: &Call) -> Result<&Race> {
    match &challenge_of(call)?.contest {
        Contest::Race(r) => Ok(r),
        _ => Err(refused(
            "challenge.not_a_race",
            format!("指南 {} 不是赛马榜单，没有里程碑考核", call.code),
            format!("call {} is not a race: it has no milestone gates", call.code),
        )),
    }
}

fn bounty_of(call: &Call) -> Result<&Bounty> {
    match &challenge_of(call)?.contest {
        Contest::Bounty(b) => Ok(b),
        _ => Err(refused(
            "challenge.not_a_bounty",
            format!("指南 {} 不是悬赏榜单", call.code),
            format!("call {} is not a bounty", call.code),
        )),
    }
}

/// The items the selection round's final decision funded, in rank order; refused before it.
fn funded(ws: &mut Workspace, call: &Call) -> Result<Vec<FinalRow>> {
    let round = selection_round(call);
    let id = call.id.to_string();
    let finals = ws.store.read(|r| r.finals(&id, round))?;
    let mut funded: Vec<FinalRow> = finals.into_iter().filter(|f| f.funded).collect();
    if funded.is_empty() {
        return Err(refused(
            "challenge.not_decided",
            format!("指南 {} 第 {round} 轮尚未作出立项决定（或无团队立项）：请先完成 decide select、公示和 decide final", call.code),
            format!(
                "call {} round {round} has no funded team yet: run decide select, the public notice and decide final first",
                call.code
            ),
        ));
    }
    funded.sort_by_key(|f| (f.rank.unwrap_or(u32::MAX), f.number.clone()));
    Ok(funded)
}

fn gates_decided(ws: &mut Workspace, call: &Call) -> Result<(Vec<GateRow>, Vec<GateDecided>)> {
    let id = call.id.to_string();
    let (gates, rows) = ws.store.read(|r| Ok::<_, CoreError>((r.gates(&id)?, r.gate_decisions(&id)?)))?;
    let decided = gates
        .iter()
        .map(|g| GateDecided {
            milestone: g.milestone.clone(),
            calls: rows
                .iter()
                .filter(|d| d.milestone == g.milestone)
                .map(|d| {
                    let amount = Fen::new(u64::try_from(d.amount_fen).unwrap_or(0));
                    let call = match (d.decision.as_str(), &d.into_number) {
                        ("increase", _) => TeamCall::Increase { amount },
                        ("terminate", _) => TeamCall::Terminate,
                        ("merge", Some(into)) => TeamCall::Merge { into: into.clone(), amount },
                        _ => TeamCall::Continue,
                    };
                    (d.number.clone(), call)
                })
                .collect(),
        })
        .collect();
    Ok((gates, decided))
}

/// The race as the gates decided so far left it.
fn race_state(ws: &mut Workspace, call: &Call) -> Result<RaceState> {
    let race = race_of(call)?;
    let teams: Vec<String> = funded(ws, call)?.into_iter().map(|f| f.number).collect();
    let (_, decided) = gates_decided(ws, call)?;
    let mut s = RaceState::start(race, call.places, call.funding_total, &teams);
    for g in &decided {
        s = s.apply(race, call.places, call.funding_total, g)?;
    }
    Ok(s)
}

/// A recorded achieved value, with whether it meets the core indicator's target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Achieved {
    pub indicator: String,
    pub name: Bilingual,
    pub value: String,
    pub unit: String,
    pub direction: String,
    pub target: String,
    pub met: bool,
}

/// A team's recorded result at a milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultView {
    pub milestone: String,
    pub number: String,
    pub report_name: String,
    pub report_sha256: String,
    pub achieved: Vec<Achieved>,
    pub note: String,
    pub recorded_at: String,
}

fn result_view(call: &Call, r: &MilestoneResultRow) -> ResultView {
    let values: BTreeMap<String, String> = serde_json::from_str(&r.achieved).unwrap_or_default();
    let achieved = values
        .iter()
        .map(|(code, v)| {
            let core = call.core_indicators.iter().find(|c| &c.code == code);
            let value = Quantity::parse(v).map(Quantity::to_f64).ok();
            Achieved {
                indicator: code.clone(),
                name: core.map(|c| c.name.clone()).unwrap_or_default(),
                value: v.clone(),
                unit: core.map(|c| c.unit.clone()).unwrap_or_default(),
                direction: core.map(|c| c.direction.symbol().to_string()).unwrap_or_default(),
                target: core.map(|c| show_number(c.target)).unwrap_or_default(),
                met: matches!((core, value), (Some(c), Some(x)) if c.direction.met(x, c.target)),
            }
        })
        .collect();
    ResultView {
        milestone: r.milestone.clone(),
        number: r.number.clone(),
        report_name: r.report_name.clone(),
        report_sha256: r.report_sha256.clone(),
        achieved,
        note: r.note.clone(),
        recorded_at: r.recorded_at.clone(),
    }
}

/// A gate as decided, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateLine {
    pub milestone: String,
    pub reason: String,
    pub decided_at: String,
    pub decisions: Vec<GateDecisionRow>,
}

/// A merge's amendment: members added to a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedMember {
    pub name: String,
    pub role: String,
    pub unit_credit_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmendmentLine {
    pub id: i64,
    pub milestone: String,
    pub number: String,
    pub from: String,
    pub members: Vec<AddedMember>,
    pub reason: String,
}

/// A race as the office sees it: milestones, teams with their ledgers, results, gates and amendments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RaceView {
    pub call: String,
    pub milestones: Vec<MilestoneLine>,
    pub state: RaceState,
    pub results: Vec<ResultView>,
    pub gates: Vec<GateLine>,
    pub amendments: Vec<AmendmentLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MilestoneLine {
    pub code: String,
    pub name: Bilingual,
    pub due: String,
    pub indicators: Vec<String>,
    pub tranche_fen: i64,
    pub tranche_wan: String,
}

/// A race's state: refused for a call that is not a race, and before its final decision.
pub fn race(ws: &mut Workspace, call: &str) -> Result<RaceView> {
    let c = calls::get(ws, call)?;
    let r = race_of(&c)?.clone();
    let state = race_state(ws, &c)?;
    let id = c.id.to_string();
    let (results, amendments) =
        ws.store.read(|rd| Ok::<_, CoreError>((rd.milestone_results(&id)?, rd.amendments(&id)?)))?;
    let (gates, _) = gates_decided(ws, &c)?;
    let decisions = ws.store.read(|rd| rd.gate_decisions(&id))?;
    Ok(RaceView {
        call: c.code.clone(),
        milestones: r
            .milestones
            .iter()
            .map(|m| MilestoneLine {
                code: m.code.clone(),
                name: m.name.clone(),
                due: m.due.to_string(),
                indicators: m.indicators.clone(),
                tranche_fen: fen_i64(m.tranche),
                tranche_wan: m.tranche.wan(),
            })
            .collect(),
        state,
        results: results.iter().map(|x| result_view(&c, x)).collect(),
        gates: gates
            .into_iter()
            .map(|g| GateLine {
                decisions: decisions.iter().filter(|d| d.milestone == g.milestone).cloned().collect(),
                milestone: g.milestone,
                reason: g.reason,
                decided_at: g.decided_at,
            })
            .collect(),
        amendments: amendments
            .into_iter()
            .map(|a| AmendmentLine {
                id: a.id,
                milestone: a.milestone,
                number: a.number,
                from: a.from_number,
                members: serde_json::from_str(&a.members).unwrap_or_default(),
                reason: a.reason,
            })
            .collect(),
    })
}

fn milestone_of<'a>(call: &Call, race: &'a Race, code: &str) -> Result<&'a Milestone> {
    race.milestones.iter().find(|m| m.code == code.trim()).ok_or_else(|| CoreError::NotFound {
        what: format!("milestone of call {} / 指南 {} 的里程碑", call.code, call.code),
        key: code.to_string(),
    })
}

/// Whether results may be recorded, or the gate decided, at `milestone` now: it must be the next one.
fn check_next(state: &RaceState, milestone: &str) -> Result<()> {
    if state.decided.iter().any(|m| m == milestone) {
        return Err(refused(
            "challenge.gate_decided",
            format!("里程碑 {milestone} 已考核，不能再登记或决定"),
            format!("milestone {milestone} is decided already: nothing more can be recorded or decided there"),
        ));
    }
    match &state.next {
        Some(next) if next == milestone => Ok(()),
        Some(next) => Err(refused(
            "challenge.gate_out_of_order",
            format!("里程碑须按顺序考核：下一个是 {next}，不是 {milestone}"),
            format!("milestones are decided in order: the next is {next}, not {milestone}"),
        )),
        None => Err(refused(
            "challenge.race_over",
            "赛马已结束（最后一个里程碑已考核，或已无在研团队）".into(),
            "the race is over (the last milestone is decided, or no team is running)".into(),
        )),
    }
}

/// What the officer records of a team's milestone result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultInput {
    pub milestone: String,
    pub number: String,
    /// The report's file name and bytes (kept in the blob store).
    pub report_name: String,
    pub report: Vec<u8>,
    /// (core indicator code, achieved value as typed).
    pub achieved: Vec<(String, String)>,
    pub note: String,
}

/// Records (or, before the gate, records again) a running team's result at the next milestone from its
/// report (audited `decision`). Refused for a call that is not a race, before the final decision, for a
/// milestone that is not the next, a team not running, a missing report, or values not exactly for the
/// milestone's indicators.
pub fn record_result(ws: &mut Workspace, call: &str, input: &ResultInput, at: Moment) -> Result<ResultView> {
    let c = calls::get(ws, call)?;
    let race = race_of(&c)?.clone();
    let m = milestone_of(&c, &race, &input.milestone)?.clone();
    let state = race_state(ws, &c)?;
    check_next(&state, &m.code)?;
    let number = input.number.trim();
    match state.team(number) {
        Some(t) if t.status == TeamStatus::Running => {}
        Some(t) => {
            return Err(refused(
                "challenge.team_not_running",
                format!("团队 {number} 已于里程碑 {} 终止或并入其他团队", t.at.clone().unwrap_or_default()),
                format!("team {number} was terminated or merged at milestone {}", t.at.clone().unwrap_or_default()),
            ))
        }
        None => {
            return Err(CoreError::NotFound { what: "team of the race / 赛马团队".into(), key: number.to_string() })
        }
    }
    if input.report.is_empty() || input.report_name.trim().is_empty() {
        return Err(invalid(
            "report",
            "须附上团队的里程碑报告文件".into(),
            "attach the team's milestone report file".into(),
        ));
    }
    let mut values = BTreeMap::new();
    for (code, text) in &input.achieved {
        let code = code.trim();
        if !m.indicators.iter().any(|i| i == code) {
            return Err(invalid(
                "value",
                format!("里程碑 {} 不考核指标 {code}（考核 {}）", m.code, m.indicators.join("、")),
                format!("milestone {} does not examine {code} (it examines {})", m.code, m.indicators.join(", ")),
            ));
        }
        let q = Quantity::parse(text).map_err(|_| {
            invalid(
                "value",
                format!("指标 {code} 的实测值“{text}”不是数值"),
                format!("the value “{text}” of {code} is not a number"),
            )
        })?;
        if values.insert(code.to_string(), q.to_string()).is_some() {
            return Err(invalid("value", format!("指标 {code} 重复给出"), format!("{code} is given twice")));
        }
    }
    let missing: Vec<&str> = m.indicators.iter().filter(|i| !values.contains_key(*i)).map(String::as_str).collect();
    if !missing.is_empty() {
        return Err(invalid(
            "value",
            format!("里程碑 {} 须登记指标 {} 的实测值", m.code, missing.join("、")),
            format!("milestone {} needs the achieved value of {}", m.code, missing.join(", ")),
        ));
    }
    let blobs = BlobStore::new(ws.dir());
    let sha = blobs.put(&input.report).map_err(|e| blobs.io_error(e))?;
    let row = MilestoneResultRow {
        call_id: c.id.to_string(),
        milestone: m.code.clone(),
        number: number.to_string(),
        report_sha256: sha.clone(),
        report_name: input.report_name.trim().to_string(),
        achieved: serde_json::to_string(&values).expect("values serialise"),
        note: input.note.trim().to_string(),
        recorded_at: at.to_string(),
    };
    let ev = event(
        "milestone_result",
        format!("{}#{}#{number}", row.call_id, m.code),
        &row,
        serde_json::json!({ "call": c.code, "milestone": m.code, "number": number, "report_sha256": sha, "achieved": values }),
    );
    ws.store.write(ev, |w| w.milestone_result_put(&row))?;
    Ok(result_view(&c, &row))
}

/// What the officer decides at a gate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateInput {
    pub milestone: String,
    pub calls: Vec<(String, TeamCall)>,
    pub reason: String,
}

/// Decides the next milestone's gate for every running team at once (audited `decision`, with the merges'
/// amendments in the same transaction). Refused (see [`RaceState::apply`]) out of order, without a
/// result recorded for every running team, without a reason, and over the cap.
pub fn decide_gate(ws: &mut Workspace, call: &str, input: &GateInput, at: Moment) -> Result<RaceView> {
    let c = calls::get(ws, call)?;
    let race = race_of(&c)?.clone();
    let m = milestone_of(&c, &race, &input.milestone)?.clone();
    let state = race_state(ws, &c)?;
    check_next(&state, &m.code)?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", "里程碑考核决定须写明理由".into(), "a gate decision needs a reason".into()));
    }
    let call_id = c.id.to_string();
    let recorded: BTreeSet<String> = ws
        .store
        .read(|r| r.milestone_results(&call_id))?
        .into_iter()
        .filter(|r| r.milestone == m.code)
        .map(|r| r.number)
        .collect();
    let missing: Vec<String> = state.running().into_iter().filter(|n| !recorded.contains(n)).collect();
    if !missing.is_empty() {
        return Err(refused(
            "challenge.results_missing",
            format!("里程碑 {} 尚未登记团队 {} 的考核结果：请先运行 milestone record", m.code, missing.join("、")),
            format!(
                "milestone {} has no result recorded for team(s) {}: run milestone record first",
                m.code,
                missing.join(", ")
            ),
        ));
    }
    let mut calls_by_team = BTreeMap::new();
    for (n, call) in &input.calls {
        if calls_by_team.insert(n.trim().to_string(), call.clone()).is_some() {
            return Err(invalid("decision", format!("{n} 重复给出决定"), format!("{n} has two decisions")));
        }
    }
    let gate = GateDecided { milestone: m.code.clone(), calls: calls_by_team };
    let after = state.apply(&race, c.places, c.funding_total, &gate)?;
    let row = GateRow {
        call_id: call_id.clone(),
        milestone: m.code.clone(),
        reason: reason.into(),
        decided_at: at.to_string(),
    };
    let decisions: Vec<GateDecisionRow> = gate
        .calls
        .iter()
        .map(|(n, call)| GateDecisionRow {
            call_id: call_id.clone(),
            milestone: m.code.clone(),
            number: n.clone(),
            decision: call.code().into(),
            into_number: match call {
                TeamCall::Merge { into, .. } => Some(into.clone()),
                _ => None,
            },
            amount_fen: match call {
                TeamCall::Merge { amount, .. } | TeamCall::Increase { amount } => fen_i64(*amount),
                _ => 0,
            },
        })
        .collect();
    // A merge adds the merged team's members to the team it joins: read from its application.
    let apps: BTreeMap<String, Application> =
        crate::conflict::desk::call_applications(ws, &call_id)?.into_iter().map(|(i, a)| (i.number, a)).collect();
    let amendments: Vec<AmendmentRow> = gate
        .calls
        .iter()
        .filter_map(|(n, call)| match call {
            TeamCall::Merge { into, .. } => Some((n, into)),
            _ => None,
        })
        .map(|(from, into)| {
            let members: Vec<AddedMember> = apps
                .get(from)
                .map(|a| {
                    a.team
                        .iter()
                        .map(|m| AddedMember {
                            name: m.name.clone(),
                            role: format!("{:?}", m.role).to_lowercase(),
                            unit_credit_code: m.unit_credit_code.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            AmendmentRow {
                id: 0,
                call_id: call_id.clone(),
                milestone: m.code.clone(),
                number: into.clone(),
                from_number: from.clone(),
                members: serde_json::to_string(&members).expect("members serialise"),
                reason: format!("里程碑 {} 合并：{} 并入 {}（{reason}）", m.code, from, into),
                recorded_at: at.to_string(),
            }
        })
        .collect();
    let ev = event(
        "milestone_gate",
        format!("{call_id}#{}", m.code),
        &(&row, &decisions, &amendments),
        serde_json::json!({
            "call": c.code, "milestone": m.code, "reason": reason,
            "decisions": decisions.iter().map(|d| serde_json::json!({
                "number": d.number, "decision": d.decision, "into": d.into_number, "amount_fen": d.amount_fen,
            })).collect::<Vec<_>>(),
            "amendments": amendments.iter().map(|a| serde_json::json!({"number": a.number, "from": a.from_number})).collect::<Vec<_>>(),
            "released_fen": after.released_fen, "cap_fen": after.cap_fen, "winners": after.winners,
        }),
    );
    ws.store.write(ev, |w| {
        w.gate_insert(&row, &decisions)?;
        for a in &amendments {
            w.amendment_insert(a)?;
        }
        Ok::<_, CoreError>(())
    })?;
    self::race(ws, call)
}

// ------------------------------------------------------------------------------------------------
// Bounty: acceptance and payouts
// ------------------------------------------------------------------------------------------------

/// A supporting file of an acceptance, kept in the blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub name: String,
    pub sha256: String,
    pub size: u64,
}

/// An acceptance as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptanceView {
    pub id: i64,
    pub number: String,
    /// Per core indicator: `met` or `not_met`.
    pub verdicts: BTreeMap<String, String>,
    pub files: Vec<FileRef>,
    pub all_met: bool,
    pub note: String,
    pub recorded_at: String,
}

/// One part of the reward with where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartState {
    #[serde(flatten)]
    pub part: PayoutPart,
    /// `paid`, `due` or `waiting` (for the acceptance).
    pub state: String,
    pub paid_on: Option<String>,
}

/// A bounty as the office sees it after the final decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BountyView {
    pub call: String,
    pub winner: String,
    pub reward_fen: i64,
    pub reward_wan: String,
    pub parts: Vec<PartState>,
    pub acceptances: Vec<AcceptanceView>,
    pub paid_fen: i64,
    pub paid_wan: String,
}

/// The parts of `bounty` due and not yet paid: agreement-time parts once the winner is funded (always,
/// here), acceptance-time parts only when `accepted` (an acceptance found every core indicator 达到).
pub fn due_parts(bounty: &Bounty, accepted: bool, paid: &BTreeSet<u32>) -> Vec<u32> {
    bounty
        .split
        .iter()
        .enumerate()
        .filter(|(i, p)| !paid.contains(&(*i as u32)) && (p.when == PayoutWhen::Agreement || accepted))
        .map(|(i, _)| i as u32)
        .collect()
}

fn acceptance_view(a: &AcceptanceRow) -> AcceptanceView {
    AcceptanceView {
        id: a.id,
        number: a.number.clone(),
        verdicts: serde_json::from_str(&a.verdicts).unwrap_or_default(),
        files: serde_json::from_str(&a.files).unwrap_or_default(),
        all_met: a.all_met,
        note: a.note.clone(),
        recorded_at: a.recorded_at.clone(),
    }
}

/// A bounty's state: refused for a call that is not a bounty, and before its final decision.
pub fn bounty(ws: &mut Workspace, call: &str) -> Result<BountyView> {
    let c = calls::get(ws, call)?;
    let b = bounty_of(&c)?.clone();
    let winner = funded(ws, &c)?.remove(0).number;
    let id = c.id.to_string();
    let (acceptances, payouts) = ws.store.read(|r| Ok::<_, CoreError>((r.acceptances(&id)?, r.payouts(&id)?)))?;
    let accepted = acceptances.iter().any(|a| a.all_met);
    let paid: BTreeMap<u32, &PayoutRow> = payouts.iter().map(|p| (p.part, p)).collect();
    let due: BTreeSet<u32> = due_parts(&b, accepted, &paid.keys().copied().collect()).into_iter().collect();
    let parts = parts(&b)
        .into_iter()
        .map(|p| {
            let (state, paid_on) = match paid.get(&p.part) {
                Some(row) => ("paid", Some(row.paid_on.clone())),
                None if due.contains(&p.part) => ("due", None),
                None => ("waiting", None),
            };
            PartState { part: p, state: state.into(), paid_on }
        })
        .collect();
    let paid_fen: i64 = payouts.iter().map(|p| p.amount_fen).sum();
    Ok(BountyView {
        call: c.code.clone(),
        winner,
        reward_fen: fen_i64(b.reward),
        reward_wan: b.reward.wan(),
        parts,
        acceptances: acceptances.iter().map(acceptance_view).collect(),
        paid_fen,
        paid_wan: wan(paid_fen),
    })
}

/// What the officer records of an acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptInput {
    /// (core indicator code, 达到 / 未达到).
    pub verdicts: Vec<(String, Verdict)>,
    /// Supporting files: (name, bytes), kept in the blob store.
    pub files: Vec<(String, Vec<u8>)>,
    pub note: String,
}

/// Records the 验收 of a bounty's winner: a verdict per core indicator, with supporting files (audited
/// `decision`). Refused for a call that is not a bounty, before the final decision, once an acceptance
/// found every indicator 达到, without a file, or unless every core indicator has exactly one 达到 /
/// 未达到 verdict.
pub fn accept(ws: &mut Workspace, call: &str, input: &AcceptInput, at: Moment) -> Result<BountyView> {
    let c = calls::get(ws, call)?;
    bounty_of(&c)?;
    let winner = funded(ws, &c)?.remove(0).number;
    let id = c.id.to_string();
    if let Some(done) = ws.store.read(|r| r.acceptances(&id))?.into_iter().find(|a| a.all_met) {
        return Err(refused(
            "challenge.accepted_already",
            format!("{} 已于 {} 通过验收（核心指标全部达到）", done.number, done.recorded_at),
            format!("{} passed its acceptance on {} (every core indicator met)", done.number, done.recorded_at),
        ));
    }
    let mut verdicts: BTreeMap<String, String> = BTreeMap::new();
    for (code, v) in &input.verdicts {
        let code = code.trim();
        if !c.core_indicators.iter().any(|ci| ci.code == code) {
            return Err(invalid(
                "verdict",
                format!("指南没有核心指标 {code}"),
                format!("the call has no core indicator {code}"),
            ));
        }
        let v = match v {
            Verdict::Met => "met",
            Verdict::NotMet => "not_met",
            other => {
                return Err(invalid(
                    "verdict",
                    format!("验收意见只能是 达到 或 未达到，不能是 {}", other.name().zh),
                    format!("an acceptance verdict is met or not met, not {}", other.name().en),
                ))
            }
        };
        if verdicts.insert(code.to_string(), v.into()).is_some() {
            return Err(invalid("verdict", format!("指标 {code} 重复给出"), format!("{code} is given twice")));
        }
    }
    let missing: Vec<&str> =
        c.core_indicators.iter().map(|ci| ci.code.as_str()).filter(|code| !verdicts.contains_key(*code)).collect();
    if !missing.is_empty() {
        return Err(invalid(
            "verdict",
            format!("验收须对每项核心指标给出意见，缺少 {}", missing.join("、")),
            format!("acceptance needs a verdict on every core indicator; missing {}", missing.join(", ")),
        ));
    }
    if input.files.is_empty() || input.files.iter().any(|(n, b)| n.trim().is_empty() || b.is_empty()) {
        return Err(invalid(
            "file",
            "验收须附上支撑材料（检测报告等），且文件不能为空".into(),
            "acceptance needs supporting files (test reports …), none of them empty".into(),
        ));
    }
    let blobs = BlobStore::new(ws.dir());
    let mut files = Vec::new();
    for (name, bytes) in &input.files {
        let sha256 = blobs.put(bytes).map_err(|e| blobs.io_error(e))?;
        files.push(FileRef { name: name.trim().to_string(), sha256, size: bytes.len() as u64 });
    }
    let all_met = verdicts.values().all(|v| v == "met");
    let mut row = AcceptanceRow {
        id: 0,
        call_id: id.clone(),
        number: winner.clone(),
        verdicts: serde_json::to_string(&verdicts).expect("verdicts serialise"),
        files: serde_json::to_string(&files).expect("files serialise"),
        all_met,
        note: input.note.trim().to_string(),
        recorded_at: at.to_string(),
    };
    ws.store.write_with_event(|w| {
        let new_id = w.acceptance_insert(&row)?;
        row.id = new_id;
        let ev = event(
            "acceptance",
            new_id.to_string(),
            &row,
            serde_json::json!({ "call": c.code, "number": winner, "verdicts": verdicts, "all_met": all_met,
                "files": files.iter().map(|f| &f.sha256).collect::<Vec<_>>() }),
        );
        Ok::<_, CoreError>(((), ev))
    })?;
    bounty(ws, call)
}

/// Records the payment of every part of the reward that is due and not yet paid, on `paid_on` (audited
/// `decision`). Refused when nothing is due: the acceptance has not found every core indicator 达到, or
/// everything is paid.
pub fn pay(ws: &mut Workspace, call: &str, paid_on: Date, at: Moment) -> Result<BountyView> {
    let c = calls::get(ws, call)?;
    let b = bounty_of(&c)?.clone();
    let winner = funded(ws, &c)?.remove(0).number;
    let id = c.id.to_string();
    let (acceptances, payouts) = ws.store.read(|r| Ok::<_, CoreError>((r.acceptances(&id)?, r.payouts(&id)?)))?;
    let accepted = acceptances.iter().find(|a| a.all_met).map(|a| a.id);
    let paid: BTreeSet<u32> = payouts.iter().map(|p| p.part).collect();
    let due = due_parts(&b, accepted.is_some(), &paid);
    if due.is_empty() {
        let (zh, en) = if paid.len() == b.split.len() {
            ("悬赏已全部兑付".to_string(), "the reward is paid in full".to_string())
        } else if acceptances.is_empty() {
            (
                "尚未验收：验收核心指标全部达到后才能兑付悬赏".to_string(),
                "no acceptance yet: the reward is paid once acceptance finds every core indicator met".to_string(),
            )
        } else {
            (
                "验收未全部达到核心指标，不能兑付验收后的悬赏部分".to_string(),
                "the acceptance did not find every core indicator met: the acceptance-time parts cannot be paid"
                    .to_string(),
            )
        };
        return Err(refused("challenge.nothing_due", zh, en));
    }
    let amounts = b.payouts();
    let rows: Vec<PayoutRow> = due
        .iter()
        .map(|&i| {
            let p = &b.split[i as usize];
            PayoutRow {
                call_id: id.clone(),
                part: i,
                number: winner.clone(),
                label: p.label.zh.clone(),
                due: when_code(p.when).into(),
                percent: p.percent,
                amount_fen: fen_i64(amounts[i as usize]),
                acceptance_id: if p.when == PayoutWhen::Acceptance { accepted } else { None },
                paid_on: paid_on.to_string(),
                recorded_at: at.to_string(),
            }
        })
        .collect();
    let ev = event(
        "payout",
        format!("{id}#{}", due.iter().map(u32::to_string).collect::<Vec<_>>().join(",")),
        &rows,
        serde_json::json!({ "call": c.code, "number": winner, "paid_on": paid_on.to_string(),
            "parts": rows.iter().map(|r| serde_json::json!({"part": r.part, "due": r.due, "amount_fen": r.amount_fen})).collect::<Vec<_>>() }),
    );
    ws.store.write(ev, |w| {
        for r in &rows {
            w.payout_insert(r)?;
        }
        Ok::<_, CoreError>(())
    })?;
    bounty(ws, call)
}

/// Whether `decision::recommend` must refuse a call: a challenge selects with [`select`] instead.
pub(crate) fn refuse_funding_line(call: &Call) -> Result<()> {
    if call.mode.challenge().is_some() {
        return Err(refused(
            "decision.challenge_selects",
            format!("指南 {} 是揭榜挂帅榜单：用 decide select 按核心指标和排名选定挂帅团队", call.code),
            format!(
                "call {} is a challenge: select the team(s) with decide select (core indicators, then ranking)",
                call.code
            ),
        ));
    }
    Ok(())
}

/// A challenge's state for the window and `milestone show`: the selection (if made) and the race or
/// bounty once decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChallengeView {
    pub call: String,
    pub contest: String,
    pub round: u32,
    pub gate: GateView,
    pub selection: Option<decision::RoundDecisions>,
    /// The agreements recorded with the selected teams, by 申报编号.
    pub agreements: Vec<AgreementView>,
    /// The selected teams still without one (the 公示 waits for them).
    pub agreements_missing: Vec<String>,
    pub race: Option<RaceView>,
    pub bounty: Option<BountyView>,
}

/// Everything of a challenge after its review: the gate, the selection, the race or the bounty.
pub fn show(ws: &mut Workspace, call: &str) -> Result<ChallengeView> {
    let c = calls::get(ws, call)?;
    let ch = challenge_of(&c)?.clone();
    let round = selection_round(&c);
    let g = gate(ws, &c)?;
    let selection = match decision::show(ws, call, round) {
        Ok(s) => Some(s),
        Err(CoreError::DecisionRefused { code: "decision.no_recommendation", .. }) => None,
        Err(e) => return Err(e),
    };
    let agreements = agreements(ws, call)?;
    let agreements_missing = match &selection {
        Some(s) => missing_agreements(ws, &c, &s.items)?,
        None => Vec::new(),
    };
    let decided = selection.as_ref().is_some_and(|s| s.finals.iter().any(|f| f.funded));
    let (race, bounty) = match &ch.contest {
        Contest::Race(_) if decided => (Some(self::race(ws, call)?), None),
        Contest::Bounty(_) if decided => (None, Some(self::bounty(ws, call)?)),
        _ => (None, None),
    };
    Ok(ChallengeView {
        call: c.code.clone(),
        contest: contest_code(&ch.contest).into(),
        round,
        gate: g,
        selection,
        agreements,
        agreements_missing,
        race,
        bounty,
    })
}

// ------------------------------------------------------------------------------------------------
// The window's view
// ------------------------------------------------------------------------------------------------

/// An item out of the gate, as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct OutLine {
    pub number: String,
    pub title: String,
    pub misses: Vec<Bilingual>,
}

/// A core indicator the window asks about (values at a milestone, verdicts at acceptance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CoreIndicatorLine {
    pub code: String,
    pub name: Bilingual,
    pub unit: String,
    /// `≥ 4500`.
    pub target: String,
    /// The target as a plain number (`4500`), and its direction: the window shows 达到 / 未达到 as the
    /// officer types a milestone's values, by the same rule the core records them with.
    pub target_value: String,
    pub at_least: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct MilestonePanel {
    pub code: String,
    pub name: Bilingual,
    pub due: String,
    pub indicators: Vec<String>,
    pub tranche_wan: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct TeamLine {
    pub number: String,
    /// `running`, `terminated`, `merged` or `finished`.
    pub status: String,
    pub at: Option<String>,
    pub into: Option<String>,
    pub released_wan: String,
    pub cancelled_wan: String,
    pub planned_wan: String,
    pub increases_wan: String,
    /// Members added by merges' amendments.
    pub added_members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ResultLine {
    pub milestone: String,
    pub number: String,
    pub report_name: String,
    pub report_sha256: String,
    /// `I1 4600 m（≥ 4500）`, one per indicator, with whether it is met.
    pub values: Vec<(String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct GatePanelLine {
    pub milestone: String,
    pub reason: String,
    /// `number decision [into] [amount 万元]`.
    pub decisions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct RacePanel {
    pub milestones: Vec<MilestonePanel>,
    pub next: Option<String>,
    pub winners: Vec<String>,
    pub teams: Vec<TeamLine>,
    pub released_wan: String,
    pub cancelled_wan: String,
    pub planned_wan: String,
    pub cap_wan: String,
    pub results: Vec<ResultLine>,
    pub gates: Vec<GatePanelLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PartLine {
    pub label: Bilingual,
    /// `agreement` or `acceptance`.
    pub when: String,
    pub percent: u32,
    pub amount_wan: String,
    /// `paid`, `due` or `waiting`.
    pub state: String,
    pub paid_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AcceptanceLine {
    pub id: String,
    /// `I1 met` …
    pub verdicts: Vec<(String, bool)>,
    pub all_met: bool,
    pub files: Vec<String>,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct BountyPanel {
    pub winner: String,
    pub reward_wan: String,
    pub paid_wan: String,
    pub parts: Vec<PartLine>,
    pub acceptances: Vec<AcceptanceLine>,
}

/// A challenge for the window: the gate, the selection, the race or the bounty, the core indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ChallengePanel {
    /// `single`, `race` or `bounty`.
    pub contest: String,
    pub round: u32,
    pub indicators: Vec<CoreIndicatorLine>,
    pub out: Vec<OutLine>,
    /// The team(s) on the round's list, once selected.
    pub selected: Vec<String>,
    /// The agreements recorded with the selected teams.
    pub agreements: Vec<AgreementView>,
    /// The selected teams without a recorded agreement: the 公示 cannot start until they have one.
    pub agreements_missing: Vec<String>,
    /// The funding every agreement carries, as the call fixes it (万元), to prefill the form.
    pub agreement_funding_wan: String,
    /// The list can no longer change (its 公示 has started).
    pub frozen: bool,
    /// The final decision is recorded.
    pub decided: bool,
    pub race: Option<RacePanel>,
    pub bounty: Option<BountyPanel>,
}

/// The window's view of a challenge; `None` for a call of another mode.
pub fn panel(ws: &mut Workspace, call: &str) -> Result<Option<ChallengePanel>> {
    let c = calls::get(ws, call)?;
    if c.mode.challenge().is_none() {
        return Ok(None);
    }
    let v = show(ws, call)?;
    let amount = |fen: i64| wan(fen);
    let race = v.race.map(|r| {
        let s = &r.state;
        RacePanel {
            milestones: r
                .milestones
                .iter()
                .map(|m| MilestonePanel {
                    code: m.code.clone(),
                    name: m.name.clone(),
                    due: m.due.clone(),
                    indicators: m.indicators.clone(),
                    tranche_wan: m.tranche_wan.clone(),
                })
                .collect(),
            next: s.next.clone(),
            winners: s.winners.clone(),
            teams: s
                .teams
                .iter()
                .map(|t| TeamLine {
                    number: t.number.clone(),
                    status: serde_json::to_value(t.status)
                        .ok()
                        .and_then(|x| x.as_str().map(String::from))
                        .unwrap_or_default(),
                    at: t.at.clone(),
                    into: t.into.clone(),
                    released_wan: amount(t.released_fen),
                    cancelled_wan: amount(t.cancelled_fen),
                    planned_wan: amount(t.planned_fen),
                    increases_wan: amount(t.increases_fen),
                    added_members: r
                        .amendments
                        .iter()
                        .filter(|a| a.number == t.number)
                        .flat_map(|a| a.members.iter().map(|m| m.name.clone()))
                        .collect(),
                })
                .collect(),
            released_wan: amount(s.released_fen),
            cancelled_wan: amount(s.cancelled_fen),
            planned_wan: amount(s.planned_fen),
            cap_wan: amount(s.cap_fen),
            results: r
                .results
                .iter()
                .map(|x| ResultLine {
                    milestone: x.milestone.clone(),
                    number: x.number.clone(),
                    report_name: x.report_name.clone(),
                    report_sha256: x.report_sha256.clone(),
                    values: x
                        .achieved
                        .iter()
                        .map(|a| {
                            (format!("{} {} {}（{} {}）", a.indicator, a.value, a.unit, a.direction, a.target), a.met)
                        })
                        .collect(),
                })
                .collect(),
            gates: r
                .gates
                .iter()
                .map(|g| GatePanelLine {
                    milestone: g.milestone.clone(),
                    reason: g.reason.clone(),
                    decisions: g
                        .decisions
                        .iter()
                        .map(|d| {
                            let mut t = format!("{} {}", d.number, d.decision);
                            if let Some(i) = &d.into_number {
                                t.push_str(&format!(" → {i}"));
                            }
                            if d.amount_fen > 0 {
                                t.push_str(&format!(" +{} 万元", amount(d.amount_fen)));
                            }
                            t
                        })
                        .collect(),
                })
                .collect(),
        }
    });
    let bounty = v.bounty.map(|b| BountyPanel {
        winner: b.winner.clone(),
        reward_wan: b.reward_wan.clone(),
        paid_wan: b.paid_wan.clone(),
        parts: b
            .parts
            .iter()
            .map(|p| PartLine {
                label: p.part.label.clone(),
                when: p.part.when.clone(),
                percent: p.part.percent,
                amount_wan: p.part.amount_wan.clone(),
                state: p.state.clone(),
                paid_on: p.paid_on.clone(),
            })
            .collect(),
        acceptances: b
            .acceptances
            .iter()
            .map(|a| AcceptanceLine {
                id: a.id.to_string(),
                verdicts: a.verdicts.iter().map(|(k, x)| (k.clone(), x == "met")).collect(),
                all_met: a.all_met,
                files: a.files.iter().map(|f| f.name.clone()).collect(),
                recorded_at: a.recorded_at.clone(),
            })
            .collect(),
    });
    Ok(Some(ChallengePanel {
        contest: v.contest,
        round: v.round,
        indicators: c
            .core_indicators
            .iter()
            .map(|i| CoreIndicatorLine {
                code: i.code.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                target: format!("{} {}", i.direction.symbol(), show_number(i.target)),
                target_value: show_number(i.target),
                at_least: i.direction == crate::call::Direction::AtLeast,
            })
            .collect(),
        out: v
            .gate
            .out
            .iter()
            .map(|o| OutLine {
                number: o.number.clone(),
                title: o.title.clone(),
                misses: o.misses.iter().map(Miss::text).collect(),
            })
            .collect(),
        selected: v.selection.as_ref().map(|s| s.items.iter().map(|i| i.number.clone()).collect()).unwrap_or_default(),
        agreements: v.agreements.clone(),
        agreements_missing: v.agreements_missing.clone(),
        agreement_funding_wan: agreed_funding(&c)?.wan(),
        frozen: v.selection.as_ref().is_some_and(|s| s.publicity.is_some()),
        decided: v.selection.as_ref().is_some_and(|s| !s.finals.is_empty()),
        race,
        bounty,
    }))
}

#[cfg(test)]
#[path = "challenge_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "challenge_agreement_tests.rs"]
mod agreement_tests;
