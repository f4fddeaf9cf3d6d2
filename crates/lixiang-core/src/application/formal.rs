//! The formal check (形式审查) and what follows it.
//!
//! - The office: [`formal_check`] runs [`formal_check_rules`] on the newest
//!   version received (hash, receipt time, registration date, completeness) and the checks that need the
//!   office's records: 限项 ([`count_limits`]) — how many applications of the same call the same leader
//!   (by document number) and the same applicant unit (by credit code) have here. The leader's count is
//!   held against `eligibility.max_concurrent_projects`; the call model has no limit per unit, so the
//!   unit's count is reported as information only. [`decide`] records the officer's decision (audited
//!   `formal_check`) and writes it as a `result` package, signed by the office and encrypted to the key
//!   that sent the submission. One decision per application, except that an application returned for
//!   fixing is decided again once a newer version has arrived, and a 不予受理 set aside on appeal
//!   (`appeal.rs`) is decided again on the same version: that decision is the version's next `seq`, and
//!   its result package supersedes the earlier one on the applicant's laptop.
//! - The applicant: the import pipeline calls `check_result_import` for `result` packages (only from the
//!   office that published the call, for a version sealed here, never older than a result already held,
//!   by version and then by decision sequence — except that an upheld appeal's answer repeats the decision
//!   it answers, same version and sequence, and is taken for its `appeal` part, recorded in `appeal_answer`);
//!   [`status`] shows the 申报编号 and the decision; [`withdraw`] withdraws a submitted application before
//!   the call's closing time (audited `withdraw`).
//!
//! Withdrawal is recorded on the applicant's laptop only: no notice travels to the office yet. After a
//! withdrawal the application cannot be submitted again — domain.md allows withdrawal "at any time before
//! decision" and resubmission as new versions, but says nothing of resubmitting a withdrawn application,
//! so this takes the reading that cannot surprise the office: withdrawn is final, a new application is a
//! new draft.

use super::{formal_check_rules_with, Application, ApplicationId, SealedVersion};
use crate::audit::record_sha256;
use crate::calendar::{Date, Moment};
use crate::call::{desk as calls, Call};
use crate::identity;
use crate::package::{self, Inspection, SecretKeys};
use crate::validate::{compact, Problem, Severity};
use crate::workspace::Workspace;
use crate::{catalog, CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, DecisionRow, SubmissionRow, WithdrawalRow};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The officer's decision at formal check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// 通过: the application goes on to review.
    Accept,
    /// 退回修改: fix by a date and submit again.
    Return,
    /// 不予受理: not accepted (the applicant may appeal; appeals are noted later).
    Reject,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Accept => "accept",
            Decision::Return => "return",
            Decision::Reject => "reject",
        }
    }

    pub fn parse(text: &str) -> Option<Decision> {
        match text {
            "accept" => Some(Decision::Accept),
            "return" => Some(Decision::Return),
            "reject" => Some(Decision::Reject),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Decision::Accept => "形式审查通过",
            Decision::Return => "退回修改",
            Decision::Reject => "不予受理",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Decision::Accept => "accepted",
            Decision::Return => "returned for fixing",
            Decision::Reject => "not accepted",
        }
    }
}

/// Whom a 限项 count is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum LimitScope {
    /// The leader, by document number.
    Leader,
    /// The applicant unit, by 统一社会信用代码.
    Unit,
}

/// How many applications of the call one leader or one unit has at this office (this one included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct LimitCount {
    pub scope: LimitScope,
    /// The normalised document number or credit code.
    pub key: String,
    pub count: u32,
    /// The call's limit, when it sets one (only for the leader: `eligibility.max_concurrent_projects`).
    pub limit: Option<u32>,
    /// The 申报编号 counted, this one first.
    pub numbers: Vec<String>,
}

impl LimitCount {
    pub fn exceeded(&self) -> bool {
        self.limit.is_some_and(|l| self.count > l)
    }
}

/// How a 限项 scope names whom an application is about.
type KeyOf = fn(&Application) -> Option<String>;

pub(crate) fn leader_key(app: &Application) -> Option<String> {
    app.leader().map(|(_, m)| compact(&m.id_number).to_uppercase()).filter(|k| !k.is_empty())
}

fn unit_key(app: &Application) -> Option<String> {
    Some(compact(&app.applicant.credit_code).to_uppercase()).filter(|k| !k.is_empty())
}

/// 限项: counts the applications in `others` (the call's other applications at the office, by 申报编号)
/// with the same leader and the same applicant unit as `this`, and sets the call's limits beside the
/// counts. Pure: the caller decides which applications hold a place (not the ones not accepted).
pub fn count_limits(call: &Call, this: (&str, &Application), others: &[(String, Application)]) -> Vec<LimitCount> {
    let (number, app) = this;
    let mut out = Vec::new();
    let scopes: [(LimitScope, KeyOf, Option<u32>); 2] = [
        (LimitScope::Leader, leader_key, call.eligibility.max_concurrent_projects),
        (LimitScope::Unit, unit_key, None),
    ];
    for (scope, key_of, limit) in scopes {
        let Some(key) = key_of(app) else { continue };
        let mut numbers = vec![number.to_string()];
        numbers.extend(
            others
                .iter()
                .filter(|(n, other)| n != number && other.id != app.id && key_of(other).as_deref() == Some(&key))
                .map(|(n, _)| n.clone()),
        );
        out.push(LimitCount { scope, key, count: numbers.len() as u32, limit, numbers });
    }
    out
}

