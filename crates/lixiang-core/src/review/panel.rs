//! 会议评审 (issue 7 "The office"): the shortlist that takes items from one round's ranking into the next
//! round, and the panel's vote per item with conflicted members stepping out, in a discussion order that
//! keeps items with the same conflicted members together.
//!
//! - [`make_shortlist`]: a round whose plan sets `shortlist_percent` takes the top ⌈percent × places / 100⌉
//!   items of the previous round's ranking by the chosen method, and — because the plan asks to support
//!   non-consensus research (四(一)) and domain.md sends a flagged item to panel discussion instead of
//!   trimming it away in silence — every item below the cut that the previous round flagged 非共识, marked
//!   as such. It may be made again until the round's first vote is recorded. Once made, the round's
//!   assignment takes only the shortlisted items ([`round_items`]). The officer may make it at another
//!   percent than the plan's (100–500, kept with the shortlist and in the audit event), after looking at
//!   what it would take ([`preview_shortlist`]); [`round_setup`] tells a window which of these a round has.
//! - [`panel`]: the members (the experts assigned in the round), each item's members who step out (a
//!   hard, declared or un-overridden soft conflict: the same rules as the assignment), and the discussion
//!   order ([`discussion_order`]): items grouped by the set of members who step out, so that people leave
//!   and come back once per group rather than once per item.
//! - [`record_vote`]: the chair's counts for an item, given at the officer's machine: the members present,
//!   then yes / no / abstain from those present and not stepping out, which must add up to them. The item
//!   is recommended when yes ≥ the round's share × (members present and not conflicted), exactly
//!   (domain.md "会议评审 vote"). A vote may be recorded again (the audit chain keeps every record).
//!
//! Every write is one transaction with one audit event (action `decision`).

use super::issue::current_assignment;
use super::view::ranking;
use crate::assign::edit::{overrides, standing, Standing};
use crate::audit::record_sha256;
use crate::calendar::Moment;
use crate::call::desk as calls;
use crate::call::review::{Form, Ratio};
use crate::conflict::desk::{call_applications, declared_conflicts};
use crate::conflict::{find_conflicts, Conflict, Severity};
use crate::expert::desk as experts;
use crate::score::Method;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, PanelVoteRow, ShortlistRow};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Why an item is on a shortlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ShortlistBasis {
    /// Within the top share of the places.
    Cut,
    /// Below the cut, sent on because the previous round flagged it 非共识.
    NonConsensus,
}

/// One item of a shortlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ShortlistItem {
    pub number: String,
    pub title: String,
    /// Its rank in the previous round by the shortlist's method.
    pub rank: u32,
    pub score: String,
    pub basis: ShortlistBasis,
}

/// The items a round takes from the round before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Shortlist {
    pub call: String,
    pub round: u32,
    pub from_round: u32,
    pub method: String,
    pub places: u32,
    pub percent: u32,
    /// ⌈percent × places / 100⌉.
    pub cut: u32,
    pub items: Vec<ShortlistItem>,
    pub made_at: String,
}

fn refused(code: &'static str, zh: String, en: String) -> CoreError {
    CoreError::DecisionRefused { code, zh, en }
}

fn invalid(field: &str, zh: String, en: String) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

fn event(target: &'static str, id: String, record: &impl Serialize) -> AuditEvent {
    AuditEvent::new(AuditAction::Decision, target, id, record_sha256(record).expect("a panel record serialises"))
}

/// How many items a shortlist takes: ⌈percent × places / 100⌉, at least one.
pub fn shortlist_cut(places: u32, percent: u32) -> u32 {
    ((u64::from(places) * u64::from(percent)).div_ceil(100) as u32).max(1)
}

/// The shortlist percents an officer may choose instead of the plan's: at least the places, at most five
/// times as many.
pub const SHORTLIST_PERCENTS: std::ops::RangeInclusive<u32> = 100..=500;

/// Makes (or, before the round's first vote, makes again) round `round`'s shortlist from round
/// `round − 1`'s ranking by `method`, at the plan's percent.
pub fn make_shortlist(ws: &mut Workspace, call: &str, round: u32, method: Method, at: Moment) -> Result<Shortlist> {
    make_shortlist_at(ws, call, round, method, None, at)
}

