//! Calls (指南 / 榜单): what the office publishes and applicants prepare against — the programme, the
//! selection mode with its data (open competition; challenge, optionally a race or a bounty; directed
//! commission), category, dates, funding, period, budget rules, required sections and attachments,
//! eligibility, core indicators and the review plan ([`review`]).
//!
//! [`validate_call`] checks a call's consistency; [`revision`] freezes a published call, makes revision
//! n+1 and lists what changed for applicants; [`seed`] reads rubric templates and the demo calls from
//! `seeds/`. Pure data and functions: storing and exchanging calls belong to the store and the packages.

pub mod check;
pub mod desk;
pub mod drafts;
pub mod review;
pub mod revision;
pub mod seed;

#[cfg(test)]
mod carried_tests;

pub use check::validate_call;
pub use review::{
    default_plan, Band, Criterion, Form, HalfPoints, Ratio, ReviewPlan, Round, RoundKind, Rubric, RubricTemplate,
    TemplateRef, Verdict, VerdictForm, VerdictItem, VerdictScale,
};
pub use revision::{changes, check_edit, check_revision, Change};

use crate::budget::SchemaRef;
use crate::calendar::{Date, Moment};
use crate::lang::Bilingual;
use crate::money::Fen;
use serde::{Deserialize, Serialize};

/// A call's id: UUID v7, kept for life across machines (domain.md "Ids that cross machines").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "uuid::Uuid", into = "uuid::Uuid")]
pub struct CallId(uuid::Uuid);

impl CallId {
    /// A new id, ordered by creation time.
    pub fn new() -> CallId {
        CallId(uuid::Uuid::now_v7())
    }

    /// An existing id; refuses anything but a UUID v7.
    pub fn from_uuid(id: uuid::Uuid) -> Option<CallId> {
        (id.get_version_num() == 7).then_some(CallId(id))
    }

    /// Parses the hyphenated form; refuses anything but a UUID v7.
    pub fn parse(text: &str) -> Option<CallId> {
        uuid::Uuid::parse_str(text).ok().and_then(CallId::from_uuid)
    }

    pub fn uuid(self) -> uuid::Uuid {
        self.0
    }
}

impl Default for CallId {
    fn default() -> CallId {
        CallId::new()
    }
}

impl TryFrom<uuid::Uuid> for CallId {
    type Error = String;
    fn try_from(id: uuid::Uuid) -> Result<CallId, String> {
        CallId::from_uuid(id).ok_or_else(|| format!("{id} is not a UUID v7"))
    }
}

impl From<CallId> for uuid::Uuid {
    fn from(id: CallId) -> uuid::Uuid {
        id.0
    }
}

impl std::fmt::Display for CallId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// Draft, or published (then frozen: a change is a new revision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum CallStatus {
    Draft,
    Published { at: Moment },
}

/// The project categories of the plan's classified evaluation (六(三)); each picks a default rubric and
/// panel mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 基础研究 (and 应用基础研究): peer review, 代表作, originality “从0到1”.
    BasicResearch,
    /// 技术创新: industry users judge new varieties, technologies, processes, products.
    TechInnovation,
    /// 成果转化: users and the market judge benefits, 技术合同交易额, 市场估值.
    Transfer,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::BasicResearch, Category::TechInnovation, Category::Transfer];

    pub fn code(self) -> &'static str {
        match self {
            Category::BasicResearch => "basic_research",
            Category::TechInnovation => "tech_innovation",
            Category::Transfer => "transfer",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn name(self) -> Bilingual {
        match self {
            Category::BasicResearch => Bilingual::new("基础研究", "basic research"),
            Category::TechInnovation => Bilingual::new("技术创新", "technology innovation"),
            Category::Transfer => Bilingual::new("成果转化", "transfer of results"),
        }
    }
}

/// The management model of a call (plan 六(二)); an attribute, shown and filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManagementModel {
    /// 高水平创新平台负责制
    Platform,
    /// 领军企业负责制
    LeadingEnterprise,
    /// 帅才科学家负责制
    ChiefScientist,
    /// 专业机构受托制
    ProfessionalAgency,
    /// 业务部门直接管理制
    Department,
}

