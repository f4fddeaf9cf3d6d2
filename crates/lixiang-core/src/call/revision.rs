//! Revisions of a call. A published call is frozen: changing it makes revision n+1 (same id), which
//! applicants receive as a new call package; [`changes`] lists, field by field and in both languages,
//! what the new revision changed, so that an applicant sees what to redo.
//!
//! [`Call::publish`] and [`Call::next_revision`] move a call along; [`check_edit`] is what the store asks
//! before writing over a stored call, [`check_revision`] what it asks before accepting revision n+1.

use super::review::{Form, Round};
use super::{Call, CallStatus, Contest, Mode};
use crate::calendar::Moment;
use crate::lang::Bilingual;
use crate::validate::{has_errors, Problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

impl Call {
    /// Publishes a draft at `at` when [`super::validate_call`] finds no error; refuses otherwise, or when
    /// the call is already published. Warnings do not block and are returned.
    pub fn publish(&mut self, at: Moment) -> Result<Vec<Problem>, Vec<Problem>> {
        if self.is_published() {
            return Err(vec![frozen()]);
        }
        let problems = super::validate_call(self);
        if has_errors(&problems) {
            return Err(problems);
        }
        self.status = CallStatus::Published { at };
        Ok(problems)
    }

    /// A draft of revision n+1 of a published call, with the same id and content, to be edited and
    /// published in its turn. A draft is edited in place instead.
    pub fn next_revision(&self) -> Result<Call, Problem> {
        if !self.is_published() {
            return Err(Problem::error(
                "call.revision.draft",
                "status",
                "草稿可直接修改，无需新建修订版",
                "A draft is edited directly; a new revision is only for a published call",
            ));
        }
        let mut next = self.clone();
        next.revision += 1;
        next.status = CallStatus::Draft;
        Ok(next)
    }
}

/// The problem a change to a published revision gets.
pub(crate) fn frozen_problem() -> Problem {
    frozen()
}

fn frozen() -> Problem {
    Problem::error(
        "call.frozen",
        "status",
        "指南已发布，不能再修改；请新建修订版，申报者将收到修订说明",
        "The call is published and frozen: make a new revision, which applicants receive with a list of changes",
    )
}

/// Whether `edited` may be written over `stored`: a published revision may not change at all.
pub fn check_edit(stored: &Call, edited: &Call) -> Result<(), Problem> {
    if stored.id != edited.id || stored.revision != edited.revision {
        return Err(Problem::error(
            "call.edit.other_revision",
            "revision",
            format!("要保存的是另一指南或另一修订版（第 {} 版），不能覆盖第 {} 版", edited.revision, stored.revision),
            format!(
                "This is another call or revision ({}); it cannot overwrite revision {}",
                edited.revision, stored.revision
            ),
        ));
    }
    if stored.is_published() && stored != edited {
        return Err(frozen());
    }
    Ok(())
}

/// Whether `next` may follow `prev` as its next revision: same call, revision n+1, same programme and
/// mode (an applicant's work is prepared for them: changing either is a new call), and a new review-plan
/// version whenever the plan changed (experts' forms are tied to the version).
pub fn check_revision(prev: &Call, next: &Call) -> Vec<Problem> {
    let mut out = Vec::new();
    if prev.id != next.id {
        out.push(Problem::error(
            "call.revision.other_call",
            "id",
            "修订版必须属于同一指南",
            "A revision belongs to the same call",
        ));
    }
    if !prev.is_published() {
        out.push(Problem::error(
            "call.revision.draft",
            "status",
            "前一版尚未发布，请直接修改草稿",
            "The previous revision is not published: edit the draft instead",
        ));
    }
    if next.revision != prev.revision + 1 {
        out.push(Problem::error(
            "call.revision.number",
            "revision",
            format!("修订版号应为 {}，现为 {}", prev.revision + 1, next.revision),
            format!("The revision must be {}, not {}", prev.revision + 1, next.revision),
        ));
    }
    if prev.programme != next.programme {
        out.push(Problem::error(
            "call.revision.programme_changed",
            "programme",
            "修订版不能更换专项；请另发新指南",
            "A revision cannot change the programme: publish a new call instead",
        ));
    }
    if prev.mode.code() != next.mode.code() {
        out.push(Problem::error(
            "call.revision.mode_changed",
            "mode",
            "修订版不能更换遴选方式；请另发新指南",
            "A revision cannot change the selection mode: publish a new call instead",
        ));
    }
    if prev.review_plan.rounds != next.review_plan.rounds && next.review_plan.version <= prev.review_plan.version {
        out.push(Problem::error(
            "call.revision.review_plan_version",
            "review_plan.version",
            format!("评审计划已改动，版本号应大于 {}", prev.review_plan.version),
            format!("The review plan changed: its version must be above {}", prev.review_plan.version),
        ));
    }
    out
}

/// One changed field between two revisions, for applicants: `before` is `None` for something added,
/// `after` is `None` for something removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// Where, as a path; list entries are keyed by their code (`sections[content].max_chars` is under
    /// `sections[content]`) so that inserting one does not show every later one as changed.
    pub field: String,
    pub label: Bilingual,
    pub before: Option<Bilingual>,
    pub after: Option<Bilingual>,
}