/// The problems a 限项 count raises: a leader over the call's limit is an error naming the others.
pub fn limit_problems(app: &Application, counts: &[LimitCount]) -> Vec<Problem> {
    let field = app.leader().map(|(i, _)| format!("team[{i}].id_number")).unwrap_or_else(|| "team".into());
    counts
        .iter()
        .filter(|c| c.scope == LimitScope::Leader && c.exceeded())
        .map(|c| {
            let limit = c.limit.unwrap_or_default();
            let others = c.numbers[1..].join("、");
            Problem::error(
                "formal.limit.leader_exceeded",
                field.clone(),
                format!(
                    "【形式审查】项目负责人在本指南下共有 {} 项申报，超过限项 {limit} 项（其他：{others}）",
                    c.count
                ),
                format!(
                    "Formal check: the leader has {} applications in this call, over the limit of {limit} (others: {})",
                    c.count,
                    c.numbers[1..].join(", ")
                ),
            )
        })
        .collect()
}

/// The problems 查重 raises: one warning per similar application, naming its 申报编号 and the similarity.
/// A warning, not an error: a high similarity asks the officer to look (the same team may file related
/// work), domain.md says pairs are flagged, not refused.
pub fn duplicate_problems(hits: &[super::office::DuplicateHit]) -> Vec<Problem> {
    hits.iter()
        .map(|h| {
            let percent = h.similarity * 100.0;
            Problem::warning(
                "formal.duplicate",
                "sections",
                format!(
                    "【形式审查】查重：与申报书 {} 的相似度为 {percent:.1}%（立项依据、研究内容与技术路线、创新点，阈值 {:.0}%）",
                    h.number,
                    super::duplicate::DEFAULT_THRESHOLD * 100.0
                ),
                format!(
                    "Formal check: duplicate filing check: {percent:.1}% similar to application {} (rationale, content and innovations; threshold {:.0}%)",
                    h.number,
                    super::duplicate::DEFAULT_THRESHOLD * 100.0
                ),
            )
        })
        .collect()
}

/// The formal-check report of the newest version received of one application.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FormalReport {
    pub number: String,
    pub application_id: String,
    pub version: u32,
    pub sha256: String,
    pub title: String,
    pub applicant_name: String,
    pub call_code: String,
    pub received_at: String,
    pub checked_at: String,
    /// Every problem found (errors and warnings), each naming its field.
    pub problems: Vec<Problem>,
    pub errors: u32,
    /// 限项 counts: the leader's against the call's limit, the unit's as information.
    pub limits: Vec<LimitCount>,
    /// 查重: the applications of the same year at or above the threshold, most similar first.
    pub duplicates: Vec<super::office::DuplicateHit>,
    /// The newest decision already recorded, if any (also when an appeal set it aside).
    pub decision: Option<DecisionView>,
    /// Whether a decision may be recorded now.
    pub decidable: bool,
    /// The appeal (申诉) against the newest decision, open or resolved, if one was logged.
    pub appeal: Option<super::appeal::AppealView>,
    /// Whether an appeal may be logged now: the newest decision is a 不予受理 that stands, not appealed yet.
    pub appealable: bool,
    /// Every decision on every version, oldest first, each with the appeal against it: the whole way
    /// (第 1 版 决定 1 不予受理 → 申诉 → 申诉成立 → 决定 2 受理 …), where `decision` and `appeal` above are only
    /// its last step.
    pub history: Vec<VersionHistory>,
}

/// The formal-check decisions on one version, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct VersionHistory {
    pub version: u32,
    pub steps: Vec<HistoryStep>,
}

/// One decision and the appeal logged against it (only a 不予受理 has one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct HistoryStep {
    pub decision: DecisionView,
    pub appeal: Option<super::appeal::AppealView>,
}

/// Groups decisions (oldest first) by version, each with its appeal.
fn history_of(decisions: &[DecisionRow], appeals: &[super::appeal::AppealView]) -> Vec<VersionHistory> {
    let mut out: Vec<VersionHistory> = Vec::new();
    for d in decisions {
        let appeal = appeals.iter().find(|a| a.version == d.version && a.decision_seq == d.seq).cloned();
        let step = HistoryStep { decision: DecisionView::of(d), appeal };
        match out.last_mut() {
            Some(v) if v.version == d.version => v.steps.push(step),
            _ => out.push(VersionHistory { version: d.version, steps: vec![step] }),
        }
    }
    out
}

/// A decision as a person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DecisionView {
    pub version: u32,
    /// The decision's place on its version: above 1 it was made again after a granted appeal.
    pub seq: u32,
    /// Whether it was made after an appeal set an earlier decision on the same version aside.
    pub after_appeal: bool,
    pub number: String,
    pub decision: Decision,
    pub reasons: Vec<String>,
    pub fix_by: Option<String>,
    pub decided_at: String,
}

impl DecisionView {
    fn of(row: &DecisionRow) -> DecisionView {
        DecisionView {
            version: row.version,
            seq: row.seq,
            after_appeal: row.seq > 1,
            number: row.number.clone(),
            decision: Decision::parse(&row.decision).unwrap_or(Decision::Reject),
            reasons: serde_json::from_str(&row.reasons).unwrap_or_default(),
            fix_by: row.fix_by.clone(),
            decided_at: row.decided_at.clone(),
        }
    }
}

/// The newest version received of an application, by 申报编号 or id.
pub(crate) fn received_row(ws: &mut Workspace, number_or_id: &str) -> Result<SubmissionRow> {
    let key = number_or_id.trim();
    ws.store
        .read(|r| r.submissions_latest())?
        .into_iter()
        .find(|s| s.number == key || s.application_id == key)
        .ok_or_else(|| CoreError::NotFound {
            what: "received application / 收到的申报书".into(), key: key.to_string()
        })
}

fn moment(text: &str, fallback: Moment) -> Moment {
    Moment::parse(text).unwrap_or(fallback)
}

/// The office's formal-check report of an application (by 申报编号 or id) as of `at`: writes nothing.
pub fn formal_check(ws: &mut Workspace, number_or_id: &str, at: Moment) -> Result<FormalReport> {
    let row = received_row(ws, number_or_id)?;
    report_of(ws, row, at)
}