impl ManagementModel {
    pub const ALL: [ManagementModel; 5] = [
        ManagementModel::Platform,
        ManagementModel::LeadingEnterprise,
        ManagementModel::ChiefScientist,
        ManagementModel::ProfessionalAgency,
        ManagementModel::Department,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ManagementModel::Platform => "platform",
            ManagementModel::LeadingEnterprise => "leading_enterprise",
            ManagementModel::ChiefScientist => "chief_scientist",
            ManagementModel::ProfessionalAgency => "professional_agency",
            ManagementModel::Department => "department",
        }
    }

    pub fn parse(code: &str) -> Option<ManagementModel> {
        ManagementModel::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn name(self) -> Bilingual {
        match self {
            ManagementModel::Platform => Bilingual::new("高水平创新平台负责制", "innovation platform in charge"),
            ManagementModel::LeadingEnterprise => Bilingual::new("领军企业负责制", "leading enterprise in charge"),
            ManagementModel::ChiefScientist => Bilingual::new("帅才科学家负责制", "chief scientist in charge"),
            ManagementModel::ProfessionalAgency => Bilingual::new("专业机构受托制", "professional agency entrusted"),
            ManagementModel::Department => Bilingual::new("业务部门直接管理制", "managed by the line department"),
        }
    }
}

/// A unit named by a call (the end user of a challenge, a designated or invited unit), matched by its
/// credit code. The code is kept as typed; [`validate_call`] checks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
    pub credit_code: String,
}

/// The selection mode and what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Mode {
    /// 公开竞争. With `two_stage`, 预申报 then 正式申报.
    OpenCompetition { two_stage: bool },
    /// 揭榜挂帅.
    Challenge(Challenge),
    /// 定向委托: one designated unit, or a short list of 2–3 invited units of which the office selects one.
    DirectedCommission { units: Vec<Unit> },
}

impl Mode {
    pub fn code(&self) -> &'static str {
        match self {
            Mode::OpenCompetition { .. } => "open_competition",
            Mode::Challenge(_) => "challenge",
            Mode::DirectedCommission { .. } => "directed_commission",
        }
    }

    pub fn name(&self) -> Bilingual {
        match self {
            Mode::OpenCompetition { two_stage: false } => Bilingual::new("公开竞争", "open competition"),
            Mode::OpenCompetition { two_stage: true } => Bilingual::new(
                "公开竞争（预申报＋正式申报）",
                "open competition (pre-application and full application)",
            ),
            Mode::Challenge(c) => match c.contest {
                Contest::Single => Bilingual::new("揭榜挂帅", "challenge"),
                Contest::Race(_) => Bilingual::new("揭榜挂帅（赛马）", "challenge (race)"),
                Contest::Bounty(_) => Bilingual::new("揭榜挂帅（悬赏）", "challenge (bounty)"),
            },
            Mode::DirectedCommission { .. } => Bilingual::new("定向委托", "directed commission"),
        }
    }

    pub fn challenge(&self) -> Option<&Challenge> {
        match self {
            Mode::Challenge(c) => Some(c),
            _ => None,
        }
    }
}

/// A 榜单: the task, the end user (发榜方) and how teams compete. The core indicators are the call's,
/// locked; the fixed funding (资助额度) is the call's funding per project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Challenge {
    pub task: Bilingual,
    pub end_user: Unit,
    pub contest: Contest,
}

/// How the teams of a challenge compete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Contest {
    /// One team is selected.
    Single,
    /// 赛马: several teams in parallel, milestone gates, funds per tranche.
    Race(Race),
    /// 悬赏: a reward paid when acceptance verifies the core indicators.
    Bounty(Bounty),
}

/// 赛马: `teams` (2–5) funded in parallel with the first tranche; each milestone gate releases its tranche
/// to the teams that continue. A team that finishes receives first tranche + every milestone's tranche,
/// which must equal the call's funding per project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Race {
    pub teams: u32,
    pub first_tranche: Fen,
    pub milestones: Vec<Milestone>,
}

/// A 里程碑 of a race: due date, the core indicators examined at the gate, and the tranche it releases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub code: String,
    pub name: Bilingual,
    pub due: Date,
    /// Codes of the call's core indicators examined at this gate.
    pub indicators: Vec<String>,
    pub tranche: Fen,
}

/// 悬赏: the reward and how it is paid out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bounty {
    pub reward: Fen,
    pub split: Vec<Payout>,
}

/// One part of a bounty's payout, in whole percent of the reward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payout {
    pub label: Bilingual,
    pub when: PayoutWhen,
    pub percent: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutWhen {
    /// When the agreement with the 发榜方 is signed.
    Agreement,
    /// When 验收 finds every core indicator 达到.
    Acceptance,
}

