//! Applications (申报书): what an applicant prepares against one revision of a call — 基本信息, the
//! applicant and partner units, the team with its leader, the long text sections as restricted rich
//! text ([`text`]), 考核指标, 里程碑, the budget, 代表作, attachments (by content hash), experts to
//! avoid and the pledges — and the checks of it ([`check`]), its sealed versions and their comparison
//! ([`version`]), a complete demo application per demo call ([`demo`]) and the sniffing of attachment
//! types ([`media`]).
//!
//! Pure data and functions: no database, no clock, no files. Storing drafts and versions, the attachment
//! bytes (the blob store), submission packages and the office's checks that need other applications
//! (限项, 查重) are built on top of this module elsewhere.

pub mod appeal;
pub mod bench;
pub mod check;
pub mod demo;
pub mod desk;
pub mod duplicate;
pub mod editor;
pub mod form;
pub mod formal;
pub mod media;
pub mod office;
pub mod print;
pub mod text;
pub mod version;
pub mod withdrawal;

pub use check::{
    check_against_pre_application, check_submission_time, formal_check_rules, formal_check_rules_with,
    required_pledges, validate_application, validate_application_with, PledgeText,
};
pub use demo::{bench_validate, demo_application, demo_application_with};
pub use media::{media_type_for_extension, sniff_media_type};
pub use text::{Block, RichText, Script, Span};
pub use version::{compare_versions, seal_version, Difference, SealedVersion};

use crate::budget::BudgetTable;
use crate::calendar::Date;
use crate::call::{CallId, Degree, Direction, Period, Title};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An application's id: UUID v7, kept for life across machines (domain.md "Ids that cross machines").
/// People see the 申报编号 the office assigns on import instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "uuid::Uuid", into = "uuid::Uuid")]
pub struct ApplicationId(uuid::Uuid);

impl ApplicationId {
    /// A new id, ordered by creation time.
    pub fn new() -> ApplicationId {
        ApplicationId(uuid::Uuid::now_v7())
    }

    /// An existing id; refuses anything but a UUID v7.
    pub fn from_uuid(id: uuid::Uuid) -> Option<ApplicationId> {
        (id.get_version_num() == 7).then_some(ApplicationId(id))
    }

    /// Parses the hyphenated form; refuses anything but a UUID v7.
    pub fn parse(text: &str) -> Option<ApplicationId> {
        uuid::Uuid::parse_str(text).ok().and_then(ApplicationId::from_uuid)
    }

    pub fn uuid(self) -> uuid::Uuid {
        self.0
    }
}

impl Default for ApplicationId {
    fn default() -> ApplicationId {
        ApplicationId::new()
    }
}

impl TryFrom<uuid::Uuid> for ApplicationId {
    type Error = String;
    fn try_from(id: uuid::Uuid) -> Result<ApplicationId, String> {
        ApplicationId::from_uuid(id).ok_or_else(|| format!("{id} is not a UUID v7"))
    }
}

impl From<ApplicationId> for uuid::Uuid {
    fn from(id: ApplicationId) -> uuid::Uuid {
        id.0
    }
}

impl std::fmt::Display for ApplicationId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// 预申报 or 正式申报. Calls in one stage only take full applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 预申报 of a two-stage open competition.
    Pre,
    /// 正式申报 (the only stage of every other call).
    Full,
}

/// A decimal quantity as people type it (`85`, `99.5`, `1.8`): exact, at most [`Quantity::MAX_DECIMALS`]
/// decimals, stored in its shortest form (`85.50` is `85.5`), so that equal values are equal records
/// and hash alike. Serialised as that decimal string: no binary float enters an application, so its
/// sealed bytes are exact and read back identically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quantity {
    mantissa: i64,
    scale: u8,
}

/// Why a typed quantity was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityError {
    Empty,
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

impl Quantity {
    pub const MAX_DECIMALS: u8 = 6;

    /// A whole number.
    pub const fn whole(n: i64) -> Quantity {
        Quantity { mantissa: n, scale: 0 }
    }

