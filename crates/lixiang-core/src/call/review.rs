//! The review plan of a call: its rounds in order (通讯评审 / 会议评审 / 答辩 / 现场考察 / 可行性论证 /
//! 验收), each with k experts, one form (a scored rubric, a vote, or verdicts), blind or not, trimming,
//! the non-consensus threshold, vote share, shortlist ratio and the industry-user share of the panel.
//!
//! Defaults come from the category's rubric template (`seeds/rubrics/`, read by [`super::seed`]):
//! [`default_plan`] builds the rounds a mode needs around the template's form and settings. The plan is
//! versioned data on the call; editing a form after its round's first packet went out is a new version.

use super::{Category, Mode};
use crate::lang::Bilingual;
use serde::{Deserialize, Serialize};

/// The rubric templates shipped inside the program: (file name as shown in messages, contents).
pub const EMBEDDED_TEMPLATES: &[(&str, &str)] = &[
    ("seeds/rubrics/basic-research.toml", include_str!("../../../../seeds/rubrics/basic-research.toml")),
    ("seeds/rubrics/tech-innovation.toml", include_str!("../../../../seeds/rubrics/tech-innovation.toml")),
    ("seeds/rubrics/transfer.toml", include_str!("../../../../seeds/rubrics/transfer.toml")),
    ("seeds/rubrics/feasibility.toml", include_str!("../../../../seeds/rubrics/feasibility.toml")),
];

/// The shipped rubric templates, parsed and checked.
pub fn embedded_templates() -> crate::Result<Vec<RubricTemplate>> {
    EMBEDDED_TEMPLATES.iter().map(|(file, text)| super::seed::parse_template(file, text)).collect()
}

/// A fraction such as the vote share 2/3 or the industry-user share 1/3, kept exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub num: u32,
    pub den: u32,
}

impl Ratio {
    pub const fn new(num: u32, den: u32) -> Ratio {
        Ratio { num, den }
    }

    /// Parses `2/3` (or a whole number `1`).
    pub fn parse(text: &str) -> Option<Ratio> {
        let (n, d) = text.split_once('/').unwrap_or((text, "1"));
        let r = Ratio { num: n.trim().parse().ok()?, den: d.trim().parse().ok()? };
        (r.den > 0).then_some(r)
    }

    /// Whether `self` ≥ `other`, exactly (cross-multiplied).
    pub fn at_least(self, other: Ratio) -> bool {
        u64::from(self.num) * u64::from(other.den) >= u64::from(other.num) * u64::from(self.den)
    }

    /// Whether 0 < self ≤ 1.
    pub fn is_share(self) -> bool {
        self.den > 0 && self.num > 0 && self.num <= self.den
    }
}

impl std::fmt::Display for Ratio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

/// Points in steps of 0.5 (a sheet's scores are 0 … max, step 0.5), stored as the number of halves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HalfPoints(pub u32);

impl HalfPoints {
    pub fn whole(points: u32) -> HalfPoints {
        HalfPoints(points.saturating_mul(2))
    }
}

impl std::fmt::Display for HalfPoints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_multiple_of(2) {
            write!(f, "{}", self.0 / 2)
        } else {
            write!(f, "{}.5", self.0 / 2)
        }
    }
}

/// An anchored band of a criterion: "8–10 分：国际先进".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub low: HalfPoints,
    pub high: HalfPoints,
    pub text: Bilingual,
}

/// A criterion of a scored form. `weight` is its maximum points; the weights of a form sum to 100.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub id: String,
    pub name: Bilingual,
    pub weight: u32,
    /// From the highest band down, covering 0 … weight without gaps or overlaps.
    pub bands: Vec<Band>,
}

/// Which template (code and version) a form was copied from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRef {
    pub code: String,
    pub version: u32,
}

/// A scored rubric.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    pub template: Option<TemplateRef>,
    pub criteria: Vec<Criterion>,
}

impl Rubric {
    pub fn total_weight(&self) -> u32 {
        self.criteria.iter().map(|c| c.weight).sum()
    }
}

/// The verdicts of a verdict form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictScale {
    /// 可行性论证: 通过 / 修改后通过 / 不通过.
    Feasibility,
    /// 验收: 达到 / 未达到, per core indicator.
    Acceptance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    PassAfterRevision,
    Fail,
    Met,
    NotMet,
}

impl VerdictScale {
    pub fn verdicts(self) -> &'static [Verdict] {
        match self {
            VerdictScale::Feasibility => &[Verdict::Pass, Verdict::PassAfterRevision, Verdict::Fail],
            VerdictScale::Acceptance => &[Verdict::Met, Verdict::NotMet],
        }
    }
}