fn report_of(ws: &mut Workspace, row: SubmissionRow, at: Moment) -> Result<FormalReport> {
    let call = calls::get(ws, &row.call_id)?;
    let cat = catalog::get(ws)?;
    let id = ApplicationId::parse(&row.application_id).ok_or_else(|| CoreError::Validation {
        field: "application_id".into(),
        reason: format!("{} is not a UUID v7", row.application_id),
    })?;
    let version = SealedVersion {
        application_id: id,
        number: row.version,
        sealed_at: moment(&row.sealed_at, at),
        bytes: row.bytes.clone(),
        sha256: row.sha256.clone(),
    };
    let schema = super::desk::schema_of(ws, &call)?;
    let mut problems = formal_check_rules_with(&call, schema.as_ref(), &version, &cat, moment(&row.received_at, at));
    let mut limits = Vec::new();
    if let Ok(app) = version.application() {
        // 限项 counts the applications that hold a place: not the ones the office did not accept.
        let (latest, rejected) =
            ws.store.read(|r| Ok::<_, CoreError>((r.submissions_latest()?, r.formal_rejected_ids()?)))?;
        let others: Vec<(String, Application)> = latest
            .into_iter()
            .filter(|s| s.call_id == row.call_id && s.application_id != row.application_id)
            .filter(|s| !rejected.contains(&s.application_id))
            .filter_map(|s| serde_json::from_slice(&s.bytes).ok().map(|a| (s.number, a)))
            .collect();
        limits = count_limits(&call, (&row.number, &app), &others);
        problems.extend(limit_problems(&app, &limits));
    }
    // 查重: the pairs were found when the newer of the two arrived (application/office.rs).
    let duplicates = super::office::duplicates_of(ws, &row.application_id)?;
    problems.extend(duplicate_problems(&duplicates));
    let decided = ws.store.read(|r| r.formal_decision_latest(&row.application_id))?;
    // A version fixing a returned one must arrive by the fix-by date the officer set.
    if let Some(d) = decided.as_ref().filter(|d| d.decision == Decision::Return.as_str() && row.version > d.version) {
        let received = moment(&row.received_at, at);
        // The end of the fix-by day in the office's time (Beijing time, as the calls' closing times).
        let end_of = |f: Date| Moment::new(f, 23, 59, 59, 480);
        if let Some(fix_by) =
            d.fix_by.as_deref().and_then(Date::parse).filter(|f| end_of(*f).is_some_and(|end| received > end))
        {
            problems.push(Problem::error(
                "formal.fixed_late",
                "received_at",
                format!("【形式审查】第 {} 版于 {received} 收到，晚于退回修改时给出的截止日期 {fix_by}", row.version),
                format!(
                    "Formal check: version {} was received on {received}, after the fix-by date {fix_by} of the return",
                    row.version
                ),
            ));
        }
    }
    // The applicant withdrew (its notice arrived): nothing is left to decide.
    let withdrawn = ws.store.read(|r| r.received_withdrawal(&row.application_id))?;
    if let Some(w) = &withdrawn {
        problems.push(Problem::error(
            "formal.withdrawn",
            "withdrawal",
            format!("申报单位已于 {} 撤回此申报书（撤回通知于 {} 收到）：{}", w.withdrawn_at, w.received_at, w.reason),
            format!(
                "The applicant withdrew this application on {} (notice received on {}): {}",
                w.withdrawn_at, w.received_at, w.reason
            ),
        ));
    }
    // The appeal against the newest decision: a granted one sets it aside, and the version is decided again.
    let appeal = match &decided {
        Some(d) => ws.store.read(|r| r.formal_appeal(&d.application_id, d.version, d.seq))?,
        None => None,
    };
    let set_aside = appeal.as_ref().is_some_and(|a| a.outcome.as_deref() == Some("granted"));
    let decidable = withdrawn.is_none()
        && (set_aside
            || decided.as_ref().is_none_or(|d| d.decision == Decision::Return.as_str() && row.version > d.version));
    let appealable = withdrawn.is_none()
        && appeal.is_none()
        && decided.as_ref().is_some_and(|d| d.decision == Decision::Reject.as_str() && d.version == row.version);
    let (history, appeal) = ws.store.read(|r| {
        let appeals = r
            .formal_appeals(&row.application_id)?
            .iter()
            .map(|a| super::appeal::AppealView::read(r, a))
            .collect::<lixiang_store::Result<Vec<_>>>()?;
        // The newest decision's appeal is one of them: its view, not a second read.
        let appeal = appeal
            .as_ref()
            .and_then(|a| appeals.iter().find(|v| v.version == a.version && v.decision_seq == a.decision_seq).cloned());
        Ok::<_, CoreError>((history_of(&r.formal_decisions(&row.application_id)?, &appeals), appeal))
    })?;
    Ok(FormalReport {
        errors: problems.iter().filter(|p| p.severity == Severity::Error).count() as u32,
        number: row.number,
        application_id: row.application_id,
        version: row.version,
        sha256: row.sha256,
        title: row.title,
        applicant_name: row.applicant_name,
        call_code: call.code,
        received_at: row.received_at,
        checked_at: at.to_string(),
        problems,
        limits,
        duplicates,
        decision: decided.as_ref().map(DecisionView::of),
        decidable,
        appeal,
        appealable,
        history,
    })
}

/// What the officer decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionInput {
    pub decision: Decision,
    pub reasons: Vec<String>,
    /// Required for a return; refused otherwise.
    pub fix_by: Option<Date>,
}

/// What a decision produced.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Decided {
    pub number: String,
    pub application_id: String,
    pub version: u32,
    pub decision: Decision,
    pub path: String,
    pub package_id: String,
}