impl Bounty {
    /// The payout amounts in fen, in split order, summing exactly to the reward: each part gets
    /// floor(reward × percent / 100) and the fen lost to rounding go one each to the parts with the
    /// largest remainders (first in order on ties), so no fen is created or lost. Meaningful when the
    /// split sums to 100.
    pub fn payouts(&self) -> Vec<Fen> {
        let reward = u128::from(self.reward.get());
        let total_percent: u128 = self.split.iter().map(|p| u128::from(p.percent)).sum();
        if total_percent == 0 {
            return vec![Fen::ZERO; self.split.len()];
        }
        let exact: Vec<(u128, u128)> = self
            .split
            .iter()
            .map(|p| {
                let n = reward * u128::from(p.percent);
                (n / total_percent, n % total_percent)
            })
            .collect();
        let mut amounts: Vec<u128> = exact.iter().map(|e| e.0).collect();
        let short = reward - amounts.iter().sum::<u128>().min(reward);
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by(|&a, &b| exact[b].1.cmp(&exact[a].1).then(a.cmp(&b)));
        for &i in order.iter().take(short as usize) {
            amounts[i] += 1;
        }
        amounts.into_iter().map(|a| Fen::new(u64::try_from(a).unwrap_or(u64::MAX))).collect()
    }
}

/// 实施周期: first and last day of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// The calendar years the period touches: the budget table's columns.
    pub fn years(&self) -> Vec<i32> {
        (self.start.year()..=self.end.year()).collect()
    }
}

/// The call's budget rules: the schema and whether the pure-theory indirect rate applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetRules {
    pub schema: SchemaRef,
    /// 数学等纯理论基础研究: the schema's higher indirect rate applies.
    pub pure_theory: bool,
}

/// A section of the application the call asks for, with its length limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionRule {
    pub code: String,
    pub name: Bilingual,
    pub required: bool,
    /// Characters, for rich-text sections; `None` for structured ones (基本信息, 经费预算, 团队).
    pub max_chars: Option<u32>,
    /// Shown to experts in a blind round (so it must be free of names, units and numbers).
    pub blind_reviewable: bool,
}

/// An attachment the call asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRule {
    pub code: String,
    pub name: Bilingual,
    pub required: bool,
    pub max_bytes: u64,
    /// Accepted file types, lower-case extensions (`pdf`, `jpg`).
    pub formats: Vec<String>,
}

/// The professional title a leader must hold at least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Title {
    /// 中级
    Intermediate,
    /// 副高级
    AssociateSenior,
    /// 正高级
    Senior,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Degree {
    Bachelor,
    Master,
    Doctor,
}

/// Who may apply. The limits on the unit's registration date and the leader's age, degree and title are
/// lifted for 揭榜挂帅 (domain.md "Modes").
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Eligibility {
    /// The applicant unit was registered on or before this date.
    pub unit_registered_by: Option<Date>,
    /// The leader is at most this old on the call's closing date.
    pub leader_max_age: Option<u32>,
    pub leader_min_title: Option<Title>,
    pub leader_min_degree: Option<Degree>,
    /// 限项: the leader may lead at most this many running projects (including this one).
    pub max_concurrent_projects: Option<u32>,
    /// The applicant or a partner unit must be registered in 西藏 (credit code division 54xxxx).
    pub xizang_unit_required: bool,
}

/// ≥ (at least) for outputs; ≤ (at most) for costs and energy use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    AtLeast,
    AtMost,
}

impl Direction {
    pub fn symbol(self) -> &'static str {
        match self {
            Direction::AtLeast => "≥",
            Direction::AtMost => "≤",
        }
    }

    /// Whether `value` meets `target` in this direction.
    pub fn met(self, value: f64, target: f64) -> bool {
        match self {
            Direction::AtLeast => value >= target,
            Direction::AtMost => value <= target,
        }
    }
}

/// A 核心指标 the call sets. Locked indicators (all of them in 揭榜挂帅) cannot be moved by applicants:
/// an application must answer each with a target at least as good in its direction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoreIndicator {
    pub code: String,
    pub name: Bilingual,
    pub unit: String,
    /// Not money: a quantity of the indicator's unit (亩产 kg, 转化效率 %, 能耗 kWh/t …).
    pub target: f64,
    pub direction: Direction,
    pub locked: bool,
    /// The catalog target of the call's programme it serves (`ZX06-T1`), if any.
    pub plan_target: Option<String>,
}