impl Verdict {
    pub fn name(self) -> Bilingual {
        match self {
            Verdict::Pass => Bilingual::new("通过", "pass"),
            Verdict::PassAfterRevision => Bilingual::new("修改后通过", "pass after revision"),
            Verdict::Fail => Bilingual::new("不通过", "fail"),
            Verdict::Met => Bilingual::new("达到", "met"),
            Verdict::NotMet => Bilingual::new("未达到", "not met"),
        }
    }
}

/// An item experts give a verdict on, with a written opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictItem {
    pub id: String,
    pub name: Bilingual,
}

/// A verdict form: a verdict per item (or per core indicator of the call), opinions, and a consolidated
/// panel opinion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictForm {
    pub template: Option<TemplateRef>,
    pub scale: VerdictScale,
    pub items: Vec<VerdictItem>,
    /// The items are the call's core indicators (验收), taken from the call when the packet is made.
    pub per_core_indicator: bool,
}

/// The one form of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Form {
    Scored(Rubric),
    /// 会议评审 vote: recommend when yes votes ≥ the round's share of members present and not conflicted.
    Vote,
    Verdicts(VerdictForm),
}

impl Form {
    pub fn name(&self) -> Bilingual {
        match self {
            Form::Scored(_) => Bilingual::new("评分表", "scored rubric"),
            Form::Vote => Bilingual::new("投票", "vote"),
            Form::Verdicts(v) => match v.scale {
                VerdictScale::Feasibility => Bilingual::new("可行性论证意见", "feasibility verdicts"),
                VerdictScale::Acceptance => Bilingual::new("验收意见", "acceptance verdicts"),
            },
        }
    }
}

/// The kind of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundKind {
    /// 通讯评审
    MailReview,
    /// 会议评审
    PanelReview,
    /// 答辩
    Defence,
    /// 现场考察
    SiteVisit,
    /// 可行性论证
    Feasibility,
    /// 验收
    Acceptance,
}

impl RoundKind {
    pub const ALL: [RoundKind; 6] = [
        RoundKind::MailReview,
        RoundKind::PanelReview,
        RoundKind::Defence,
        RoundKind::SiteVisit,
        RoundKind::Feasibility,
        RoundKind::Acceptance,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RoundKind::MailReview => "mail_review",
            RoundKind::PanelReview => "panel_review",
            RoundKind::Defence => "defence",
            RoundKind::SiteVisit => "site_visit",
            RoundKind::Feasibility => "feasibility",
            RoundKind::Acceptance => "acceptance",
        }
    }

    pub fn parse(code: &str) -> Option<RoundKind> {
        RoundKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kinds of round a call of `mode` may have (domain.md "Modes"): 公开竞争 is reviewed by mail,
    /// panel, defence and site visit; 揭榜挂帅 the same and 验收, which verifies the core indicators a
    /// bounty's reward and a race's last tranche wait for; 定向委托 only by 可行性论证, a verdict per item
    /// with no ranking (so 可行性论证 belongs to it alone).
    pub fn for_mode(mode: &Mode) -> &'static [RoundKind] {
        match mode {
            Mode::OpenCompetition { .. } => {
                &[RoundKind::MailReview, RoundKind::PanelReview, RoundKind::Defence, RoundKind::SiteVisit]
            }
            Mode::Challenge(_) => &[
                RoundKind::MailReview,
                RoundKind::PanelReview,
                RoundKind::Defence,
                RoundKind::SiteVisit,
                RoundKind::Acceptance,
            ],
            Mode::DirectedCommission { .. } => &[RoundKind::Feasibility],
        }
    }

    pub fn name(self) -> Bilingual {
        match self {
            RoundKind::MailReview => Bilingual::new("通讯评审", "mail review"),
            RoundKind::PanelReview => Bilingual::new("会议评审", "panel review"),
            RoundKind::Defence => Bilingual::new("答辩", "defence"),
            RoundKind::SiteVisit => Bilingual::new("现场考察", "site visit"),
            RoundKind::Feasibility => Bilingual::new("可行性论证", "feasibility review"),
            RoundKind::Acceptance => Bilingual::new("验收", "acceptance"),
        }
    }
}

