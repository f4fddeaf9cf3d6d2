//! A score sheet: the draft as the expert types it, the checks before sealing, and the sealed sheet.
//!
//! A scored form's sheet holds a score per criterion (0 … the criterion's maximum, in steps of 0.5),
//! strengths, weaknesses and a grade A–D; a total of 85 or more with D, or below 60 with A, must be
//! confirmed by the expert before sealing (domain.md). A verdict form's sheet holds a verdict per item
//! of the form and a written opinion. Pure functions: no database.

use crate::call::review::{Criterion, Form, HalfPoints, Verdict, VerdictForm};
use crate::score::Grade;
use crate::validate::Problem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A sheet as typed: every value as text, so that a half-typed score is kept as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct SheetDraft {
    /// Criterion id → the score as typed.
    pub scores: BTreeMap<String, String>,
    pub strengths: String,
    pub weaknesses: String,
    pub grade: Option<Grade>,
    /// Verdict forms: item id → verdict code (`pass`, `pass_after_revision`, `fail`, `met`, `not_met`).
    pub verdicts: BTreeMap<String, String>,
    /// Verdict forms: the written opinion.
    pub opinion: String,
    /// The expert confirmed a grade that does not match the total (the consistency prompt).
    pub grade_confirmed: bool,
}

/// One criterion's score on a sealed sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionScore {
    pub criterion: String,
    pub points: HalfPoints,
}

/// One item's verdict on a sealed verdict sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemVerdict {
    pub item: String,
    pub verdict: Verdict,
}

/// What a sealed sheet says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Marks {
    Scored {
        scores: Vec<CriterionScore>,
        total: HalfPoints,
        grade: Grade,
        /// The grade does not match the total and the expert confirmed it.
        grade_confirmed: bool,
        strengths: String,
        weaknesses: String,
    },
    Verdicts {
        verdicts: Vec<ItemVerdict>,
        opinion: String,
    },
}

/// A sealed sheet. Its exact serialised text is what the office receives; the receipt is the SHA-256
/// of that text, written once and never re-serialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedSheet {
    pub format: u16,
    pub packet_id: String,
    pub call_id: String,
    pub round: u32,
    /// 申报编号.
    pub number: String,
    pub expert_number: String,
    pub expert_key_id: String,
    pub form_sha256: String,
    pub marks: Marks,
    pub sealed_at: String,
}

impl SealedSheet {
    /// The total in points (scored sheets).
    pub fn total(&self) -> Option<HalfPoints> {
        match &self.marks {
            Marks::Scored { total, .. } => Some(*total),
            Marks::Verdicts { .. } => None,
        }
    }

    pub fn grade(&self) -> Option<Grade> {
        match &self.marks {
            Marks::Scored { grade, .. } => Some(*grade),
            Marks::Verdicts { .. } => None,
        }
    }
}

/// The outcome of checking a draft: the problems (each naming its field), the running total of the
/// scores typed so far, and the marks a seal would write when there is no error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub problems: Vec<Problem>,
    pub total: Option<HalfPoints>,
    pub marks: Option<Marks>,
    /// The grade and the total disagree and the expert has not confirmed it yet.
    pub needs_grade_confirmation: bool,
}

/// Parses a score as typed: `7`, `7.5`, `７．５`; `None` when it is not a number in steps of 0.5.
pub fn parse_points(text: &str) -> Option<HalfPoints> {
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' | '。' => '.',
            c => c,
        })
        .collect();
    let (whole, frac) = t.split_once('.').unwrap_or((&t, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || whole.len() > 4 {
        return None;
    }
    let whole: u32 = whole.parse().ok()?;
    let half = match frac.trim_end_matches('0') {
        "" => 0,
        "5" => 1,
        _ => return None,
    };
    Some(HalfPoints(whole * 2 + half))
}

/// The band of a criterion that a score falls in (its anchor text is shown beside the input).
pub fn band_of(criterion: &Criterion, points: HalfPoints) -> Option<&crate::call::review::Band> {
    criterion.bands.iter().find(|b| b.low <= points && points <= b.high)
}

/// Whether a grade disagrees with a total: ≥ 85 with D, or < 60 with A.
pub fn grade_inconsistent(total: HalfPoints, grade: Grade) -> bool {
    (total >= HalfPoints::whole(85) && grade == Grade::D) || (total < HalfPoints::whole(60) && grade == Grade::A)
}

pub(crate) fn verdict_code(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::PassAfterRevision => "pass_after_revision",
        Verdict::Fail => "fail",
        Verdict::Met => "met",
        Verdict::NotMet => "not_met",
    }
}