/// A call, one revision of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub id: CallId,
    /// 1 for the first publication; each edit of a published call makes the next.
    pub revision: u32,
    pub status: CallStatus,
    /// What people see and type: `YYYY-ZXnn-NN` (`2027-ZX06-01`).
    pub code: String,
    /// Programme code, `ZX01` … `ZX08`.
    pub programme: String,
    pub title: Bilingual,
    pub year: i32,
    pub mode: Mode,
    pub category: Category,
    pub management: Option<ManagementModel>,
    pub opens_at: Moment,
    pub closes_at: Moment,
    /// Per project; for 揭榜挂帅 the fixed 资助额度.
    pub funding_per_project: Fen,
    pub funding_total: Fen,
    pub places: u32,
    pub period: Period,
    pub budget: BudgetRules,
    pub sections: Vec<SectionRule>,
    pub attachments: Vec<AttachmentRule>,
    pub eligibility: Eligibility,
    pub core_indicators: Vec<CoreIndicator>,
    pub review_plan: ReviewPlan,
}

impl Call {
    pub fn is_published(&self) -> bool {
        matches!(self.status, CallStatus::Published { .. })
    }
}

/// The section code of the 军令状 a challenge requires.
pub const PLEDGE: &str = "pledge";

/// The demo calls shipped with the program (file name as shown in messages, contents).
pub const EMBEDDED_DEMO_CALLS: (&str, &str) =
    ("seeds/calls/demo.toml", include_str!("../../../../seeds/calls/demo.toml"));

/// The demo calls, one per programme, parsed against the shipped rubric templates and budget schemas
/// and checked with [`validate_call`].
pub fn demo_calls() -> crate::Result<Vec<Call>> {
    let templates = review::embedded_templates()?;
    let schemas = crate::budget::embedded_schemas()?;
    seed::parse_calls(EMBEDDED_DEMO_CALLS.0, EMBEDDED_DEMO_CALLS.1, &templates, &schemas)
}