/// One round of review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    pub kind: RoundKind,
    /// k: experts per application.
    pub experts: u32,
    pub blind: bool,
    pub form: Form,
    /// Drop one highest and one lowest score when there are at least `trimming_min` sheets.
    pub trimming: bool,
    pub trimming_min: u32,
    /// Max − min (points) at or above which an item is flagged 非共识.
    pub non_consensus: u32,
    /// Share of yes votes that recommends (vote forms).
    pub vote_share: Ratio,
    /// How many go on to the next round, in percent of the places (120 = 120%); `None` when all go on.
    pub shortlist_percent: Option<u32>,
    /// The least share of industry-user experts on each panel (技术创新: 1/3).
    pub industry_user_min: Option<Ratio>,
}

/// The rounds in order, versioned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPlan {
    pub version: u32,
    pub rounds: Vec<Round>,
}

/// What a template is for: a category's scored review, or the verdicts of 定向委托.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "category")]
pub enum TemplateUse {
    Category(Category),
    DirectedCommission,
}

/// The round settings a template gives by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundDefaults {
    pub mail_experts: u32,
    pub panel_experts: u32,
    pub mail_blind: bool,
    pub trimming: bool,
    pub trimming_min: u32,
    pub non_consensus: u32,
    pub vote_share: Ratio,
    pub shortlist_percent: u32,
    pub industry_user_min: Option<Ratio>,
}

/// A rubric template (`seeds/rubrics/*.toml`): the form and round defaults of a category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RubricTemplate {
    pub code: String,
    pub version: u32,
    pub name: Bilingual,
    pub source: String,
    pub applies_to: TemplateUse,
    pub form: Form,
    pub defaults: RoundDefaults,
}

impl RubricTemplate {
    pub fn reference(&self) -> TemplateRef {
        TemplateRef { code: self.code.clone(), version: self.version }
    }
}

fn newest(templates: &[RubricTemplate], use_: TemplateUse) -> Option<&RubricTemplate> {
    templates.iter().filter(|t| t.applies_to == use_).max_by_key(|t| t.version)
}

fn round(kind: RoundKind, experts: u32, blind: bool, form: Form, d: &RoundDefaults) -> Round {
    Round {
        kind,
        experts,
        blind,
        form,
        trimming: d.trimming,
        trimming_min: d.trimming_min,
        non_consensus: d.non_consensus,
        vote_share: d.vote_share,
        shortlist_percent: None,
        industry_user_min: d.industry_user_min,
    }
}

/// A new round of `kind` for a call of `category`, as the office adds it to a plan, from the newest
/// matching template, set as [`default_plan`] sets the same round:
/// - 通讯评审: the category's rubric, its mail experts, blind as the template says;
/// - 会议评审: a vote of the category's panel, with the template's shortlist;
/// - 答辩 and 现场考察: the category's rubric before its panel experts, not blind;
/// - 可行性论证: the feasibility verdict form and settings of the 定向委托 template;
/// - 验收: verdicts per core indicator (the items come from the call when the packet is made), the
///   category's mail experts, no industry-user share.
///
/// `None` when no template for the category (or, for 可行性论证, for 定向委托) is given.
pub fn default_round(category: Category, kind: RoundKind, templates: &[RubricTemplate]) -> Option<Round> {
    let template = match kind {
        RoundKind::Feasibility => newest(templates, TemplateUse::DirectedCommission)?,
        _ => newest(templates, TemplateUse::Category(category))?,
    };
    let d = &template.defaults;
    Some(match kind {
        RoundKind::MailReview => round(kind, d.mail_experts, d.mail_blind, template.form.clone(), d),
        RoundKind::PanelReview => {
            let mut panel = round(kind, d.panel_experts, false, Form::Vote, d);
            panel.shortlist_percent = Some(d.shortlist_percent);
            panel
        }
        RoundKind::Defence | RoundKind::SiteVisit => round(kind, d.panel_experts, false, template.form.clone(), d),
        RoundKind::Feasibility => round(kind, d.mail_experts, false, template.form.clone(), d),
        RoundKind::Acceptance => {
            let form = Form::Verdicts(VerdictForm {
                template: None,
                scale: VerdictScale::Acceptance,
                items: Vec::new(),
                per_core_indicator: true,
            });
            let mut acceptance = round(kind, d.mail_experts, false, form, d);
            acceptance.industry_user_min = None;
            acceptance
        }
    })
}

