//! The office's call desk and the applicant's copy of calls: calls stored per revision in the workspace,
//! publishing (audited; the revision is frozen), new revisions, the call package that carries a published
//! revision to applicants, and importing it on the applicant's side.
//!
//! Import is order-free (domain.md): revisions of a call may arrive in any order, but a revision older
//! than one already held is refused (`package.superseded`), and a second, different file claiming a
//! revision already held is refused (`package.revision_conflict`).
//!
//! The package carries the call's budget schema itself with its hash (format 2), so an applicant computes
//! the indirect-cost cap and every budget check under the very rules the office published, whatever its
//! own program ships; the schema is stored with the call in one transaction. A schema whose code and
//! version are held here with another content is refused (`budget.schema_conflict`). A format-1 package
//! (an older build) carries only the schema's code: it is imported when this workspace holds that schema
//! (as before), and refused otherwise (`package.budget_schema_missing`) rather than left uncheckable.

use super::{validate_call, Call, CallId, CallStatus};
use crate::audit::record_sha256;
use crate::budget::{self, held};
use crate::calendar::Moment;
use crate::catalog;

use crate::identity;
use crate::package::{Inspection, Kind, SecretKeys};
use crate::validate::{has_errors, Problem};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, BudgetSchemaRow, CallRow, Unaudited};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A call in the desk's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CallSummary {
    pub id: String,
    pub code: String,
    pub programme: String,
    pub title_zh: String,
    pub title_en: String,
    pub revision: u32,
    pub published: bool,
    /// `own`, or the package it was imported from.
    pub origin: String,
}

/// What a call package carries: the call, the catalog entries it references (its programme with the
/// targets) and its budget schema, so an applicant's workspace can show and check them even with an older
/// catalog and without the schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallPackage {
    /// 1: no `budget_schema`; 2: with it.
    pub format: u16,
    pub call: Call,
    pub programme: catalog::Programme,
    /// The schema the call names, absent only in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_schema: Option<CarriedSchema>,
}

/// The package format this build writes.
pub const CALL_PACKAGE_FORMAT: u16 = 2;

/// A budget schema as a call package carries it: the rules and the SHA-256 of their canonical JSON
/// ([`budget::held::content_sha256`]), which the receiver recomputes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarriedSchema {
    pub sha256: String,
    pub schema: budget::BudgetSchema,
}

fn problems_error(code: &str, problems: Vec<Problem>) -> CoreError {
    CoreError::CallRefused { call: code.to_string(), problems }
}

fn row_of(call: &Call, origin: &str, sender: &str) -> CallRow {
    CallRow {
        call_id: call.id.to_string(),
        revision: call.revision,
        code: call.code.clone(),
        programme: call.programme.clone(),
        status: if call.is_published() { "published" } else { "draft" }.into(),
        body: serde_json::to_string(call).expect("a call serialises"),
        origin: origin.into(),
        sender_key_id: sender.into(),
        updated_at: identity::now(),
    }
}

fn call_of(row: &CallRow) -> Result<Call> {
    serde_json::from_str(&row.body).map_err(|e| CoreError::Validation {
        field: format!("call {} revision {}", row.code, row.revision),
        reason: format!("stored call unreadable: {e}"),
    })
}

/// Finds a call by its code (`2027-ZX06-01`) or id; the newest revision.
pub fn get(ws: &mut Workspace, code_or_id: &str) -> Result<Call> {
    let row = ws.store.read(|r| {
        if let Some(id) = CallId::parse(code_or_id) {
            return r.call_latest(&id.to_string());
        }
        let ids = r.call_ids_by_code(code_or_id)?;
        match ids.as_slice() {
            [one] => r.call_latest(one),
            _ => Ok(None),
        }
    })?;
    let row = row.ok_or_else(|| CoreError::NotFound { what: "call / 指南".into(), key: code_or_id.to_string() })?;
    call_of(&row)
}

/// Revision `revision` of a call found by code or id (as [`get`] finds it), whatever its state: the
/// desk compares a revision with the one before it ([`super::changes`]).
pub fn get_revision(ws: &mut Workspace, code_or_id: &str, revision: u32) -> Result<Call> {
    let id = get(ws, code_or_id)?.id.to_string();
    let row = ws.store.read(|r| r.call_revision(&id, revision))?.ok_or_else(|| CoreError::NotFound {
        what: "call revision / 指南修订版".into(),
        key: format!("{code_or_id} r{revision}"),
    })?;
    call_of(&row)
}

