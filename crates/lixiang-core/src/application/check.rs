//! The checks of an application (domain.md "Checks people expect"), split by where they run:
//!
//! - [`validate_application`]: everything the application itself decides, run by the applicant's app
//!   before sealing (and again by the office at formal check): identifiers (GB 32100, GB 11643 and the
//!   other documents), possible birth dates, the leader's eligibility (relaxed for 揭榜挂帅), the units a
//!   定向委托 call admits, required sections, their length limits, indicators (core indicators met in their
//!   direction, plan links with agreeing units, plan conformity), the budget ([`check_budget`]), 代表作,
//!   attachments (required, size, format, sniffed type), experts to avoid and pledges.
//! - [`check_submission_time`]: the deadline by a given clock (refuse after closing, warn within 24 h).
//! - [`formal_check_rules`]: what the office checks on a received version without other applications:
//!   the version's hash, the receipt time, the unit's registration date, and completeness (every check
//!   above, re-run on the sealed content: the office does not trust the applicant's app).
//! - [`check_against_pre_application`]: a full application may not move an indicator of its
//!   pre-application the wrong way.
//!
//! The office's checks that need its records live in [`super::formal`]: 限项 (for now the leader's and
//! the unit's applications in the same call; running projects are not held yet) and 查重 (5-gram
//! similarity of 立项依据 + 研究内容与技术路线 + 创新点 against every application of the same year, computed
//! at import by [`super::office`] with [`super::duplicate`] and reported by the formal check).
//!
//! Every problem has a stable dotted code, a field path into the application's JSON (indices from 0,
//! keys in brackets: `team[2].id_number`, `sections[rationale]`, `budget.lines[labour][2028]`,
//! `pledges[integrity]`) and Chinese and English texts that name the section (【项目团队】 / "Team: ").

use super::media::{extension, media_type_for_extension, UNKNOWN};
use super::{Application, DocumentKind, Member, Role, SealedVersion, Stage};
use crate::budget::{check_budget, BudgetSchema};
use crate::calendar::{Date, Moment};
use crate::call::{Call, Category, Contest, Degree, Direction, Mode, Title};
use crate::catalog::Catalog;
use crate::lang::Bilingual;
use crate::validate::{compact, CreditCode, IdNumber, Problem, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The sections whose content is structured data of the application rather than rich text.
pub const STRUCTURED_SECTIONS: &[&str] =
    &["basic_info", "indicators", "budget", "team", "commitments", "avoid_experts"];

/// At most this many 代表作 (基础研究).
pub const MAX_REPRESENTATIVE_WORKS: usize = 5;
/// At most this many experts to avoid.
pub const MAX_AVOIDED_EXPERTS: usize = 3;
/// Members younger than this on the check's day are reported (a warning: students may take part).
pub const MIN_MEMBER_AGE: u32 = 16;

/// A text the applicant must accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PledgeText {
    pub code: &'static str,
    pub text: Bilingual,
}

/// The pledges `call` requires: 科研诚信, 伦理 and 保密 when it asks for 承诺书; for 揭榜挂帅 the 军令状 and the
/// budget's negative list, and the terms of a race (gates, tranches, termination) or of a bounty
/// (reward only on verified acceptance).
pub fn required_pledges(call: &Call) -> Vec<PledgeText> {
    let mut out = Vec::new();
    let p = |code, zh: &str, en: &str| PledgeText { code, text: Bilingual::new(zh, en) };
    if call.sections.iter().any(|s| s.code == "commitments") {
        out.push(p(
            "integrity",
            "本人及团队承诺遵守科研诚信要求，申报材料真实、准确，无抄袭、剽窃、伪造、篡改",
            "We abide by research integrity: the application is true and accurate, with no plagiarism, fabrication or falsification",
        ));
        out.push(p(
            "ethics",
            "涉及人、动物、生物安全的研究将按规定通过伦理审查后实施",
            "Research involving people, animals or biosafety will proceed only after the required ethics review",
        ));
        out.push(p(
            "confidentiality",
            "申报材料不含国家秘密，并对评审中获知的信息保密",
            "The application holds no state secrets, and we keep confidential what we learn during review",
        ));
    }
    if let Mode::Challenge(c) = &call.mode {
        out.push(p(
            "challenge_pledge",
            "立下军令状：在实施周期内达到榜单全部核心指标，未达到的按协议承担责任",
            "We pledge to reach every core indicator of the list within the period, and answer for it under the agreement if we do not",
        ));
        out.push(p(
            "negative_list",
            "已阅知经费使用负面清单，项目经费不用于清单所列用途",
            "We have read the negative list of spending and will not use the funds for anything on it",
        ));
        match c.contest {
            Contest::Race(_) => out.push(p(
                "race_terms",
                "接受赛马机制：按里程碑考核结果分阶段拨付经费，考核未通过即终止或合并",
                "We accept the race: funds are released per milestone gate, and a failed gate ends or merges the project",
            )),
            Contest::Bounty(_) => out.push(p(
                "bounty_terms",
                "接受悬赏机制：悬赏金额仅在验收确认全部核心指标达到后兑付",
                "We accept the bounty: the reward is paid only when acceptance verifies every core indicator",
            )),
            Contest::Single => {}
        }
    }
    out
}

pub(crate) fn embedded_schemas() -> &'static [BudgetSchema] {
    static SCHEMAS: OnceLock<Vec<BudgetSchema>> = OnceLock::new();
    // The shipped seeds are checked by their own tests; were they ever unreadable, every application
    // would report the unknown schema below rather than the program stopping.
    SCHEMAS.get_or_init(|| crate::budget::embedded_schemas().unwrap_or_default())
}

/// Every problem of `app` against `call`, errors and warnings, section by section, with the budget
/// checked under the shipped schema the call names. `today` bounds birth and registration dates.
/// A call naming a schema this program does not ship reports `application.budget.schema_unknown`; use
/// [`validate_application_with`] to pass a schema received with the call.
pub fn validate_application(call: &Call, app: &Application, catalog: &Catalog, today: Date) -> Vec<Problem> {
    let schema = embedded_schemas().iter().find(|s| s.reference() == call.budget.schema);
    run(call, schema, app, catalog, today)
}

/// [`validate_application`] with the budget schema given: the one the workspace holds for the call
/// ([`crate::budget::held::find`]), which a call package carries. `None` reports
/// `application.budget.schema_unknown`.
pub fn validate_application_with(
    call: &Call,
    schema: Option<&BudgetSchema>,
    app: &Application,
    catalog: &Catalog,
    today: Date,
) -> Vec<Problem> {
    run(call, schema, app, catalog, today)
}

fn run(call: &Call, schema: Option<&BudgetSchema>, app: &Application, catalog: &Catalog, today: Date) -> Vec<Problem> {
    let mut c = Ctx { call, app, catalog, today, out: Vec::new() };
    c.header();
    c.units();
    c.team();
    c.sections();
    c.indicators();
    c.milestones();
    c.budget(schema);
    c.works();
    c.attachments();
    c.avoid_experts();
    c.pledges();
    c.out
}

struct Ctx<'a> {
    call: &'a Call,
    app: &'a Application,
    catalog: &'a Catalog,
    today: Date,
    out: Vec<Problem>,
}

fn default_section_name(code: &str) -> (&'static str, &'static str) {
    match code {
        "basic_info" => ("基本信息", "Basic information"),
        "team" => ("项目团队", "Team"),
        "indicators" => ("考核指标", "Indicators"),
        "budget" => ("经费预算", "Budget"),
        "commitments" => ("承诺书", "Commitments"),
        "avoid_experts" => ("申请回避的专家", "Experts to avoid"),
        "schedule" => ("进度安排与里程碑", "Schedule and milestones"),
        "attachments" => ("附件", "Attachments"),
        "representative_works" => ("代表作", "Representative works"),
        _ => ("申报书", "Application"),
    }
}