/// What [`make_shortlist_at`] would make, without recording it (`made_at` empty). Refused as it is.
pub fn preview_shortlist(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    method: Method,
    percent: Option<u32>,
) -> Result<Shortlist> {
    Ok(propose(ws, call, round, method, percent, String::new())?.0)
}

/// Makes (or makes again, before the round's first vote) a round's shortlist at `percent` of the places
/// (the plan's when `None`), audited `decision`.
pub fn make_shortlist_at(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    method: Method,
    percent: Option<u32>,
    at: Moment,
) -> Result<Shortlist> {
    let (list, row) = propose(ws, call, round, method, percent, at.to_string())?;
    let ev = event("shortlist", format!("{}/{round}", list.call), &row).with_detail(&serde_json::json!({
        "cut": list.cut, "items": list.items.len(), "method": list.method, "percent": list.percent,
    }));
    ws.store.write(ev, |w| w.shortlist_put(&row))?;
    Ok(list)
}

fn propose(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    method: Method,
    chosen: Option<u32>,
    made_at: String,
) -> Result<(Shortlist, ShortlistRow)> {
    let c = calls::get(ws, call)?;
    let r = crate::assign::edit::plan_round(&c, round)?;
    let Some(planned) = r.shortlist_percent.filter(|_| round >= 2) else {
        return Err(refused(
            "panel.no_shortlist_round",
            format!("指南 {} 第 {round} 轮不设入围名单（评审方案未规定入围比例）", c.code),
            format!("call {} round {round} takes no shortlist (its review plan sets no shortlist ratio)", c.code),
        ));
    };
    if let Some(p) = chosen.filter(|p| !SHORTLIST_PERCENTS.contains(p)) {
        return Err(invalid(
            "percent",
            format!(
                "入围比例 {p}% 不在 {}%–{}% 之间（评审方案为 {planned}%）",
                SHORTLIST_PERCENTS.start(),
                SHORTLIST_PERCENTS.end()
            ),
            format!(
                "a shortlist of {p}% is outside {}%–{}% (the review plan says {planned}%)",
                SHORTLIST_PERCENTS.start(),
                SHORTLIST_PERCENTS.end()
            ),
        ));
    }
    let percent = chosen.unwrap_or(planned);
    let call_id = c.id.to_string();
    if !ws.store.read(|s| s.panel_votes(&call_id, round))?.is_empty() {
        return Err(refused(
            "panel.votes_recorded",
            format!("指南 {} 第 {round} 轮已开始投票，入围名单不能再改", c.code),
            format!("call {} round {round} has votes recorded; its shortlist can no longer change", c.code),
        ));
    }
    let view = ranking(ws, call, round - 1, method)?;
    if view.rows.is_empty() {
        return Err(refused(
            "panel.no_ranking",
            format!("指南 {} 第 {} 轮还没有封存的评分表，无法形成入围名单", c.code, round - 1),
            format!("call {} round {} has no sealed sheet yet; no shortlist can be made", c.code, round - 1),
        ));
    }
    let cut = shortlist_cut(c.places, percent);
    let score = |row: &super::view::RankRow| match method {
        Method::Mean => row.mean.clone(),
        Method::Median => row.median.clone(),
        Method::TrimmedMean => row.trimmed_mean.clone(),
        Method::ZMean => row.z_scaled.clone(),
    };
    let items: Vec<ShortlistItem> = view
        .rows
        .iter()
        .filter_map(|row| {
            let basis = if row.rank as u32 <= cut {
                ShortlistBasis::Cut
            } else if !row.non_consensus.is_empty() {
                ShortlistBasis::NonConsensus
            } else {
                return None;
            };
            Some(ShortlistItem {
                number: row.number.clone(),
                title: row.title.clone(),
                rank: row.rank as u32,
                score: score(row),
                basis,
            })
        })
        .collect();
    let list = Shortlist {
        call: c.code.clone(),
        round,
        from_round: round - 1,
        method: method.name().to_string(),
        places: c.places,
        percent,
        cut,
        items,
        made_at,
    };
    let row = ShortlistRow {
        call_id,
        round,
        method: list.method.clone(),
        items: serde_json::to_string(&list.items).expect("shortlist items serialise"),
        made_at: list.made_at.clone(),
        // Only a percent other than the plan's is kept: a plan's shortlist follows its plan.
        percent: chosen.filter(|p| *p != planned),
    };
    Ok((list, row))
}