/// Every call's newest revision.
pub fn list(ws: &mut Workspace) -> Result<Vec<CallSummary>> {
    let rows = ws.store.read(|r| r.calls_latest())?;
    rows.iter()
        .map(|row| {
            let c = call_of(row)?;
            Ok(CallSummary {
                id: row.call_id.clone(),
                code: row.code.clone(),
                programme: row.programme.clone(),
                title_zh: c.title.zh.clone(),
                title_en: c.title.en.clone(),
                revision: row.revision,
                published: c.is_published(),
                origin: row.origin.clone(),
            })
        })
        .collect()
}

/// Saves a draft call (new, or an edit of a draft revision). A published revision is frozen.
pub fn save_draft(ws: &mut Workspace, call: &Call) -> Result<()> {
    if call.is_published() {
        return Err(problems_error(&call.code, vec![super::revision::frozen_problem()]));
    }
    let id = call.id.to_string();
    if let Some(stored) = ws.store.read(|r| r.call_revision(&id, call.revision))? {
        let stored = call_of(&stored)?;
        super::check_edit(&stored, call).map_err(|p| problems_error(&call.code, vec![p]))?;
    }
    if catalog::get(ws)?.programmes.iter().all(|p| p.code != call.programme) {
        return Err(problems_error(
            &call.code,
            vec![Problem::error(
                "call.programme.unknown",
                "programme",
                format!("专项代码 {} 不在规划目录中（ZX01–ZX08）", call.programme),
                format!("programme {} is not in the plan's catalog (ZX01–ZX08)", call.programme),
            )],
        ));
    }
    let row = row_of(call, "own", "");
    ws.store.write_unaudited(Unaudited::Draft, |w| w.call_revision_put(&row))?;
    Ok(())
}

/// Publishes the newest (draft) revision of a call at `at`: checked, frozen and audited.
pub fn publish(ws: &mut Workspace, code_or_id: &str, at: Moment) -> Result<(Call, Vec<Problem>)> {
    let mut call = get(ws, code_or_id)?;
    if let Some(prev) = call.revision.checked_sub(1).filter(|r| *r >= 1) {
        let id = call.id.to_string();
        if let Some(prev) = ws.store.read(|r| r.call_revision(&id, prev))? {
            let problems = super::check_revision(&call_of(&prev)?, &call);
            if has_errors(&problems) {
                return Err(problems_error(&call.code, problems));
            }
        }
    }
    if held::find(ws, &call.budget.schema)?.is_none() {
        return Err(problems_error(&call.code, vec![schema_unknown(&call)]));
    }
    let warnings = call.publish(at).map_err(|p| problems_error(&call.code, p))?;
    let digest = record_sha256(&call).expect("a call serialises");
    let row = row_of(&call, "own", "");
    let event = AuditEvent::new(AuditAction::Publish, "call", format!("{}#{}", call.id, call.revision), digest);
    ws.store.write(event, |w| w.call_revision_put(&row))?;
    Ok((call, warnings))
}

/// Starts revision n+1 of a published call as a draft.
pub fn revise(ws: &mut Workspace, code_or_id: &str) -> Result<Call> {
    let call = get(ws, code_or_id)?;
    let next = call.next_revision().map_err(|p| problems_error(&call.code, vec![p]))?;
    save_draft(ws, &next)?;
    Ok(next)
}

fn schema_unknown(call: &Call) -> Problem {
    let s = &call.budget.schema;
    Problem::error(
        "call.budget_schema_unknown",
        "budget.schema",
        format!("本机没有经费预算规则 {s}：请先用 lixiang budget import 添加该规则文件，或改选已有的规则"),
        format!(
            "The budget schema {s} is not held here: add its file with lixiang budget import, or choose a held one"
        ),
    )
}