/// What changed from `old` to `new`, field by field, in the order of the call's fields.
pub fn changes(old: &Call, new: &Call) -> Vec<Change> {
    let a = describe(old);
    let b = describe(new);
    let before: BTreeMap<&str, &Line> = a.iter().map(|l| (l.field.as_str(), l)).collect();
    let after: BTreeMap<&str, &Line> = b.iter().map(|l| (l.field.as_str(), l)).collect();
    let mut out = Vec::new();
    // New order first (what the applicant reads now), then whatever was removed, in old order.
    for l in &b {
        match before.get(l.field.as_str()) {
            Some(o) if o.value == l.value => {}
            o => out.push(Change {
                field: l.field.clone(),
                label: l.label.clone(),
                before: o.map(|o| o.value.clone()),
                after: Some(l.value.clone()),
            }),
        }
    }
    for l in &a {
        if !after.contains_key(l.field.as_str()) {
            out.push(Change {
                field: l.field.clone(),
                label: l.label.clone(),
                before: Some(l.value.clone()),
                after: None,
            });
        }
    }
    out
}

/// One field of a call as people read it.
struct Line {
    field: String,
    label: Bilingual,
    value: Bilingual,
}

fn same(s: impl Into<String>) -> Bilingual {
    let s = s.into();
    Bilingual::new(s.clone(), s)
}

fn yes_no(b: bool) -> Bilingual {
    if b {
        Bilingual::new("是", "yes")
    } else {
        Bilingual::new("否", "no")
    }
}

fn or_none(v: Option<String>) -> Bilingual {
    v.map(same).unwrap_or_else(|| Bilingual::new("不限", "no limit"))
}

fn en_or_zh(b: &Bilingual) -> String {
    if b.en.trim().is_empty() {
        b.zh.clone()
    } else {
        b.en.clone()
    }
}

fn text(b: &Bilingual) -> Bilingual {
    Bilingual::new(b.zh.clone(), en_or_zh(b))
}

struct Lines(Vec<Line>);

impl Lines {
    fn push(&mut self, field: impl Into<String>, zh: &str, en: &str, value: Bilingual) {
        self.0.push(Line { field: field.into(), label: Bilingual::new(zh, en), value });
    }
}

