//! [`validate_call`]: whether a call is consistent enough to publish. Every problem names the field (a
//! path into the call's JSON, indices from 0), says in Chinese and English what is wrong and what to do,
//! and carries a stable code (`call.…`). Errors block publishing; warnings are shown.
//!
//! Only what the call itself decides is checked here: that the programme exists in the catalog, that the
//! budget schema and templates are known, and the call against applications are the callers' checks.

use super::review::{Form, Ratio, Round, RoundKind, VerdictScale};
use super::{Call, Category, Contest, Mode, PLEDGE};
use crate::money::Fen;
use crate::validate::{CreditCode, Problem};
use std::collections::BTreeSet;

/// The largest attachment a call may allow: a package travels on USB sticks and by e-mail.
pub const MAX_ATTACHMENT_BYTES: u64 = 200 * 1024 * 1024;

fn err(code: &str, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Problem {
    Problem::error(code, field, zh, en)
}

fn warn(code: &str, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Problem {
    Problem::warning(code, field, zh, en)
}

/// Every problem of `call`, errors and warnings, in field order.
pub fn validate_call(call: &Call) -> Vec<Problem> {
    let mut out = Vec::new();
    header(call, &mut out);
    funding(call, &mut out);
    sections(call, &mut out);
    eligibility(call, &mut out);
    indicators(call, &mut out);
    mode(call, &mut out);
    review_plan(call, &mut out);
    out
}

fn is_programme(code: &str) -> bool {
    code.len() == 4 && code.starts_with("ZX0") && matches!(code.as_bytes()[3], b'1'..=b'8')
}

fn header(call: &Call, out: &mut Vec<Problem>) {
    if !is_programme(&call.programme) {
        out.push(err(
            "call.programme_unknown",
            "programme",
            format!("专项代码“{}”不存在：应为 ZX01 至 ZX08 之一", call.programme),
            format!("There is no programme “{}”: use one of ZX01 to ZX08", call.programme),
        ));
    }
    let expected_prefix = format!("{}-{}-", call.year, call.programme);
    let seq = call.code.strip_prefix(&expected_prefix);
    if !seq.is_some_and(|s| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) && s != "00") {
        out.push(err(
            "call.code_format",
            "code",
            format!("指南编号“{}”应为 {}NN（年度-专项-两位序号）", call.code, expected_prefix),
            format!("The call code “{}” must read {}NN (year-programme-two-digit number)", call.code, expected_prefix),
        ));
    }
    if call.title.zh.trim().is_empty() {
        out.push(err("call.title_missing", "title.zh", "请填写指南名称（中文）", "Enter the call's title in Chinese"));
    }
    if call.title.en.trim().is_empty() {
        out.push(warn(
            "call.title_en_missing",
            "title.en",
            "尚无英文名称，英文界面将显示中文名称",
            "No English title yet: the English interface shows the Chinese one",
        ));
    }
    if !(2000..=2100).contains(&call.year) {
        out.push(err(
            "call.year",
            "year",
            format!("年度 {} 不合理，请填写四位年份", call.year),
            format!("The year {} is implausible: enter a four-digit year", call.year),
        ));
    }
    if call.closes_at <= call.opens_at {
        out.push(err(
            "call.closing_not_after_opening",
            "closes_at",
            format!("截止时间 {} 不晚于开始时间 {}，请调整", call.closes_at, call.opens_at),
            format!(
                "The closing time {} is not after the opening time {}: change one of them",
                call.closes_at, call.opens_at
            ),
        ));
    }
    let opening_year = call.opens_at.local_date().year();
    if opening_year < call.year - 1 || opening_year > call.year {
        out.push(warn(
            "call.opening_year",
            "opens_at",
            format!("开始时间在 {opening_year} 年，与指南年度 {} 不符，请核对", call.year),
            format!("The call opens in {opening_year}, which does not fit its year {}: check both", call.year),
        ));
    }
    if call.period.end <= call.period.start {
        out.push(err(
            "call.period_empty",
            "period.end",
            format!("实施周期结束日 {} 不晚于开始日 {}", call.period.end, call.period.start),
            format!("The period ends on {}, not after it starts on {}", call.period.end, call.period.start),
        ));
    } else if call.period.start <= call.closes_at.local_date() {
        out.push(warn(
            "call.period_starts_before_closing",
            "period.start",
            format!("实施周期开始日 {} 不晚于申报截止日，立项前项目已开始", call.period.start),
            format!(
                "The period starts on {}, before the call closes: projects would start before approval",
                call.period.start
            ),
        ));
    }
    if call.budget.schema.code.trim().is_empty() || call.budget.schema.version == 0 {
        out.push(err(
            "call.budget_schema_missing",
            "budget.schema",
            "请选择经费预算规则（代码和版本）",
            "Choose the budget rules (code and version)",
        ));
    }
    if call.budget.pure_theory && call.category != Category::BasicResearch {
        out.push(err(
            "call.pure_theory_not_basic",
            "budget.pure_theory",
            "纯理论基础研究的间接费用比例只适用于基础研究类指南",
            "The pure-theory indirect rate applies only to basic-research calls",
        ));
    }
}

fn funding(call: &Call, out: &mut Vec<Problem>) {
    let bounty = match &call.mode {
        Mode::Challenge(c) => match &c.contest {
            Contest::Bounty(b) => Some(b),
            _ => None,
        },
        _ => None,
    };
    if call.places == 0 {
        out.push(err("call.places_zero", "places", "拟支持项目数应至少为 1", "Fund at least 1 project (places)"));
    }
    // A pure bounty may fund nothing before acceptance; every other call funds its projects.
    if call.funding_per_project == Fen::ZERO && bounty.is_none() {
        out.push(err(
            "call.funding_per_project_zero",
            "funding_per_project",
            "请填写单个项目资助额度",
            "Enter the funding per project",
        ));
    }
    let places = u64::from(call.places);
    let per = call.funding_per_project.get();
    // What the call commits at most: every place fully funded; in a race also the first tranche of the
    // teams that drop out; in a bounty also the reward of every place.
    let (needed, how_zh, how_en) = match &call.mode {
        Mode::Challenge(c) => match &c.contest {
            Contest::Race(r) => {
                let rest = per.saturating_sub(r.first_tranche.get());
                (
                    u128::from(r.teams) * u128::from(r.first_tranche.get()) + u128::from(rest) * u128::from(places),
                    format!("{} 个团队的首笔资金加 {} 个完成团队的后续资金", r.teams, places),
                    format!(
                        "the first tranche of {} teams plus the later tranches of {} finishing team(s)",
                        r.teams, places
                    ),
                )
            }
            Contest::Bounty(b) => (
                (u128::from(per) + u128::from(b.reward.get())) * u128::from(places),
                format!("{places} 个项目的资助额度与悬赏金额"),
                format!("funding and reward of {places} project(s)"),
            ),
            Contest::Single => {
                (u128::from(per) * u128::from(places), format!("{places} 个项目"), format!("{places} project(s)"))
            }
        },
        _ => (u128::from(per) * u128::from(places), format!("{places} 个项目"), format!("{places} project(s)")),
    };
    if needed > u128::from(call.funding_total.get()) {
        let needed = Fen::new(u64::try_from(needed).unwrap_or(u64::MAX));
        out.push(err(
            "call.funding_over_total",
            "funding_total",
            format!("{how_zh}共需 {needed}，超过资助总额 {}：请提高总额或减少项目数、单项额度", call.funding_total),
            format!(
                "{how_en} need {needed}, more than the total {}: raise the total or lower the places or the funding per project",
                call.funding_total
            ),
        ));
    }
}

fn sections(call: &Call, out: &mut Vec<Problem>) {
    let mut seen = BTreeSet::new();
    for (i, s) in call.sections.iter().enumerate() {
        if !seen.insert(s.code.as_str()) {
            out.push(err(
                "call.section_duplicate",
                format!("sections[{i}].code"),
                format!("章节代码“{}”重复", s.code),
                format!("The section code “{}” occurs twice", s.code),
            ));
        }
        if s.max_chars == Some(0) {
            out.push(err(
                "call.section_limit_zero",
                format!("sections[{i}].max_chars"),
                format!("章节“{}”的字数上限为 0，请填写上限或取消上限", s.name.zh),
                format!("The section “{}” allows 0 characters: set a limit or none", s.name.en),
            ));
        }
    }
    let mut seen = BTreeSet::new();
    for (i, a) in call.attachments.iter().enumerate() {
        if !seen.insert(a.code.as_str()) {
            out.push(err(
                "call.attachment_duplicate",
                format!("attachments[{i}].code"),
                format!("附件代码“{}”重复", a.code),
                format!("The attachment code “{}” occurs twice", a.code),
            ));
        }
        if a.max_bytes == 0 || a.max_bytes > MAX_ATTACHMENT_BYTES {
            out.push(err(
                "call.attachment_size",
                format!("attachments[{i}].max_bytes"),
                format!("附件“{}”的大小上限应在 1 字节至 200 MB 之间", a.name.zh),
                format!("The size limit of the attachment “{}” must be between 1 byte and 200 MB", a.name.en),
            ));
        }
        if a.formats.is_empty() {
            out.push(err(
                "call.attachment_formats",
                format!("attachments[{i}].formats"),
                format!("请为附件“{}”指定可接受的文件类型", a.name.zh),
                format!("Name the file types accepted for the attachment “{}”", a.name.en),
            ));
        }
    }
}

fn eligibility(call: &Call, out: &mut Vec<Problem>) {
    let e = &call.eligibility;
    if matches!(call.mode, Mode::Challenge(_)) {
        // 揭榜挂帅: no limits on the unit's registration date or the leader's age, degree or title.
        let limits = [
            (
                e.unit_registered_by.is_some(),
                "eligibility.unit_registered_by",
                "单位注册时间",
                "the unit's registration date",
            ),
            (e.leader_max_age.is_some(), "eligibility.leader_max_age", "负责人年龄", "the leader's age"),
            (e.leader_min_title.is_some(), "eligibility.leader_min_title", "负责人职称", "the leader's title"),
            (e.leader_min_degree.is_some(), "eligibility.leader_min_degree", "负责人学历", "the leader's degree"),
        ];
        for (set, field, zh, en) in limits {
            if set {
                out.push(err(
                    "call.challenge.eligibility_not_relaxed",
                    field,
                    format!("揭榜挂帅不限{zh}，请取消此项限制"),
                    format!("A challenge sets no limit on {en}: remove this limit"),
                ));
            }
        }
    }
    if e.leader_max_age == Some(0) {
        out.push(err(
            "call.leader_max_age",
            "eligibility.leader_max_age",
            "年龄上限不能为 0",
            "The age limit cannot be 0",
        ));
    }
    if e.max_concurrent_projects == Some(0) {
        out.push(err(
            "call.max_concurrent_projects",
            "eligibility.max_concurrent_projects",
            "限项数不能为 0（不限项请留空）",
            "The limit of concurrent projects cannot be 0 (leave it empty for no limit)",
        ));
    }
}

fn indicators(call: &Call, out: &mut Vec<Problem>) {
    let mut seen = BTreeSet::new();
    for (i, ind) in call.core_indicators.iter().enumerate() {
        if !seen.insert(ind.code.as_str()) {
            out.push(err(
                "call.indicator_duplicate",
                format!("core_indicators[{i}].code"),
                format!("核心指标代码“{}”重复", ind.code),
                format!("The core indicator code “{}” occurs twice", ind.code),
            ));
        }
        if ind.name.zh.trim().is_empty() {
            out.push(err(
                "call.indicator_name_missing",
                format!("core_indicators[{i}].name.zh"),
                "请填写核心指标名称",
                "Enter the core indicator's name",
            ));
        }
        if ind.unit.trim().is_empty() {
            out.push(err(
                "call.indicator_unit_missing",
                format!("core_indicators[{i}].unit"),
                format!("请填写核心指标“{}”的计量单位", ind.name.zh),
                format!("Enter the unit of the core indicator “{}”", ind.name.en),
            ));
        }
        if !ind.target.is_finite() {
            out.push(err(
                "call.indicator_target",
                format!("core_indicators[{i}].target"),
                format!("核心指标“{}”的目标值不是有效数字", ind.name.zh),
                format!("The target of the core indicator “{}” is not a number", ind.name.en),
            ));
        }
        if let Some(t) = &ind.plan_target {
            if !t.starts_with(&format!("{}-T", call.programme)) {
                out.push(err(
                    "call.indicator_plan_target",
                    format!("core_indicators[{i}].plan_target"),
                    format!("规划目标 {t} 不属于本指南的专项 {}", call.programme),
                    format!("The plan target {t} is not one of the call's programme {}", call.programme),
                ));
            }
        }
    }
}

fn mode(call: &Call, out: &mut Vec<Problem>) {
    match &call.mode {
        Mode::OpenCompetition { .. } => {}
        Mode::Challenge(c) => {
            if c.task.zh.trim().is_empty() {
                out.push(err(
                    "call.challenge.task_missing",
                    "mode.task.zh",
                    "请填写榜单任务",
                    "Describe the challenge's task",
                ));
            }
            if c.end_user.name.trim().is_empty() {
                out.push(err(
                    "call.challenge.end_user_missing",
                    "mode.end_user.name",
                    "请填写发榜方（最终用户）名称",
                    "Enter the end user (the party that posts the challenge)",
                ));
            }
            if let Err(e) = CreditCode::parse(&c.end_user.credit_code) {
                out.push(e.to_problem("mode.end_user.credit_code"));
            }
            if call.core_indicators.is_empty() {
                out.push(err(
                    "call.challenge.core_indicators_missing",
                    "core_indicators",
                    "揭榜挂帅须列明核心指标及目标值",
                    "A challenge lists its core indicators with target values",
                ));
            }
            for (i, ind) in call.core_indicators.iter().enumerate() {
                if !ind.locked {
                    out.push(err(
                        "call.challenge.core_indicator_unlocked",
                        format!("core_indicators[{i}].locked"),
                        format!("揭榜挂帅的核心指标“{}”须锁定，申报者不得改动", ind.name.zh),
                        format!(
                            "The core indicator “{}” of a challenge must be locked: applicants cannot move it",
                            ind.name.en
                        ),
                    ));
                }
            }
            let pledge = call.sections.iter().any(|s| s.code == PLEDGE && s.required)
                || call.attachments.iter().any(|a| a.code == PLEDGE && a.required);
            if !pledge {
                out.push(err(
                    "call.challenge.pledge_missing",
                    "attachments",
                    "揭榜挂帅须要求提交军令状（代码 pledge 的必交章节或附件）",
                    "A challenge requires the pledge (a required section or attachment with the code pledge)",
                ));
            }
            match &c.contest {
                Contest::Single => {}
                Contest::Race(r) => race(call, r, out),
                Contest::Bounty(b) => bounty(call, b, out),
            }
        }
        Mode::DirectedCommission { units } => {
            if units.is_empty() || units.len() > 3 {
                out.push(err(
                    "call.directed.unit_count",
                    "mode.units",
                    format!("定向委托须指定 1 家单位，或邀请 2–3 家单位，现为 {} 家", units.len()),
                    format!("A directed commission designates 1 unit or invites 2–3; this one names {}", units.len()),
                ));
            }
            let mut seen = BTreeSet::new();
            for (i, u) in units.iter().enumerate() {
                if u.name.trim().is_empty() {
                    out.push(err(
                        "call.directed.unit_name_missing",
                        format!("mode.units[{i}].name"),
                        "请填写单位名称",
                        "Enter the unit's name",
                    ));
                }
                match CreditCode::parse(&u.credit_code) {
                    Err(e) => out.push(e.to_problem(format!("mode.units[{i}].credit_code"))),
                    Ok(code) => {
                        if !seen.insert(code) {
                            out.push(err(
                                "call.directed.unit_duplicate",
                                format!("mode.units[{i}].credit_code"),
                                "同一单位（统一社会信用代码相同）出现两次",
                                "The same unit (same credit code) is named twice",
                            ));
                        }
                    }
                }
            }
            if call.places != 1 {
                out.push(err(
                    "call.directed.places",
                    "places",
                    "定向委托只选定 1 个承担单位，拟支持项目数应为 1",
                    "A directed commission selects one unit: places must be 1",
                ));
            }
        }
    }
}

fn race(call: &Call, r: &super::Race, out: &mut Vec<Problem>) {
    if !(2..=5).contains(&r.teams) {
        out.push(err(
            "call.race.teams",
            "mode.contest.teams",
            format!("赛马应同时支持 2–5 个团队，现为 {}", r.teams),
            format!("A race funds 2–5 teams in parallel, not {}", r.teams),
        ));
    }
    if r.milestones.is_empty() {
        out.push(err(
            "call.race.milestones_missing",
            "mode.contest.milestones",
            "赛马须设置里程碑考核节点",
            "A race needs milestones with gates",
        ));
    }
    let codes: BTreeSet<&str> = call.core_indicators.iter().map(|c| c.code.as_str()).collect();
    let mut seen = BTreeSet::new();
    for (i, m) in r.milestones.iter().enumerate() {
        let at = |f: &str| format!("mode.contest.milestones[{i}].{f}");
        if !seen.insert(m.code.as_str()) {
            out.push(err(
                "call.race.milestone_duplicate",
                at("code"),
                format!("里程碑代码“{}”重复", m.code),
                format!("The milestone code “{}” occurs twice", m.code),
            ));
        }
        if !call.period.contains(m.due) {
            out.push(err(
                "call.race.milestone_outside_period",
                at("due"),
                format!(
                    "里程碑“{}”的考核日期 {} 不在实施周期 {} 至 {} 内",
                    m.name.zh, m.due, call.period.start, call.period.end
                ),
                format!(
                    "The milestone “{}” is due on {}, outside the period {} to {}",
                    m.name.en, m.due, call.period.start, call.period.end
                ),
            ));
        }
        if i > 0 && m.due <= r.milestones[i - 1].due {
            out.push(err(
                "call.race.milestones_order",
                at("due"),
                format!("里程碑“{}”应晚于前一个里程碑（{}）", m.name.zh, r.milestones[i - 1].due),
                format!("The milestone “{}” must come after the previous one ({})", m.name.en, r.milestones[i - 1].due),
            ));
        }
        if m.indicators.is_empty() {
            out.push(err(
                "call.race.milestone_indicators_missing",
                at("indicators"),
                format!("里程碑“{}”须指明考核哪些核心指标", m.name.zh),
                format!("Name the core indicators examined at the milestone “{}”", m.name.en),
            ));
        }
        for (j, code) in m.indicators.iter().enumerate() {
            if !codes.contains(code.as_str()) {
                out.push(err(
                    "call.race.milestone_indicator_unknown",
                    at(&format!("indicators[{j}]")),
                    format!("里程碑“{}”考核的指标 {code} 不是本榜单的核心指标", m.name.zh),
                    format!("The milestone “{}” examines {code}, which is not a core indicator of the call", m.name.en),
                ));
            }
        }
    }
    let sum = r.first_tranche + r.milestones.iter().map(|m| m.tranche).sum::<Fen>();
    if sum != call.funding_per_project {
        out.push(err(
            "call.race.tranches_mismatch",
            "mode.contest.milestones",
            format!(
                "首笔资金 {} 与各里程碑拨款合计 {sum}，应等于资助额度 {}",
                r.first_tranche, call.funding_per_project
            ),
            format!(
                "The first tranche {} and the milestone tranches add up to {sum}; they must equal the funding per project {}",
                r.first_tranche, call.funding_per_project
            ),
        ));
    }
}

fn bounty(call: &Call, b: &super::Bounty, out: &mut Vec<Problem>) {
    if b.reward == Fen::ZERO {
        out.push(err("call.bounty.reward_zero", "mode.contest.reward", "请填写悬赏金额", "Enter the bounty's reward"));
    }
    let total: u32 = b.split.iter().map(|p| p.percent).sum();
    if total != 100 {
        out.push(err(
            "call.bounty.split_not_100",
            "mode.contest.split",
            format!("悬赏分配比例合计为 {total}%，应为 100%"),
            format!("The payout split adds up to {total}%; it must be 100%"),
        ));
    }
    if !b.split.iter().any(|p| p.when == super::PayoutWhen::Acceptance && p.percent > 0) {
        out.push(err(
            "call.bounty.nothing_at_acceptance",
            "mode.contest.split",
            "悬赏须至少有一部分在验收核心指标全部达到后兑付",
            "Some part of the reward must be paid when acceptance finds every core indicator met",
        ));
    }
    if !call.review_plan.rounds.iter().any(|r| r.kind == RoundKind::Acceptance) {
        out.push(err(
            "call.bounty.acceptance_round_missing",
            "review_plan.rounds",
            "悬赏以验收为兑付依据，评审计划须包含验收轮次",
            "A bounty is paid on acceptance: the review plan needs an acceptance round",
        ));
    }
}

fn review_plan(call: &Call, out: &mut Vec<Problem>) {
    let plan = &call.review_plan;
    if plan.version == 0 {
        out.push(err(
            "call.review.version",
            "review_plan.version",
            "评审计划版本从 1 开始",
            "Review plan versions count from 1",
        ));
    }
    if plan.rounds.is_empty() {
        out.push(err(
            "call.review.no_rounds",
            "review_plan.rounds",
            "评审计划至少要有一轮",
            "The review plan needs at least one round",
        ));
    }
    let directed = matches!(call.mode, Mode::DirectedCommission { .. });
    if directed
        && !plan.rounds.iter().any(|r| {
            r.kind == RoundKind::Feasibility
                && matches!(&r.form, Form::Verdicts(v) if v.scale == VerdictScale::Feasibility)
        })
    {
        out.push(err(
            "call.directed.feasibility_round_missing",
            "review_plan.rounds",
            "定向委托须有可行性论证轮次（通过 / 修改后通过 / 不通过）",
            "A directed commission needs a feasibility round (pass / pass after revision / fail)",
        ));
    }
    let industry_needed = Ratio::new(1, 3);
    for (i, r) in plan.rounds.iter().enumerate() {
        round(call, i, r, directed, industry_needed, out);
    }
}

fn round(call: &Call, i: usize, r: &Round, directed: bool, industry_needed: Ratio, out: &mut Vec<Problem>) {
    let at = |f: &str| format!("review_plan.rounds[{i}].{f}");
    let name = r.kind.name();
    if r.experts == 0 {
        out.push(err(
            "call.review.no_experts",
            at("experts"),
            format!("第 {} 轮（{}）须至少有 1 位专家", i + 1, name.zh),
            format!("Round {} ({}) needs at least 1 expert", i + 1, name.en),
        ));
    } else if r.kind == RoundKind::MailReview && r.experts < 3 {
        out.push(err(
            "call.review.too_few_experts",
            at("experts"),
            format!("通讯评审每项至少 3 位专家（通常 5 位），现为 {}", r.experts),
            format!("Mail review needs at least 3 experts per item (usually 5), not {}", r.experts),
        ));
    }
    if r.trimming && r.trimming_min < 3 {
        out.push(err(
            "call.review.trimming_min",
            at("trimming_min"),
            "去掉最高分和最低分至少需要 3 份评分表（通常 5 份）",
            "Dropping the highest and lowest score needs at least 3 sheets (usually 5)",
        ));
    } else if r.trimming && matches!(r.form, Form::Scored(_)) && r.experts < r.trimming_min {
        out.push(warn(
            "call.review.trimming_never_applies",
            at("trimming_min"),
            format!("每项只有 {} 位专家，少于去极值所需的 {} 份，去极值不会生效", r.experts, r.trimming_min),
            format!(
                "With {} experts per item, fewer than the {} sheets trimming needs, it never applies",
                r.experts, r.trimming_min
            ),
        ));
    }
    if r.non_consensus == 0 || r.non_consensus > 100 {
        out.push(err(
            "call.review.non_consensus",
            at("non_consensus"),
            "非共识阈值应在 1 至 100 分之间（默认 20）",
            "The non-consensus threshold must be between 1 and 100 points (default 20)",
        ));
    }
    if !r.vote_share.is_share() {
        out.push(err(
            "call.review.vote_share",
            at("vote_share"),
            format!("表决通过比例 {} 应大于 0 且不超过 1（默认 2/3）", r.vote_share),
            format!("The vote share {} must be above 0 and at most 1 (default 2/3)", r.vote_share),
        ));
    }
    if let Some(p) = r.shortlist_percent {
        if p < 100 {
            out.push(err(
                "call.review.shortlist",
                at("shortlist_percent"),
                format!("入围比例 {p}% 低于 100%，入围数将少于拟支持数"),
                format!("A shortlist of {p}% is below 100%: fewer would go on than there are places"),
            ));
        }
    }
    if let Some(s) = r.industry_user_min {
        if !s.is_share() {
            out.push(err(
                "call.review.industry_share",
                at("industry_user_min"),
                format!("行业用户专家比例 {s} 应大于 0 且不超过 1"),
                format!("The industry-user share {s} must be above 0 and at most 1"),
            ));
        }
    }
    let judging = matches!(r.form, Form::Scored(_) | Form::Vote);
    if call.category == super::Category::TechInnovation
        && judging
        && !r.industry_user_min.is_some_and(|s| s.at_least(industry_needed))
    {
        out.push(err(
            "call.review.industry_share_low",
            at("industry_user_min"),
            format!("技术创新类以行业用户评价为主：第 {} 轮行业用户专家应不少于 1/3", i + 1),
            format!(
                "Technology innovation is judged by industry users: round {} needs at least 1/3 industry-user experts",
                i + 1
            ),
        ));
    }
    if !RoundKind::for_mode(&call.mode).contains(&r.kind) {
        let mode = call.mode.name();
        out.push(err(
            "call.review.round_kind_mode",
            at("kind"),
            format!("{}的评审计划不能有{}轮次（第 {} 轮）", mode.zh, name.zh, i + 1),
            format!("A call by {} cannot have a {} round (round {})", mode.en, name.en, i + 1),
        ));
    }
    let form_ok = match (r.kind, &r.form) {
        (RoundKind::MailReview, Form::Scored(_)) => true,
        (RoundKind::MailReview, _) => false,
        (RoundKind::Feasibility, Form::Verdicts(v)) => v.scale == VerdictScale::Feasibility,
        (RoundKind::Feasibility, _) => false,
        (RoundKind::Acceptance, Form::Verdicts(v)) => v.scale == VerdictScale::Acceptance,
        (RoundKind::Acceptance, _) => false,
        (_, Form::Verdicts(v)) => v.scale == VerdictScale::Feasibility,
        _ => true,
    };
    if !form_ok {
        out.push(err(
            "call.review.form_kind_mismatch",
            at("form"),
            format!("第 {} 轮（{}）不能使用“{}”", i + 1, name.zh, r.form.name().zh),
            format!("Round {} ({}) cannot use a {}", i + 1, name.en, r.form.name().en),
        ));
    }
    if directed && judging {
        out.push(err(
            "call.directed.ranking_round",
            at("form"),
            "定向委托不排序：评审只给出可行性论证意见，不打分、不投票",
            "A directed commission is not ranked: rounds give feasibility verdicts, no scores or votes",
        ));
    }
    match &r.form {
        Form::Scored(rubric) => {
            if rubric.criteria.is_empty() {
                out.push(err(
                    "call.review.no_criteria",
                    at("form.criteria"),
                    "评分表至少要有一项评分指标",
                    "A scored form needs at least one criterion",
                ));
            } else if rubric.total_weight() != 100 {
                out.push(err(
                    "call.review.weights_not_100",
                    at("form.criteria"),
                    format!("各评分指标满分合计为 {}，应为 100", rubric.total_weight()),
                    format!(
                        "The criteria's maximum points add up to {}; they must add up to 100",
                        rubric.total_weight()
                    ),
                ));
            }
            let mut seen = BTreeSet::new();
            for (j, c) in rubric.criteria.iter().enumerate() {
                let cat = |f: &str| at(&format!("form.criteria[{j}].{f}"));
                if !seen.insert(c.id.as_str()) {
                    out.push(err(
                        "call.review.criterion_duplicate",
                        cat("id"),
                        format!("评分指标代码“{}”重复", c.id),
                        format!("The criterion id “{}” occurs twice", c.id),
                    ));
                }
                if c.id.trim().is_empty() {
                    out.push(err(
                        "call.review.criterion_id_missing",
                        cat("id"),
                        format!("第 {} 项评分指标没有代码", j + 1),
                        format!("Criterion {} has no id", j + 1),
                    ));
                }
                if c.name.zh.trim().is_empty() {
                    out.push(err(
                        "call.review.criterion_name_missing",
                        cat("name.zh"),
                        format!("请填写第 {} 项评分指标的名称", j + 1),
                        format!("Enter the name of criterion {}", j + 1),
                    ));
                }
                if c.weight == 0 {
                    out.push(err(
                        "call.review.weight_zero",
                        cat("weight"),
                        format!("评分指标“{}”的满分为 0", c.name.zh),
                        format!("The criterion “{}” has 0 maximum points", c.name.en),
                    ));
                }
                if let Some((field, zh, en)) = band_gap(c) {
                    out.push(err("call.review.bands", cat(&field), zh, en));
                }
                for (k, b) in c.bands.iter().enumerate() {
                    if b.text.zh.trim().is_empty() {
                        out.push(err(
                            "call.review.band_text_missing",
                            cat(&format!("bands[{k}].text.zh")),
                            format!("请填写评分指标“{}”第 {} 档的说明（专家据此给分）", c.name.zh, k + 1),
                            format!("Describe band {} of the criterion “{}” (experts score by it)", k + 1, c.name.en),
                        ));
                    }
                }
            }
        }
        Form::Verdicts(v) => {
            if v.items.is_empty() && !v.per_core_indicator {
                out.push(err(
                    "call.review.no_verdict_items",
                    at("form.items"),
                    "论证意见表至少要有一个论证事项",
                    "A verdict form needs at least one item",
                ));
            }
            if v.per_core_indicator && !v.items.is_empty() {
                out.push(warn(
                    "call.review.items_replaced",
                    at("form.items"),
                    "按核心指标逐项给出意见时，论证事项取自核心指标，此处所列事项不会使用",
                    "With a verdict per core indicator the items are the core indicators: the items listed here are not used",
                ));
            }
            let mut seen = BTreeSet::new();
            for (k, item) in v.items.iter().enumerate() {
                if item.id.trim().is_empty() || !seen.insert(item.id.as_str()) {
                    out.push(err(
                        "call.review.item_id",
                        at(&format!("form.items[{k}].id")),
                        format!("第 {} 个论证事项的代码为空或与前面的重复", k + 1),
                        format!("Item {} has an empty id or one used before", k + 1),
                    ));
                }
                if item.name.zh.trim().is_empty() {
                    out.push(err(
                        "call.review.item_name_missing",
                        at(&format!("form.items[{k}].name.zh")),
                        format!("请填写第 {} 个论证事项", k + 1),
                        format!("Enter item {}", k + 1),
                    ));
                }
            }
            if v.per_core_indicator && call.core_indicators.is_empty() {
                out.push(err(
                    "call.review.no_core_indicators_to_accept",
                    at("form"),
                    "验收按核心指标逐项给出意见，但指南没有核心指标",
                    "Acceptance gives a verdict per core indicator, but the call has none",
                ));
            }
        }
        Form::Vote => {}
    }
}

/// Whether the bands of `c` cover 0 … weight from the top down without gaps or overlaps; if not, the field
/// to fix under the criterion (`bands`, `bands[1].high`, `bands[2].low`) and the reason.
pub(crate) fn band_gap(c: &super::Criterion) -> Option<(String, String, String)> {
    if c.bands.is_empty() {
        return Some((
            "bands".into(),
            format!("评分指标“{}”没有分档说明", c.name.zh),
            format!("The criterion “{}” has no bands", c.name.en),
        ));
    }
    let mut expected_high = c.weight * 2;
    for (k, b) in c.bands.iter().enumerate() {
        if b.high.0 != expected_high {
            // The first band starts at the weight; each later one half a point below the one above it.
            let (zh, en) = if k == 0 {
                (format!("应等于满分 {} 分", c.weight), format!("must equal the maximum, {} points", c.weight))
            } else if b.high.0 > expected_high {
                ("与上一档重叠".to_string(), "overlaps the band above".to_string())
            } else {
                ("与上一档之间有空缺".to_string(), "leaves a gap below the band above".to_string())
            };
            return Some((
                format!("bands[{k}].high"),
                format!(
                    "评分指标“{}”第 {} 档的上限 {} 分{zh}：应为 {} 分，各档由高到低连续覆盖 0 至 {} 分",
                    c.name.zh,
                    k + 1,
                    b.high,
                    super::HalfPoints(expected_high),
                    c.weight
                ),
                format!(
                    "The top of band {} of the criterion “{}” ({} points) {en}: it must be {}, bands running from the top down over 0 to {} without gaps",
                    k + 1,
                    c.name.en,
                    b.high,
                    super::HalfPoints(expected_high),
                    c.weight
                ),
            ));
        }
        if b.low > b.high {
            return Some((
                format!("bands[{k}].low"),
                format!("评分指标“{}”第 {} 档的下限 {} 分高于上限 {} 分", c.name.zh, k + 1, b.low, b.high),
                format!(
                    "The bottom of band {} of the criterion “{}” ({} points) is above its top ({})",
                    k + 1,
                    c.name.en,
                    b.low,
                    b.high
                ),
            ));
        }
        if b.low.0 == 0 {
            return (k + 1 != c.bands.len()).then(|| {
                (
                    format!("bands[{}]", k + 1),
                    format!("评分指标“{}”的分档在 0 分之后还有多余的档，请删除", c.name.zh),
                    format!("The criterion “{}” has bands after the one reaching 0: remove them", c.name.en),
                )
            });
        }
        // Scores move in steps of 0.5: the next band starts half a point below this one's low end.
        expected_high = b.low.0 - 1;
    }
    Some((
        format!("bands[{}].low", c.bands.len() - 1),
        format!("评分指标“{}”的最低一档应到 0 分为止", c.name.zh),
        format!("The lowest band of the criterion “{}” must go down to 0", c.name.en),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::review::{Criterion, HalfPoints};
    use super::super::{demo_calls, Contest, PayoutWhen, Unit};
    use super::*;
    use crate::calendar::Date;

    fn demo(code: &str) -> Call {
        demo_calls().unwrap().into_iter().find(|c| c.code == code).unwrap()
    }

    fn codes(call: &Call) -> Vec<(String, String)> {
        validate_call(call).into_iter().filter(|p| p.is_error()).map(|p| (p.code, p.field)).collect()
    }

    fn has(call: &Call, code: &str, field: &str) {
        let found = codes(call);
        assert!(found.iter().any(|(c, f)| c == code && f == field), "expected {code} at {field}, got {found:?}");
    }

    fn race(call: &mut Call) -> &mut super::super::Race {
        match &mut call.mode {
            Mode::Challenge(c) => match &mut c.contest {
                Contest::Race(r) => r,
                _ => panic!("not a race"),
            },
            _ => panic!("not a challenge"),
        }
    }

    fn bounty(call: &mut Call) -> &mut super::super::Bounty {
        match &mut call.mode {
            Mode::Challenge(c) => match &mut c.contest {
                Contest::Bounty(b) => b,
                _ => panic!("not a bounty"),
            },
            _ => panic!("not a challenge"),
        }
    }

    #[test]
    fn every_demo_call_is_consistent() {
        for call in demo_calls().unwrap() {
            assert_eq!(validate_call(&call), vec![], "{}", call.code);
        }
    }

    #[test]
    fn header_and_funding_problems() {
        let base = demo("2027-ZX01-01");

        let mut c = base.clone();
        c.closes_at = c.opens_at;
        has(&c, "call.closing_not_after_opening", "closes_at");

        let mut c = base.clone();
        c.funding_total = Fen::new(c.funding_total.get() - 1);
        has(&c, "call.funding_over_total", "funding_total");
        let p = validate_call(&c).into_iter().find(|p| p.code == "call.funding_over_total").unwrap();
        assert!(p.zh.contains("1,200.0000 万元") && p.en.contains("1,199.9999 万元"), "{p:?}");

        let mut c = base.clone();
        c.programme = "ZX09".into();
        has(&c, "call.programme_unknown", "programme");
        has(&c, "call.code_format", "code");

        let mut c = base.clone();
        c.period.end = c.period.start;
        has(&c, "call.period_empty", "period.end");

        let mut c = base.clone();
        c.budget.pure_theory = true;
        has(&c, "call.pure_theory_not_basic", "budget.pure_theory");

        let mut c = base.clone();
        c.places = 0;
        has(&c, "call.places_zero", "places");

        let mut c = base.clone();
        c.attachments[0].max_bytes = 0;
        has(&c, "call.attachment_size", "attachments[0].max_bytes");
        c.sections.push(c.sections[1].clone());
        let last = c.sections.len() - 1;
        has(&c, "call.section_duplicate", &format!("sections[{last}].code"));
    }

    #[test]
    fn race_problems() {
        let base = demo("2027-ZX05-01");

        let mut c = base.clone();
        race(&mut c).milestones[1].due = Date::new(2030, 1, 1).unwrap();
        has(&c, "call.race.milestone_outside_period", "mode.contest.milestones[1].due");

        let mut c = base.clone();
        race(&mut c).milestones[1].due = Date::new(2028, 6, 1).unwrap();
        has(&c, "call.race.milestones_order", "mode.contest.milestones[1].due");

        let mut c = base.clone();
        race(&mut c).milestones[0].tranche = Fen::from_wan_whole(299);
        has(&c, "call.race.tranches_mismatch", "mode.contest.milestones");

        let mut c = base.clone();
        race(&mut c).teams = 6;
        has(&c, "call.race.teams", "mode.contest.teams");

        let mut c = base.clone();
        race(&mut c).milestones[0].indicators[0] = "I9".into();
        has(&c, "call.race.milestone_indicator_unknown", "mode.contest.milestones[0].indicators[0]");

        // 3 teams × 300 first tranche + 700 for the one that finishes = 1600 万元.
        let mut c = base.clone();
        c.funding_total = Fen::from_wan_whole(1599);
        has(&c, "call.funding_over_total", "funding_total");
    }

    #[test]
    fn bounty_problems() {
        let base = demo("2027-ZX08-01");

        let mut c = base.clone();
        bounty(&mut c).split[1].percent = 20;
        has(&c, "call.bounty.split_not_100", "mode.contest.split");

        let mut c = base.clone();
        for p in &mut bounty(&mut c).split {
            p.when = PayoutWhen::Agreement;
        }
        has(&c, "call.bounty.nothing_at_acceptance", "mode.contest.split");

        let mut c = base.clone();
        c.review_plan.rounds.retain(|r| r.kind != RoundKind::Acceptance);
        has(&c, "call.bounty.acceptance_round_missing", "review_plan.rounds");

        // Funding 600 + reward 300 = 900 万元 for the one place.
        let mut c = base.clone();
        c.funding_total = Fen::from_wan_whole(899);
        has(&c, "call.funding_over_total", "funding_total");
    }

    #[test]
    fn challenge_problems() {
        let base = demo("2027-ZX04-01");

        let mut c = base.clone();
        c.core_indicators[1].locked = false;
        has(&c, "call.challenge.core_indicator_unlocked", "core_indicators[1].locked");

        let mut c = base.clone();
        c.core_indicators.clear();
        has(&c, "call.challenge.core_indicators_missing", "core_indicators");

        let mut c = base.clone();
        c.eligibility.leader_max_age = Some(45);
        c.eligibility.unit_registered_by = Date::new(2024, 1, 1);
        has(&c, "call.challenge.eligibility_not_relaxed", "eligibility.leader_max_age");
        has(&c, "call.challenge.eligibility_not_relaxed", "eligibility.unit_registered_by");

        let mut c = base.clone();
        c.attachments.retain(|a| a.code != PLEDGE);
        has(&c, "call.challenge.pledge_missing", "attachments");

        let mut c = base.clone();
        if let Mode::Challenge(ch) = &mut c.mode {
            ch.end_user.credit_code = "12540000456005053B".into();
        }
        has(&c, "credit_code.check", "mode.end_user.credit_code");
    }

    #[test]
    fn directed_commission_problems() {
        let base = demo("2027-ZX02-01");
        let unit = |code: &str| Unit { name: "示例单位".into(), credit_code: code.into() };

        let mut c = base.clone();
        if let Mode::DirectedCommission { units } = &mut c.mode {
            units.push(unit("91540100MA6T00012D"));
        }
        has(&c, "call.directed.unit_count", "mode.units");

        let mut c = base.clone();
        if let Mode::DirectedCommission { units } = &mut c.mode {
            units.clear();
        }
        has(&c, "call.directed.unit_count", "mode.units");

        let mut c = base.clone();
        if let Mode::DirectedCommission { units } = &mut c.mode {
            units[1].credit_code = "125400004560020209".into();
        }
        has(&c, "credit_code.check", "mode.units[1].credit_code");

        let mut c = base.clone();
        if let Mode::DirectedCommission { units } = &mut c.mode {
            units[2] = units[0].clone();
        }
        has(&c, "call.directed.unit_duplicate", "mode.units[2].credit_code");

        let mut c = base.clone();
        c.places = 2;
        c.funding_total = Fen::from_wan_whole(1000);
        has(&c, "call.directed.places", "places");

        // A scored round ranks: refused, and the feasibility round is then missing.
        let mut c = base.clone();
        let tech = demo("2027-ZX01-01");
        c.review_plan.rounds[0] = tech.review_plan.rounds[0].clone();
        has(&c, "call.directed.ranking_round", "review_plan.rounds[0].form");
        has(&c, "call.directed.feasibility_round_missing", "review_plan.rounds");
    }

    #[test]
    fn a_round_whose_kind_the_mode_does_not_have_is_refused_naming_it() {
        use crate::call::review::{default_round, embedded_templates};
        let templates = embedded_templates().unwrap();
        let open = demo("2027-ZX01-01");
        assert_eq!(open.review_plan.rounds.len(), 2);
        for kind in [RoundKind::Feasibility, RoundKind::Acceptance] {
            let mut c = open.clone();
            c.review_plan.rounds.push(default_round(c.category, kind, &templates).unwrap());
            has(&c, "call.review.round_kind_mode", "review_plan.rounds[2].kind");
        }
        // No demo call, whatever its mode, has a round its mode does not.
        for c in demo_calls().unwrap() {
            let wrong: Vec<_> =
                validate_call(&c).into_iter().filter(|p| p.code == "call.review.round_kind_mode").collect();
            assert!(wrong.is_empty(), "{}: {wrong:?}", c.code);
        }
        let challenge = demo_calls().unwrap().into_iter().find(|c| matches!(c.mode, Mode::Challenge(_))).unwrap();
        assert!(RoundKind::for_mode(&challenge.mode).contains(&RoundKind::Acceptance));
    }

    #[test]
    fn review_plan_problems() {
        let base = demo("2027-ZX01-01");
        fn criterion(c: &mut Call, j: usize) -> &mut Criterion {
            match &mut c.review_plan.rounds[0].form {
                Form::Scored(r) => &mut r.criteria[j],
                _ => panic!("round 0 is scored"),
            }
        }

        // Weights 25+25+20+20+10 = 100; 25 for the third criterion makes 105, and its bands no longer reach 25.
        let mut c = base.clone();
        criterion(&mut c, 2).weight = 25;
        has(&c, "call.review.weights_not_100", "review_plan.rounds[0].form.criteria");
        has(&c, "call.review.bands", "review_plan.rounds[0].form.criteria[2].bands[0].high");

        let mut c = base.clone();
        criterion(&mut c, 2).weight = 0;
        has(&c, "call.review.weight_zero", "review_plan.rounds[0].form.criteria[2].weight");

        // A gap between bands: the second band ends at 19 instead of 19.5.
        let mut c = base.clone();
        criterion(&mut c, 0).bands[1].high = HalfPoints(38);
        has(&c, "call.review.bands", "review_plan.rounds[0].form.criteria[0].bands[1].high");

        let mut c = base.clone();
        c.review_plan.rounds[0].experts = 2;
        has(&c, "call.review.too_few_experts", "review_plan.rounds[0].experts");

        let mut c = base.clone();
        c.review_plan.rounds[0].industry_user_min = Some(Ratio::new(1, 4));
        has(&c, "call.review.industry_share_low", "review_plan.rounds[0].industry_user_min");

        let mut c = base.clone();
        c.review_plan.rounds[0].form = Form::Vote;
        has(&c, "call.review.form_kind_mismatch", "review_plan.rounds[0].form");

        let mut c = base.clone();
        c.review_plan.rounds[1].vote_share = Ratio::new(3, 2);
        has(&c, "call.review.vote_share", "review_plan.rounds[1].vote_share");

        let mut c = base.clone();
        c.review_plan.rounds[1].shortlist_percent = Some(90);
        has(&c, "call.review.shortlist", "review_plan.rounds[1].shortlist_percent");

        let mut c = base.clone();
        c.review_plan.rounds.clear();
        has(&c, "call.review.no_rounds", "review_plan.rounds");

        // Trimming that can never apply is a warning, not an error.
        let mut c = base.clone();
        c.review_plan.rounds[0].experts = 4;
        assert_eq!(codes(&c), vec![]);
        let w = validate_call(&c);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].code.as_str(), w[0].is_error()), ("call.review.trimming_never_applies", false));
    }

    fn scored(c: &mut Call, round: usize) -> &mut super::super::review::Rubric {
        match &mut c.review_plan.rounds[round].form {
            Form::Scored(r) => r,
            _ => panic!("round {round} is scored"),
        }
    }

    #[test]
    fn a_rubric_edited_by_hand_is_checked_down_to_the_band() {
        let base = demo("2027-ZX01-01");
        let at = |f: &str| format!("review_plan.rounds[0].form.criteria[{f}");

        // The last criterion (10 points) removed: 90, named on the criteria, nothing else wrong.
        let mut c = base.clone();
        scored(&mut c, 0).criteria.pop();
        has(&c, "call.review.weights_not_100", "review_plan.rounds[0].form.criteria");
        let p = validate_call(&c).into_iter().find(|p| p.code == "call.review.weights_not_100").unwrap();
        assert!(p.zh.contains("90") && p.en.contains("90"), "{p:?}");
        assert_eq!(codes(&c).len(), 1, "{:?}", codes(&c));

        // Overlap: the second band of criterion 0 reaches 20.5, into the top band (20–25).
        let mut c = base.clone();
        scored(&mut c, 0).criteria[0].bands[1].high = HalfPoints(41);
        has(&c, "call.review.bands", &at("0].bands[1].high"));
        assert!(validate_call(&c).iter().any(|p| p.zh.contains("重叠") && p.en.contains("overlaps")));

        // A band whose bottom is above its top.
        let mut c = base.clone();
        let b = &mut scored(&mut c, 0).criteria[0].bands[0];
        b.low = HalfPoints(b.high.0 + 1);
        has(&c, "call.review.bands", &at("0].bands[0].low"));

        // The lowest band stops at 1 instead of 0; then a band after the one reaching 0.
        let mut c = base.clone();
        let last = scored(&mut c, 0).criteria[1].bands.len() - 1;
        scored(&mut c, 0).criteria[1].bands[last].low = HalfPoints(2);
        has(&c, "call.review.bands", &at(&format!("1].bands[{last}].low")));
        let mut c = base.clone();
        let extra = scored(&mut c, 0).criteria[1].bands[last].clone();
        scored(&mut c, 0).criteria[1].bands.push(extra);
        has(&c, "call.review.bands", &at(&format!("1].bands[{}]", last + 1)));

        // No bands at all; no name; a band without its description.
        let mut c = base.clone();
        scored(&mut c, 0).criteria[2].bands.clear();
        has(&c, "call.review.bands", &at("2].bands"));
        let mut c = base.clone();
        scored(&mut c, 0).criteria[3].name.zh = " ".into();
        scored(&mut c, 0).criteria[3].bands[1].text.zh.clear();
        has(&c, "call.review.criterion_name_missing", &at("3].name.zh"));
        has(&c, "call.review.band_text_missing", &at("3].bands[1].text.zh"));
        scored(&mut c, 0).criteria[3].id.clear();
        has(&c, "call.review.criterion_id_missing", &at("3].id"));
    }

    #[test]
    fn a_verdict_form_edited_by_hand_is_checked_item_by_item() {
        let base = demo("2027-ZX02-01");
        fn verdicts(c: &mut Call) -> &mut super::super::review::VerdictForm {
            match &mut c.review_plan.rounds[0].form {
                Form::Verdicts(v) => v,
                _ => panic!("round 0 gives verdicts"),
            }
        }
        let mut c = base.clone();
        verdicts(&mut c).items.clear();
        has(&c, "call.review.no_verdict_items", "review_plan.rounds[0].form.items");

        let mut c = base.clone();
        verdicts(&mut c).items[2].name.zh.clear();
        let second = verdicts(&mut c).items[1].id.clone();
        verdicts(&mut c).items[4].id = second;
        has(&c, "call.review.item_name_missing", "review_plan.rounds[0].form.items[2].name.zh");
        has(&c, "call.review.item_id", "review_plan.rounds[0].form.items[4].id");

        // A bounty's acceptance per core indicator: items listed by hand are not used (a warning).
        let mut c = demo("2027-ZX08-01");
        let items = verdicts(&mut base.clone()).items.clone();
        match &mut c.review_plan.rounds[1].form {
            Form::Verdicts(v) => v.items = items,
            _ => panic!("round 1 is the acceptance"),
        }
        assert_eq!(codes(&c), vec![]);
        let w: Vec<_> = validate_call(&c).into_iter().map(|p| (p.code, p.field)).collect();
        assert_eq!(w, vec![("call.review.items_replaced".into(), "review_plan.rounds[1].form.items".into())]);
    }
}