/// Checks a draft against the round's form.
pub fn check(form: &Form, draft: &SheetDraft) -> Checked {
    match form {
        Form::Scored(rubric) => check_scored(&rubric.criteria, draft),
        Form::Verdicts(v) => check_verdicts(v, draft),
        Form::Vote => Checked {
            problems: vec![Problem::error(
                "sheet.vote_form",
                "form",
                "会议评审的投票在会上记录，不用评分表",
                "a panel vote is recorded at the meeting, not on a score sheet",
            )],
            total: None,
            marks: None,
            needs_grade_confirmation: false,
        },
    }
}

fn check_scored(criteria: &[Criterion], draft: &SheetDraft) -> Checked {
    let mut problems = Vec::new();
    let mut scores = Vec::new();
    let mut total = HalfPoints(0);
    for c in criteria {
        let field = format!("scores.{}", c.id);
        let typed = draft.scores.get(&c.id).map(|s| s.trim()).unwrap_or("");
        if typed.is_empty() {
            problems.push(Problem::error(
                "sheet.score_missing",
                field,
                format!("请为“{}”打分（0–{} 分）", c.name.zh, c.weight),
                format!("score “{}” (0–{} points)", c.name.en, c.weight),
            ));
            continue;
        }
        match parse_points(typed) {
            None => problems.push(Problem::error(
                "sheet.score_invalid",
                field,
                format!("“{}”的分数“{typed}”不是数字，或不是 0.5 分的整数倍", c.name.zh),
                format!("the score “{typed}” of “{}” is not a number in steps of 0.5", c.name.en),
            )),
            Some(p) if p > HalfPoints::whole(c.weight) => problems.push(Problem::error(
                "sheet.score_over_max",
                field,
                format!("“{}”最高 {} 分，填了 {p} 分", c.name.zh, c.weight),
                format!("“{}” has at most {} points; {p} was given", c.name.en, c.weight),
            )),
            Some(p) => {
                total = HalfPoints(total.0 + p.0);
                scores.push(CriterionScore { criterion: c.id.clone(), points: p });
            }
        }
    }
    for id in draft.scores.keys().filter(|id| !criteria.iter().any(|c| &c.id == *id)) {
        problems.push(Problem::error(
            "sheet.unknown_criterion",
            format!("scores.{id}"),
            format!("评分表没有指标“{id}”"),
            format!("the form has no criterion “{id}”"),
        ));
    }
    if draft.strengths.trim().is_empty() {
        problems.push(Problem::error("sheet.strengths_missing", "strengths", "请写明主要优点", "write the strengths"));
    }
    if draft.weaknesses.trim().is_empty() {
        problems.push(Problem::error(
            "sheet.weaknesses_missing",
            "weaknesses",
            "请写明主要不足或建议",
            "write the weaknesses or suggestions",
        ));
    }
    let complete = scores.len() == criteria.len();
    let mut needs_confirmation = false;
    match draft.grade {
        None => problems.push(Problem::error(
            "sheet.grade_missing",
            "grade",
            "请给出总体评价（A 优先支持 / B 支持 / C 可支持 / D 不支持）",
            "choose the overall grade (A priority / B support / C may support / D do not support)",
        )),
        Some(g) if complete && grade_inconsistent(total, g) && !draft.grade_confirmed => {
            needs_confirmation = true;
            problems.push(Problem::error(
                "sheet.grade_inconsistent",
                "grade",
                format!("总分 {total} 分与总体评价 {g:?} 不一致：请确认或修改"),
                format!("the total {total} and the grade {g:?} disagree: confirm or change them"),
            ));
        }
        Some(_) => {}
    }
    let marks = (problems.is_empty()).then(|| Marks::Scored {
        scores,
        total,
        grade: draft.grade.expect("no problem means a grade"),
        grade_confirmed: grade_inconsistent(total, draft.grade.expect("graded")),
        strengths: draft.strengths.trim().to_string(),
        weaknesses: draft.weaknesses.trim().to_string(),
    });
    Checked { problems, total: Some(total), marks, needs_grade_confirmation: needs_confirmation }
}