fn describe(c: &Call) -> Vec<Line> {
    let mut l = Lines(Vec::new());
    l.push("code", "指南编号", "call code", same(&c.code));
    l.push("programme", "专项", "programme", same(&c.programme));
    l.push("title", "指南名称", "title", text(&c.title));
    l.push("year", "年度", "year", same(c.year.to_string()));
    l.push("mode", "遴选方式", "selection mode", c.mode.name());
    l.push("category", "项目类别", "category", c.category.name());
    l.push(
        "management",
        "管理模式",
        "management model",
        c.management.map(|m| m.name()).unwrap_or_else(|| Bilingual::new("未指定", "not set")),
    );
    l.push("opens_at", "开始时间", "opening time", same(c.opens_at.to_string()));
    l.push("closes_at", "截止时间", "closing time", same(c.closes_at.to_string()));
    l.push("funding_per_project", "单项资助额度", "funding per project", same(c.funding_per_project.to_string()));
    l.push("funding_total", "资助总额", "total funding", same(c.funding_total.to_string()));
    l.push("places", "拟支持项目数", "places", same(c.places.to_string()));
    l.push("period", "实施周期", "period", same(format!("{} – {}", c.period.start, c.period.end)));
    l.push("budget.schema", "经费预算规则", "budget rules", same(c.budget.schema.to_string()));
    l.push("budget.pure_theory", "纯理论基础研究", "pure theoretical research", yes_no(c.budget.pure_theory));
    mode_lines(c, &mut l);
    for s in &c.sections {
        let limit = s.max_chars.map(|n| (format!("，限 {n} 字"), format!(", up to {n} characters")));
        let (lz, le) = limit.unwrap_or_default();
        let (bz, be) = if s.blind_reviewable { ("，盲评可见", ", shown in blind review") } else { ("", "") };
        let (rz, re) = if s.required { ("必填", "required") } else { ("选填", "optional") };
        l.push(
            format!("sections[{}]", s.code),
            &format!("章节：{}", s.name.zh),
            &format!("section: {}", en_or_zh(&s.name)),
            Bilingual::new(format!("{rz}{lz}{bz}"), format!("{re}{le}{be}")),
        );
    }
    for a in &c.attachments {
        let (rz, re) = if a.required { ("必交", "required") } else { ("选交", "optional") };
        let size = format_bytes(a.max_bytes);
        let formats = a.formats.join("/");
        l.push(
            format!("attachments[{}]", a.code),
            &format!("附件：{}", a.name.zh),
            &format!("attachment: {}", en_or_zh(&a.name)),
            Bilingual::new(format!("{rz}，不超过 {size}，{formats}"), format!("{re}, at most {size}, {formats}")),
        );
    }
    let e = &c.eligibility;
    l.push(
        "eligibility.unit_registered_by",
        "单位注册时间不晚于",
        "unit registered by",
        or_none(e.unit_registered_by.map(|d| d.to_string())),
    );
    l.push(
        "eligibility.leader_max_age",
        "负责人年龄上限",
        "leader's age limit",
        or_none(e.leader_max_age.map(|a| a.to_string())),
    );
    l.push(
        "eligibility.leader_min_title",
        "负责人最低职称",
        "leader's minimum title",
        e.leader_min_title
            .map(|t| match t {
                super::Title::Intermediate => Bilingual::new("中级", "intermediate"),
                super::Title::AssociateSenior => Bilingual::new("副高级", "associate senior"),
                super::Title::Senior => Bilingual::new("正高级", "senior"),
            })
            .unwrap_or_else(|| Bilingual::new("不限", "no limit")),
    );
    l.push(
        "eligibility.leader_min_degree",
        "负责人最低学历",
        "leader's minimum degree",
        e.leader_min_degree
            .map(|d| match d {
                super::Degree::Bachelor => Bilingual::new("学士", "bachelor"),
                super::Degree::Master => Bilingual::new("硕士", "master"),
                super::Degree::Doctor => Bilingual::new("博士", "doctor"),
            })
            .unwrap_or_else(|| Bilingual::new("不限", "no limit")),
    );
    l.push(
        "eligibility.max_concurrent_projects",
        "限项",
        "concurrent project limit",
        or_none(e.max_concurrent_projects.map(|n| n.to_string())),
    );
    l.push(
        "eligibility.xizang_unit_required",
        "须有区内单位",
        "a unit in Xizang required",
        yes_no(e.xizang_unit_required),
    );
    for ind in &c.core_indicators {
        let lock = if ind.locked { ("（锁定）", " (locked)") } else { ("", "") };
        let link = ind.plan_target.as_deref().map(|t| format!(" → {t}")).unwrap_or_default();
        l.push(
            format!("core_indicators[{}]", ind.code),
            &format!("核心指标：{}", ind.name.zh),
            &format!("core indicator: {}", en_or_zh(&ind.name)),
            Bilingual::new(
                format!("{} {} {}{}{link}", ind.direction.symbol(), ind.target, ind.unit, lock.0),
                format!("{} {} {}{}{link}", ind.direction.symbol(), ind.target, ind.unit, lock.1),
            ),
        );
    }
    l.push("review_plan.version", "评审计划版本", "review plan version", same(c.review_plan.version.to_string()));
    for (i, r) in c.review_plan.rounds.iter().enumerate() {
        round_lines(i, r, &mut l);
    }
    l.0
}

