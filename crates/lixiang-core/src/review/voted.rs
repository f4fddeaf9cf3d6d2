//! The recommendation list and the final decisions of a 会议评审 vote round (issue 7 "The office": "votes
//! … Decisions"). A round whose plan gives it the vote form ([`Form::Vote`]) has no score sheets of its
//! own: what it decides is the panel's vote on each item of its shortlist ([`super::panel`]). So
//! [`super::decision::recommend`] and [`super::decision::finalize`] hand such a round to this module.
//!
//! - The list ([`recommend`]): the items the panel recommended (yes ≥ share × members present and not
//!   conflicted, as recorded), walked in the shortlist's order — the previous round's ranking by the
//!   shortlist's method — under the funding line over their requested fiscal funding, stopping at the
//!   first that does not fit, as the scored list does (domain.md "Funding line"). Each line's basis is
//!   [`Basis::Voted`] with its tally. The officer may add a recommended item the line left out and drop
//!   one within it, each with a reason, as on a scored list; an item the panel did not recommend cannot
//!   be added (the vote is the panel's, not the office's). Refused, naming the items, while any item before
//!   the panel has no vote recorded. The list keeps the shortlist's method and the SHA-256 of the panel
//!   (shortlist order, members stepping out and votes) it was read from.
//! - A vote round without a shortlist (a plan that sets no ratio) walks the previous round's ranking by
//!   the method given (the mean by default), items it did not rank last by 申报编号.
//! - The final decisions ([`plan_finals`]): every item the previous round ranked and every item before the
//!   panel is decided at once, with the reason the applicant reads (voted through, voted down, voted
//!   through but below the line, not shortlisted), the rank and score summary of the scored round it was
//!   shortlisted from, and that round's anonymised comments.
//!
//! Pure: [`voted_line`]. Every write goes through `decision` (one transaction, one audit event).

use super::decision::{
    comments_of, score_of, Basis, DroppedItem, FinalInput, FundingResultPayload, Planned, RecommendInput,
    RecommendedItem, RoundDecisions, ScoreSummary, FORMAT, STAGE,
};
use super::panel::{self, PanelView, Vote};
use super::view::{ranking, RankRow};
use crate::audit::record_sha256;
use crate::calendar::Moment;
use crate::call::review::Form;
use crate::call::Call;
use crate::score::Method;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, FinalRow, ObjectionRow, RecommendationRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether round `round` of `call` is a vote round (its form is the 会议评审 vote).
pub fn is_vote_round(call: &Call, round: u32) -> bool {
    round
        .checked_sub(1)
        .and_then(|i| call.review_plan.rounds.get(i as usize))
        .is_some_and(|r| matches!(r.form, Form::Vote))
}

/// The panel's vote on a listed item, as the list and its papers show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteTally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    /// Members present and not stepping out.
    pub voters: u32,
    /// The share of yes votes that recommends (`2/3`).
    pub share: String,
}

impl VoteTally {
    fn of(v: &Vote, share: &str) -> VoteTally {
        VoteTally {
            yes: v.yes,
            no: v.no,
            abstain: v.abstain,
            voters: (v.present.len() - v.stepped_out.len()) as u32,
            share: share.to_string(),
        }
    }

    /// 同意 2 票、不同意 0 票、弃权 1 票（表决 3 人，须达 2/3）.
    pub fn zh(&self) -> String {
        format!(
            "同意 {} 票、不同意 {} 票、弃权 {} 票（表决 {} 人，须达 {}）",
            self.yes, self.no, self.abstain, self.voters, self.share
        )
    }

    pub fn en(&self) -> String {
        format!(
            "{} yes, {} no, {} abstaining ({} voting, {} needed)",
            self.yes, self.no, self.abstain, self.voters, self.share
        )
    }
}

/// One item before the panel, in the order the list walks, with the panel's outcome if voted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub number: String,
    /// `None` while no vote is recorded.
    pub recommended: Option<bool>,
}

/// Where each item before the panel falls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VotedLine {
    /// Recommended and within the funding line, in order.
    pub funded: Vec<String>,
    /// The first recommended item whose request did not fit; the walk stops there.
    pub first_unfunded: Option<String>,
    /// Recommended and not funded: the first that did not fit and every recommended item after it.
    pub below_line: Vec<String>,
    pub not_recommended: Vec<String>,
    /// No vote recorded.
    pub missing: Vec<String>,
    pub used_fen: i64,
}

