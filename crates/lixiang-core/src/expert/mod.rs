//! The expert pool (专家库): who may review — name with its pinyin sort key ([`sort_key`]), identity
//! document, unit and credit code, department, region (区内/区外), unit type, title, category,
//! discipline codes, keywords, representative works, declared relations, the yearly cap, availability
//! and status — and the checks of an entry ([`check_profile`]).
//!
//! The xlsx template and its reader are in [`xlsx`], the office's use cases (import, list, attaching
//! key cards) in [`desk`]. Persons are matched by document number and units by credit code, never by
//! name strings (domain.md "Experts"); the conflict rules that do so are in `crate::conflict`.

pub mod desk;
pub mod edit;
pub mod sort_key;
pub mod view;
pub mod xlsx;

pub use sort_key::{looks_tibetan, sort_key};

use crate::application::DocumentKind;
use crate::calendar::Date;
use crate::discipline::Disciplines;
use crate::validate::{compact, normalize, CreditCode, IdNumber, Problem};
use serde::{Deserialize, Serialize};

/// An expert's id: UUID v7, kept for life. People see the expert number (`ZJ000001`) instead.
pub type ExpertId = uuid::Uuid;

/// 区内 (the expert works in 西藏) or 区外.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Inside,
    Outside,
}

impl Region {
    pub fn zh(self) -> &'static str {
        match self {
            Region::Inside => "区内",
            Region::Outside => "区外",
        }
    }

    pub fn parse_zh(s: &str) -> Option<Region> {
        match s {
            "区内" => Some(Region::Inside),
            "区外" => Some(Region::Outside),
            _ => None,
        }
    }

    /// The region a 6-digit division code (GB/T 2260) is in: `54xxxx` is 西藏.
    pub fn of_division(division: &str) -> Region {
        if division.starts_with("54") {
            Region::Inside
        } else {
            Region::Outside
        }
    }
}

/// 单位类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
    /// 高校
    University,
    /// 科研院所
    Institute,
    /// 企业
    Enterprise,
    /// 医疗机构
    Medical,
    /// 政府机关、事业单位
    Government,
    /// 其他
    Other,
}

impl UnitType {
    pub const ALL: [UnitType; 6] = [
        UnitType::University,
        UnitType::Institute,
        UnitType::Enterprise,
        UnitType::Medical,
        UnitType::Government,
        UnitType::Other,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            UnitType::University => "高校",
            UnitType::Institute => "院所",
            UnitType::Enterprise => "企业",
            UnitType::Medical => "医疗",
            UnitType::Government => "机关事业",
            UnitType::Other => "其他",
        }
    }

    pub fn parse_zh(s: &str) -> Option<UnitType> {
        UnitType::ALL.into_iter().find(|t| t.zh() == s)
    }
}

/// The level of a professional title (职称).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleLevel {
    /// 无 or 初级
    None,
    /// 中级
    Intermediate,
    /// 副高级
    AssociateSenior,
    /// 正高级
    Senior,
}

impl TitleLevel {
    pub const ALL: [TitleLevel; 4] =
        [TitleLevel::Senior, TitleLevel::AssociateSenior, TitleLevel::Intermediate, TitleLevel::None];

    pub fn zh(self) -> &'static str {
        match self {
            TitleLevel::Senior => "正高",
            TitleLevel::AssociateSenior => "副高",
            TitleLevel::Intermediate => "中级",
            TitleLevel::None => "其他",
        }
    }

    pub fn parse_zh(s: &str) -> Option<TitleLevel> {
        TitleLevel::ALL.into_iter().find(|t| t.zh() == s)
    }
}

/// 专家类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpertCategory {
    /// 技术
    Technical,
    /// 产业
    Industry,
    /// 经济
    Economic,
    /// 财务
    Finance,
    /// 法律
    Legal,
    /// 投资
    Investment,
}