fn mode_lines(c: &Call, l: &mut Lines) {
    match &c.mode {
        Mode::OpenCompetition { .. } => {}
        Mode::Challenge(ch) => {
            l.push("mode.task", "榜单任务", "task", text(&ch.task));
            l.push(
                "mode.end_user",
                "发榜方",
                "end user",
                same(format!("{}（{}）", ch.end_user.name, ch.end_user.credit_code)),
            );
            match &ch.contest {
                Contest::Single => {}
                Contest::Race(r) => {
                    l.push("mode.contest.teams", "并行团队数", "teams in parallel", same(r.teams.to_string()));
                    l.push(
                        "mode.contest.first_tranche",
                        "首笔资金",
                        "first tranche",
                        same(r.first_tranche.to_string()),
                    );
                    for m in &r.milestones {
                        let inds = m.indicators.join("、");
                        l.push(
                            format!("mode.contest.milestones[{}]", m.code),
                            &format!("里程碑：{}", m.name.zh),
                            &format!("milestone: {}", en_or_zh(&m.name)),
                            Bilingual::new(
                                format!("{} 考核 {inds}，拨付 {}", m.due, m.tranche),
                                format!("due {}, examines {}, releases {}", m.due, m.indicators.join(", "), m.tranche),
                            ),
                        );
                    }
                }
                Contest::Bounty(b) => {
                    l.push("mode.contest.reward", "悬赏金额", "reward", same(b.reward.to_string()));
                    for (i, p) in b.split.iter().enumerate() {
                        let (wz, we) = match p.when {
                            super::PayoutWhen::Agreement => ("签约时", "at the agreement"),
                            super::PayoutWhen::Acceptance => ("验收达标后", "on acceptance"),
                        };
                        l.push(
                            format!("mode.contest.split[{i}]"),
                            &format!("悬赏分配：{}", p.label.zh),
                            &format!("payout: {}", en_or_zh(&p.label)),
                            Bilingual::new(format!("{}%，{wz}", p.percent), format!("{}%, {we}", p.percent)),
                        );
                    }
                }
            }
        }
        Mode::DirectedCommission { units } => {
            for u in units {
                l.push(
                    format!("mode.units[{}]", u.credit_code),
                    "委托单位",
                    "commissioned unit",
                    same(format!("{}（{}）", u.name, u.credit_code)),
                );
            }
        }
    }
}