/// Walks the candidates in order and takes each recommended item while the remaining budget covers its
/// requested fiscal funding; stops at the first that does not fit (the same walk as
/// [`crate::score::funding_line`], over the recommended items only). An item without a known request stops
/// the walk too: nothing is funded on a guess. Pure.
pub fn voted_line(candidates: &[Candidate], requested_fen: &BTreeMap<String, i64>, budget_fen: i64) -> VotedLine {
    let mut line = VotedLine::default();
    let mut remaining = budget_fen;
    for c in candidates {
        match c.recommended {
            None => line.missing.push(c.number.clone()),
            Some(false) => line.not_recommended.push(c.number.clone()),
            Some(true) if line.first_unfunded.is_some() => line.below_line.push(c.number.clone()),
            Some(true) => match requested_fen.get(&c.number) {
                Some(&need) if need <= remaining => {
                    remaining -= need;
                    line.funded.push(c.number.clone());
                }
                _ => {
                    line.first_unfunded = Some(c.number.clone());
                    line.below_line.push(c.number.clone());
                }
            },
        }
    }
    line.used_fen = budget_fen - remaining;
    line
}

fn refused(code: &'static str, zh: String, en: String) -> CoreError {
    CoreError::DecisionRefused { code, zh, en }
}

fn invalid(field: &str, zh: String, en: String) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

/// An item before the panel with where it came from.
struct Ordered {
    number: String,
    title: String,
    /// Its rank in the round it was shortlisted from.
    rank: Option<u32>,
    score: String,
    vote: Option<Vote>,
}

/// The panel of a vote round in the order its list walks, with the method that order was read by.
struct Panel {
    view: PanelView,
    method: String,
    items: Vec<Ordered>,
}

fn read_panel(ws: &mut Workspace, call: &Call, round: u32, method: Option<Method>) -> Result<Panel> {
    let call_id = call.id.to_string();
    let view = panel::panel(ws, &call_id, round)?;
    let (method, placed): (String, BTreeMap<String, (u32, String)>) = match panel::shortlist(ws, &call_id, round)? {
        Some(s) => (s.method, s.items.into_iter().map(|i| (i.number, (i.rank, i.score))).collect()),
        None => {
            let m = method.unwrap_or(Method::Mean);
            let rows = if round >= 2 { ranking(ws, &call_id, round - 1, m)?.rows } else { Vec::new() };
            (m.name().to_string(), rows.iter().map(|r| (r.number.clone(), (r.rank as u32, score_of(r, m)))).collect())
        }
    };
    let mut items: Vec<Ordered> = view
        .items
        .iter()
        .map(|i| {
            let (rank, score) = match placed.get(&i.number) {
                Some((rank, score)) => (Some(*rank), score.clone()),
                None => (None, "—".to_string()),
            };
            Ordered { number: i.number.clone(), title: i.title.clone(), rank, score, vote: i.vote.clone() }
        })
        .collect();
    items.sort_by(|a, b| (a.rank.unwrap_or(u32::MAX), &a.number).cmp(&(b.rank.unwrap_or(u32::MAX), &b.number)));
    Ok(Panel { view, method, items })
}