fn check_verdicts(form: &VerdictForm, draft: &SheetDraft) -> Checked {
    let mut problems = Vec::new();
    let mut verdicts = Vec::new();
    let allowed = form.scale.verdicts();
    let names: Vec<String> = allowed.iter().map(|v| v.name().zh).collect();
    for item in &form.items {
        let field = format!("verdicts.{}", item.id);
        match draft.verdicts.get(&item.id).map(|s| s.trim()).filter(|s| !s.is_empty()) {
            None => problems.push(Problem::error(
                "sheet.verdict_missing",
                field,
                format!("请对“{}”给出意见（{}）", item.name.zh, names.join(" / ")),
                format!("give a verdict on “{}”", item.name.en),
            )),
            Some(code) => match allowed.iter().find(|v| verdict_code(**v) == code) {
                Some(v) => verdicts.push(ItemVerdict { item: item.id.clone(), verdict: *v }),
                None => problems.push(Problem::error(
                    "sheet.verdict_invalid",
                    field,
                    format!("“{}”的意见只能是：{}", item.name.zh, names.join(" / ")),
                    format!("the verdict on “{}” must be one of the form's", item.name.en),
                )),
            },
        }
    }
    if draft.opinion.trim().is_empty() {
        problems.push(Problem::error("sheet.opinion_missing", "opinion", "请写明论证意见", "write the opinion"));
    }
    let marks = problems.is_empty().then(|| Marks::Verdicts { verdicts, opinion: draft.opinion.trim().to_string() });
    Checked { problems, total: None, marks, needs_grade_confirmation: false }
}

/// Checks sealed marks against the form again (the office does, on every sheet it receives): the
/// criteria are the form's, each score within its range, the total their sum.
pub fn marks_fit(form: &Form, marks: &Marks) -> Result<(), String> {
    match (form, marks) {
        (Form::Scored(rubric), Marks::Scored { scores, total, .. }) => {
            if scores.len() != rubric.criteria.len() {
                return Err(format!("{} scores for {} criteria", scores.len(), rubric.criteria.len()));
            }
            let mut sum = 0;
            for (c, s) in rubric.criteria.iter().zip(scores) {
                if c.id != s.criterion {
                    return Err(format!("criterion {} where {} was expected", s.criterion, c.id));
                }
                if s.points > HalfPoints::whole(c.weight) {
                    return Err(format!("{} points on {} (at most {})", s.points, c.id, c.weight));
                }
                sum += s.points.0;
            }
            if sum != total.0 {
                return Err(format!("the total {total} is not the sum of the scores"));
            }
            Ok(())
        }
        (Form::Verdicts(v), Marks::Verdicts { verdicts, .. }) => {
            let ids: Vec<&str> = verdicts.iter().map(|x| x.item.as_str()).collect();
            let want: Vec<&str> = v.items.iter().map(|x| x.id.as_str()).collect();
            if ids != want {
                return Err("the verdicts are not the form's items".into());
            }
            if verdicts.iter().any(|x| !v.scale.verdicts().contains(&x.verdict)) {
                return Err("a verdict outside the form's scale".into());
            }
            Ok(())
        }
        _ => Err("the sheet's kind is not the form's".into()),
    }
}