/// The section a problem's field is in (`team[2].birth_date` → `team`, `sections[content]` → `content`),
/// for the editor to put the problem beside its section; the same sections the checks name in their
/// messages.
pub fn section_of_field(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("sections[") {
        return rest.split(']').next().unwrap_or_default().to_string();
    }
    let head = field.split(['.', '[']).next().unwrap_or_default();
    match head {
        "team" => "team",
        "indicators" => "indicators",
        "milestones" => "schedule",
        "budget" => "budget",
        "representative_works" => "representative_works",
        "attachments" => "attachments",
        "avoid_experts" => "avoid_experts",
        "pledges" => "commitments",
        _ => "basic_info",
    }
    .to_string()
}

/// The name of a section as the call writes it, else the usual one.
pub(crate) fn section_name(call: &Call, code: &str) -> (String, String) {
    match call.sections.iter().find(|s| s.code == code) {
        Some(s) => (s.name.zh.clone(), if s.name.en.is_empty() { s.name.zh.clone() } else { s.name.en.clone() }),
        None => {
            let (zh, en) = default_section_name(code);
            (zh.into(), en.into())
        }
    }
}

fn title_name(t: Option<Title>) -> (&'static str, &'static str) {
    match t {
        None => ("初级或无职称", "junior or no title"),
        Some(Title::Intermediate) => ("中级", "intermediate"),
        Some(Title::AssociateSenior) => ("副高级", "associate senior"),
        Some(Title::Senior) => ("正高级", "senior"),
    }
}

fn degree_name(d: Option<Degree>) -> (&'static str, &'static str) {
    match d {
        None => ("无学位", "no degree"),
        Some(Degree::Bachelor) => ("学士", "bachelor"),
        Some(Degree::Master) => ("硕士", "master"),
        Some(Degree::Doctor) => ("博士", "doctor"),
    }
}

/// Whole years from `birth` to `on`.
pub fn age_on(birth: Date, on: Date) -> i32 {
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    on.year() - birth.year() - i32::from(before_birthday)
}

/// Months the period touches, counting first and last month whole.
fn period_months(start: Date, end: Date) -> u32 {
    let m = (end.year() - start.year()) * 12 + i32::from(end.month()) - i32::from(start.month()) + 1;
    u32::try_from(m).unwrap_or(0)
}

/// The canonical form of a credit code when it is valid, else what was typed, compacted.
fn unit_key(code: &str) -> String {
    CreditCode::parse(code).map(|c| c.as_str().to_string()).unwrap_or_else(|_| compact(code).to_ascii_uppercase())
}

/// The first characters of a hash as shown to people (whatever was stored, never cut inside a character).
fn prefix(hash: &str) -> String {
    hash.chars().take(12).collect()
}

fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl Ctx<'_> {
    fn push(&mut self, severity: Severity, code: &str, field: String, section: &str, zh: String, en: String) {
        let (sz, se) = section_name(self.call, section);
        self.out.push(Problem {
            code: code.into(),
            field,
            severity,
            zh: format!("【{sz}】{zh}"),
            en: format!("{se}: {en}"),
        });
    }

    fn err(
        &mut self,
        code: &str,
        field: impl Into<String>,
        section: &str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.push(Severity::Error, code, field.into(), section, zh.into(), en.into());
    }

    fn warn(
        &mut self,
        code: &str,
        field: impl Into<String>,
        section: &str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.push(Severity::Warning, code, field.into(), section, zh.into(), en.into());
    }

    /// A problem made elsewhere (an identifier check, the budget), put in its section with a prefix
    /// naming the thing (`第 3 人（卓玛）`).
    fn wrap(&mut self, p: Problem, section: &str, who_zh: &str, who_en: &str) {
        let zh = if who_zh.is_empty() { p.zh } else { format!("{who_zh}：{}", p.zh) };
        let en = if who_en.is_empty() { p.en } else { format!("{who_en}: {}", p.en) };
        self.push(p.severity, &p.code, p.field, section, zh, en);
    }

    fn is_challenge(&self) -> bool {
        matches!(self.call.mode, Mode::Challenge(_))
    }

    fn header(&mut self) {
        let (call, app) = (self.call, self.app);
        if app.call_id != call.id {
            self.err(
                "application.call_mismatch",
                "call_id",
                "basic_info",
                format!("申报书属于另一指南（{}），不是“{}”", app.call_id, call.title.zh),
                format!("The application belongs to another call ({}), not “{}”", app.call_id, call.title.en),
            );
        }
        if app.call_revision != call.revision {
            self.err(
                "application.call_revision",
                "call_revision",
                "basic_info",
                format!(
                    "申报书按指南第 {} 版编写，现行为第 {} 版：请查看修订说明并确认已按新版修改",
                    app.call_revision, call.revision
                ),
                format!(
                    "The application was prepared against revision {} of the call; revision {} is current: read its changes and confirm the application follows it",
                    app.call_revision, call.revision
                ),
            );
        }
        if app.programme != call.programme {
            self.err(
                "application.programme_mismatch",
                "programme",
                "basic_info",
                format!("专项 {} 与指南所属专项 {} 不一致", app.programme, call.programme),
                format!("The programme {} is not the call's, {}", app.programme, call.programme),
            );
        }
        let two_stage = matches!(call.mode, Mode::OpenCompetition { two_stage: true });
        if app.stage == Stage::Pre && !two_stage {
            self.err(
                "application.stage_not_offered",
                "stage",
                "basic_info",
                "本指南不设预申报，请直接正式申报",
                "This call has no pre-application stage: submit a full application",
            );
        }
        if app.title.trim().is_empty() {
            self.err("application.title_missing", "title", "basic_info", "请填写项目名称", "Enter the project's title");
        }
        if app.keywords.iter().all(|k| k.trim().is_empty()) {
            self.err("application.keywords_missing", "keywords", "basic_info", "请填写关键词", "Enter keywords");
        }
        let d = compact(&app.discipline);
        if !(matches!(d.len(), 3 | 5 | 7) && d.bytes().all(|b| b.is_ascii_digit())) {
            self.err(
                "application.discipline_format",
                "discipline",
                "basic_info",
                format!("学科代码“{}”应为 GB/T 13745 的 3、5 或 7 位数字代码", app.discipline),
                format!("The discipline “{}” must be a GB/T 13745 code of 3, 5 or 7 digits", app.discipline),
            );
        }
        if app.period.end <= app.period.start {
            self.err(
                "application.period_empty",
                "period.end",
                "basic_info",
                format!("实施周期结束日 {} 不晚于开始日 {}", app.period.end, app.period.start),
                format!("The period ends on {}, not after it starts on {}", app.period.end, app.period.start),
            );
        } else if !(call.period.contains(app.period.start) && call.period.contains(app.period.end)) {
            self.err(
                "application.period_outside_call",
                "period",
                "basic_info",
                format!(
                    "实施周期 {} 至 {} 超出指南规定的 {} 至 {}",
                    app.period.start, app.period.end, call.period.start, call.period.end
                ),
                format!(
                    "The period {} to {} is outside the call's {} to {}",
                    app.period.start, app.period.end, call.period.start, call.period.end
                ),
            );
        }
    }

    fn units(&mut self) {
        let (call, app) = (self.call, self.app);
        if app.applicant.name.trim().is_empty() {
            self.err(
                "application.applicant.name_missing",
                "applicant.name",
                "basic_info",
                "请填写申报单位名称",
                "Enter the applicant unit's name",
            );
        }
        let applicant = CreditCode::parse(&app.applicant.credit_code);
        if let Err(e) = &applicant {
            self.wrap(e.to_problem("applicant.credit_code"), "basic_info", "申报单位", "Applicant unit");
        }
        let r = &app.applicant.region;
        if !(r.len() == 6 && r.bytes().all(|b| b.is_ascii_digit())) {
            self.err(
                "application.applicant.region_format",
                "applicant.region",
                "basic_info",
                format!("所在地区“{r}”应为 6 位行政区划代码"),
                format!("The region “{r}” must be a 6-digit administrative division code"),
            );
        }
        if app.applicant.registered_on > self.today {
            self.err(
                "application.applicant.registered_in_future",
                "applicant.registered_on",
                "basic_info",
                format!("单位注册日期 {} 晚于今天（{}）", app.applicant.registered_on, self.today),
                format!("The unit's registration date {} is after today ({})", app.applicant.registered_on, self.today),
            );
        }
        let mut seen = BTreeSet::from([unit_key(&app.applicant.credit_code)]);
        let mut xizang = applicant.as_ref().is_ok_and(CreditCode::is_xizang);
        for (i, p) in app.partners.iter().enumerate() {
            let who_zh = format!("合作单位 {}（{}）", i + 1, p.name);
            let who_en = format!("Partner unit {} ({})", i + 1, p.name);
            if p.name.trim().is_empty() {
                self.err(
                    "application.partner.name_missing",
                    format!("partners[{i}].name"),
                    "basic_info",
                    format!("请填写合作单位 {} 的名称", i + 1),
                    format!("Enter the name of partner unit {}", i + 1),
                );
            }
            match CreditCode::parse(&p.credit_code) {
                Err(e) => self.wrap(e.to_problem(format!("partners[{i}].credit_code")), "basic_info", &who_zh, &who_en),
                Ok(code) => {
                    xizang |= code.is_xizang();
                    if !seen.insert(code.as_str().to_string()) {
                        self.err(
                            "application.partner.duplicate",
                            format!("partners[{i}].credit_code"),
                            "basic_info",
                            format!("{who_zh}的信用代码 {code} 与申报单位或前面的合作单位相同"),
                            format!("{who_en} has the credit code {code} of the applicant or an earlier partner"),
                        );
                    }
                }
            }
        }
        if call.eligibility.xizang_unit_required && !xizang {
            self.err(
                "application.eligibility.xizang_unit",
                "applicant.credit_code",
                "basic_info",
                "本指南要求申报单位或合作单位中至少有一家在西藏注册（信用代码第 3–4 位为 54）",
                "The call requires the applicant or a partner unit registered in Xizang (credit code division 54xxxx)",
            );
        }
        if let Mode::DirectedCommission { units } = &call.mode {
            let key = unit_key(&app.applicant.credit_code);
            if !units.iter().any(|u| unit_key(&u.credit_code) == key) {
                let names: Vec<&str> = units.iter().map(|u| u.name.as_str()).collect();
                self.err(
                    "application.directed.unit_not_designated",
                    "applicant.credit_code",
                    "basic_info",
                    format!(
                        "定向委托只接受指定（受邀）单位申报：{}；{} 不在其中",
                        names.join("、"),
                        app.applicant.name
                    ),
                    format!(
                        "A directed commission admits only its designated (invited) units: {}; {} is not one of them",
                        names.join(", "),
                        app.applicant.name
                    ),
                );
            }
        }
    }

    fn team(&mut self) {
        let app = self.app;
        let listed: BTreeSet<String> = std::iter::once(&app.applicant.credit_code)
            .chain(app.partners.iter().map(|p| &p.credit_code))
            .map(|c| unit_key(c))
            .collect();
        let project_months = period_months(app.period.start, app.period.end);
        let mut persons: BTreeMap<(DocumentKind, String), usize> = BTreeMap::new();
        let mut leaders = Vec::new();
        for (i, m) in app.team.iter().enumerate() {
            let who_zh = format!("第 {} 人（{}）", i + 1, m.name);
            let who_en = format!("member {} ({})", i + 1, m.name);
            if m.role == Role::Leader {
                leaders.push(i);
            }
            if m.name.trim().is_empty() {
                self.err(
                    "application.member.name_missing",
                    format!("team[{i}].name"),
                    "team",
                    format!("请填写第 {} 人的姓名", i + 1),
                    format!("Enter the name of member {}", i + 1),
                );
            }
            self.document(i, m, &who_zh, &who_en);
            self.birth(i, m, &who_zh, &who_en);
            let key = (m.document, compact(&m.id_number).to_ascii_uppercase());
            if let Some(first) = persons.insert(key, i) {
                self.err(
                    "application.member.duplicate",
                    format!("team[{i}].id_number"),
                    "team",
                    format!("{who_zh}与第 {} 人证件号码相同：同一人只列一次", first + 1),
                    format!("{who_en} has the document number of member {}: list a person once", first + 1),
                );
            }
            if !listed.contains(&unit_key(&m.unit_credit_code)) {
                self.err(
                    "application.member.unit_not_listed",
                    format!("team[{i}].unit_credit_code"),
                    "team",
                    format!("{who_zh}所在单位（信用代码 {}）既不是申报单位也不是合作单位", m.unit_credit_code),
                    format!(
                        "The unit of {who_en} (credit code {}) is neither the applicant nor a partner unit",
                        m.unit_credit_code
                    ),
                );
            }
            if m.months == 0 {
                self.err(
                    "application.member.months_zero",
                    format!("team[{i}].months"),
                    "team",
                    format!("{who_zh}投入月数为 0"),
                    format!("{who_en} gives 0 months to the project"),
                );
            } else if m.months > project_months {
                self.err(
                    "application.member.months_over_period",
                    format!("team[{i}].months"),
                    "team",
                    format!("{who_zh}投入 {} 个月，超过实施周期的 {project_months} 个月", m.months),
                    format!("{who_en} gives {} months, more than the period's {project_months}", m.months),
                );
            }
        }
        match leaders.as_slice() {
            [] => self.err(
                "application.team.leader_missing",
                "team",
                "team",
                "请指定一名项目负责人",
                "Name one member as the project leader",
            ),
            [first, rest @ ..] => {
                for &j in rest {
                    self.err(
                        "application.team.leader_multiple",
                        format!("team[{j}].role"),
                        "team",
                        format!("项目负责人只能有一名，第 {} 人和第 {} 人都被列为负责人", first + 1, j + 1),
                        format!("There is one leader only: members {} and {} are both leaders", first + 1, j + 1),
                    );
                }
                self.leader(*first);
            }
        }
    }

    fn document(&mut self, i: usize, m: &Member, who_zh: &str, who_en: &str) {
        let field = format!("team[{i}].id_number");
        let number = compact(&m.id_number).to_ascii_uppercase();
        let (kind_zh, kind_en) = m.document.name();
        let bad_format = |code: &str, zh: &str, en: &str| {
            Problem::error(
                code,
                field.clone(),
                format!("{kind_zh}号码“{}”不符合格式：{zh}", m.id_number),
                format!("The {kind_en} number “{}” is malformed: {en}", m.id_number),
            )
        };
        // A document whose number carries the birth date (GB 11643 and its relatives) must agree with the
        // birth date given.
        let mut encoded_birth = None;
        let problem = match m.document {
            DocumentKind::ResidentId => match IdNumber::parse(&m.id_number, self.today) {
                Ok(id) => {
                    encoded_birth = Some(id.birth_date());
                    None
                }
                Err(e) => Some(e.to_problem(field.clone())),
            },
            DocumentKind::Passport => {
                let ok = (5..=17).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_alphanumeric());
                (!ok).then(|| {
                    bad_format(
                        "application.member.passport_format",
                        "应为 5–17 位字母或数字",
                        "it has 5 to 17 letters or digits",
                    )
                })
            }
            DocumentKind::HkMacaoTaiwanPermit => {
                let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
                let travel_permit = match number.as_bytes().first() {
                    Some(b'H' | b'M') => matches!(number.len(), 9 | 11) && digits(&number[1..]),
                    _ => matches!(number.len(), 8 | 10) && digits(&number),
                };
                if travel_permit {
                    None
                } else if number.len() == 18 && ["81", "82", "83"].iter().any(|p| number.starts_with(p)) {
                    match IdNumber::parse(&number, self.today) {
                        Ok(id) => {
                            encoded_birth = Some(id.birth_date());
                            None
                        }
                        Err(e) => Some(e.to_problem(field.clone())),
                    }
                } else {
                    Some(bad_format(
                        "application.member.permit_format",
                        "港澳通行证为 H 或 M 加 8 位（或 10 位）数字，台湾通行证为 8 位（或 10 位）数字，居住证为 81、82、83 开头的 18 位号码",
                        "a Hong Kong or Macao permit is H or M and 8 (or 10) digits, a Taiwan permit 8 (or 10) digits, a residence permit 18 characters starting with 81, 82 or 83",
                    ))
                }
            }
            DocumentKind::ForeignPermanentResidence => {
                let b = number.as_bytes();
                if b.len() == 15 && b[..3].iter().all(u8::is_ascii_uppercase) && b[3..].iter().all(u8::is_ascii_digit) {
                    None
                } else if b.len() == 18 && b[0] == b'9' && number.is_ascii() {
                    // The 2023 card follows GB 11643's layout: birth date in 7–14, MOD 11-2 check character.
                    match crate::validate::id_number::check_char(&number[..17]) {
                        Some(c) if c == char::from(b[17]) => {
                            encoded_birth = Date::parse_compact(&number[6..14]);
                            if encoded_birth.is_none() {
                                Some(bad_format(
                                    "application.member.residence_card_format",
                                    "第 7–14 位应为出生日期",
                                    "characters 7–14 are the birth date",
                                ))
                            } else {
                                None
                            }
                        }
                        Some(c) => Some(Problem::error(
                            "application.member.residence_card_check",
                            field.clone(),
                            format!("{kind_zh}号码校验位应为 {c}，现为 {}：请对照证件逐位核对", char::from(b[17])),
                            format!(
                                "The check character of the {kind_en} number should be {c}, not {}: compare each character with the card",
                                char::from(b[17])
                            ),
                        )),
                        None => Some(bad_format(
                            "application.member.residence_card_format",
                            "新版为 9 开头的 18 位号码，旧版为 3 位字母加 12 位数字",
                            "the 2023 card has 18 characters starting with 9, the older one 3 letters and 12 digits",
                        )),
                    }
                } else {
                    Some(bad_format(
                        "application.member.residence_card_format",
                        "新版为 9 开头的 18 位号码，旧版为 3 位字母加 12 位数字",
                        "the 2023 card has 18 characters starting with 9, the older one 3 letters and 12 digits",
                    ))
                }
            }
        };
        if let Some(p) = problem {
            self.wrap(p, "team", who_zh, who_en);
        }
        if let Some(b) = encoded_birth {
            if b != m.birth_date {
                self.err(
                    "application.member.birth_date_mismatch",
                    format!("team[{i}].birth_date"),
                    "team",
                    format!("{who_zh}出生日期 {} 与证件号码中的 {b} 不一致", m.birth_date),
                    format!("The birth date {} of {who_en} differs from {b} in the document number", m.birth_date),
                );
            }
        }
    }

    fn birth(&mut self, i: usize, m: &Member, who_zh: &str, who_en: &str) {
        let field = format!("team[{i}].birth_date");
        let earliest = Date::new(1900, 1, 1);
        if m.birth_date > self.today {
            self.err(
                "application.member.birth_in_future",
                field,
                "team",
                format!("{who_zh}出生日期 {} 晚于今天（{}）", m.birth_date, self.today),
                format!("The birth date {} of {who_en} is after today ({})", m.birth_date, self.today),
            );
        } else if Some(m.birth_date) < earliest {
            self.err(
                "application.member.birth_date_implausible",
                field,
                "team",
                format!("{who_zh}出生日期 {} 早于 1900 年，请核对", m.birth_date),
                format!("The birth date {} of {who_en} is before 1900: check it", m.birth_date),
            );
        } else if age_on(m.birth_date, self.today) < MIN_MEMBER_AGE as i32 {
            self.warn(
                "application.member.too_young",
                field,
                "team",
                format!("{who_zh}未满 {MIN_MEMBER_AGE} 周岁（出生于 {}），请核对", m.birth_date),
                format!("{who_en} is under {MIN_MEMBER_AGE} (born {}): check the birth date", m.birth_date),
            );
        }
    }

    /// The leader's eligibility: the call's limits on age (on the closing date), title and degree, lifted
    /// for 揭榜挂帅 whatever the call says (domain.md "Modes"); the leader works at the applicant unit.
    fn leader(&mut self, i: usize) {
        let (call, app) = (self.call, self.app);
        let m = &app.team[i];
        let e = &call.eligibility;
        let who_zh = format!("项目负责人{}", m.name);
        let who_en = format!("The leader {}", m.name);
        if unit_key(&m.unit_credit_code) != unit_key(&app.applicant.credit_code) {
            self.err(
                "application.leader.unit",
                format!("team[{i}].unit_credit_code"),
                "team",
                format!("{who_zh}应为申报单位（{}）的人员", app.applicant.name),
                format!("{who_en} must work at the applicant unit ({})", app.applicant.name),
            );
        }
        if self.is_challenge() {
            return;
        }
        let closing = call.closes_at.local_date();
        if let Some(max) = e.leader_max_age {
            let age = age_on(m.birth_date, closing);
            if age > max as i32 {
                self.err(
                    "application.leader.too_old",
                    format!("team[{i}].birth_date"),
                    "team",
                    format!("{who_zh}在申报截止日（{closing}）为 {age} 周岁，超过指南规定的 {max} 周岁"),
                    format!("{who_en} is {age} on the closing date ({closing}), above the call's limit of {max}"),
                );
            }
        }
        if let Some(min) = e.leader_min_title {
            if m.title < Some(min) {
                let (hz, he) = title_name(m.title);
                let (nz, ne) = title_name(Some(min));
                self.err(
                    "application.leader.title",
                    format!("team[{i}].title"),
                    "team",
                    format!("指南要求项目负责人具有{nz}及以上职称，{who_zh}为{hz}"),
                    format!("The call requires a leader with a {ne} title or higher; {who_en} has {he}"),
                );
            }
        }
        if let Some(min) = e.leader_min_degree {
            if m.degree < Some(min) {
                let (hz, he) = degree_name(m.degree);
                let (nz, ne) = degree_name(Some(min));
                self.err(
                    "application.leader.degree",
                    format!("team[{i}].degree"),
                    "team",
                    format!("指南要求项目负责人具有{nz}学位，{who_zh}为{hz}"),
                    format!("The call requires a leader with a {ne} degree; {who_en} has {he}"),
                );
            }
        }
    }

    fn sections(&mut self) {
        let (call, app) = (self.call, self.app);
        let hashes: BTreeSet<&str> = app.attachments.iter().map(|a| a.sha256.as_str()).collect();
        for rule in call.sections.iter().filter(|s| !STRUCTURED_SECTIONS.contains(&s.code.as_str())) {
            let code = rule.code.as_str();
            let field = format!("sections[{code}]");
            let text = app.sections.get(code);
            if text.is_none_or(|t| t.is_empty()) {
                if rule.required {
                    self.err(
                        "application.section_missing",
                        field,
                        code,
                        "本节为必填，尚未填写",
                        "This section is required and still empty",
                    );
                }
                continue;
            }
            let Some(text) = text else { continue };
            let count = text.char_count();
            if let Some(max) = rule.max_chars {
                if count > max as usize {
                    self.err(
                        "application.section_too_long",
                        field.clone(),
                        code,
                        format!("共 {count} 字（不计空格），超过上限 {max} 字，请删减 {} 字", count - max as usize),
                        format!(
                            "{count} characters (without spaces), above the limit of {max}: cut {}",
                            count - max as usize
                        ),
                    );
                }
            }
            if let Some(c) = text.control_char() {
                self.err(
                    "application.text.control_char",
                    field.clone(),
                    code,
                    format!("文字中含控制字符 U+{:04X}（多为粘贴带入），换行请另起段落", c as u32),
                    format!(
                        "The text holds the control character U+{:04X} (usually from a paste): start a new paragraph instead",
                        c as u32
                    ),
                );
            }
            if let Some(b) = text.ragged_table() {
                self.err(
                    "application.text.table_ragged",
                    format!("{field}.blocks[{b}]"),
                    code,
                    "表格各行的单元格数不一致（不支持合并单元格）",
                    "The table's rows have different numbers of cells (merged cells are not supported)",
                );
            }
            for h in text.images() {
                if !hashes.contains(h) {
                    self.err(
                        "application.text.image_missing",
                        field.clone(),
                        code,
                        format!("插图（{}…）不在附件中，请重新插入图片", prefix(h)),
                        format!("A figure ({}…) is not among the attachments: insert the picture again", prefix(h)),
                    );
                }
            }
        }
        self.blind_parts();
        let known: BTreeSet<&str> = call.sections.iter().map(|s| s.code.as_str()).collect();
        for code in app.sections.keys().filter(|c| !known.contains(c.as_str())) {
            self.warn(
                "application.section_unknown",
                format!("sections[{code}]"),
                "basic_info",
                format!("指南没有“{code}”一节，该内容不会提交评审"),
                format!("The call has no section “{code}”: its content is not reviewed"),
            );
        }
    }

    /// A call with a blind round shows experts only the title and the sections it marks reviewable-blind:
    /// those must not name the leader or a member, a unit, an ID number or a credit code (domain.md).
    /// The office refuses to send such a packet; the applicant learns it here, before sealing.
    fn blind_parts(&mut self) {
        let (call, app) = (self.call, self.app);
        if !call.review_plan.rounds.iter().any(|r| r.blind) {
            return;
        }
        let ids = crate::review::blind::identifiers(app);
        let mut parts: Vec<(String, String, String, String)> =
            vec![("title".into(), "basic_info".into(), "项目名称".into(), app.title.clone())];
        for rule in call.sections.iter().filter(|s| s.blind_reviewable) {
            if let Some(text) = app.sections.get(&rule.code) {
                parts.push((
                    format!("sections[{}]", rule.code),
                    rule.code.clone(),
                    rule.name.zh.clone(),
                    text.plain_text(),
                ));
            }
        }
        for (field, section, _, text) in parts {
            for id in crate::review::blind::find_identifiers(&text, &ids) {
                self.err(
                    "application.blind.identifies",
                    field.clone(),
                    &section,
                    format!("本指南有盲评环节，此处不得出现{}（“{}”），请删去或改写", id.what_zh, id.text),
                    format!(
                        "The call has a blind review: this part may not show {} (“{}”); remove or rewrite it",
                        id.what_en, id.text
                    ),
                );
            }
        }
    }

    fn indicators(&mut self) {
        let (call, app) = (self.call, self.app);
        if app.indicators.is_empty() {
            self.err(
                "application.indicators.missing",
                "indicators",
                "indicators",
                "请填写考核指标",
                "Enter the indicators",
            );
            return;
        }
        let programme = self.catalog.programmes.iter().find(|p| p.code == call.programme);
        let mut ids = BTreeSet::new();
        let mut answered: BTreeMap<&str, usize> = BTreeMap::new();
        let mut linked = false;
        for (i, ind) in app.indicators.iter().enumerate() {
            let at = |f: &str| format!("indicators[{i}].{f}");
            let who_zh = format!("指标 {}（{}）", i + 1, ind.name);
            let who_en = format!("indicator {} ({})", i + 1, ind.name);
            if ind.id.trim().is_empty() || !ids.insert(ind.id.as_str()) {
                self.err(
                    "application.indicator.id",
                    at("id"),
                    "indicators",
                    format!("{who_zh}的编号“{}”为空或与其他指标重复", ind.id),
                    format!("The id “{}” of {who_en} is empty or used twice", ind.id),
                );
            }
            if ind.name.trim().is_empty() {
                self.err(
                    "application.indicator.name_missing",
                    at("name"),
                    "indicators",
                    format!("请填写指标 {} 的名称", i + 1),
                    format!("Enter the name of indicator {}", i + 1),
                );
            }
            if ind.unit.trim().is_empty() {
                self.err(
                    "application.indicator.unit_missing",
                    at("unit"),
                    "indicators",
                    format!("请填写{who_zh}的计量单位"),
                    format!("Enter the unit of {who_en}"),
                );
            }
            if let Some(b) = ind.baseline {
                if !ind.direction.met(ind.target.to_f64(), b.to_f64()) {
                    self.warn(
                        "application.indicator.target_below_baseline",
                        at("target"),
                        "indicators",
                        format!("{who_zh}目标值 {} 未达到现有水平 {b}（方向 {}）", ind.target, ind.direction.symbol()),
                        format!(
                            "The target {} of {who_en} does not reach the baseline {b} (direction {})",
                            ind.target,
                            ind.direction.symbol()
                        ),
                    );
                }
            }
            if let Some(code) = &ind.plan_target {
                let target = programme.and_then(|p| p.targets.iter().find(|t| &t.code == code));
                match target {
                    None => self.err(
                        "application.indicator.plan_target_unknown",
                        at("plan_target"),
                        "indicators",
                        format!("规划目标 {code} 不是本指南所属专项 {} 的目标", call.programme),
                        format!("{code} is not a plan target of the call's programme {}", call.programme),
                    ),
                    Some(_) if !ind.kind.may_link_plan_target() => {
                        let (kz, ke) = ind.kind.name();
                        self.err(
                            "application.indicator.plan_target_kind",
                            at("plan_target"),
                            "indicators",
                            format!("{kz}类指标不对应规划目标，请取消与 {code} 的关联"),
                            format!("Indicators of {ke} serve no plan target: remove the link to {code}"),
                        );
                    }
                    Some(t) if compact(&t.unit) != compact(&ind.unit) => self.err(
                        "application.indicator.plan_target_unit",
                        at("plan_target"),
                        "indicators",
                        format!("{who_zh}单位为“{}”，规划目标 {code}（{}）单位为“{}”，单位不一致不能关联", ind.unit, t.printed, t.unit),
                        format!(
                            "{who_en} counts in “{}” but the plan target {code} ({}) in “{}”: units must agree to link them",
                            ind.unit, t.printed, t.unit
                        ),
                    ),
                    Some(_) => linked = true,
                }
            }
            if let Some(code) = &ind.core_indicator {
                if let Some(first) = answered.insert(code.as_str(), i) {
                    self.err(
                        "application.indicator.core_duplicate",
                        at("core_indicator"),
                        "indicators",
                        format!("核心指标 {code} 已由指标 {} 回应", first + 1),
                        format!("The core indicator {code} is already answered by indicator {}", first + 1),
                    );
                }
                self.core_answer(i, code);
            }
        }
        for core in &call.core_indicators {
            if !answered.contains_key(core.code.as_str()) {
                self.err(
                    "application.indicator.core_missing",
                    format!("indicators[{}]", core.code),
                    "indicators",
                    format!(
                        "指南核心指标 {}“{}”（{} {} {}）尚未回应",
                        core.code,
                        core.name.zh,
                        core.direction.symbol(),
                        fmt_target(core.target),
                        core.unit
                    ),
                    format!(
                        "The call's core indicator {} “{}” ({} {} {}) is not answered",
                        core.code,
                        core.name.en,
                        core.direction.symbol(),
                        fmt_target(core.target),
                        core.unit
                    ),
                );
            }
        }
        let has_targets = programme.is_some_and(|p| !p.targets.is_empty());
        if has_targets && !linked {
            self.err(
                "application.indicators.no_plan_link",
                "indicators",
                "indicators",
                format!("规划符合性：至少一项考核指标应关联专项 {} 的规划目标（单位一致）", call.programme),
                format!(
                    "Plan conformity: link at least one indicator to a plan target of the programme {} (same unit)",
                    call.programme
                ),
            );
        }
    }

    /// An indicator answering a core indicator: same unit and direction, and met in its direction — an
    /// error for a locked indicator (all of 揭榜挂帅), a warning for an open call's guiding one.
    fn core_answer(&mut self, i: usize, code: &str) {
        let ind = &self.app.indicators[i];
        let Some(core) = self.call.core_indicators.iter().find(|c| c.code == code) else {
            self.err(
                "application.indicator.core_unknown",
                format!("indicators[{i}].core_indicator"),
                "indicators",
                format!("指南没有核心指标 {code}"),
                format!("The call has no core indicator {code}"),
            );
            return;
        };
        let target = fmt_target(core.target);
        if compact(&core.unit) != compact(&ind.unit) {
            self.err(
                "application.indicator.core_unit",
                format!("indicators[{i}].unit"),
                "indicators",
                format!("核心指标 {code}“{}”的单位是“{}”，不能改为“{}”", core.name.zh, core.unit, ind.unit),
                format!("The core indicator {code} “{}” counts in “{}”, not “{}”", core.name.en, core.unit, ind.unit),
            );
            return;
        }
        if core.direction != ind.direction {
            self.err(
                "application.indicator.core_direction",
                format!("indicators[{i}].direction"),
                "indicators",
                format!("核心指标 {code}“{}”的方向是 {}，不能改变", core.name.zh, core.direction.symbol()),
                format!(
                    "The core indicator {code} “{}” has the direction {}; keep it",
                    core.name.en,
                    core.direction.symbol()
                ),
            );
            return;
        }
        if !core.direction.met(ind.target.to_f64(), core.target) {
            let zh = format!(
                "指标“{}”目标值 {} {} 未达到核心指标 {code}“{}”的要求（{} {target} {}）",
                ind.name,
                ind.target,
                ind.unit,
                core.name.zh,
                core.direction.symbol(),
                core.unit
            );
            let en = format!(
                "The target {} {} of “{}” does not meet the core indicator {code} “{}” ({} {target} {})",
                ind.target,
                ind.unit,
                ind.name,
                core.name.en,
                core.direction.symbol(),
                core.unit
            );
            if core.locked {
                self.err("application.indicator.core_not_met", format!("indicators[{i}].target"), "indicators", zh, en);
            } else {
                self.warn(
                    "application.indicator.core_below_guide",
                    format!("indicators[{i}].target"),
                    "indicators",
                    zh,
                    en,
                );
            }
        }
    }

    fn milestones(&mut self) {
        let (call, app) = (self.call, self.app);
        for (i, m) in app.milestones.iter().enumerate() {
            if m.name.trim().is_empty() {
                self.err(
                    "application.milestone.name_missing",
                    format!("milestones[{i}].name"),
                    "schedule",
                    format!("请填写里程碑 {} 的名称", i + 1),
                    format!("Enter the name of milestone {}", i + 1),
                );
            }
            if !app.period.contains(m.due) {
                self.err(
                    "application.milestone.outside_period",
                    format!("milestones[{i}].due"),
                    "schedule",
                    format!("里程碑“{}”的日期 {} 不在实施周期内", m.name, m.due),
                    format!("The milestone “{}” falls on {}, outside the period", m.name, m.due),
                );
            }
        }
        let Mode::Challenge(c) = &call.mode else { return };
        let Contest::Race(race) = &c.contest else { return };
        for gate in &race.milestones {
            match app.milestones.iter().position(|m| m.code == gate.code) {
                None => self.err(
                    "application.race.milestone_missing",
                    format!("milestones[{}]", gate.code),
                    "schedule",
                    format!("赛马里程碑 {}“{}”（{}）尚未安排", gate.code, gate.name.zh, gate.due),
                    format!("The race milestone {} “{}” ({}) is not planned", gate.code, gate.name.en, gate.due),
                ),
                Some(i) if app.milestones[i].due > gate.due => self.err(
                    "application.race.milestone_late",
                    format!("milestones[{i}].due"),
                    "schedule",
                    format!("里程碑 {} 安排在 {}，晚于榜单考核日 {}", gate.code, app.milestones[i].due, gate.due),
                    format!(
                        "The milestone {} is planned for {}, after the gate on {}",
                        gate.code, app.milestones[i].due, gate.due
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    fn budget(&mut self, schema: Option<&BudgetSchema>) {
        let Some(schema) = schema else {
            self.err(
                "application.budget.schema_unknown",
                "budget.schema",
                "budget",
                format!("本程序没有指南要求的预算规则 {}，请更新程序或导入含该规则的指南包", self.call.budget.schema),
                format!(
                    "This program lacks the budget rules {} the call names: update it or import the call package carrying them",
                    self.call.budget.schema
                ),
            );
            return;
        };
        for mut p in check_budget(schema, self.call, &self.app.budget) {
            p.field = format!("budget.{}", p.field);
            self.wrap(p, "budget", "", "");
        }
    }

    fn works(&mut self) {
        let (call, app) = (self.call, self.app);
        let works = &app.representative_works;
        if works.len() > MAX_REPRESENTATIVE_WORKS {
            self.err(
                "application.works.too_many",
                format!("representative_works[{MAX_REPRESENTATIVE_WORKS}]"),
                "representative_works",
                format!("代表作最多 {MAX_REPRESENTATIVE_WORKS} 项，现有 {} 项", works.len()),
                format!("At most {MAX_REPRESENTATIVE_WORKS} representative works; there are {}", works.len()),
            );
        }
        if !works.is_empty() && call.category != Category::BasicResearch {
            self.warn(
                "application.works.not_basic_research",
                "representative_works",
                "representative_works",
                "代表作评价只用于基础研究类指南，本指南不评审代表作",
                "Representative works are judged in basic-research calls only; this call does not review them",
            );
        }
        let hashes: BTreeSet<&str> = app.attachments.iter().map(|a| a.sha256.as_str()).collect();
        for (i, w) in works.iter().enumerate() {
            if w.title.trim().is_empty() {
                self.err(
                    "application.work.title_missing",
                    format!("representative_works[{i}].title"),
                    "representative_works",
                    format!("请填写代表作 {} 的题名", i + 1),
                    format!("Enter the title of representative work {}", i + 1),
                );
            }
            if let Some(h) = &w.attachment {
                if !hashes.contains(h.as_str()) {
                    self.err(
                        "application.work.attachment_missing",
                        format!("representative_works[{i}].attachment"),
                        "representative_works",
                        format!("代表作“{}”的全文不在附件中，请重新上传", w.title),
                        format!("The full text of “{}” is not among the attachments: add it again", w.title),
                    );
                }
            }
        }
    }

    fn attachments(&mut self) {
        let (call, app) = (self.call, self.app);
        for (i, a) in app.attachments.iter().enumerate() {
            let at = |f: &str| format!("attachments[{i}].{f}");
            let Some(rule) = call.attachments.iter().find(|r| r.code == a.rule) else {
                self.err(
                    "application.attachment.unknown_rule",
                    at("rule"),
                    "attachments",
                    format!("附件“{}”归入的类别“{}”不在指南要求中", a.name, a.rule),
                    format!("The attachment “{}” is filed under “{}”, which the call does not ask for", a.name, a.rule),
                );
                continue;
            };
            let (rz, re) = (&rule.name.zh, &rule.name.en);
            if !is_sha256(&a.sha256) {
                self.err(
                    "application.attachment.sha256",
                    at("sha256"),
                    "attachments",
                    format!("{rz}“{}”的内容哈希无效，请重新上传", a.name),
                    format!("The content hash of {re} “{}” is invalid: add the file again", a.name),
                );
            }
            if a.size == 0 {
                self.err(
                    "application.attachment.empty",
                    at("size"),
                    "attachments",
                    format!("{rz}“{}”是空文件", a.name),
                    format!("{re} “{}” is an empty file", a.name),
                );
            } else if a.size > rule.max_bytes {
                self.err(
                    "application.attachment.too_large",
                    at("size"),
                    "attachments",
                    format!(
                        "{rz}“{}”大小 {}，超过上限 {}，请压缩后重新上传",
                        a.name,
                        fmt_bytes(a.size),
                        fmt_bytes(rule.max_bytes)
                    ),
                    format!(
                        "{re} “{}” is {}, above the limit of {}: compress it and add it again",
                        a.name,
                        fmt_bytes(a.size),
                        fmt_bytes(rule.max_bytes)
                    ),
                );
            }
            let ext = extension(&a.name);
            if !ext.as_ref().is_some_and(|e| rule.formats.iter().any(|f| f.eq_ignore_ascii_case(e))) {
                self.err(
                    "application.attachment.format",
                    at("name"),
                    "attachments",
                    format!("{rz}只接受 {} 文件，“{}”不是", rule.formats.join("、"), a.name),
                    format!("{re} accepts {} files only; “{}” is not one", rule.formats.join(", "), a.name),
                );
            } else if let Some(expected) = media_type_for_extension(&a.name) {
                if a.media_type != expected {
                    let found = if a.media_type == UNKNOWN { "无法识别的类型" } else { a.media_type.as_str() };
                    let found_en = if a.media_type == UNKNOWN { "an unrecognised type" } else { a.media_type.as_str() };
                    self.err(
                        "application.attachment.media_type_mismatch",
                        at("media_type"),
                        "attachments",
                        format!(
                            "“{}”的扩展名是 .{}，但文件内容是{found}：请导出为真正的 {} 文件后重新上传，不要只改扩展名",
                            a.name,
                            ext.as_deref().unwrap_or(""),
                            ext.as_deref().unwrap_or("").to_uppercase()
                        ),
                        format!(
                            "“{}” is named .{} but its content is {found_en}: export a real {} file and add it again instead of renaming",
                            a.name,
                            ext.as_deref().unwrap_or(""),
                            ext.as_deref().unwrap_or("").to_uppercase()
                        ),
                    );
                }
            }
        }
        for rule in call.attachments.iter().filter(|r| r.required) {
            if !app.attachments.iter().any(|a| a.rule == rule.code) {
                self.err(
                    "application.attachment.missing",
                    format!("attachments[{}]", rule.code),
                    "attachments",
                    format!(
                        "缺少必需附件“{}”（{}，不超过 {}）",
                        rule.name.zh,
                        rule.formats.join("、"),
                        fmt_bytes(rule.max_bytes)
                    ),
                    format!(
                        "The required attachment “{}” is missing ({}, at most {})",
                        rule.name.en,
                        rule.formats.join(", "),
                        fmt_bytes(rule.max_bytes)
                    ),
                );
            }
        }
    }

    fn avoid_experts(&mut self) {
        let (call, app) = (self.call, self.app);
        let list = &app.avoid_experts;
        if list.len() > MAX_AVOIDED_EXPERTS {
            self.err(
                "application.avoid_experts.too_many",
                format!("avoid_experts[{MAX_AVOIDED_EXPERTS}]"),
                "avoid_experts",
                format!("申请回避的专家最多 {MAX_AVOIDED_EXPERTS} 人，现有 {} 人", list.len()),
                format!("At most {MAX_AVOIDED_EXPERTS} experts may be avoided; there are {}", list.len()),
            );
        }
        if !list.is_empty() && !call.sections.iter().any(|s| s.code == "avoid_experts") {
            self.warn(
                "application.avoid_experts.not_offered",
                "avoid_experts",
                "avoid_experts",
                "本指南不接受申请回避的专家名单，名单不会提交",
                "This call takes no list of experts to avoid; the list is not submitted",
            );
        }
        for (i, x) in list.iter().enumerate() {
            if x.name.trim().is_empty() {
                self.err(
                    "application.avoid_experts.name_missing",
                    format!("avoid_experts[{i}].name"),
                    "avoid_experts",
                    format!("请填写第 {} 位回避专家的姓名", i + 1),
                    format!("Enter the name of expert {} to avoid", i + 1),
                );
            }
            if x.reason.trim().is_empty() {
                self.err(
                    "application.avoid_experts.reason_missing",
                    format!("avoid_experts[{i}].reason"),
                    "avoid_experts",
                    format!("请说明申请回避专家{}的理由", x.name),
                    format!("Give the reason to avoid the expert {}", x.name),
                );
            }
        }
    }

    fn pledges(&mut self) {
        for p in required_pledges(self.call) {
            if self.app.pledges.get(p.code) != Some(&true) {
                self.err(
                    "application.pledge.not_accepted",
                    format!("pledges[{}]", p.code),
                    "commitments",
                    format!("尚未确认承诺：{}", p.text.zh),
                    format!("Not yet accepted: {}", p.text.en),
                );
            }
        }
    }
}

fn fmt_target(v: f64) -> String {
    format!("{v}")
}

/// Bytes as people read them (`20 MB`, `1.5 MB`, `800 KB`), in units of 1024.
pub(crate) fn fmt_bytes(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if n >= MB {
        let tenths = n * 10 / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else if n >= 1024 {
        format!("{} KB", n / 1024)
    } else {
        format!("{n} 字节 / bytes")
    }
}

/// Seconds of warning before the closing time.
pub const CLOSING_SOON_SECONDS: i64 = 24 * 3600;

/// Whether an application may be sealed at `at` by the applicant's clock: an error before the call
/// opens or after it closes (closing time included: 17:30:00 is on time, 17:30:01 late), a warning
/// within 24 hours of closing, nothing otherwise. Moments compare as instants, whatever their offsets.
pub fn check_submission_time(call: &Call, at: Moment) -> Option<Problem> {
    let (zh, en) = section_name(call, "basic_info");
    let wrap = |severity, code: &str, z: String, e: String| Problem {
        code: code.into(),
        field: "submitted_at".into(),
        severity,
        zh: format!("【{zh}】{z}"),
        en: format!("{en}: {e}"),
    };
    if at < call.opens_at {
        return Some(wrap(
            Severity::Error,
            "application.not_open",
            format!("指南 {} 起接受申报，现在（{at}）尚未开始", call.opens_at),
            format!("The call opens at {}; it is {at}", call.opens_at),
        ));
    }
    if at > call.closes_at {
        return Some(wrap(
            Severity::Error,
            "application.late",
            format!("申报已于 {} 截止（现在 {at}），不能再封存提交", call.closes_at),
            format!("The call closed at {} (it is {at}): the application can no longer be sealed", call.closes_at),
        ));
    }
    let left = call.closes_at.unix_seconds() - at.unix_seconds();
    if left < CLOSING_SOON_SECONDS {
        let (h, m) = (left / 3600, left % 3600 / 60);
        return Some(wrap(
            Severity::Warning,
            "application.closing_soon",
            format!("距申报截止（{}）仅剩 {h} 小时 {m} 分，请尽快封存并送达", call.closes_at),
            format!("{h} h {m} min left before the call closes ({}): seal and deliver soon", call.closes_at),
        ));
    }
    None
}

/// The office's formal check of a received version that needs no other application: the version's
/// bytes match its hash and read as an application; it was received by the closing time (`received_at`
/// is the import's receipt time; the officer may still mark it on time with a logged reason); the
/// applicant unit was registered by the call's date (not for 揭榜挂帅); and completeness — every check of
/// [`validate_application`], re-run on the sealed content with the receipt day as today.
///
/// 限项 and 查重 need the office's other records: [`super::formal`] adds them to the report.
///
/// The budget is checked under the shipped schema the call names; the office's desk uses
/// [`formal_check_rules_with`] and the schema its workspace holds.
pub fn formal_check_rules(
    call: &Call,
    version: &SealedVersion,
    catalog: &Catalog,
    received_at: Moment,
) -> Vec<Problem> {
    let schema = embedded_schemas().iter().find(|s| s.reference() == call.budget.schema);
    formal_check_rules_with(call, schema, version, catalog, received_at)
}

/// [`formal_check_rules`] with the budget schema given.
pub fn formal_check_rules_with(
    call: &Call,
    schema: Option<&BudgetSchema>,
    version: &SealedVersion,
    catalog: &Catalog,
    received_at: Moment,
) -> Vec<Problem> {
    let err = |code: &str, field: &str, zh: String, en: String| {
        Problem::error(code, field, format!("【形式审查】{zh}"), format!("Formal check: {en}"))
    };
    if !version.verify() {
        return vec![err(
            "formal.hash_mismatch",
            "version",
            format!("第 {} 版内容与其哈希 {} 不符，材料已损坏或被改动", version.number, version.sha256),
            format!(
                "Version {} does not match its hash {}: it is damaged or was altered",
                version.number, version.sha256
            ),
        )];
    }
    let app = match version.application() {
        Ok(app) => app,
        Err(e) => {
            return vec![err(
                "formal.unreadable",
                "version",
                format!("第 {} 版内容无法读取：{e}", version.number),
                format!("Version {} cannot be read: {e}", version.number),
            )]
        }
    };
    let mut out = Vec::new();
    if received_at > call.closes_at {
        out.push(err(
            "formal.received_late",
            "received_at",
            format!("收到时间 {received_at} 晚于截止时间 {}", call.closes_at),
            format!("Received at {received_at}, after the closing time {}", call.closes_at),
        ));
    }
    if let (Some(limit), false) = (call.eligibility.unit_registered_by, matches!(call.mode, Mode::Challenge(_))) {
        if app.applicant.registered_on > limit {
            out.push(err(
                "formal.unit_registered_late",
                "applicant.registered_on",
                format!("申报单位注册日期 {} 晚于指南要求的 {limit}", app.applicant.registered_on),
                format!(
                    "The applicant unit was registered on {}, after the call's limit {limit}",
                    app.applicant.registered_on
                ),
            ));
        }
    }
    out.extend(run(call, schema, &app, catalog, received_at.shanghai_date()));
    out
}

/// What a full application may not do to its pre-application (two-stage calls): drop an indicator
/// (matched by id), change its unit or direction, or move its target the wrong way (lower for ≥,
/// higher for ≤). Other changes of content are allowed and shown to the officer by [`super::compare_versions`].
pub fn check_against_pre_application(pre: &Application, full: &Application) -> Vec<Problem> {
    let mut out = Vec::new();
    let err = |code: &str, field: String, zh: String, en: String| {
        Problem::error(code, field, format!("【考核指标】{zh}"), format!("Indicators: {en}"))
    };
    if pre.stage != Stage::Pre || full.stage != Stage::Full {
        out.push(Problem::error(
            "application.pre.stages",
            "stage",
            "【基本信息】比较的应是一份预申报和一份正式申报",
            "Basic information: compare a pre-application with a full application",
        ));
    }
    if pre.call_id != full.call_id || full.pre_application != Some(pre.id) {
        out.push(Problem::error(
            "application.pre.link_mismatch",
            "pre_application",
            "【基本信息】正式申报未关联到这份预申报（或二者属于不同指南）",
            "Basic information: the full application is not linked to this pre-application (or they belong to different calls)",
        ));
    }
    for p in &pre.indicators {
        let Some(j) = full.indicators.iter().position(|f| f.id == p.id) else {
            out.push(err(
                "application.pre.indicator_dropped",
                format!("indicators[{}]", p.id),
                format!(
                    "预申报的指标 {}“{}”（{} {} {}）在正式申报中被删除",
                    p.id,
                    p.name,
                    p.direction.symbol(),
                    p.target,
                    p.unit
                ),
                format!(
                    "The pre-application's indicator {} “{}” ({} {} {}) was dropped",
                    p.id,
                    p.name,
                    p.direction.symbol(),
                    p.target,
                    p.unit
                ),
            ));
            continue;
        };
        let f = &full.indicators[j];
        if compact(&f.unit) != compact(&p.unit) || f.direction != p.direction {
            out.push(err(
                "application.pre.indicator_redefined",
                format!("indicators[{j}].unit"),
                format!(
                    "指标 {}“{}”的单位或方向由 {} {} 改为 {} {}，不可比较",
                    p.id,
                    p.name,
                    p.direction.symbol(),
                    p.unit,
                    f.direction.symbol(),
                    f.unit
                ),
                format!(
                    "The indicator {} “{}” changed its unit or direction from {} {} to {} {}: no longer comparable",
                    p.id,
                    p.name,
                    p.direction.symbol(),
                    p.unit,
                    f.direction.symbol(),
                    f.unit
                ),
            ));
            continue;
        }
        let weaker = match p.direction {
            Direction::AtLeast => f.target < p.target,
            Direction::AtMost => f.target > p.target,
        };
        if weaker {
            out.push(err(
                "application.pre.indicator_weakened",
                format!("indicators[{j}].target"),
                format!(
                    "指标 {}“{}”目标值由预申报的 {} 降为 {} {}（方向 {}）",
                    p.id,
                    p.name,
                    p.target,
                    f.target,
                    f.unit,
                    p.direction.symbol()
                ),
                format!(
                    "The indicator {} “{}” moved from the pre-application's {} to {} {} against its direction {}",
                    p.id,
                    p.name,
                    p.target,
                    f.target,
                    f.unit,
                    p.direction.symbol()
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_count_whole_years() {
        let d = |y, m, dd| Date::new(y, m, dd).unwrap();
        assert_eq!(age_on(d(1980, 1, 15), d(2027, 1, 15)), 47);
        assert_eq!(age_on(d(1980, 1, 16), d(2027, 1, 15)), 46);
        assert_eq!(age_on(d(2000, 2, 29), d(2027, 2, 28)), 26);
        assert_eq!(age_on(d(2000, 2, 29), d(2027, 3, 1)), 27);
        assert_eq!(period_months(d(2027, 3, 1), d(2029, 12, 31)), 34);
        assert_eq!(fmt_bytes(20 * 1024 * 1024), "20 MB");
        assert_eq!(fmt_bytes(20 * 1024 * 1024 + 1), "20 MB");
        assert_eq!(fmt_bytes(1536 * 1024), "1.5 MB");
    }
}