/// Makes the recommendation list of a vote round from the panel's votes (see the module doc); the caller
/// ([`super::decision::recommend`]) has refused a frozen list, a challenge and a directed call already.
/// Audited `decision` (`recommendation`).
pub(crate) fn recommend(ws: &mut Workspace, call: &Call, round: u32, input: &RecommendInput, at: Moment) -> Result<()> {
    let p = read_panel(ws, call, round, input.method)?;
    let candidates: Vec<Candidate> = p
        .items
        .iter()
        .map(|o| Candidate { number: o.number.clone(), recommended: o.vote.as_ref().map(|v| v.recommended) })
        .collect();
    if candidates.is_empty() {
        return Err(refused(
            "panel.no_items",
            format!("指南 {} 第 {round} 轮会议评审没有待表决的项目", call.code),
            format!("call {} round {round} has no item before the panel", call.code),
        ));
    }
    let requests = super::office::round_input(ws, &call.id.to_string(), round)?.requests_fen;
    let budget = i64::try_from(call.funding_total.get()).unwrap_or(i64::MAX);
    let line = voted_line(&candidates, &requests, budget);
    if !line.missing.is_empty() {
        let list = line.missing.join("、");
        return Err(refused(
            "panel.votes_missing",
            format!(
                "指南 {} 第 {round} 轮会议评审尚有 {} 项未记录表决（{list}）：请先记录表决（panel vote），再形成推荐名单",
                call.code,
                line.missing.len()
            ),
            format!(
                "call {} round {round}: {} item(s) before the panel have no vote recorded ({}): record their votes (panel vote) before making the list",
                call.code,
                line.missing.len(),
                line.missing.join(", ")
            ),
        ));
    }
    let find = |n: &str| p.items.iter().find(|o| o.number == n.trim());
    let mut seen = std::collections::BTreeSet::new();
    let mut added: Vec<(&Ordered, String)> = Vec::new();
    for (number, reason) in &input.add {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid(
                "reason",
                "资金线以下补充推荐须写明理由".into(),
                "an item added below the line needs a reason".into(),
            ));
        }
        let o = find(number).ok_or_else(|| CoreError::NotFound {
            what: "item before the panel / 会议评审的项目".into(),
            key: number.clone(),
        })?;
        if line.funded.contains(&o.number) {
            return Err(invalid(
                "add",
                format!("{} 已在资金线以内，无需补充", o.number),
                format!("{} is within the funding line already", o.number),
            ));
        }
        if line.not_recommended.contains(&o.number) {
            return Err(invalid(
                "add",
                format!("{} 未获会议评审表决通过，不能补充推荐", o.number),
                format!("{} was not recommended by the panel's vote: it cannot be added", o.number),
            ));
        }
        if !seen.insert(o.number.clone()) {
            return Err(invalid("add", format!("{} 重复出现", o.number), format!("{} is given twice", o.number)));
        }
        added.push((o, reason.to_string()));
    }
    let mut dropped = Vec::new();
    for (number, reason) in &input.drop {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(invalid(
                "reason",
                "从推荐名单中去除须写明理由".into(),
                "dropping an item needs a reason".into(),
            ));
        }
        let o = find(number).ok_or_else(|| CoreError::NotFound {
            what: "item before the panel / 会议评审的项目".into(),
            key: number.clone(),
        })?;
        if !line.funded.contains(&o.number) {
            return Err(invalid(
                "drop",
                format!("{} 不在资金线以内，无需去除", o.number),
                format!("{} is not within the funding line", o.number),
            ));
        }
        if !seen.insert(o.number.clone()) {
            return Err(invalid("drop", format!("{} 重复出现", o.number), format!("{} is given twice", o.number)));
        }
        dropped.push(DroppedItem { number: o.number.clone(), rank: o.rank.unwrap_or(0), reason: reason.to_string() });
    }
    let share = p.view.share.clone();
    let item = |o: &Ordered, basis, reason: Option<String>| RecommendedItem {
        number: o.number.clone(),
        title: o.title.clone(),
        rank: o.rank.unwrap_or(0),
        score: o.score.clone(),
        requested_fen: requests.get(&o.number).copied().unwrap_or(0),
        basis,
        reason,
        votes: o.vote.as_ref().map(|v| VoteTally::of(v, &share)),
    };
    // In the walk's order: the line's items and the additions where they stand in the shortlist.
    let items: Vec<RecommendedItem> = p
        .items
        .iter()
        .filter_map(|o| {
            if line.funded.contains(&o.number) && !dropped.iter().any(|d| d.number == o.number) {
                Some(item(o, Basis::Voted, None))
            } else {
                added.iter().find(|(a, _)| a.number == o.number).map(|(a, r)| item(a, Basis::Added, Some(r.clone())))
            }
        })
        .collect();
    let call_id = call.id.to_string();
    let panel_sha256 = record_sha256(&p.view).expect("a panel serialises");
    let row = RecommendationRow {
        call_id: call_id.clone(),
        round,
        method: p.method.clone(),
        ranking_sha256: panel_sha256.clone(),
        items: serde_json::to_string(&items).expect("items serialise"),
        dropped: serde_json::to_string(&dropped).expect("items serialise"),
        made_at: at.to_string(),
    };
    let ev = AuditEvent::new(
        AuditAction::Decision,
        "recommendation",
        format!("{call_id}#{round}"),
        record_sha256(&row).expect("a decision record serialises"),
    )
    .with_detail(&serde_json::json!({
        "call": call.code, "round": round, "basis": "voted", "method": row.method, "panel_sha256": panel_sha256,
        "items": items.iter().map(|i| &i.number).collect::<Vec<_>>(),
        "below_line": line.below_line, "not_recommended": line.not_recommended,
        "added": added.iter().map(|(o, reason)| serde_json::json!({"number": o.number, "reason": reason})).collect::<Vec<_>>(),
        "dropped": dropped,
    }));
    ws.store.write(ev, |w| w.recommendation_put(&row))?;
    Ok(())
}