/// A round's shortlist, if made.
pub fn shortlist(ws: &mut Workspace, call: &str, round: u32) -> Result<Option<Shortlist>> {
    let c = calls::get(ws, call)?;
    let Some(row) = ws.store.read(|s| s.shortlist(&c.id.to_string(), round))? else { return Ok(None) };
    let planned = c.review_plan.rounds.get(round as usize - 1).and_then(|r| r.shortlist_percent).unwrap_or(100);
    let percent = row.percent.unwrap_or(planned);
    Ok(Some(Shortlist {
        call: c.code.clone(),
        round,
        from_round: round - 1,
        method: row.method,
        places: c.places,
        percent,
        cut: shortlist_cut(c.places, percent),
        items: serde_json::from_str(&row.items).unwrap_or_default(),
        made_at: row.made_at,
    }))
}

/// The items a round reviews when it takes a shortlist: `None` for a round without one (every accepted
/// application); refused for a round whose plan sets a shortlist ratio while none is made yet.
pub fn round_items(ws: &mut Workspace, call: &crate::call::Call, round: u32) -> Result<Option<BTreeSet<String>>> {
    let wants =
        round >= 2 && call.review_plan.rounds.get(round as usize - 1).is_some_and(|r| r.shortlist_percent.is_some());
    if !wants {
        return Ok(None);
    }
    match shortlist(ws, &call.id.to_string(), round)? {
        Some(s) => Ok(Some(s.items.into_iter().map(|i| i.number).collect())),
        None => Err(refused(
            "panel.shortlist_missing",
            format!("指南 {} 第 {round} 轮只评入围项目：请先形成入围名单（review shortlist）", call.code),
            format!("call {} round {round} reviews the shortlist only: make it first (review shortlist)", call.code),
        )),
    }
}

/// What a round of the review plan has of 会议评审, for a window deciding what to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PanelRound {
    pub call: String,
    pub round: u32,
    /// The round's kind (`panel_review` …) and its names.
    pub kind: String,
    pub kind_zh: String,
    pub kind_en: String,
    /// The plan's shortlist percent, when the round takes a shortlist.
    pub shortlist_percent: Option<u32>,
    pub places: u32,
    /// Its form is the vote.
    pub vote: bool,
    /// The vote share (`2/3`) of a vote round.
    pub share: Option<String>,
    /// A vote is recorded: the shortlist can no longer change.
    pub voting_started: bool,
}

/// What round `round` of a call has of 会议评审: a shortlist, a vote, neither.
pub fn round_setup(ws: &mut Workspace, call: &str, round: u32) -> Result<PanelRound> {
    let c = calls::get(ws, call)?;
    let r = crate::assign::edit::plan_round(&c, round)?.clone();
    let vote = matches!(r.form, Form::Vote);
    let call_id = c.id.to_string();
    let voting_started = !ws.store.read(|s| s.panel_votes(&call_id, round))?.is_empty();
    Ok(PanelRound {
        call: c.code.clone(),
        round,
        kind: r.kind.code().to_string(),
        kind_zh: r.kind.name().zh.to_string(),
        kind_en: r.kind.name().en.to_string(),
        shortlist_percent: r.shortlist_percent.filter(|_| round >= 2),
        places: c.places,
        vote,
        share: vote.then(|| r.vote_share.to_string()),
        voting_started,
    })
}

/// A panel member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PanelMember {
    pub number: String,
    pub name: String,
}

/// A member stepping out for an item, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SteppingOut {
    pub expert: String,
    /// The conflicts' codes (`hard.same_unit`, `declared.by_expert` …).
    pub codes: Vec<String>,
    /// What each conflict is, as a person reads it (the declared reason, the shared unit …).
    pub reasons_zh: Vec<String>,
    pub reasons_en: Vec<String>,
}

/// The vote recorded on an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Vote {
    pub present: Vec<String>,
    pub stepped_out: Vec<String>,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub recommended: bool,
    pub recorded_at: String,
}