/// What a result package carries (signed by the office with the package's signature).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultPayload {
    pub format: u16,
    pub application_id: String,
    pub call_id: String,
    pub version: u32,
    /// The decision's place on its version (1 in packages written before appeals existed): a higher one
    /// was made after a granted appeal and supersedes the lower.
    #[serde(default = "first_seq")]
    pub seq: u32,
    /// The hash of the version decided on, so the applicant knows exactly which content was checked.
    pub sha256: String,
    /// 申报编号.
    pub number: String,
    pub decision: Decision,
    pub reasons: Vec<String>,
    pub fix_by: Option<String>,
    pub decided_at: String,
    /// The office's answer to the applicant's appeal (申诉) against a 不予受理 of this version, when the
    /// result carries one: an upheld appeal's own package repeats the standing decision (same `seq`) with
    /// it; the decision made after a granted appeal carries it beside the new decision. Left out when
    /// there is none, so a result without an appeal is the same bytes as before; a program that predates
    /// it ignores the field (serde skips unknown fields here) and reads the decision alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<AppealPart>,
}

/// An appeal's answer as a result package carries it to the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealPart {
    /// The `seq` of the decision appealed against: the package's own for an upheld appeal, the one before
    /// it for a granted appeal.
    pub decision_seq: u32,
    pub outcome: super::appeal::AppealOutcome,
    pub reason: String,
    /// When the appeal reached the office (YYYY-MM-DD).
    pub received_on: String,
    pub resolved_at: String,
}

impl AppealPart {
    pub(crate) fn of(row: &lixiang_store::AppealRow) -> Option<AppealPart> {
        Some(AppealPart {
            decision_seq: row.decision_seq,
            outcome: super::appeal::AppealOutcome::parse(row.outcome.as_deref()?)?,
            reason: row.reason.clone()?,
            received_on: row.received_on.clone(),
            resolved_at: row.resolved_at.clone()?,
        })
    }
}

/// The office's answer to an appeal as the applicant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppealAnswerView {
    pub version: u32,
    /// The decision appealed against.
    pub decision_seq: u32,
    pub outcome: super::appeal::AppealOutcome,
    pub reason: String,
    pub received_on: String,
    pub resolved_at: String,
    /// 申诉结果：维持原决定（理由） / 申诉结果：申诉成立（理由）.
    pub zh: String,
    pub en: String,
}

impl AppealAnswerView {
    fn of(row: &lixiang_store::AppealAnswerRow) -> Option<AppealAnswerView> {
        let outcome = super::appeal::AppealOutcome::parse(&row.outcome)?;
        Some(AppealAnswerView {
            version: row.version,
            decision_seq: row.decision_seq,
            outcome,
            reason: row.reason.clone(),
            received_on: row.received_on.clone(),
            resolved_at: row.resolved_at.clone(),
            zh: format!("申诉结果：{}（{}）", outcome.zh(), row.reason),
            en: format!("Appeal: {} ({})", outcome.en(), row.reason),
        })
    }
}

fn first_seq() -> u32 {
    1
}

fn invalid(field: &str, zh: &str, en: &str) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

fn check_input(input: &DecisionInput, today: Date) -> Result<Vec<String>> {
    let reasons: Vec<String> = input.reasons.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    match input.decision {
        Decision::Return | Decision::Reject if reasons.is_empty() => {
            return Err(invalid("reasons", "退回修改或不予受理须写明理由", "a return or a refusal needs a reason"));
        }
        Decision::Return => match input.fix_by {
            None => return Err(invalid("fix_by", "退回修改须给出修改截止日期", "a return needs a fix-by date")),
            Some(d) if d < today => {
                return Err(invalid("fix_by", "修改截止日期不能早于今天", "the fix-by date cannot be before today"))
            }
            Some(_) => {}
        },
        _ if input.fix_by.is_some() => {
            return Err(invalid("fix_by", "只有退回修改才有修改截止日期", "only a return has a fix-by date"));
        }
        _ => {}
    }
    Ok(reasons)
}