impl ExpertCategory {
    pub const ALL: [ExpertCategory; 6] = [
        ExpertCategory::Technical,
        ExpertCategory::Industry,
        ExpertCategory::Economic,
        ExpertCategory::Finance,
        ExpertCategory::Legal,
        ExpertCategory::Investment,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            ExpertCategory::Technical => "技术",
            ExpertCategory::Industry => "产业",
            ExpertCategory::Economic => "经济",
            ExpertCategory::Finance => "财务",
            ExpertCategory::Legal => "法律",
            ExpertCategory::Investment => "投资",
        }
    }

    pub fn parse_zh(s: &str) -> Option<ExpertCategory> {
        ExpertCategory::ALL.into_iter().find(|c| c.zh() == s)
    }
}

/// Whether the expert may be drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpertStatus {
    /// 在库
    Active,
    /// 暂停 (a pending integrity case, a long absence)
    Suspended,
    /// 退出
    Retired,
}

impl ExpertStatus {
    pub const ALL: [ExpertStatus; 3] = [ExpertStatus::Active, ExpertStatus::Suspended, ExpertStatus::Retired];

    pub fn zh(self) -> &'static str {
        match self {
            ExpertStatus::Active => "在库",
            ExpertStatus::Suspended => "暂停",
            ExpertStatus::Retired => "退出",
        }
    }

    pub fn parse_zh(s: &str) -> Option<ExpertStatus> {
        ExpertStatus::ALL.into_iter().find(|c| c.zh() == s)
    }
}

/// What a declared relation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// 合作者 (with the year of the last joint project or paper)
    Collaborator,
    /// 学生 (the expert was their advisor)
    Student,
    /// 导师
    Advisor,
    /// 近亲属
    Relative,
}

impl RelationKind {
    pub const ALL: [RelationKind; 4] =
        [RelationKind::Collaborator, RelationKind::Student, RelationKind::Advisor, RelationKind::Relative];

    pub fn zh(self) -> &'static str {
        match self {
            RelationKind::Collaborator => "合作",
            RelationKind::Student => "学生",
            RelationKind::Advisor => "导师",
            RelationKind::Relative => "亲属",
        }
    }

    pub fn parse_zh(s: &str) -> Option<RelationKind> {
        RelationKind::ALL.into_iter().find(|c| c.zh() == s)
    }
}

/// A person the expert declared a relation with. Matched to applications by document number; a
/// relation without one can only raise a *possible* conflict (by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub kind: RelationKind,
    pub name: String,
    /// Normalised document number (upper case, no spaces), when known.
    pub document_number: Option<String>,
    /// For a collaboration: the year it last took place.
    pub year: Option<i32>,
}

/// An identity document: kind and normalised number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub kind: DocumentKind,
    pub number: String,
}

/// Everything the office keeps about an expert, without the ids the store gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertProfile {
    pub name: String,
    /// Pinyin sort key ([`sort_key`]); computed on entry, editable.
    pub sort_key: String,
    /// A Tibetan name (no surname): the sort key reads it without the surname table.
    pub tibetan_name: bool,
    /// `None` only for an entry kept without a document: its conflicts are then found by name only.
    pub document: Option<Document>,
    pub unit: String,
    /// Normalised 统一社会信用代码 of the unit (checked by GB 32100).
    pub unit_credit_code: String,
    pub department: String,
    pub region: Region,
    pub unit_type: UnitType,
    /// The title as on the certificate (研究员, 教授级高级工程师 …).
    pub title: String,
    pub title_level: TitleLevel,
    pub category: ExpertCategory,
    /// A 发榜方 end-user representative: exempt from the title rule.
    pub end_user_representative: bool,
    /// GB/T 13745 codes of the list in `seeds/disciplines/`.
    pub disciplines: Vec<String>,
    pub keywords: Vec<String>,
    /// 代表作, as cited.
    pub works: Vec<String>,
    pub relations: Vec<Relation>,
    pub yearly_cap: u32,
    pub reviews_this_year: u32,
    /// Whether the expert is available for the current round of draws (not travelling, not ill …).
    pub available: bool,
    pub status: ExpertStatus,
    pub phone: String,
    pub email: String,
}