fn round_lines(i: usize, r: &Round, l: &mut Lines) {
    let k = r.kind.name();
    let form = r.form.name();
    let (bz, be) = if r.blind { ("，盲评", ", blind") } else { ("", "") };
    let share =
        r.industry_user_min.map(|s| (format!("，行业用户不少于 {s}"), format!(", industry users at least {s}")));
    let (sz, se) = share.unwrap_or_default();
    let short = r.shortlist_percent.map(|p| (format!("，入围 {p}%"), format!(", shortlist {p}%")));
    let (pz, pe) = short.unwrap_or_default();
    let trim = if r.trimming {
        (format!("，满 {} 份去极值", r.trimming_min), format!(", trimmed from {} sheets", r.trimming_min))
    } else {
        (String::new(), String::new())
    };
    l.push(
        format!("review_plan.rounds[{i}]"),
        &format!("第 {} 轮评审", i + 1),
        &format!("review round {}", i + 1),
        Bilingual::new(
            format!(
                "{}，每项 {} 位专家{bz}，{}{}，非共识阈值 {} 分，表决比例 {}{sz}{pz}",
                k.zh, r.experts, form.zh, trim.0, r.non_consensus, r.vote_share
            ),
            format!(
                "{}, {} experts per item{be}, {}{}, non-consensus at {} points, vote share {}{se}{pe}",
                k.en, r.experts, form.en, trim.1, r.non_consensus, r.vote_share
            ),
        ),
    );
    match &r.form {
        Form::Scored(rubric) => {
            for c in &rubric.criteria {
                let bands: Vec<String> = c.bands.iter().map(|b| format!("{}–{}", b.low, b.high)).collect();
                l.push(
                    format!("review_plan.rounds[{i}].form.criteria[{}]", c.id),
                    &format!("第 {} 轮评分指标：{}", i + 1, c.name.zh),
                    &format!("round {} criterion: {}", i + 1, en_or_zh(&c.name)),
                    Bilingual::new(
                        format!("满分 {}，分档 {}", c.weight, bands.join(" / ")),
                        format!("{} points, bands {}", c.weight, bands.join(" / ")),
                    ),
                );
            }
        }
        Form::Verdicts(v) => {
            for item in &v.items {
                l.push(
                    format!("review_plan.rounds[{i}].form.items[{}]", item.id),
                    &format!("第 {} 轮论证事项", i + 1),
                    &format!("round {} verdict item", i + 1),
                    text(&item.name),
                );
            }
        }
        Form::Vote => {}
    }
}

fn format_bytes(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    const KB: u64 = 1024;
    if n >= MB && n.is_multiple_of(MB) {
        format!("{} MB", n / MB)
    } else if n >= KB && n.is_multiple_of(KB) {
        format!("{} KB", n / KB)
    } else {
        format!("{n} B")
    }
}

#[cfg(test)]
mod tests {
    use super::super::{demo_calls, AttachmentRule};
    use super::*;
    use crate::money::Fen;

    fn demo(code: &str) -> Call {
        demo_calls().unwrap().into_iter().find(|c| c.code == code).unwrap()
    }

    fn at(text: &str) -> Moment {
        Moment::parse(text).unwrap()
    }

    #[test]
    fn publishing_freezes_and_an_edit_is_the_next_revision() {
        let mut call = demo("2027-ZX01-01");
        assert_eq!(call.publish(at("2026-10-20T10:00:00+08:00")), Ok(vec![]));
        assert!(call.is_published());
        let again = call.clone().publish(at("2026-10-21T10:00:00+08:00")).unwrap_err();
        assert_eq!(again[0].code, "call.frozen");

        let mut edited = call.clone();
        edited.funding_total = Fen::from_wan_whole(1500);
        assert_eq!(check_edit(&call, &edited).unwrap_err().code, "call.frozen");
        assert_eq!(check_edit(&call, &call.clone()), Ok(()));

        let mut next = call.next_revision().unwrap();
        assert_eq!((next.revision, next.id, next.is_published()), (2, call.id, false));
        next.funding_total = Fen::from_wan_whole(1500);
        assert_eq!(check_edit(&call.next_revision().unwrap(), &next), Ok(()), "a draft may change");
        assert_eq!(check_edit(&call, &next).unwrap_err().code, "call.edit.other_revision");
        assert_eq!(check_revision(&call, &next), vec![]);
        assert!(next.publish(at("2026-11-05T10:00:00+08:00")).is_ok());

        let draft = demo("2027-ZX02-01");
        assert_eq!(draft.next_revision().unwrap_err().code, "call.revision.draft");
    }