/// Records the officer's decision on the newest version received (audited `formal_check`) and writes
/// it to `out` as a result package for the applicant. Refused when the application is already decided,
/// unless it was returned and a newer version has arrived.
pub fn decide(
    ws: &mut Workspace,
    keys: &SecretKeys,
    number_or_id: &str,
    input: &DecisionInput,
    at: Moment,
    out: &Path,
) -> Result<Decided> {
    let row = received_row(ws, number_or_id)?;
    let report = report_of(ws, row.clone(), at)?;
    if let Some(w) = ws.store.read(|r| r.received_withdrawal(&row.application_id))? {
        return Err(CoreError::Withdrawn { application: row.number.clone(), at: w.withdrawn_at });
    }
    if !report.decidable {
        let d = report.decision.as_ref().expect("only a held decision makes it undecidable");
        return Err(CoreError::AlreadyDecided {
            number: row.number.clone(),
            version: d.version,
            decision: d.decision.as_str().to_string(),
        });
    }
    // The fix-by date against today in Beijing, the calendar the officer and the applicant read it on.
    let reasons = check_input(input, at.shanghai_date())?;
    // The decision is recorded before its package is written (the package carries the chain head that
    // includes it), and a recorded decision is final: refuse up front a target that cannot be written.
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(CoreError::Validation {
            field: out.display().to_string(),
            reason: format!("目录 {} 不存在 / the folder {} does not exist", dir.display(), dir.display()),
        });
    }
    // The result is encrypted to the key that sent the submission: it must be known before anything is recorded.
    ws.store
        .read(|r| r.contact(&row.sender_key_id))?
        .ok_or_else(|| CoreError::NotFound { what: "contact / 联系人".into(), key: row.sender_key_id.clone() })?;

    // The next decision on the same version (after a granted appeal) takes the next place in sequence.
    let seq = report.decision.as_ref().filter(|d| d.version == row.version).map_or(1, |d| d.seq + 1);
    // Decided again after a granted appeal: the result says so, with the appeal's answer.
    let appeal = report
        .appeal
        .as_ref()
        .filter(|a| a.version == row.version && a.outcome == Some(super::appeal::AppealOutcome::Granted))
        .and_then(|a| {
            Some(AppealPart {
                decision_seq: a.decision_seq,
                outcome: super::appeal::AppealOutcome::Granted,
                reason: a.reason.clone()?,
                received_on: a.received_on.clone(),
                resolved_at: a.resolved_at.clone()?,
            })
        });
    let package_id = uuid::Uuid::now_v7();
    // As of `at`, like the funding and directed decisions: the decision's date is what an appeal's received
    // date is checked against, on the same clock as the appeal's own `at`.
    let decided_at = at.to_string();
    let record = DecisionRow {
        application_id: row.application_id.clone(),
        version: row.version,
        seq,
        number: row.number.clone(),
        decision: input.decision.as_str().to_string(),
        reasons: serde_json::to_string(&reasons).expect("strings serialise"),
        fix_by: input.fix_by.map(|d| d.to_string()),
        decided_at: decided_at.clone(),
        package_id: package_id.to_string(),
        sender_key_id: String::new(),
        received_at: String::new(),
    };
    let digest = record_sha256(&record).expect("a decision serialises");
    let event = AuditEvent::new(
        AuditAction::FormalCheck,
        "formal_decision",
        format!("{}#{}", row.application_id, row.version),
        digest,
    )
    .with_detail(&serde_json::json!({
        "number": row.number, "decision": record.decision, "errors": report.errors, "package_id": record.package_id,
        "seq": seq,
    }));
    let payload = ResultPayload {
        format: 1,
        application_id: row.application_id.clone(),
        call_id: row.call_id.clone(),
        version: row.version,
        seq,
        sha256: row.sha256.clone(),
        number: row.number.clone(),
        decision: input.decision,
        reasons,
        fix_by: record.fix_by.clone(),
        decided_at,
        appeal,
    };
    let bytes = serde_json::to_vec(&payload).expect("a result payload serialises");
    let file_name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // The payload is recorded with the decision, so the package can always be written (again): see `outgoing`.
    let kept = crate::outgoing::pending(
        crate::outgoing::Stage::Formal,
        &row.application_id,
        &row.number,
        &row.sender_key_id,
        &file_name,
        &record.package_id,
        bytes,
    );
    // The office's list shows the new status from the same transaction on.
    let status = super::office::OfficeStatus::of_decision(input.decision);
    ws.store.write(event, |w| {
        w.formal_decision_insert(&record)?;
        w.application_index_set_status(&record.application_id, status.as_str())?;
        w.outgoing_insert(&kept)?;
        Ok::<_, CoreError>(())
    })?;
    crate::outgoing::deliver(ws, keys, &record.package_id, out)?;
    Ok(Decided {
        number: row.number,
        application_id: row.application_id,
        version: row.version,
        decision: input.decision,
        path: out.display().to_string(),
        package_id: package_id.to_string(),
    })
}

/// What every result an applicant imports must be (the formal check's and the funding decision's): signed
/// by the office that published the call, about a version sealed here with exactly this content. Returns
/// the sender's key id.
pub(crate) fn check_result_origin(
    ws: &mut Workspace,
    inspection: &Inspection,
    file: &str,
    call_id: &str,
    application_id: &str,
    version: u32,
    sha256: &str,
) -> Result<String> {
    let sender = inspection.manifest.sender.key_id.clone();
    // Only the office that published the call decides on applications to it.
    let office = ws
        .store
        .read(|r| r.calls_latest())?
        .into_iter()
        .find(|c| c.call_id == call_id)
        .map(|c| c.sender_key_id)
        .unwrap_or_default();
    if office.is_empty() || office != sender {
        return Err(CoreError::ResultNotFromOffice { file: file.to_string(), key_id: sender });
    }
    let held =
        ws.store.read(|r| r.application_version(application_id, version))?.ok_or_else(|| CoreError::NotFound {
            what: "application version / 申报书版本".into(),
            key: format!("{application_id}#{version}"),
        })?;
    if held.sha256 != sha256 {
        return Err(CoreError::Package {
            file: file.to_string(),
            source: package::PackageError::malformed(format!(
                "the result is for other content than version {version} sealed here"
            )),
        });
    }
    Ok(sender)
}

/// What a formal-check result package brings to the applicant's laptop, written by the import's transaction.
pub(crate) struct IncomingResult {
    /// The decision, unless it is held here already (an upheld appeal's answer repeats it).
    pub decision: Option<DecisionRow>,
    /// The answer to an appeal the package carries.
    pub answer: Option<lixiang_store::AppealAnswerRow>,
    pub zh: String,
    pub en: String,
}