/// One item before the panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PanelItem {
    pub number: String,
    pub title: String,
    /// Its rank on the shortlist (the previous round's), when there is one.
    pub rank: Option<u32>,
    pub stepping_out: Vec<SteppingOut>,
    pub vote: Option<Vote>,
}

/// Items discussed one after the other with the same members stepping out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DiscussionGroup {
    pub stepping_out: Vec<String>,
    pub items: Vec<String>,
}

/// A vote round as the officer runs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PanelView {
    pub call: String,
    pub round: u32,
    /// The share of yes votes that recommends (`2/3`).
    pub share: String,
    pub members: Vec<PanelMember>,
    pub items: Vec<PanelItem>,
    pub order: Vec<DiscussionGroup>,
}

/// Groups items by the set of members who step out: groups in the order of their best-ranked item
/// (unranked last, then by 申报编号), items within a group by rank then 申报编号. Pure.
pub fn discussion_order(items: &[(String, Option<u32>, BTreeSet<String>)]) -> Vec<DiscussionGroup> {
    let key = |rank: Option<u32>, number: &str| (rank.unwrap_or(u32::MAX), number.to_string());
    let mut groups: BTreeMap<BTreeSet<String>, Vec<(u32, String)>> = BTreeMap::new();
    for (number, rank, out) in items {
        groups.entry(out.clone()).or_default().push(key(*rank, number));
    }
    type Group = (Vec<(u32, String)>, BTreeSet<String>);
    let mut out: Vec<Group> = groups
        .into_iter()
        .map(|(set, mut v)| {
            v.sort();
            (v, set)
        })
        .collect();
    out.sort_by(|a, b| a.0[0].cmp(&b.0[0]));
    out.into_iter()
        .map(|(v, set)| DiscussionGroup {
            stepping_out: set.into_iter().collect(),
            items: v.into_iter().map(|(_, n)| n).collect(),
        })
        .collect()
}

/// Whether `yes` votes recommend out of `voters` members present and not conflicted: yes ≥ share × voters.
pub fn recommends(yes: u32, voters: u32, share: Ratio) -> bool {
    voters > 0 && u64::from(yes) * u64::from(share.den) >= u64::from(share.num) * u64::from(voters)
}

struct Round {
    call: crate::call::Call,
    share: Ratio,
    members: Vec<PanelMember>,
    /// (number, title, rank)
    items: Vec<(String, String, Option<u32>)>,
    /// Per item, the members stepping out with their conflicts.
    stepping_out: BTreeMap<String, Vec<SteppingOut>>,
}

fn read_round(ws: &mut Workspace, call: &str, round: u32) -> Result<Round> {
    let c = calls::get(ws, call)?;
    let r = crate::assign::edit::plan_round(&c, round)?.clone();
    if !matches!(r.form, Form::Vote) {
        return Err(refused(
            "panel.not_a_vote",
            format!("指南 {} 第 {round} 轮（{}）不是会上投票", c.code, r.kind.name().zh),
            format!("call {} round {round} ({}) is not a vote", c.code, r.kind.name().en),
        ));
    }
    let assignment = current_assignment(ws, &c, round)?;
    let mut members = Vec::new();
    for number in assignment.keys() {
        let e = experts::get(ws, number)?;
        members.push(PanelMember { number: e.number.clone(), name: e.profile.name.clone() });
    }
    let apps: Vec<_> = call_applications(ws, &c.id.to_string())?
        .into_iter()
        .filter(|(i, _)| i.decision.as_deref() == Some("accept"))
        .collect();
    let listed = shortlist(ws, &c.id.to_string(), round)?;
    let items: Vec<(String, String, Option<u32>)> = match &listed {
        Some(s) => s.items.iter().map(|i| (i.number.clone(), i.title.clone(), Some(i.rank))).collect(),
        None => apps.iter().map(|(i, _)| (i.number.clone(), i.title.clone(), None)).collect(),
    };
    // The same rules as the assignment: hard and declared conflicts always, soft ones unless overridden.
    let pool: Vec<_> = members.iter().map(|m| experts::get(ws, &m.number)).collect::<Result<_>>()?;
    let keyed: Vec<(String, crate::application::Application)> =
        apps.iter().map(|(i, a)| (i.number.clone(), a.clone())).collect();
    let mut by_pair: BTreeMap<(String, String), Vec<Conflict>> = BTreeMap::new();
    let member_set: BTreeSet<&str> = members.iter().map(|m| m.number.as_str()).collect();
    // The call's own collaboration window: the one its conflict listing and assignment use.
    let rules = crate::assign::settings::of_call(ws, &c.id.to_string())?.conflicts();
    for x in find_conflicts(c.year, &keyed, &pool, &rules)
        .into_iter()
        .chain(declared_conflicts(ws, &c.id.to_string())?)
        .filter(|x| x.severity != Severity::Possible && member_set.contains(x.expert.as_str()))
    {
        by_pair.entry((x.application.clone(), x.expert.clone())).or_default().push(x);
    }
    let overridden = overrides(ws, &c.id.to_string())?;
    let mut stepping_out: BTreeMap<String, Vec<SteppingOut>> = BTreeMap::new();
    for ((item, expert), conflicts) in &by_pair {
        let key = (item.clone(), expert.clone());
        if matches!(standing(conflicts, overridden.get(&key)), Standing::Hard(_) | Standing::Soft(_)) {
            stepping_out.entry(item.clone()).or_default().push(SteppingOut {
                expert: expert.clone(),
                codes: conflicts.iter().map(|x| x.code.to_string()).collect(),
                reasons_zh: conflicts.iter().map(|x| x.detail_zh.clone()).collect(),
                reasons_en: conflicts.iter().map(|x| x.detail_en.clone()).collect(),
            });
        }
    }
    Ok(Round { call: c, share: r.vote_share, members, items, stepping_out })
}