    /// Parses what a person typed: full-width digits, spaces and thousands separators are accepted;
    /// exponents, more than 6 decimals and anything but a plain decimal number are refused.
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        let s: String = crate::validate::compact(text).chars().filter(|c| *c != ',' && *c != '，').collect();
        if s.is_empty() {
            return Err(QuantityError::Empty);
        }
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.as_str()),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(QuantityError::NotANumber);
        }
        let frac = frac.trim_end_matches('0');
        if frac.len() > usize::from(Quantity::MAX_DECIMALS) {
            return Err(QuantityError::TooManyDecimals);
        }
        let digits = format!("{int}{frac}");
        let magnitude: i64 = digits.parse().map_err(|_| QuantityError::TooLarge)?;
        // Kept within f64's exact integers, so that comparisons with a call's targets are exact.
        if magnitude > (1i64 << 53) {
            return Err(QuantityError::TooLarge);
        }
        let mantissa = if negative { -magnitude } else { magnitude };
        Ok(Quantity { mantissa, scale: frac.len() as u8 }.shortest())
    }

    /// The quantity a call's target (an f64 from its seed) prints as, when it has at most 6 decimals.
    pub fn from_f64(value: f64) -> Option<Quantity> {
        if !value.is_finite() {
            return None;
        }
        Quantity::parse(&format!("{value}")).ok()
    }

    fn shortest(mut self) -> Quantity {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        if self.mantissa == 0 {
            self.scale = 0;
        }
        self
    }

    /// The value as f64, for comparing with a call's target: mantissa and 10^scale are exact in f64,
    /// so the quotient is the correctly rounded value, the same f64 the decimal text parses to.
    pub fn to_f64(self) -> f64 {
        self.mantissa as f64 / 10f64.powi(i32::from(self.scale))
    }
}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Quantity) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Quantity) -> std::cmp::Ordering {
        let scale = self.scale.max(other.scale);
        let widen = |q: &Quantity| i128::from(q.mantissa) * 10i128.pow(u32::from(scale - q.scale));
        widen(self).cmp(&widen(other))
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = usize::from(self.scale);
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

impl Serialize for Quantity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Quantity, D::Error> {
        let s = String::deserialize(d)?;
        Quantity::parse(&s).map_err(|e| serde::de::Error::custom(format!("{s:?} is not a decimal quantity ({e:?})")))
    }
}

/// The applicant unit (申报单位 / 依托单位).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantUnit {
    pub name: String,
    /// 统一社会信用代码 as typed; checked by GB 32100.
    pub credit_code: String,
    /// 注册（成立）日期, on the licence or registration certificate; the office checks it against the
    /// call's limit at formal check.
    pub registered_on: Date,
    /// The administrative division the unit is in (GB/T 2260, 6 digits, `540102`), pre-filled from the
    /// credit code.
    pub region: String,
}

/// A 合作单位, matched by its credit code like every unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct PartnerUnit {
    pub name: String,
    pub credit_code: String,
}

/// The identity document a team member gives (domain.md "Applications").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 居民身份证, GB 11643 (check digit and birth date).
    ResidentId,
    /// 护照.
    Passport,
    /// 港澳台居民来往内地（大陆）通行证, or the 18-digit 港澳台居民居住证 (GB 11643 layout, 81/82/83).
    HkMacaoTaiwanPermit,
    /// 外国人永久居留身份证: the 2023 18-character card (starts with 9, GB 11643 check) or the older
    /// 15-character one.
    ForeignPermanentResidence,
}

impl DocumentKind {
    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            DocumentKind::ResidentId => ("居民身份证", "resident ID card"),
            DocumentKind::Passport => ("护照", "passport"),
            DocumentKind::HkMacaoTaiwanPermit => ("港澳台居民通行证／居住证", "Hong Kong, Macao or Taiwan permit"),
            DocumentKind::ForeignPermanentResidence => ("外国人永久居留身份证", "foreign permanent residence card"),
        }
    }
}

/// A member's role in the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
// Another `Role` (the identity's) crosses to the UI too; serde ignores an enum's own name in JSON.
#[serde(rename = "MemberRole")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 项目负责人: exactly one per application.
    Leader,
    /// 骨干成员.
    Backbone,
    /// 参与人员.
    Participant,
}

/// One member of the team (项目团队). Persons are matched by document kind and number, never by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub document: DocumentKind,
    /// The document's number as typed (field `team[i].id_number` whatever the document).
    pub id_number: String,
    pub birth_date: Date,
    /// Credit code of the member's unit: the applicant's or a partner's.
    pub unit_credit_code: String,
    pub department: String,
    /// The professional title's level; `None` for 初级 or none.
    pub title: Option<Title>,
    /// The title as printed on the certificate (研究员, 副教授 …).
    pub title_name: String,
    pub degree: Option<Degree>,
    pub role: Role,
    /// Person-months the member gives to the project over its whole period.
    pub months: u32,
}

/// The kinds of 考核指标 (domain.md "Applications").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// 论文
    Paper,
    /// 专利
    Patent,
    /// 标准
    Standard,
    /// 新品种
    Variety,
    /// 新产品
    Product,
    /// 新技术、新工艺、新装备
    Technology,
    /// 示范基地
    DemonstrationBase,
    /// 平台
    Platform,
    /// 人才
    Talent,
    /// 经济效益
    EconomicBenefit,
    /// 其他 (报告、性能参数 …)
    Other,
}