/// The applicant's handler for result packages, run by the import pipeline before its transaction.
pub(crate) fn check_result_import(
    ws: &mut Workspace,
    inspection: &Inspection,
    payload: &[u8],
    file: &str,
) -> Result<IncomingResult> {
    let malformed =
        |what: String| CoreError::Package { file: file.to_string(), source: package::PackageError::malformed(what) };
    let p: ResultPayload = serde_json::from_slice(payload).map_err(|e| malformed(format!("result payload: {e}")))?;
    let sender = check_result_origin(ws, inspection, file, &p.call_id, &p.application_id, p.version, &p.sha256)?;
    let draft_call = ws.store.read(|r| r.application_draft(&p.application_id))?.and_then(|body| {
        serde_json::from_str::<serde_json::Value>(&body).ok().and_then(|v| v["call_id"].as_str().map(String::from))
    });
    if draft_call.is_some_and(|c| c != p.call_id) {
        return Err(malformed("the result names another call than the application's".into()));
    }
    // An upheld appeal's answer repeats the decision that stands (same version and seq); a granted one rides
    // on the decision made after it (a later seq). Anything else is not what the office writes.
    let upheld = match &p.appeal {
        Some(a) if a.outcome == super::appeal::AppealOutcome::Upheld => {
            if a.decision_seq != p.seq || p.decision != Decision::Reject {
                return Err(malformed("an upheld appeal's answer must repeat the refusal appealed against".into()));
            }
            true
        }
        Some(a) if a.decision_seq >= p.seq => {
            return Err(malformed("a granted appeal's answer must come with a later decision".into()));
        }
        _ => false,
    };
    let name = |version: u32, seq: u32| {
        if seq > 1 {
            format!("result no. {seq} for version {version} / 第 {version} 版的第 {seq} 次审查结果")
        } else {
            format!("result for version {version} / 第 {version} 版的审查结果")
        }
    };
    // Newer is a later version, or on the same version a later decision (made after a granted appeal).
    // The same package twice never gets here: the pipeline reports it as already imported. An upheld
    // appeal's answer may meet its own decision held here: that decision is not written again.
    let mut decision_held = false;
    if let Some(newer) = ws.store.read(|r| r.formal_result_latest(&p.application_id))? {
        let same = (newer.version, newer.seq) == (p.version, p.seq);
        if upheld && same {
            if newer.decision != p.decision.as_str() {
                return Err(malformed(format!(
                    "the appeal's answer repeats a {} where a {} is held for the same decision",
                    p.decision.as_str(),
                    newer.decision
                )));
            }
            decision_held = true;
        } else if (newer.version, newer.seq) >= (p.version, p.seq) {
            return Err(CoreError::Superseded {
                file: file.to_string(),
                what: name(p.version, p.seq),
                held: name(newer.version, newer.seq),
            });
        }
    }
    let imported_at = identity::now();
    let answer = match &p.appeal {
        Some(a) => {
            if let Some(held) = ws.store.read(|r| r.appeal_answer(&p.application_id, p.version, a.decision_seq))? {
                return Err(CoreError::Superseded {
                    file: file.to_string(),
                    what: format!(
                        "the answer to the appeal against {} / 对{}的申诉结果",
                        name(p.version, a.decision_seq),
                        name(p.version, a.decision_seq)
                    ),
                    held: format!(
                        "the answer received on {} ({}) / {} 收到的申诉结果（{}）",
                        held.imported_at, held.outcome, held.imported_at, held.outcome
                    ),
                });
            }
            Some(lixiang_store::AppealAnswerRow {
                application_id: p.application_id.clone(),
                version: p.version,
                decision_seq: a.decision_seq,
                number: p.number.clone(),
                outcome: a.outcome.as_str().to_string(),
                reason: a.reason.clone(),
                received_on: a.received_on.clone(),
                resolved_at: a.resolved_at.clone(),
                package_id: inspection.manifest.id.to_string(),
                sender_key_id: sender.clone(),
                imported_at: imported_at.clone(),
            })
        }
        None => None,
    };
    let row = DecisionRow {
        application_id: p.application_id.clone(),
        version: p.version,
        seq: p.seq,
        number: p.number.clone(),
        decision: p.decision.as_str().to_string(),
        reasons: serde_json::to_string(&p.reasons).expect("strings serialise"),
        fix_by: p.fix_by.clone(),
        decided_at: p.decided_at.clone(),
        package_id: inspection.manifest.id.to_string(),
        sender_key_id: sender,
        received_at: imported_at,
    };
    let reasons = p.reasons.join("；");
    let fix = p.fix_by.as_deref().map(|d| (format!("，请于 {d} 前修改"), format!(", fix by {d}"))).unwrap_or_default();
    let (appeal_zh, appeal_en) = match &p.appeal {
        Some(a) if upheld => (
            format!("（申诉结果：维持原决定，理由：{}）", a.reason),
            format!(" (appeal upheld: the decision stands; reason: {})", a.reason),
        ),
        Some(a) => (
            format!("（申诉成立后重新审查，申诉成立理由：{}）", a.reason),
            format!(" (decided again after a granted appeal; reason: {})", a.reason),
        ),
        None if p.seq > 1 => ("（申诉成立后重新审查）".to_string(), " (decided again after an appeal)".to_string()),
        None => (String::new(), String::new()),
    };
    let zh = format!(
        "申报书 {} 第 {} 版：{}{appeal_zh}{}{}",
        p.number,
        p.version,
        p.decision.zh(),
        fix.0,
        reason_suffix(&reasons, "。理由：")
    );
    let en = format!(
        "application {}, version {}: {}{appeal_en}{}{}",
        p.number,
        p.version,
        p.decision.en(),
        fix.1,
        reason_suffix(&p.reasons.join("; "), ". Reasons: ")
    );
    Ok(IncomingResult { decision: (!decision_held).then_some(row), answer, zh, en })
}

fn reason_suffix(reasons: &str, head: &str) -> String {
    if reasons.is_empty() {
        String::new()
    } else {
        format!("{head}{reasons}")
    }
}

/// Where an application stands on the applicant's laptop.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationStatus {
    pub application_id: String,
    pub title: String,
    /// `draft`, `submitted`, `accepted`, `returned`, `not_accepted`, `withdrawn`, and after the funding
    /// decision `approved` (立项) or `not_approved` (不予立项).
    pub state: String,
    pub state_zh: String,
    /// The newest version sealed, with its hash.
    pub version: Option<u32>,
    pub sha256: Option<String>,
    /// 申报编号, once the office has returned it with a result.
    pub number: Option<String>,
    /// The newest result received from the office.
    pub result: Option<DecisionView>,
    /// Whether the state comes from a decision made again after an appeal (申诉成立).
    pub after_appeal: bool,
    /// The office's answer to the appeal against a decision on the newest result's version, if one came.
    pub appeal: Option<AppealAnswerView>,
    pub withdrawn: Option<WithdrawalRow>,
    /// The funding decision received from the office (review/decision.rs): the reason and the experts'
    /// anonymised comments.
    pub funding: Option<crate::review::decision::FundingView>,
}