fn vote_of(row: &PanelVoteRow) -> Vote {
    Vote {
        present: serde_json::from_str(&row.present).unwrap_or_default(),
        stepped_out: serde_json::from_str(&row.stepped_out).unwrap_or_default(),
        yes: row.yes,
        no: row.no,
        abstain: row.abstain,
        recommended: row.recommended,
        recorded_at: row.recorded_at.clone(),
    }
}

/// A vote round: members, each item's members stepping out and its vote, the discussion order.
pub fn panel(ws: &mut Workspace, call: &str, round: u32) -> Result<PanelView> {
    let r = read_round(ws, call, round)?;
    let votes = ws.store.read(|s| s.panel_votes(&r.call.id.to_string(), round))?;
    let items: Vec<PanelItem> = r
        .items
        .iter()
        .map(|(number, title, rank)| PanelItem {
            number: number.clone(),
            title: title.clone(),
            rank: *rank,
            stepping_out: r.stepping_out.get(number).cloned().unwrap_or_default(),
            vote: votes.iter().find(|v| &v.number == number).map(vote_of),
        })
        .collect();
    let keyed: Vec<(String, Option<u32>, BTreeSet<String>)> = items
        .iter()
        .map(|i| (i.number.clone(), i.rank, i.stepping_out.iter().map(|s| s.expert.clone()).collect()))
        .collect();
    Ok(PanelView {
        call: r.call.code.clone(),
        round,
        share: r.share.to_string(),
        members: r.members,
        order: discussion_order(&keyed),
        items,
    })
}

/// What the chair reports for one item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct VoteInput {
    /// The members present (expert numbers); those stepping out for the item are set aside.
    pub present: Vec<String>,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