impl ExpertProfile {
    /// An industry-user expert by the default definition (category 产业 or unit type 企业). A call's assignment
    /// uses its own definition ([`IndustryUserDefinition`], in the call's assignment settings).
    pub fn is_industry_user(&self) -> bool {
        IndustryUserDefinition::default().includes(self)
    }

    /// Reviews the expert may still take this year.
    pub fn remaining_this_year(&self) -> u32 {
        self.yearly_cap.saturating_sub(self.reviews_this_year)
    }

    /// The document number, when there is one.
    pub fn document_number(&self) -> Option<&str> {
        self.document.as_ref().map(|d| d.number.as_str())
    }
}

/// Who counts as an industry-user expert (产业用户专家) for a call: an expert whose category is one of
/// `categories` or whose unit type is one of `unit_types`. The values are the words of the template's choice
/// lists (专家类别, 单位类型), so the office reads and writes the same words as in the pool. domain.md makes
/// it a per-call setting; the default is 产业 or 企业.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
pub struct IndustryUserDefinition {
    /// 专家类别 that make an industry user (技术、产业 …).
    pub categories: Vec<String>,
    /// 单位类型 that make an industry user (企业 …).
    pub unit_types: Vec<String>,
}

impl Default for IndustryUserDefinition {
    fn default() -> IndustryUserDefinition {
        IndustryUserDefinition {
            categories: vec![ExpertCategory::Industry.zh().to_string()],
            unit_types: vec![UnitType::Enterprise.zh().to_string()],
        }
    }
}

impl IndustryUserDefinition {
    /// Whether the expert counts as an industry user under this definition.
    pub fn includes(&self, p: &ExpertProfile) -> bool {
        self.categories.iter().any(|c| c == p.category.zh()) || self.unit_types.iter().any(|t| t == p.unit_type.zh())
    }

    /// Every problem, each as (field, Chinese, English): a definition naming nothing, a value not in the
    /// template's choice list, a value named twice.
    pub fn problems(&self) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        if self.categories.is_empty() && self.unit_types.is_empty() {
            out.push((
                "industry_user",
                "产业用户专家的定义至少要有一个专家类别或单位类型".into(),
                "the industry-user definition needs at least one category or unit type".into(),
            ));
        }
        for (field, header, values) in [
            ("industry_user.categories", xlsx::CATEGORY_HEADER, &self.categories),
            ("industry_user.unit_types", xlsx::UNIT_TYPE_HEADER, &self.unit_types),
        ] {
            let allowed = xlsx::choices(header);
            for (i, v) in values.iter().enumerate() {
                if !allowed.contains(&v.as_str()) {
                    out.push((
                        field,
                        format!("“{v}”不是{header}：应为 {}", allowed.join("、")),
                        format!("“{v}” is not a {header}: use one of {}", allowed.join(", ")),
                    ));
                } else if values[..i].contains(v) {
                    out.push((field, format!("“{v}”重复"), format!("“{v}” is given twice")));
                }
            }
        }
        out
    }
}

/// An expert of the pool: the profile with its id, number and key card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expert {
    pub id: ExpertId,
    /// `ZJ000001`: what people see and type.
    pub number: String,
    /// Key id of the expert's key card (a trusted contact), once it was attached.
    pub key_id: Option<String>,
    #[serde(flatten)]
    pub profile: ExpertProfile,
}

/// Normalises a document number as the matching compares it: NFKC, no spaces, upper case.
pub fn normalize_document_number(text: &str) -> String {
    compact(text).to_ascii_uppercase()
}

/// Normalises a name as the matching compares it (NFKC, no spaces: `扎西 次仁` is `扎西次仁`).
pub fn normalize_name(text: &str) -> String {
    compact(text)
}

/// The region pre-filled for an entry: from the division in the unit's credit code (characters 3–8),
/// else from the first 6 digits of a resident ID number.
pub fn region_from(credit_code: Option<&CreditCode>, id: Option<&IdNumber>) -> Option<Region> {
    credit_code.map(|c| Region::of_division(c.division())).or_else(|| id.map(|i| Region::of_division(i.division())))
}