/// Writes the call package of the newest published revision to `out` (signed, public), with the budget
/// schema it names.
pub fn export(ws: &mut Workspace, keys: &SecretKeys, code_or_id: &str, out: &Path) -> Result<identity::WrittenCard> {
    let call = get(ws, code_or_id)?;
    if !call.is_published() {
        return Err(problems_error(
            &call.code,
            vec![Problem::error(
                "call.not_published",
                "status",
                "草稿不能导出：请先发布",
                "A draft cannot be exported: publish it first",
            )],
        ));
    }
    let programme = catalog::get(ws)?
        .programmes
        .into_iter()
        .find(|p| p.code == call.programme)
        .ok_or_else(|| CoreError::NotFound { what: "programme / 专项".into(), key: call.programme.clone() })?;
    let schema =
        held::find(ws, &call.budget.schema)?.ok_or_else(|| problems_error(&call.code, vec![schema_unknown(&call)]))?;
    let budget_schema = Some(CarriedSchema { sha256: schema.sha256, schema: schema.schema });
    let payload = serde_json::to_vec(&CallPackage { format: CALL_PACKAGE_FORMAT, call, programme, budget_schema })
        .expect("a call package serialises");
    identity::seal_public(ws, keys, Kind::Call, &payload, out)
}

/// What importing a call package writes: the call's row, and its budget schema when not held yet.
pub(crate) struct IncomingCall {
    pub row: CallRow,
    pub schema: Option<BudgetSchemaRow>,
    pub zh: String,
    pub en: String,
}

/// The call package's handler, run by the import pipeline inside its transaction: checks the call and its
/// budget schema and decides what to store.
pub(crate) fn check_import(
    ws: &mut Workspace,
    inspection: &Inspection,
    payload: &[u8],
    file: &str,
) -> Result<IncomingCall> {
    let malformed = |what: String| CoreError::Package {
        file: file.to_string(),
        source: crate::package::PackageError::malformed(what),
    };
    let pkg: CallPackage =
        serde_json::from_slice(payload).map_err(|e| malformed(format!("call package payload: {e}")))?;
    let call = pkg.call;
    if !matches!(call.status, CallStatus::Published { .. }) {
        return Err(malformed("a call package must carry a published call".into()));
    }
    if pkg.format > CALL_PACKAGE_FORMAT {
        return Err(malformed(format!(
            "call package format {} is newer than this program's {CALL_PACKAGE_FORMAT}: update Lixiang",
            pkg.format
        )));
    }
    let problems = validate_call(&call);
    if has_errors(&problems) {
        return Err(problems_error(&call.code, problems));
    }
    let id = call.id.to_string();
    if let Some(newest) = ws.store.read(|r| r.call_latest(&id))? {
        if newest.revision > call.revision {
            return Err(CoreError::Superseded {
                file: file.to_string(),
                what: format!("{} 第 {} 版 / revision {}", call.code, call.revision, call.revision),
                held: format!("{} 第 {} 版 / revision {}", newest.code, newest.revision, newest.revision),
            });
        }
        if newest.revision == call.revision {
            let held = call_of(&newest)?;
            if held != call {
                return Err(CoreError::RevisionConflict {
                    file: file.to_string(),
                    call: call.code.clone(),
                    revision: call.revision,
                });
            }
        }
    }
    let package_id = inspection.manifest.id.to_string();
    let held_now = held::find(ws, &call.budget.schema)?;
    let schema = match pkg.budget_schema {
        Some(carried) => {
            if carried.schema.reference() != call.budget.schema {
                return Err(malformed(format!(
                    "the budget schema carried ({}) is not the one the call names ({})",
                    carried.schema.reference(),
                    call.budget.schema
                )));
            }
            if held::content_sha256(&carried.schema) != carried.sha256 {
                return Err(malformed(format!(
                    "the budget schema {} does not match its sha256 {}",
                    call.budget.schema, carried.sha256
                )));
            }
            held::check_structure(&carried.schema)
                .map_err(|e| malformed(format!("budget schema {}: {e}", call.budget.schema)))?;
            match held::arrive(held_now, &carried.schema, file, &package_id)? {
                held::Arrival::Held => None,
                held::Arrival::New(row) => Some(row),
            }
        }
        None if held_now.is_some() => None,
        None => {
            return Err(CoreError::BudgetSchemaMissing {
                file: file.to_string(),
                call: call.code.clone(),
                schema: call.budget.schema.to_string(),
            })
        }
    };
    let row = row_of(&call, &package_id, &inspection.manifest.sender.key_id);
    let zh = format!("已导入指南 {}「{}」第 {} 版", call.code, call.title.zh, call.revision);
    let en = format!("imported the call {} “{}”, revision {}", call.code, call.title.en, call.revision);
    Ok(IncomingCall { row, schema, zh, en })
}