/// Records the panel's vote on `item` (audited `decision`).
pub fn record_vote(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    item: &str,
    input: &VoteInput,
    at: Moment,
) -> Result<PanelItem> {
    let r = read_round(ws, call, round)?;
    let Some((number, title, rank)) = r.items.iter().find(|(n, _, _)| n == item).cloned() else {
        return Err(CoreError::NotFound {
            what: format!(
                "指南 {} 第 {round} 轮待表决的项目 / item before the panel of call {} round {round}",
                r.call.code, r.call.code
            ),
            key: item.to_string(),
        });
    };
    let members: BTreeSet<&str> = r.members.iter().map(|m| m.number.as_str()).collect();
    let mut present: Vec<String> = input.present.iter().map(|p| p.trim().to_string()).collect();
    present.sort();
    present.dedup();
    if let Some(stranger) = present.iter().find(|p| !members.contains(p.as_str())) {
        return Err(invalid(
            "present",
            format!("{stranger} 不是本轮评审组成员"),
            format!("{stranger} is not a member of this round's panel"),
        ));
    }
    let conflicted: BTreeSet<String> =
        r.stepping_out.get(&number).map(|v| v.iter().map(|s| s.expert.clone()).collect()).unwrap_or_default();
    let stepped_out: Vec<String> = present.iter().filter(|p| conflicted.contains(*p)).cloned().collect();
    let voters = (present.len() - stepped_out.len()) as u32;
    if voters == 0 {
        return Err(invalid(
            "present",
            format!("{number}：到会且无需回避的成员为 0，无法表决"),
            format!("{number}: no member present is free of conflicts; the item cannot be voted on"),
        ));
    }
    let cast = input.yes + input.no + input.abstain;
    if cast != voters {
        return Err(invalid(
            "votes",
            format!(
                "{number}：同意 {}、不同意 {}、弃权 {} 共 {cast} 票，应等于到会且无需回避的 {voters} 人",
                input.yes, input.no, input.abstain
            ),
            format!(
                "{number}: {} yes, {} no and {} abstaining make {cast} votes; they must equal the {voters} members present and not conflicted",
                input.yes, input.no, input.abstain
            ),
        ));
    }
    let recommended = recommends(input.yes, voters, r.share);
    let row = PanelVoteRow {
        call_id: r.call.id.to_string(),
        round,
        number: number.clone(),
        present: serde_json::to_string(&present).expect("names serialise"),
        stepped_out: serde_json::to_string(&stepped_out).expect("names serialise"),
        yes: input.yes,
        no: input.no,
        abstain: input.abstain,
        recommended,
        recorded_at: at.to_string(),
    };
    let ev = event("panel_vote", format!("{}/{round}/{number}", r.call.code), &row).with_detail(&serde_json::json!({
        "yes": input.yes, "no": input.no, "abstain": input.abstain, "voters": voters,
        "stepped_out": stepped_out, "recommended": recommended, "share": r.share.to_string(),
    }));
    ws.store.write(ev, |w| w.panel_vote_put(&row))?;
    Ok(PanelItem {
        number,
        title,
        rank,
        stepping_out: r.stepping_out.get(item).cloned().unwrap_or_default(),
        vote: Some(vote_of(&row)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn items_with_the_same_members_stepping_out_are_discussed_together() {
        let items = vec![
            ("N1".to_string(), Some(1), set(&[])),
            ("N2".to_string(), Some(2), set(&["E2"])),
            ("N3".to_string(), Some(3), set(&[])),
            ("N4".to_string(), Some(4), set(&["E2"])),
            ("N5".to_string(), Some(5), set(&["E1", "E2"])),
            ("N6".to_string(), None, set(&["E1", "E2"])),
        ];
        let order = discussion_order(&items);
        let flat: Vec<(Vec<String>, Vec<String>)> = order.into_iter().map(|g| (g.stepping_out, g.items)).collect();
        assert_eq!(
            flat,
            vec![
                (vec![], vec!["N1".to_string(), "N3".into()]),
                (vec!["E2".to_string()], vec!["N2".to_string(), "N4".into()]),
                (vec!["E1".to_string(), "E2".into()], vec!["N5".to_string(), "N6".into()]),
            ]
        );
    }

    #[test]
    fn a_vote_recommends_at_the_share_of_members_present_and_not_conflicted_exactly() {
        let two_thirds = Ratio::new(2, 3);
        // 7 present, 1 steps out: 6 voters, 4 yes is exactly 2/3.
        assert!(recommends(4, 6, two_thirds));
        assert!(!recommends(3, 6, two_thirds));
        // 5 voters: 10/3 = 3.33…, so 3 yes is short and 4 recommends.
        assert!(!recommends(3, 5, two_thirds));
        assert!(recommends(4, 5, two_thirds));
        assert!(!recommends(0, 0, two_thirds), "nobody to vote recommends nothing");
    }

    #[test]
    fn the_shortlist_takes_the_ceiling_of_the_share_of_places() {
        assert_eq!(shortlist_cut(5, 120), 6);
        assert_eq!(shortlist_cut(4, 120), 5, "4.8 rounds up");
        assert_eq!(shortlist_cut(1, 100), 1);
        assert_eq!(shortlist_cut(0, 120), 1);
    }

    #[test]
    fn a_shortlist_goes_to_the_panel_which_votes_with_conflicted_members_stepping_out() {
        use crate::assign::desk::{run, Options};
        let mut w = crate::review::decision_tests::reviewed();
        let code = w.call.code.clone();
        let n = w.numbers.clone();
        let t0 = Moment::parse("2027-05-20T09:00:00+08:00").unwrap();
        assert_eq!(w.call.review_plan.rounds[1].shortlist_percent, Some(120), "the demo plan: 120% of the places");

        // Round 2 takes the shortlist only, and only once it is made.
        let opts = Options { per_item: Some(3), max_load: Some(3), ..Options::default() };
        let err = run(&mut w.office.ws, &code, 2, &opts).unwrap_err();
        assert_eq!(err.code(), "panel.shortlist_missing");
        let err = make_shortlist(&mut w.office.ws, &code, 1, Method::Mean, t0).unwrap_err();
        assert_eq!(err.code(), "panel.no_shortlist_round");
        let list = make_shortlist(&mut w.office.ws, &code, 2, Method::Mean, t0).unwrap();
        // One place: ⌈1.2⌉ = 2 items by the mean, the first two of the ranking.
        assert_eq!(list.cut, 2);
        let numbers: Vec<&str> = list.items.iter().map(|i| i.number.as_str()).collect();
        assert_eq!(numbers, [n[0].as_str(), n[1].as_str()]);
        assert!(list.items.iter().all(|i| i.basis == ShortlistBasis::Cut));
        let a = run(&mut w.office.ws, &code, 2, &opts).unwrap();
        let crate::assign::Outcome::Assigned(a) = &a.outcome else { panic!("{:?}", a.outcome) };
        let assigned: BTreeSet<&str> = a.pairs.iter().map(|p| p.item.as_str()).collect();
        assert_eq!(assigned, BTreeSet::from([n[0].as_str(), n[1].as_str()]), "the third item is not before the panel");

        // At the meeting, one member declares a conflict with the first item (recorded as an imported return
        // records it).
        let call_id = w.call.id.to_string();
        let packet = w.office.ws.store.read(|r| r.review_packets_issued(&call_id, 1)).unwrap().remove(0);
        let conflicted = packet.expert_number.clone();
        let row = lixiang_store::ReceivedConflictRow {
            call_id: w.call.id.to_string(),
            round: 1,
            number: n[0].clone(),
            expert_number: conflicted.clone(),
            packet_id: packet.packet_id.clone(),
            reason: "与负责人同一课题组".into(),
            declared_at: t0.to_string(),
            package_id: "k".into(),
        };
        let ev = AuditEvent::new(AuditAction::Import, "test", "declared".to_string(), "0".repeat(64));
        w.office.ws.store.write(ev, |s| s.review_conflict_declared_insert(&row)).unwrap();

        // The panel: the experts of the round; a vote needs every present, unconflicted member's vote.
        let view = panel(&mut w.office.ws, &code, 2).unwrap();
        let first = view.items.iter().find(|i| i.number == n[0]).unwrap();
        assert_eq!(first.stepping_out.len(), 1);
        assert_eq!(
            (first.stepping_out[0].expert.as_str(), first.stepping_out[0].codes.as_slice()),
            (conflicted.as_str(), &["declared.by_expert".to_string()][..])
        );
        assert_eq!(view.order.len(), 2, "the items have different members stepping out");
        assert_eq!(view.share, "2/3");
        assert_eq!(view.items.len(), 2);
        assert_eq!(view.order.iter().map(|g| g.items.len()).sum::<usize>(), 2);
        let members: Vec<String> = view.members.iter().map(|m| m.number.clone()).collect();
        assert_eq!(members.len(), 3);
        let vote = |yes, no, abstain| VoteInput { present: members.clone(), yes, no, abstain };
        let err = record_vote(&mut w.office.ws, &code, 2, &n[0], &vote(3, 0, 0), t0).unwrap_err();
        assert_eq!(err.code(), "input.invalid", "three present, one steps out, three votes: {err}");
        let err = record_vote(&mut w.office.ws, &code, 2, &n[1], &vote(2, 0, 0), t0).unwrap_err();
        assert_eq!(err.code(), "input.invalid", "three members present, two votes: {err}");
        let err = record_vote(&mut w.office.ws, &code, 2, &n[2], &vote(3, 0, 0), t0).unwrap_err();
        assert_eq!(err.code(), "not_found", "not on the shortlist");
        let stranger = VoteInput { present: vec!["ZJ999999".into()], yes: 1, no: 0, abstain: 0 };
        let err = record_vote(&mut w.office.ws, &code, 2, &n[0], &stranger, t0).unwrap_err();
        assert_eq!(err.code(), "input.invalid");
        // 2 of the 2 who stay recommend the first; 1 of 3 does not recommend the second.
        let first = record_vote(&mut w.office.ws, &code, 2, &n[0], &vote(2, 0, 0), t0).unwrap();
        let v = first.vote.unwrap();
        assert!(v.recommended);
        assert_eq!(v.stepped_out, std::slice::from_ref(&conflicted));
        let second = record_vote(&mut w.office.ws, &code, 2, &n[1], &vote(1, 1, 1), t0).unwrap();
        assert!(!second.vote.unwrap().recommended);
        // Votes freeze the shortlist; the panel shows them.
        let err = make_shortlist(&mut w.office.ws, &code, 2, Method::Mean, t0).unwrap_err();
        assert_eq!(err.code(), "panel.votes_recorded");
        let view = panel(&mut w.office.ws, &code, 2).unwrap();
        assert_eq!(view.items.iter().filter(|i| i.vote.as_ref().is_some_and(|v| v.recommended)).count(), 1);
    }

    #[test]
    fn a_shortlist_is_previewed_then_made_at_the_officers_percent_and_keeps_it() {
        let mut w = crate::review::decision_tests::reviewed();
        let code = w.call.code.clone();
        let n = w.numbers.clone();
        let t0 = Moment::parse("2027-05-20T09:00:00+08:00").unwrap();
        let ws = &mut w.office.ws;
        let setup = round_setup(ws, &code, 2).unwrap();
        assert_eq!((setup.shortlist_percent, setup.places, setup.vote), (Some(120), 1, true));
        assert_eq!(
            (setup.share.as_deref(), setup.voting_started, setup.kind_zh.as_str()),
            (Some("2/3"), false, "会议评审")
        );
        let first = round_setup(ws, &code, 1).unwrap();
        assert_eq!((first.shortlist_percent, first.vote, first.share), (None, false, None));

        // 300% of one place: ⌈3⌉ = 3 items, all of them; previewing writes nothing.
        let preview = preview_shortlist(ws, &code, 2, Method::Mean, Some(300)).unwrap();
        assert_eq!((preview.percent, preview.cut, preview.items.len()), (300, 3, 3));
        assert_eq!(preview.items[2].number, n[2]);
        assert!(shortlist(ws, &code, 2).unwrap().is_none(), "a preview is not a shortlist");
        let events = ws.store.read(|r| r.audit_events()).unwrap().len();
        preview_shortlist(ws, &code, 2, Method::Mean, None).unwrap();
        assert_eq!(ws.store.read(|r| r.audit_events()).unwrap().len(), events, "nor an audit event");
        for wrong in [99, 501] {
            let err = preview_shortlist(ws, &code, 2, Method::Mean, Some(wrong)).unwrap_err();
            assert_eq!(err.code(), "input.invalid", "{wrong}");
        }

        // Made at 300%, it is read back at 300% with its cut; made again at the plan's, at 120%.
        make_shortlist_at(ws, &code, 2, Method::Mean, Some(300), t0).unwrap();
        let held = shortlist(ws, &code, 2).unwrap().unwrap();
        assert_eq!((held.percent, held.cut, held.items.len()), (300, 3, 3));
        make_shortlist_at(ws, &code, 2, Method::Mean, None, t0).unwrap();
        let held = shortlist(ws, &code, 2).unwrap().unwrap();
        assert_eq!((held.percent, held.cut, held.items.len()), (120, 2, 2));
    }
}