/// The checks of a profile (problems name their field as in the profile's JSON). `today` bounds the
/// birth date of a resident ID.
pub fn check_profile(p: &ExpertProfile, disciplines: &Disciplines, today: Date) -> Vec<Problem> {
    let mut out = Vec::new();
    if normalize(&p.name).is_empty() {
        out.push(Problem::error("expert.name_missing", "name", "姓名不能为空", "the name is missing"));
    }
    if let Some(doc) = &p.document {
        if doc.number.is_empty() {
            out.push(Problem::error(
                "expert.document_missing",
                "document.number",
                "证件号码不能为空",
                "the document number is missing",
            ));
        } else if doc.kind == DocumentKind::ResidentId {
            if let Err(e) = IdNumber::parse(&doc.number, today) {
                out.push(e.to_problem("document.number"));
            }
        } else if !doc.number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            out.push(Problem::error(
                "expert.document_chars",
                "document.number",
                "证件号码只能包含字母、数字和连字符",
                "a document number has only letters, digits and hyphens",
            ));
        }
    }
    if normalize(&p.unit).is_empty() {
        out.push(Problem::error("expert.unit_missing", "unit", "工作单位不能为空", "the unit is missing"));
    }
    if let Err(e) = CreditCode::parse(&p.unit_credit_code) {
        out.push(e.to_problem("unit_credit_code"));
    }
    // ≥ 副高 for technical experts; a 发榜方 end-user representative is exempt (domain.md "Experts").
    if p.category == ExpertCategory::Technical
        && !p.end_user_representative
        && p.title_level < TitleLevel::AssociateSenior
    {
        out.push(Problem::error(
            "expert.title_too_low",
            "title_level",
            "技术专家须具有副高级及以上职称（发榜方代表除外）",
            "a technical expert needs an associate senior title or higher (except a challenge's end-user representative)",
        ));
    }
    if p.category == ExpertCategory::Technical && p.disciplines.is_empty() {
        out.push(Problem::error(
            "expert.discipline_missing",
            "disciplines",
            "技术专家至少填写一个学科代码",
            "a technical expert needs at least one discipline code",
        ));
    }
    for (i, code) in p.disciplines.iter().enumerate() {
        if !disciplines.contains(code) {
            out.push(Problem::error(
                "expert.discipline_unknown",
                format!("disciplines[{i}]"),
                format!("学科代码 {code} 不在 GB/T 13745 代码表中"),
                format!("discipline code {code} is not in the GB/T 13745 list"),
            ));
        }
    }
    for (i, r) in p.relations.iter().enumerate() {
        if normalize(&r.name).is_empty() {
            out.push(Problem::error(
                "expert.relation_name_missing",
                format!("relations[{i}].name"),
                "申报关系缺少姓名",
                "a declared relation has no name",
            ));
        }
        match (r.kind, r.year) {
            (RelationKind::Collaborator, None) => out.push(Problem::error(
                "expert.relation_year_missing",
                format!("relations[{i}].year"),
                "合作关系须写明年份",
                "a collaboration needs its year",
            )),
            (_, Some(y)) if !(1950..=today.year()).contains(&y) => out.push(Problem::error(
                "expert.relation_year_invalid",
                format!("relations[{i}].year"),
                format!("年份 {y} 不合理"),
                format!("the year {y} is not plausible"),
            )),
            _ => {}
        }
    }
    if p.reviews_this_year > p.yearly_cap {
        out.push(Problem::warning(
            "expert.cap_reached",
            "reviews_this_year",
            "本年已评审次数超过年度上限：本年不再分配",
            "reviews this year exceed the yearly cap: no more assignments this year",
        ));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::application::demo::{synthetic_credit_code, synthetic_id_number};

    pub fn today() -> Date {
        Date::new(2027, 3, 1).unwrap()
    }

    /// A valid technical expert in 拉萨, with the given name and sequence (for distinct numbers).
    pub fn profile(name: &str, seq: u16) -> ExpertProfile {
        let birth = Date::new(1970, 5, 1).unwrap();
        ExpertProfile {
            name: name.into(),
            sort_key: sort_key(name, false),
            tibetan_name: false,
            document: Some(Document {
                kind: DocumentKind::ResidentId,
                number: synthetic_id_number("540102", birth, seq),
            }),
            unit: "西藏示例研究院（示例）".into(),
            unit_credit_code: synthetic_credit_code("12540100MB0000001"),
            department: "作物所".into(),
            region: Region::Inside,
            unit_type: UnitType::Institute,
            title: "研究员".into(),
            title_level: TitleLevel::Senior,
            category: ExpertCategory::Technical,
            end_user_representative: false,
            disciplines: vec!["210".into()],
            keywords: vec!["青稞".into()],
            works: vec![],
            relations: vec![],
            yearly_cap: 20,
            reviews_this_year: 0,
            available: true,
            status: ExpertStatus::Active,
            phone: String::new(),
            email: String::new(),
        }
    }

    fn codes(p: &ExpertProfile) -> Vec<String> {
        let d = crate::discipline::embedded().unwrap();
        check_profile(p, &d, today()).into_iter().filter(|p| p.is_error()).map(|p| p.code).collect()
    }

    #[test]
    fn a_valid_profile_has_no_errors() {
        assert!(codes(&profile("张三", 1)).is_empty());
    }

    #[test]
    fn the_title_rule_binds_technical_experts_except_end_user_representatives() {
        let mut p = profile("张三", 1);
        p.title_level = TitleLevel::Intermediate;
        assert_eq!(codes(&p), ["expert.title_too_low"]);
        p.end_user_representative = true;
        assert!(codes(&p).is_empty());
        p.end_user_representative = false;
        p.category = ExpertCategory::Finance;
        assert!(codes(&p).is_empty(), "a finance expert needs no senior title");
    }

    #[test]
    fn documents_codes_and_relations_are_checked() {
        let mut p = profile("张三", 1);
        let doc = p.document.as_mut().unwrap();
        doc.number.replace_range(17..18, if doc.number.ends_with('0') { "1" } else { "0" });
        p.unit_credit_code = "91540000MA6T030120".into();
        p.disciplines.push("999".into());
        p.relations.push(Relation {
            kind: RelationKind::Collaborator,
            name: "李四".into(),
            document_number: None,
            year: None,
        });
        let c = codes(&p);
        assert!(c.contains(&"id_number.check".to_string()), "{c:?}");
        assert!(c.iter().any(|c| c.starts_with("credit_code.")), "{c:?}");
        assert!(c.contains(&"expert.discipline_unknown".to_string()));
        assert!(c.contains(&"expert.relation_year_missing".to_string()));
    }

    #[test]
    fn region_and_industry_user() {
        let lhasa = CreditCode::parse(&synthetic_credit_code("12540100MB0000001")).unwrap();
        let chengdu = CreditCode::parse(&synthetic_credit_code("12510100MB0000001")).unwrap();
        assert_eq!(region_from(Some(&lhasa), None), Some(Region::Inside));
        assert_eq!(region_from(Some(&chengdu), None), Some(Region::Outside));
        let id = IdNumber::parse(&synthetic_id_number("540102", Date::new(1970, 1, 1).unwrap(), 3), today()).unwrap();
        assert_eq!(region_from(None, Some(&id)), Some(Region::Inside));
        assert_eq!(region_from(Some(&chengdu), Some(&id)), Some(Region::Outside), "the unit's division comes first");
        let mut p = profile("张三", 1);
        assert!(!p.is_industry_user());
        p.unit_type = UnitType::Enterprise;
        assert!(p.is_industry_user());
        p.unit_type = UnitType::Institute;
        p.category = ExpertCategory::Industry;
        assert!(p.is_industry_user());
    }
}