/// A first draft moved to another selection mode (`open_competition`, `challenge`,
/// `directed_commission`), keeping what it says of itself (title, programme, category, dates, funding,
/// sections, core indicators …). The new mode's own parts start empty, for the office to fill in (the
/// checks name each); what the mode rules change follows it: 揭榜挂帅 locks the core indicators, drops the
/// limits on the unit's registration and the leader's age, title and degree, and asks for the 军令状;
/// 定向委托 selects one unit; the review plan is the category's default for the mode. Refused for a call
/// that was ever published: applicants and experts hold it in its mode, a revision keeps it.
pub fn with_mode(draft: &Call, mode: &str, templates: &[RubricTemplate]) -> crate::Result<Call> {
    let refuse = |reason: String| crate::CoreError::Validation { field: "mode / 遴选方式".into(), reason };
    if draft.revision != 1 || draft.is_published() {
        return Err(refuse(format!(
            "指南 {} 已发布过，遴选方式不能再改；请另建指南 / call {} was published, its mode is fixed: make a new call",
            draft.code, draft.code
        )));
    }
    let empty_unit = || Unit { name: String::new(), credit_code: String::new() };
    let new_mode = match mode {
        m if m == draft.mode.code() => return Ok(draft.clone()),
        "open_competition" => Mode::OpenCompetition { two_stage: false },
        "challenge" => {
            Mode::Challenge(Challenge { task: Bilingual::default(), end_user: empty_unit(), contest: Contest::Single })
        }
        "directed_commission" => Mode::DirectedCommission { units: vec![empty_unit()] },
        other => {
            return Err(refuse(format!(
                "没有“{other}”这种遴选方式（open_competition、challenge、directed_commission） / no mode “{other}”"
            )))
        }
    };
    let mut call = draft.clone();
    let challenge = matches!(new_mode, Mode::Challenge(_));
    if challenge {
        let e = &mut call.eligibility;
        (e.unit_registered_by, e.leader_max_age, e.leader_min_title, e.leader_min_degree) = (None, None, None, None);
        let has_pledge =
            call.sections.iter().any(|s| s.code == PLEDGE) || call.attachments.iter().any(|a| a.code == PLEDGE);
        if !has_pledge {
            // The 军令状 as the shipped challenge asks for it.
            let pledge = demo_calls()?
                .into_iter()
                .find_map(|c| c.attachments.into_iter().find(|a| a.code == PLEDGE))
                .ok_or_else(|| refuse("示例中没有军令状附件 / no 军令状 in the demo calls".into()))?;
            call.attachments.push(pledge);
        }
    }
    for indicator in &mut call.core_indicators {
        indicator.locked = challenge;
    }
    if matches!(new_mode, Mode::DirectedCommission { .. }) {
        call.places = 1;
    }
    call.mode = new_mode;
    call.review_plan = default_plan(call.category, &call.mode, templates)
        .ok_or_else(|| refuse("没有该类别的评审模板 / no rubric template for the category".into()))?;
    Ok(call)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounty(reward: u64, percents: &[u32]) -> Bounty {
        Bounty {
            reward: Fen::new(reward),
            split: percents
                .iter()
                .map(|&p| Payout { label: Bilingual::default(), when: PayoutWhen::Acceptance, percent: p })
                .collect(),
        }
    }

    #[test]
    fn a_first_draft_changes_mode_with_what_the_mode_rules_and_leaves_only_the_new_parts_to_fill() {
        let templates = review::embedded_templates().unwrap();
        let demos = demo_calls().unwrap();
        let open = demos.iter().find(|c| c.mode.code() == "open_competition").unwrap();
        let draft = open.clone();
        assert!(!draft.is_published());
        // What remains to do is the new mode's own parts, each named; nothing else is wrong.
        let remaining = |c: &Call| -> Vec<String> {
            check::validate_call(c)
                .into_iter()
                .filter(|p| p.severity == crate::validate::Severity::Error)
                .map(|p| p.field)
                .filter(|f| !f.starts_with("mode."))
                .collect()
        };

        let challenge = with_mode(&draft, "challenge", &templates).unwrap();
        assert_eq!(challenge.mode.code(), "challenge");
        assert!(challenge.core_indicators.iter().all(|i| i.locked));
        assert!(challenge.attachments.iter().any(|a| a.code == PLEDGE));
        assert_eq!(challenge.eligibility.leader_max_age, None);
        assert!(challenge.review_plan.rounds.iter().all(|r| RoundKind::for_mode(&challenge.mode).contains(&r.kind)));
        assert_eq!(
            (challenge.title.clone(), challenge.category, challenge.code.clone()),
            (draft.title.clone(), draft.category, draft.code.clone())
        );
        assert_eq!(remaining(&challenge), Vec::<String>::new());
        assert!(check::validate_call(&challenge).iter().any(|p| p.field == "mode.task.zh"));

        let directed = with_mode(&challenge, "directed_commission", &templates).unwrap();
        assert_eq!(directed.places, 1);
        assert!(directed.core_indicators.iter().all(|i| !i.locked));
        assert_eq!(
            directed.review_plan.rounds.iter().map(|r| r.kind).collect::<Vec<_>>(),
            vec![RoundKind::Feasibility]
        );
        assert_eq!(remaining(&directed), Vec::<String>::new());

        let back = with_mode(&directed, "open_competition", &templates).unwrap();
        assert_eq!(back.review_plan, open.review_plan);
        assert_eq!(remaining(&back), Vec::<String>::new());

        // Refused: an unknown mode, and any call that was published.
        assert!(matches!(with_mode(&draft, "lottery", &templates), Err(crate::CoreError::Validation { .. })));
        let mut published = open.clone();
        published.status = CallStatus::Published { at: open.opens_at };
        let e = with_mode(&published, "challenge", &templates).unwrap_err();
        assert!(e.to_string().contains(&open.code), "{e}");
    }

    #[test]
    fn bounty_payouts_sum_exactly_to_the_reward() {
        assert_eq!(bounty(100, &[30, 70]).payouts(), vec![Fen::new(30), Fen::new(70)]);
        // 10 fen in thirds: 3.33…, 3.33…, 3.33… (percent 33, 33, 34) → 3, 3, 3 and the 1 fen short goes to
        // the largest remainder (3.4 of the 34% part).
        assert_eq!(bounty(10, &[33, 33, 34]).payouts(), vec![Fen::new(3), Fen::new(3), Fen::new(4)]);
        let b = bounty(1_000_001, &[33, 33, 34]);
        assert_eq!(b.payouts().into_iter().sum::<Fen>(), Fen::new(1_000_001));
    }

    #[test]
    fn ids_are_v7() {
        let id = CallId::new();
        assert_eq!(id.uuid().get_version_num(), 7);
        assert_eq!(CallId::parse(&id.to_string()), Some(id));
        assert_eq!(CallId::parse("67e55044-10b1-426f-9247-bb680e5fe0c8"), None, "v4 refused");
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<CallId>(&json).unwrap(), id);
        assert!(serde_json::from_str::<CallId>("\"67e55044-10b1-426f-9247-bb680e5fe0c8\"").is_err());
    }
}