/// The status of one of this workspace's applications.
pub fn status(ws: &mut Workspace, id: &str) -> Result<ApplicationStatus> {
    // The form, not the application: a draft with a half-typed date still has a status.
    let app = super::desk::get_form(ws, id)?;
    let (latest, result, withdrawn, answer) = ws.store.read(|r| {
        Ok::<_, CoreError>((
            r.application_version_latest(id)?,
            r.formal_result_latest(id)?,
            r.application_withdrawal(id)?,
            r.appeal_answer_latest(id)?,
        ))
    })?;
    let result = result.as_ref().map(DecisionView::of);
    // An answer about an older version than the newest result's is history, not where things stand.
    let appeal = answer
        .as_ref()
        .filter(|a| result.as_ref().is_some_and(|r| r.version == a.version))
        .and_then(AppealAnswerView::of);
    let funding = crate::review::decision::funding_view(ws, id)?;
    let state = match (&withdrawn, &latest, &result) {
        (Some(_), _, _) => "withdrawn",
        // The funding decision follows the review of the version it names; it is final.
        (None, Some(v), _) if funding.as_ref().is_some_and(|f| f.version == v.number) => {
            if funding.as_ref().is_some_and(|f| f.funded) {
                "approved"
            } else {
                "not_approved"
            }
        }
        (None, None, _) => "draft",
        (None, Some(v), Some(r)) if r.version == v.number => match r.decision {
            Decision::Accept => "accepted",
            Decision::Return => "returned",
            Decision::Reject => "not_accepted",
        },
        (None, Some(_), _) => "submitted",
    };
    // The result that gives the state followed a granted appeal when it is not the version's first.
    let after_appeal =
        matches!(state, "accepted" | "returned" | "not_accepted") && result.as_ref().is_some_and(|r| r.after_appeal);
    let state_zh = match state {
        "withdrawn" => "已撤回",
        "draft" => "草稿",
        "accepted" => "形式审查通过",
        "returned" => "退回修改",
        "not_accepted" => "不予受理",
        "approved" => "立项",
        "not_approved" => "不予立项",
        _ => "已提交",
    };
    let state_zh = if after_appeal { format!("{state_zh}（申诉后重新审查）") } else { state_zh.to_string() };
    Ok(ApplicationStatus {
        application_id: id.to_string(),
        title: app.title,
        state: state.to_string(),
        state_zh,
        version: latest.as_ref().map(|v| v.number),
        sha256: latest.map(|v| v.sha256),
        number: result.as_ref().map(|r| r.number.clone()),
        result,
        after_appeal,
        appeal,
        withdrawn,
        funding,
    })
}

/// Refuses to go on with an application withdrawn here.
pub(crate) fn refuse_if_withdrawn(ws: &mut Workspace, app: &Application) -> Result<()> {
    let id = app.id.to_string();
    match ws.store.read(|r| r.application_withdrawal(&id))? {
        Some(w) => Err(CoreError::Withdrawn { application: app.title.clone(), at: w.withdrawn_at }),
        None => Ok(()),
    }
}

/// The withdrawal recorded here for an application, if it was withdrawn.
pub fn withdrawal(ws: &mut Workspace, id: &str) -> Result<Option<WithdrawalRow>> {
    Ok(ws.store.read(|r| r.application_withdrawal(id))?)
}