/// The final decisions of a vote round (see the module doc), for [`super::decision::record_and_send`];
/// the caller ([`super::decision::finalize`]) has checked the round may be decided.
pub(crate) fn plan_finals(
    ws: &mut Workspace,
    call: &Call,
    state: &RoundDecisions,
    round: u32,
    input: &FinalInput,
    decided_at: &str,
) -> Result<(Vec<Planned>, serde_json::Value)> {
    let p = read_panel(ws, call, round, Method::parse(&state.method))?;
    let method = Method::parse(&state.method).unwrap_or(Method::Mean);
    let from = round.saturating_sub(1);
    let scored: Vec<RankRow> = if from >= 1 { ranking(ws, &state.call_id, from, method)?.rows } else { Vec::new() };
    let requests = super::office::round_input(ws, &state.call_id, round)?.requests_fen;
    let (submissions, sheets) = ws
        .store
        .read(|r| Ok::<_, CoreError>((r.submissions_latest()?, r.review_sheets_counted(&state.call_id, from)?)))?;
    let upheld: BTreeMap<&str, &ObjectionRow> = state
        .objections
        .iter()
        .filter(|o| o.resolution.as_deref() == Some("upheld"))
        .map(|o| (o.number.as_str(), o))
        .collect();
    // The scored round's ranked items in its order, then any item before the panel it did not rank.
    let mut numbers: Vec<String> = scored.iter().map(|r| r.number.clone()).collect();
    for o in &p.items {
        if !numbers.contains(&o.number) {
            numbers.push(o.number.clone());
        }
    }
    let share = p.view.share.clone();
    let mut planned = Vec::new();
    for number in &numbers {
        let sub = submissions.iter().find(|s| &s.number == number && s.call_id == state.call_id).ok_or_else(|| {
            CoreError::NotFound { what: "received application / 收到的申报书".into(), key: number.clone() }
        })?;
        let row = scored.iter().find(|r| &r.number == number);
        let rank = row.map(|r| r.rank as u32);
        let before = p.items.iter().find(|o| &o.number == number);
        let tally = before.and_then(|o| o.vote.as_ref()).map(|v| VoteTally::of(v, &share));
        let listed = state.items.iter().find(|i| &i.number == number);
        let dropped = state.dropped.iter().find(|d| &d.number == number);
        let requested = requests.get(number).copied().unwrap_or(0);
        let (tz, te) = tally.as_ref().map(|t| (t.zh(), t.en())).unwrap_or_default();
        let (funded, zh, en) = match (listed, upheld.get(number.as_str()), dropped) {
            (Some(_), Some(o), _) => {
                let why = o.resolution_reason.clone().unwrap_or_default();
                (false, format!("公示期间异议成立：{why}"), format!("an objection during the public notice was upheld: {why}"))
            }
            (Some(i), None, _) if i.basis == Basis::Added => {
                let why = i.reason.clone().unwrap_or_default();
                (
                    true,
                    format!("会议评审表决通过（{tz}），资金线以下补充推荐（{why}），公示期满"),
                    format!("recommended by the panel's vote ({te}) and added below the funding line ({why}); the public notice has ended"),
                )
            }
            (Some(_), None, _) => (
                true,
                format!("会议评审表决通过（{tz}），列入推荐名单（资金线以内），公示期满"),
                format!("recommended by the panel's vote ({te}), on the recommendation list within the funding line; the public notice has ended"),
            ),
            (None, _, Some(d)) => (
                false,
                format!("未列入推荐名单：{}", d.reason),
                format!("not on the recommendation list: {}", d.reason),
            ),
            (None, _, None) => match (&tally, before) {
                (Some(t), _) if before.and_then(|o| o.vote.as_ref()).is_some_and(|v| v.recommended) => (
                    false,
                    format!("会议评审表决通过（{}），但在资金线以下，未列入推荐名单", t.zh()),
                    format!("recommended by the panel's vote ({}) but below the funding line: not on the recommendation list", t.en()),
                ),
                (Some(t), _) => (
                    false,
                    format!("会议评审表决未通过（{}）", t.zh()),
                    format!("not recommended by the panel's vote ({})", t.en()),
                ),
                (None, Some(_)) => (
                    false,
                    "会议评审未记录表决，未列入推荐名单".to_string(),
                    "no panel vote was recorded: not on the recommendation list".to_string(),
                ),
                (None, None) => (
                    false,
                    format!("未入围会议评审（第 {from} 轮第 {} 名）", rank.unwrap_or(0)),
                    format!("not shortlisted for the panel review (rank {} in round {from})", rank.unwrap_or(0)),
                ),
            },
        };
        let amount_fen = if funded { input.amounts.get(number).copied().unwrap_or(requested) } else { 0 };
        let package_id = uuid::Uuid::now_v7();
        let rec = FinalRow {
            call_id: state.call_id.clone(),
            round,
            number: number.clone(),
            application_id: sub.application_id.clone(),
            version: sub.version,
            funded,
            amount_fen,
            reason: zh.clone(),
            rank,
            decided_at: decided_at.to_string(),
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
            number: number.clone(),
            funded,
            amount_fen,
            requested_fen: requested,
            reason_zh: zh,
            reason_en: en,
            method: state.method.clone(),
            rank,
            ranked: scored.len() as u32,
            score: row.map(|r| ScoreSummary {
                n: r.n as u32,
                mean: r.mean.clone(),
                median: r.median.clone(),
                score: score_of(r, method),
                grades: r.grades.clone(),
            }),
            comments: comments_of(&sheets, number),
            decided_at: decided_at.to_string(),
            feasibility: None,
        };
        planned.push(Planned { row: rec, sub: sub.clone(), payload });
    }
    let detail = serde_json::json!({
        "call": state.call, "round": round, "basis": "voted",
        "funded": planned.iter().filter(|p| p.row.funded).map(|p| serde_json::json!({"number": p.row.number, "amount_fen": p.row.amount_fen})).collect::<Vec<_>>(),
        "not_funded": planned.iter().filter(|p| !p.row.funded).map(|p| &p.row.number).collect::<Vec<_>>(),
    });
    Ok((planned, detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(number: &str, recommended: Option<bool>) -> Candidate {
        Candidate { number: number.into(), recommended }
    }

    fn fen(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(n, f)| (n.to_string(), *f)).collect()
    }

    #[test]
    fn the_voted_line_takes_recommended_items_in_order_and_stops_at_the_first_that_does_not_fit() {
        // Shortlist order A B C D E, the panel voted B down, a budget of 100 fen: A 40 fits (60 left), B is
        // passed over (not recommended), C 50 fits (10 left), D 30 does not fit: the walk stops at D, so E
        // (5, which would fit) is below the line too.
        let cands =
            [c("A", Some(true)), c("B", Some(false)), c("C", Some(true)), c("D", Some(true)), c("E", Some(true))];
        let line = voted_line(&cands, &fen(&[("A", 40), ("B", 10), ("C", 50), ("D", 30), ("E", 5)]), 100);
        assert_eq!(line.funded, ["A", "C"]);
        assert_eq!(line.first_unfunded.as_deref(), Some("D"));
        assert_eq!(line.below_line, ["D", "E"]);
        assert_eq!(line.not_recommended, ["B"]);
        assert!(line.missing.is_empty());
        assert_eq!(line.used_fen, 90);
    }

    #[test]
    fn a_voted_down_item_does_not_stop_the_walk_and_a_missing_vote_is_named() {
        // B (voted down) would not fit, but only recommended items walk: C still fits exactly.
        let cands = [c("A", Some(true)), c("B", Some(false)), c("C", Some(true)), c("D", None)];
        let line = voted_line(&cands, &fen(&[("A", 60), ("B", 70), ("C", 40), ("D", 1)]), 100);
        assert_eq!(line.funded, ["A", "C"]);
        assert_eq!(line.first_unfunded, None);
        assert_eq!(line.missing, ["D"]);
        assert_eq!(line.used_fen, 100);
        // An item with no known request stops the walk: nothing is funded on a guess.
        let line = voted_line(&[c("A", Some(true)), c("B", Some(true))], &fen(&[("B", 1)]), 100);
        assert!(line.funded.is_empty());
        assert_eq!(line.below_line, ["A", "B"]);
    }

    #[test]
    fn a_tally_reads_in_both_languages() {
        let t = VoteTally { yes: 4, no: 1, abstain: 1, voters: 6, share: "2/3".into() };
        assert_eq!(t.zh(), "同意 4 票、不同意 1 票、弃权 1 票（表决 6 人，须达 2/3）");
        assert_eq!(t.en(), "4 yes, 1 no, 1 abstaining (6 voting, 2/3 needed)");
    }

    #[test]
    fn a_vote_round_lists_what_the_panel_recommended_and_decides_every_item_from_it() {
        use crate::assign::desk::{run, Options};
        use crate::review::decision::{self, RecommendInput};
        use crate::review::panel::{make_shortlist, record_vote, VoteInput};
        let mut w = crate::review::decision_tests::reviewed();
        let code = w.call.code.clone();
        let n = w.numbers.clone();
        let t0 = Moment::parse("2027-05-20T09:00:00+08:00").unwrap();
        let ws = &mut w.office.ws;
        assert!(!is_vote_round(&w.call, 1) && is_vote_round(&w.call, 2), "the demo plan: 通讯评审, then a vote");

        // Round 1 ranks n0, n1, n2 and its funding line (1.5 requests) takes n0 only. One place: the
        // shortlist takes ⌈1.2⌉ = 2 items, n0 and n1; three members sit on the panel.
        make_shortlist(ws, &code, 2, Method::Mean, t0).unwrap();
        let opts = Options { per_item: Some(3), max_load: Some(3), ..Options::default() };
        run(ws, &code, 2, &opts).unwrap();
        let members: Vec<String> = panel::panel(ws, &code, 2).unwrap().members.into_iter().map(|m| m.number).collect();
        assert_eq!(members.len(), 3);
        let vote = |yes, no| VoteInput { present: members.clone(), yes, no, abstain: 0 };

        // No list while an item before the panel has no vote: both named, then the one still missing.
        let err = decision::recommend(ws, &code, 2, &RecommendInput::default(), t0).unwrap_err();
        assert_eq!((err.code(), err.kind()), ("panel.votes_missing", crate::error::ErrorKind::StateConflict));
        let (zh, en) = (err.message(crate::Lang::Zh), err.message(crate::Lang::En));
        assert!(zh.contains(&n[0]) && zh.contains(&n[1]) && en.contains(&n[0]), "{zh} / {en}");
        record_vote(ws, &code, 2, &n[1], &vote(3, 0), t0).unwrap();
        let err = decision::recommend(ws, &code, 2, &RecommendInput::default(), t0).unwrap_err();
        assert_eq!(err.code(), "panel.votes_missing");
        assert!(err.message(crate::Lang::Zh).contains(&n[0]) && !err.message(crate::Lang::Zh).contains(&n[1]));

        // The panel votes n0 down (1 of 3 is short of 2/3): the list takes n1, which round 1's line left out.
        record_vote(ws, &code, 2, &n[0], &vote(1, 2), t0).unwrap();
        let list = decision::recommend(ws, &code, 2, &RecommendInput::default(), t0).unwrap();
        let listed: Vec<(&str, Basis, u32)> = list.items.iter().map(|i| (i.number.as_str(), i.basis, i.rank)).collect();
        assert_eq!(listed, [(n[1].as_str(), Basis::Voted, 2)], "ranked second in round 1");
        let tally = list.items[0].votes.clone().unwrap();
        assert_eq!((tally.yes, tally.no, tally.abstain, tally.voters, tally.share.as_str()), (3, 0, 0, 3, "2/3"));
        assert_eq!(list.method, "mean");
        let view = panel::panel(ws, &code, 2).unwrap();
        assert_eq!(list.ranking_sha256, record_sha256(&view).unwrap(), "the list names the panel it was read from");
        // What the panel voted down cannot be added; what it never saw is not found.
        let add = |number: &str| RecommendInput {
            add: vec![(number.into(), "专家组建议".into())],
            ..Default::default()
        };
        assert_eq!(decision::recommend(ws, &code, 2, &add(&n[0]), t0).unwrap_err().code(), "input.invalid");
        assert_eq!(decision::recommend(ws, &code, 2, &add(&n[2]), t0).unwrap_err().code(), "not_found");

        // Voted again, n0 passes too: in the shortlist's order n0 fits (1 of 1.5 requests) and n1 does not,
        // so the walk stops there; the officer may add n1 below the line with a reason.
        record_vote(ws, &code, 2, &n[0], &vote(2, 1), t0).unwrap();
        let list = decision::recommend(ws, &code, 2, &RecommendInput::default(), t0).unwrap();
        let listed: Vec<(&str, Basis)> = list.items.iter().map(|i| (i.number.as_str(), i.basis)).collect();
        assert_eq!(listed, [(n[0].as_str(), Basis::Voted)]);
        let requested = list.items[0].requested_fen;
        assert_eq!(list.recommended_fen, requested);
        let with_n1 = decision::recommend(ws, &code, 2, &add(&n[1]), t0).unwrap();
        let listed: Vec<(&str, Basis)> = with_n1.items.iter().map(|i| (i.number.as_str(), i.basis)).collect();
        assert_eq!(listed, [(n[0].as_str(), Basis::Voted), (n[1].as_str(), Basis::Added)]);
        let list = decision::recommend(ws, &code, 2, &RecommendInput::default(), t0).unwrap();

        // The recommendation list's papers carry the basis and the tally.
        let paper = crate::report::decisions::decision_list(ws, &code, 2).unwrap();
        assert_eq!(paper.items[0].basis, Basis::Voted);
        assert_eq!(paper.items[0].reason.as_deref(), Some("同意 2 票、不同意 1 票、弃权 0 票（表决 3 人，须达 2/3）"));
        assert_eq!(crate::report::decisions::basis_zh(Basis::Voted), "会议评审表决通过");
        assert_eq!(list.items.len(), 1);

        // The 公示, then every item of round 1 decided with the reason its applicant reads.
        decision::start_publicity(ws, &code, 2, crate::calendar::Date::new(2027, 6, 2).unwrap(), 7, t0).unwrap();
        let out = w.path("results");
        std::fs::create_dir_all(&out).unwrap();
        let keys = w.office.keys.clone();
        let after = Moment::parse("2027-06-09T09:00:00+08:00").unwrap();
        let decided =
            decision::finalize(&mut w.office.ws, &keys, &code, 2, &FinalInput::default(), after, &out).unwrap();
        let by: BTreeMap<&str, _> = decided.iter().map(|d| (d.number.as_str(), d)).collect();
        assert_eq!(by.len(), 3);
        assert!(by[n[0].as_str()].funded && by[n[0].as_str()].amount_fen == requested);
        assert_eq!(
            by[n[0].as_str()].reason_zh,
            "会议评审表决通过（同意 2 票、不同意 1 票、弃权 0 票（表决 3 人，须达 2/3）），列入推荐名单（资金线以内），公示期满"
        );
        assert!(!by[n[1].as_str()].funded);
        assert!(
            by[n[1].as_str()].reason_zh.starts_with("会议评审表决通过（同意 3 票"),
            "{}",
            by[n[1].as_str()].reason_zh
        );
        assert!(by[n[1].as_str()].reason_zh.ends_with("但在资金线以下，未列入推荐名单"));
        assert_eq!(by[n[2].as_str()].reason_zh, "未入围会议评审（第 1 轮第 3 名）");
        assert_eq!((by[n[0].as_str()].rank, by[n[2].as_str()].rank), (Some(1), Some(3)));
        assert!(decided.iter().all(|d| std::path::Path::new(&d.path).is_file()));

        // The applicant reads its result: approved by the panel's vote, with round 1's comments.
        let file = by[n[0].as_str()].path.clone();
        let trust = crate::import::Trust::Fingerprint(w.office.fp.clone());
        crate::review::tests::import(&mut w.institute, std::path::Path::new(&file), trust).unwrap();
        let submissions = w.office.ws.store.read(|r| r.submissions_latest()).unwrap();
        let app_id = submissions.iter().find(|s| s.number == n[0]).unwrap().application_id.clone();
        let seen = decision::funding_view(&mut w.institute.ws, &app_id).unwrap().unwrap();
        assert!(seen.funded && seen.reason_en.starts_with("recommended by the panel's vote (2 yes, 1 no"));
        assert_eq!((seen.rank, seen.ranked), (Some(1), 3));
        assert!(!seen.comments.strengths.is_empty());
    }
}