#[cfg(test)]
mod demo_tests {
    use super::*;

    #[test]
    fn one_demo_call_per_programme_covering_the_three_modes() {
        let calls = demo_calls().unwrap();
        let programmes: Vec<&str> = calls.iter().map(|c| c.programme.as_str()).collect();
        assert_eq!(programmes, ["ZX01", "ZX02", "ZX03", "ZX04", "ZX05", "ZX06", "ZX07", "ZX08"]);
        let count = |f: &dyn Fn(&Mode) -> bool| calls.iter().filter(|c| f(&c.mode)).count();
        assert!(count(&|m| matches!(m, Mode::OpenCompetition { two_stage: false })) >= 1);
        assert!(count(&|m| matches!(m, Mode::OpenCompetition { two_stage: true })) >= 1);
        assert!(count(&|m| matches!(m, Mode::Challenge(Challenge { contest: Contest::Single, .. }))) >= 1);
        assert!(count(&|m| matches!(m, Mode::Challenge(Challenge { contest: Contest::Race(_), .. }))) >= 1);
        assert!(count(&|m| matches!(m, Mode::Challenge(Challenge { contest: Contest::Bounty(_), .. }))) >= 1);
        assert!(count(&|m| matches!(m, Mode::DirectedCommission { units } if units.len() == 1)) >= 1);
        assert!(count(&|m| matches!(m, Mode::DirectedCommission { units } if units.len() >= 2)) >= 1);
        for c in &calls {
            assert_eq!(c.id.uuid().get_version_num(), 7);
            assert_eq!((c.revision, &c.status), (1, &CallStatus::Draft));
            // A call survives its JSON form unchanged (packages and the store carry it so).
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(&serde_json::from_str::<Call>(&json).unwrap(), c, "{}", c.code);
        }
        // Both budget schemas are in use.
        assert!(calls.iter().any(|c| c.budget.schema.code == "xizang-provincial-2017"));
    }

    #[test]
    fn default_plans_follow_mode_and_category() {
        let calls = demo_calls().unwrap();
        let kinds = |code: &str| -> Vec<RoundKind> {
            calls.iter().find(|c| c.code == code).unwrap().review_plan.rounds.iter().map(|r| r.kind).collect()
        };
        assert_eq!(kinds("2027-ZX01-01"), [RoundKind::MailReview, RoundKind::PanelReview]);
        assert_eq!(kinds("2027-ZX04-01"), [RoundKind::Defence]);
        assert_eq!(kinds("2027-ZX08-01"), [RoundKind::Defence, RoundKind::Acceptance]);
        assert_eq!(kinds("2027-ZX02-01"), [RoundKind::Feasibility]);

        let basic = calls.iter().find(|c| c.code == "2027-ZX03-01").unwrap();
        let mail = &basic.review_plan.rounds[0];
        assert!(mail.blind, "basic research: blind peer review by default");
        assert!(matches!(&mail.form, Form::Scored(r) if r.template.as_ref().unwrap().code == "basic-research"));
        let panel = &basic.review_plan.rounds[1];
        assert_eq!(
            (panel.shortlist_percent, &panel.form, panel.vote_share),
            (Some(120), &Form::Vote, Ratio::new(2, 3))
        );

        let tech = calls.iter().find(|c| c.code == "2027-ZX01-01").unwrap();
        assert!(tech.review_plan.rounds.iter().all(|r| r.industry_user_min == Some(Ratio::new(1, 3))));
        let directed = calls.iter().find(|c| c.code == "2027-ZX02-01").unwrap();
        assert!(
            matches!(&directed.review_plan.rounds[0].form, Form::Verdicts(v) if v.scale == VerdictScale::Feasibility && v.items.len() == 6)
        );
    }
}