impl IndicatorKind {
    /// Papers, patents and talent serve no quantified target of the plan (domain.md "The eight major
    /// special projects").
    pub fn may_link_plan_target(self) -> bool {
        !matches!(self, IndicatorKind::Paper | IndicatorKind::Patent | IndicatorKind::Talent)
    }

    pub fn name(self) -> (&'static str, &'static str) {
        match self {
            IndicatorKind::Paper => ("论文", "papers"),
            IndicatorKind::Patent => ("专利", "patents"),
            IndicatorKind::Standard => ("标准", "standards"),
            IndicatorKind::Variety => ("新品种", "new varieties"),
            IndicatorKind::Product => ("新产品", "new products"),
            IndicatorKind::Technology => ("新技术", "new technologies"),
            IndicatorKind::DemonstrationBase => ("示范基地", "demonstration bases"),
            IndicatorKind::Platform => ("平台", "platforms"),
            IndicatorKind::Talent => ("人才", "talent"),
            IndicatorKind::EconomicBenefit => ("经济效益", "economic benefit"),
            IndicatorKind::Other => ("其他", "other"),
        }
    }
}

/// One 考核指标.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable within the application and from its pre-application to its full application (`K1`), so
    /// the two stages and two versions are compared indicator by indicator.
    pub id: String,
    pub name: String,
    pub kind: IndicatorKind,
    pub unit: String,
    /// 现有水平, when there is one.
    pub baseline: Option<Quantity>,
    pub target: Quantity,
    pub direction: Direction,
    /// The plan target of the call's programme it serves (`ZX06-T1`); only when the units agree.
    pub plan_target: Option<String>,
    /// The call's core indicator (`I1`) it answers.
    pub core_indicator: Option<String>,
}

/// One 里程碑 of the schedule. In a race the codes answer the call's milestones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestonePlan {
    pub code: String,
    pub name: String,
    pub due: Date,
    /// What is shown at the milestone.
    pub deliverable: String,
}

/// One 代表作 (基础研究 only, at most 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepresentativeWork {
    pub title: String,
    /// Authors, journal or publisher, volume, pages — as cited.
    pub citation: String,
    pub year: i32,
    /// SHA-256 of its attachment (a full-text PDF), when given.
    pub attachment: Option<String>,
}

/// An attached file: named by the content's SHA-256, the bytes being in the blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The call's attachment rule this file answers (`signed_pages`).
    pub rule: String,
    /// File name as the applicant chose it (`签字盖章页.pdf`).
    pub name: String,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub size: u64,
    /// The type sniffed from the first bytes by [`sniff_media_type`] when the file was added
    /// (`application/octet-stream` when unrecognised).
    pub media_type: String,
}

/// One of the at most 3 experts the applicant asks to avoid, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AvoidedExpert {
    pub name: String,
    pub unit: String,
    pub reason: String,
}

/// A 申报书.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: ApplicationId,
    pub call_id: CallId,
    /// The call revision the application was prepared against.
    pub call_revision: u32,
    /// The call's programme, `ZX01` … `ZX08`.
    pub programme: String,
    pub stage: Stage,
    /// For a full application of a two-stage call: its pre-application.
    pub pre_application: Option<ApplicationId>,
    pub title: String,
    pub keywords: Vec<String>,
    /// GB/T 13745 discipline code (3, 5 or 7 digits).
    pub discipline: String,
    pub period: Period,
    pub applicant: ApplicantUnit,
    pub partners: Vec<PartnerUnit>,
    /// The team, leader included (the member whose role is [`Role::Leader`]).
    pub team: Vec<Member>,
    /// The long sections by the call's section code (`rationale`, `content` …).
    pub sections: BTreeMap<String, RichText>,
    pub indicators: Vec<Indicator>,
    pub milestones: Vec<MilestonePlan>,
    /// Amounts and the funding asked (fiscal and self-raised, `budget.requested`).
    pub budget: BudgetTable,
    pub representative_works: Vec<RepresentativeWork>,
    pub attachments: Vec<Attachment>,
    pub avoid_experts: Vec<AvoidedExpert>,
    /// Pledge code (see [`required_pledges`]) → accepted.
    pub pledges: BTreeMap<String, bool>,
}

impl Application {
    /// The leader with their index in the team: the first member whose role is leader.
    pub fn leader(&self) -> Option<(usize, &Member)> {
        self.team.iter().enumerate().find(|(_, m)| m.role == Role::Leader)
    }
}

#[cfg(test)]
mod tests;