/// Withdraws a submitted application at `at` (audited `withdraw`): refused before any submission, after
/// the call's closing time, after the office did not accept it, and a second time.
pub fn withdraw(ws: &mut Workspace, id: &str, at: Moment, reason: &str) -> Result<WithdrawalRow> {
    // What was submitted is withdrawn, whatever the draft holds since: only its ids and title are read.
    let app = super::desk::get_form(ws, id)?;
    if let Some(w) = ws.store.read(|r| r.application_withdrawal(id))? {
        return Err(CoreError::Withdrawn { application: app.title.clone(), at: w.withdrawn_at });
    }
    let call = calls::get(ws, &app.call_id)?;
    let (latest, result) =
        ws.store.read(|r| Ok::<_, CoreError>((r.application_version_latest(id)?, r.formal_result_latest(id)?)))?;
    let mut problems = Vec::new();
    if latest.is_none() {
        problems.push(Problem::error(
            "application.withdraw.not_submitted",
            "version",
            "尚未提交，草稿无需撤回",
            "not submitted yet: a draft needs no withdrawal",
        ));
    }
    if at > call.closes_at {
        problems.push(Problem::error(
            "application.withdraw.after_deadline",
            "call.closes_at",
            format!("指南已于 {} 截止，截止后不能撤回", call.closes_at),
            format!("the call closed at {}; an application cannot be withdrawn after it", call.closes_at),
        ));
    }
    if let Some(r) = result.filter(|r| r.decision == Decision::Reject.as_str()) {
        problems.push(Problem::error(
            "application.withdraw.not_accepted",
            "result",
            format!("申报书 {} 已被不予受理，无需撤回", r.number),
            format!("the application {} was not accepted: there is nothing to withdraw", r.number),
        ));
    }
    if !problems.is_empty() {
        return Err(CoreError::WithdrawRefused { application: app.title, problems });
    }
    let row = WithdrawalRow {
        application_id: id.to_string(),
        version: latest.map(|v| v.number).unwrap_or(1),
        withdrawn_at: at.to_string(),
        reason: reason.trim().to_string(),
    };
    let event =
        AuditEvent::new(AuditAction::Withdraw, "application", id.to_string(), record_sha256(&row).expect("serialises"));
    ws.store.write(event, |w| w.application_withdrawal_insert(&row))?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::demo_calls;

    fn demo() -> (Call, Application) {
        let call = demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
        let app = super::super::demo_application(&call);
        (call, app)
    }

    fn another(app: &Application, leader_id: Option<&str>, unit: Option<&str>) -> Application {
        let mut a = app.clone();
        a.id = ApplicationId::new();
        if let Some(id) = leader_id {
            let (i, _) = a.leader().unwrap();
            a.team[i].id_number = id.to_string();
        }
        if let Some(code) = unit {
            a.applicant.credit_code = code.to_string();
        }
        a
    }

    #[test]
    fn the_same_leader_and_unit_are_counted_across_the_call() {
        let (mut call, app) = demo();
        call.eligibility.max_concurrent_projects = Some(2);
        let leader = app.leader().unwrap().1.id_number.clone();
        // Same leader typed with full-width digits and spaces: still the same person.
        let spaced: String = leader
            .chars()
            .map(|c| if c.is_ascii_digit() { char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap() } else { c })
            .collect();
        let others = vec![
            ("N2".to_string(), another(&app, Some(&format!(" {spaced} ")), Some("91110000000000000X"))),
            ("N3".to_string(), another(&app, Some("110101199003074514"), None)),
            ("N4".to_string(), another(&app, Some(&leader), None)),
        ];
        let counts = count_limits(&call, ("N1", &app), &others);
        let leader_count = counts.iter().find(|c| c.scope == LimitScope::Leader).unwrap();
        assert_eq!(leader_count.count, 3);
        assert_eq!(leader_count.numbers, ["N1", "N2", "N4"]);
        assert_eq!(leader_count.limit, Some(2));
        assert!(leader_count.exceeded());
        let unit = counts.iter().find(|c| c.scope == LimitScope::Unit).unwrap();
        assert_eq!((unit.count, unit.limit), (3, None), "the unit's count is information only");
        assert!(!unit.exceeded());
        let problems = limit_problems(&app, &counts);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "formal.limit.leader_exceeded");
        assert!(problems[0].field.starts_with("team["), "{}", problems[0].field);
        assert!(problems[0].zh.contains("N2") && problems[0].zh.contains("N4"));
    }

    #[test]
    fn within_the_limit_or_without_one_nothing_is_refused() {
        let (mut call, app) = demo();
        let leader = app.leader().unwrap().1.id_number.clone();
        let others = vec![("N2".to_string(), another(&app, Some(&leader), None))];
        call.eligibility.max_concurrent_projects = Some(2);
        assert!(limit_problems(&app, &count_limits(&call, ("N1", &app), &others)).is_empty());
        call.eligibility.max_concurrent_projects = None;
        let counts = count_limits(&call, ("N1", &app), &others);
        assert_eq!(counts[0].count, 2, "counted and reported even without a limit");
        assert!(limit_problems(&app, &counts).is_empty());
        // The application itself (another version of it, or listed again) is not counted twice.
        let itself = vec![("N1".to_string(), app.clone())];
        assert_eq!(count_limits(&call, ("N1", &app), &itself)[0].count, 1);
    }

    /// The result payload as written before appeals had answers: what an older program reads.
    #[derive(serde::Deserialize)]
    struct OlderResultPayload {
        version: u32,
        seq: u32,
        decision: Decision,
    }

    #[test]
    fn a_result_without_an_appeal_is_written_as_before_and_an_older_reader_skips_the_answer() {
        let mut p = ResultPayload {
            format: 1,
            application_id: "a".into(),
            call_id: "c".into(),
            version: 1,
            seq: 1,
            sha256: "0".repeat(64),
            number: "2027-ZX06-000001".into(),
            decision: Decision::Reject,
            reasons: vec!["缺少承诺书".into()],
            fix_by: None,
            decided_at: "2027-03-20T01:00:00Z".into(),
            appeal: None,
        };
        let plain = serde_json::to_value(&p).unwrap();
        assert!(plain.get("appeal").is_none(), "no appeal, no field: the same bytes as before");
        p.appeal = Some(AppealPart {
            decision_seq: 1,
            outcome: super::super::appeal::AppealOutcome::Upheld,
            reason: "维持".into(),
            received_on: "2027-03-21".into(),
            resolved_at: "2027-03-22T01:00:00Z".into(),
        });
        let bytes = serde_json::to_vec(&p).unwrap();
        let older: OlderResultPayload = serde_json::from_slice(&bytes).unwrap();
        assert_eq!((older.version, older.seq, older.decision), (1, 1, Decision::Reject));
        let back: ResultPayload = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn a_return_needs_reasons_and_a_fix_by_date_and_only_a_return_has_one() {
        let today = Date::new(2027, 3, 20).unwrap();
        let input = |decision, reasons: &[&str], fix_by| DecisionInput {
            decision,
            reasons: reasons.iter().map(|s| s.to_string()).collect(),
            fix_by,
        };
        let later = Date::new(2027, 4, 1);
        assert!(check_input(&input(Decision::Return, &["缺少承诺书"], later), today).is_ok());
        assert!(check_input(&input(Decision::Return, &[" "], later), today).is_err());
        assert!(check_input(&input(Decision::Return, &["x"], None), today).is_err());
        assert!(check_input(&input(Decision::Return, &["x"], Date::new(2027, 3, 1)), today).is_err());
        assert!(check_input(&input(Decision::Reject, &[], None), today).is_err());
        assert!(check_input(&input(Decision::Accept, &[], None), today).is_ok());
        assert!(check_input(&input(Decision::Accept, &[], later), today).is_err());
    }
}