/// The default review plan (version 1) of a call of `category` in `mode`, from the newest matching templates:
/// - 公开竞争: 通讯评审 with the category's rubric, then 会议评审 by vote on the shortlist;
/// - 揭榜挂帅: 答辩 (with the end user) on the category's rubric; a bounty adds 验收 per core indicator;
/// - 定向委托: 可行性论证 with the feasibility verdict form, no ranking.
///
/// Each round is [`default_round`]'s, so a round added by hand starts as the default plan's would.
/// `None` when no template for the category (or for 定向委托) is given.
pub fn default_plan(category: Category, mode: &Mode, templates: &[RubricTemplate]) -> Option<ReviewPlan> {
    let kinds: &[RoundKind] = match mode {
        Mode::OpenCompetition { .. } => &[RoundKind::MailReview, RoundKind::PanelReview],
        Mode::Challenge(c) if matches!(c.contest, super::Contest::Bounty(_)) => {
            &[RoundKind::Defence, RoundKind::Acceptance]
        }
        Mode::Challenge(_) => &[RoundKind::Defence],
        Mode::DirectedCommission { .. } => &[RoundKind::Feasibility],
    };
    let rounds = kinds.iter().map(|&k| default_round(category, k, templates)).collect::<Option<Vec<_>>>()?;
    Some(ReviewPlan { version: 1, rounds })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn templates() -> Vec<RubricTemplate> {
        embedded_templates().unwrap()
    }

    #[test]
    fn a_round_added_by_hand_starts_from_the_categorys_template() {
        let all = templates();
        let tech = newest(&all, TemplateUse::Category(Category::TechInnovation)).unwrap();

        // 答辩: the category's rubric before its panel, not blind, with the template's settings.
        let defence = default_round(Category::TechInnovation, RoundKind::Defence, &all).unwrap();
        assert_eq!(defence.kind, RoundKind::Defence);
        assert_eq!((defence.experts, defence.blind), (tech.defaults.panel_experts, false));
        assert_eq!(defence.form, tech.form);
        assert!(
            matches!(&defence.form, Form::Scored(r) if r.total_weight() == 100 && r.template == Some(tech.reference()))
        );
        assert_eq!(defence.industry_user_min, Some(Ratio::new(1, 3)));
        assert_eq!((defence.non_consensus, defence.shortlist_percent), (tech.defaults.non_consensus, None));

        // 会议评审: a vote with the shortlist.
        let panel = default_round(Category::BasicResearch, RoundKind::PanelReview, &all).unwrap();
        assert_eq!(
            (&panel.form, panel.shortlist_percent, panel.vote_share),
            (&Form::Vote, Some(120), Ratio::new(2, 3))
        );

        // 通讯评审 of basic research: blind peer review on the basic-research rubric.
        let mail = default_round(Category::BasicResearch, RoundKind::MailReview, &all).unwrap();
        assert!(mail.blind);
        assert!(matches!(&mail.form, Form::Scored(r) if r.template.as_ref().unwrap().code == "basic-research"));

        // 可行性论证: the 定向委托 template's verdicts, whatever the category.
        let feasibility = default_round(Category::Transfer, RoundKind::Feasibility, &all).unwrap();
        assert!(
            matches!(&feasibility.form, Form::Verdicts(v) if v.scale == VerdictScale::Feasibility && v.items.len() == 6 && !v.per_core_indicator)
        );
        assert_eq!(feasibility.industry_user_min, None);

        // 验收: per core indicator, no industry-user share.
        let acceptance = default_round(Category::TechInnovation, RoundKind::Acceptance, &all).unwrap();
        assert!(
            matches!(&acceptance.form, Form::Verdicts(v) if v.scale == VerdictScale::Acceptance && v.per_core_indicator && v.items.is_empty())
        );
        assert_eq!((acceptance.experts, acceptance.industry_user_min), (tech.defaults.mail_experts, None));

        // 现场考察: the rubric, the panel.
        let visit = default_round(Category::Transfer, RoundKind::SiteVisit, &all).unwrap();
        assert!(matches!(&visit.form, Form::Scored(r) if r.template.as_ref().unwrap().code == "transfer"));

        // Without the template there is no default.
        let only_directed: Vec<_> =
            all.iter().filter(|t| t.applies_to == TemplateUse::DirectedCommission).cloned().collect();
        assert_eq!(default_round(Category::TechInnovation, RoundKind::Defence, &only_directed), None);
        assert!(default_round(Category::TechInnovation, RoundKind::Feasibility, &only_directed).is_some());
    }

    #[test]
    fn the_default_plan_is_made_of_the_default_rounds() {
        let all = templates();
        let open = Mode::OpenCompetition { two_stage: false };
        let plan = default_plan(Category::TechInnovation, &open, &all).unwrap();
        let by_hand: Vec<Round> = [RoundKind::MailReview, RoundKind::PanelReview]
            .into_iter()
            .map(|k| default_round(Category::TechInnovation, k, &all).unwrap())
            .collect();
        assert_eq!((plan.version, plan.rounds), (1, by_hand));
    }
}