    #[test]
    fn a_call_with_errors_is_not_published() {
        let mut call = demo("2027-ZX01-01");
        call.places = 5;
        let problems = call.publish(at("2026-10-20T10:00:00+08:00")).unwrap_err();
        assert_eq!(problems.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), vec!["call.funding_over_total"]);
        assert!(!call.is_published());
    }

    #[test]
    fn a_revision_keeps_programme_and_mode_and_versions_a_changed_plan() {
        let mut call = demo("2027-ZX01-01");
        call.publish(at("2026-10-20T10:00:00+08:00")).unwrap();
        let mut next = call.next_revision().unwrap();
        next.programme = "ZX02".into();
        next.mode = demo("2027-ZX02-01").mode;
        next.review_plan.rounds[0].experts = 7;
        let codes: Vec<String> = check_revision(&call, &next).into_iter().map(|p| p.code).collect();
        assert_eq!(
            codes,
            ["call.revision.programme_changed", "call.revision.mode_changed", "call.revision.review_plan_version"]
        );
        let mut next = call.next_revision().unwrap();
        next.review_plan.rounds[0].experts = 7;
        next.review_plan.version = 2;
        assert_eq!(check_revision(&call, &next), vec![]);
    }

    #[test]
    fn changes_are_listed_field_by_field_in_both_languages() {
        let old = demo("2027-ZX01-01");
        let mut new = old.next_revision_unchecked();
        new.closes_at = at("2027-01-31T17:30:00+08:00");
        new.funding_total = Fen::from_wan_whole(1500);
        new.sections.iter_mut().find(|s| s.code == "content").unwrap().max_chars = Some(20_000);
        new.attachments.push(AttachmentRule {
            code: "ethics".into(),
            name: Bilingual::new("伦理审查意见", "Ethics approval"),
            required: true,
            max_bytes: 10 * 1024 * 1024,
            formats: vec!["pdf".into()],
        });
        new.core_indicators.remove(1);
        new.review_plan.rounds[0].experts = 7;
        new.review_plan.version = 2;

        let ch = changes(&old, &new);
        let fields: Vec<&str> = ch.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "closes_at",
                "funding_total",
                "sections[content]",
                "attachments[ethics]",
                "review_plan.version",
                "review_plan.rounds[0]",
                "core_indicators[I2]",
            ]
        );
        let funding = &ch[1];
        assert_eq!(funding.label, Bilingual::new("资助总额", "total funding"));
        assert_eq!(funding.before.as_ref().unwrap().zh, "1,200.0000 万元");
        assert_eq!(funding.after.as_ref().unwrap().en, "1,500.0000 万元");
        let section = &ch[2];
        assert!(section.after.as_ref().unwrap().zh.contains("限 20000 字"), "{section:?}");
        assert!(section.after.as_ref().unwrap().en.contains("up to 20000 characters"), "{section:?}");
        assert!(ch[3].before.is_none(), "an added attachment has no before");
        assert_eq!(ch[3].after.as_ref().unwrap().en, "required, at most 10 MB, pdf");
        assert!(ch[6].after.is_none(), "a removed indicator has no after");
        assert!(ch[6].before.as_ref().unwrap().zh.starts_with("≥ 85 %"));
        assert_eq!(changes(&old, &old), vec![]);
    }

    impl Call {
        /// The next revision of a call whether or not it is published (tests of the diff only).
        fn next_revision_unchecked(&self) -> Call {
            let mut next = self.clone();
            next.revision += 1;
            next
        }
    }
}
