//! The office's expert desk: importing the xlsx template ([`import`]), one expert entered by hand in the
//! window ([`enter`]: the template's columns, checks and policy for a single row), an expert of the pool edited
//! through the same checks ([`edit`], from `super::edit`), the pool in pinyin order ([`pool`]), one expert
//! ([`get`]), and attaching an expert's key card ([`attach_key`]).
//!
//! Import policy (domain.md: "good rows imported only when the officer confirms; nothing
//! half-imported"): the file is read and checked whole first. Any bad row — a bad cell, a duplicate
//! within the file, or a document number already in the pool when updating was not asked for — and
//! nothing is written: the report lists every problem by row and column. With no bad row, nothing is
//! written either until the officer confirms; then every row goes in one transaction with one audit
//! event. A row whose document number is already in the pool updates that entry (same id and number,
//! key card kept) only when `update` is set; otherwise it is a bad row.

pub use super::edit::{by_document, edit, entry_values, EditReport, EditStatus, FieldChange};
use super::xlsx::{read_sheet, Sheet};
use super::{Expert, ExpertProfile};
use crate::audit::record_sha256;
use crate::error::CellProblem;
use crate::workspace::Workspace;
use crate::{calendar::Date, discipline, CoreError, Result};
use lixiang_store::{now_rfc3339_utc, sha256_hex, AuditAction, AuditEvent, ExpertRow};
use serde::Serialize;

/// What an import does with a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum RowAction {
    /// A new expert; `number` is set once imported.
    Create { number: Option<String> },
    /// Replaces the profile of the expert with the same document number.
    Update { number: String },
}

/// One good row and what the import does with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedRow {
    pub row: usize,
    pub name: String,
    pub document_number: Option<String>,
    #[serde(flatten)]
    pub action: RowAction,
}

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Bad rows: nothing was written; fix the file.
    Rejected,
    /// Every row is good; nothing was written until the officer confirms.
    NeedsConfirmation,
    /// Written, in one transaction.
    Imported,
}

/// The report of an import, whatever its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    /// SHA-256 of the file's bytes, as recorded in the audit event.
    pub file_sha256: String,
    pub status: ImportStatus,
    pub rows: Vec<PlannedRow>,
    /// Every bad cell (row, column, reason): any of them and nothing is imported.
    pub errors: Vec<CellProblem>,
    /// Shown, not blocking (an expert without a document number, a yearly cap already reached).
    pub warnings: Vec<CellProblem>,
}

fn parse_row(row: &ExpertRow) -> Result<Expert> {
    let profile: ExpertProfile = serde_json::from_str(&row.body).map_err(|e| CoreError::Validation {
        field: format!("expert {}", row.number),
        reason: format!("stored profile unreadable: {e}"),
    })?;
    let id = uuid::Uuid::parse_str(&row.expert_id)
        .map_err(|e| CoreError::Validation { field: format!("expert {}", row.number), reason: e.to_string() })?;
    Ok(Expert { id, number: row.number.clone(), key_id: row.key_id.clone(), profile })
}

fn row_of(id: &str, p: &ExpertProfile, at: &str) -> ExpertRow {
    ExpertRow {
        expert_id: id.to_string(),
        number: String::new(),
        name: p.name.clone(),
        sort_key: p.sort_key.clone(),
        document_number: p.document_number().map(str::to_string),
        key_id: None,
        body: serde_json::to_string(p).expect("a profile serialises"),
        created_at: at.to_string(),
        updated_at: at.to_string(),
    }
}

/// Reads, checks and (with `confirm` and no bad row) imports an expert sheet. See the module doc for
/// the policy. Errors only for a file that cannot be read as the template at all
/// ([`CoreError::FileRejected`]) or a store failure; bad rows are in the report.
pub fn import(
    ws: &mut Workspace,
    file: &str,
    bytes: &[u8],
    today: Date,
    update: bool,
    confirm: bool,
) -> Result<ImportReport> {
    import_as(ws, file, bytes, today, update, confirm, "import")
}

/// What [`enter`] calls its one-row sheet in reports and the audit chain.
pub const ENTRY_SOURCE: &str = "手工录入";

/// One expert entered by hand: `fields` are (column header, text) pairs as the template names them. The
/// row is read by the very checks a template row goes through (a typed-in form and a sheet must never
/// disagree on what is a valid expert), so the report is the import's: every problem by column (row 2 is
/// the one row), and nothing written until `confirm`. Recorded as an `expert_change` event with `what`:
/// `entry`. An unknown header is refused naming it.
pub fn enter(
    ws: &mut Workspace,
    fields: &[(String, String)],
    today: Date,
    update: bool,
    confirm: bool,
) -> Result<ImportReport> {
    let mut row: Vec<(&'static str, String)> = Vec::with_capacity(fields.len());
    for (header, value) in fields {
        let Some(column) = super::xlsx::COLUMNS.iter().find(|c| c.header == header.trim()) else {
            return Err(CoreError::Validation {
                field: header.clone(),
                reason: format!("专家信息没有“{header}”这一项 / the expert entry has no field “{header}”"),
            });
        };
        row.push((column.header, value.clone()));
    }
    let bytes = super::xlsx::write_sheet(&[row])?;
    import_as(ws, ENTRY_SOURCE, &bytes, today, update, confirm, "entry")
}

fn import_as(
    ws: &mut Workspace,
    file: &str,
    bytes: &[u8],
    today: Date,
    update: bool,
    confirm: bool,
    what: &str,
) -> Result<ImportReport> {
    let list = discipline::embedded()?;
    let Sheet { rows, mut errors, warnings } = read_sheet(file, bytes, &list, today)?;
    let mut planned = Vec::with_capacity(rows.len());
    let existing: Vec<Option<ExpertRow>> = ws.store.read(|r| {
        rows.iter()
            .map(|row| match row.profile.document_number() {
                Some(d) => r.expert_by_document(d),
                None => Ok(None),
            })
            .collect::<lixiang_store::Result<Vec<_>>>()
    })?;
    for (row, held) in rows.iter().zip(&existing) {
        let action = match held {
            None => RowAction::Create { number: None },
            Some(h) if update => RowAction::Update { number: h.number.clone() },
            Some(h) => {
                errors.push(CellProblem {
                    row: row.row,
                    column: "证件号码".into(),
                    reason_zh: format!(
                        "该证件号码已在专家库中（{} {}）：如需更新该专家，请加 --update",
                        h.number, h.name
                    ),
                    reason_en: format!(
                        "this document number is already in the pool ({} {}): add --update to update that expert",
                        h.number, h.name
                    ),
                });
                continue;
            }
        };
        planned.push(PlannedRow {
            row: row.row,
            name: row.profile.name.clone(),
            document_number: row.profile.document_number().map(str::to_string),
            action,
        });
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(CellProblem {
            row: 2,
            column: String::new(),
            reason_zh: "文件中没有专家".into(),
            reason_en: "the file holds no expert".into(),
        });
    }
    errors.sort_by_key(|p| p.row);
    let mut report = ImportReport {
        file: file.to_string(),
        file_sha256: sha256_hex(bytes),
        status: ImportStatus::Rejected,
        rows: planned,
        errors,
        warnings,
    };
    if !report.errors.is_empty() {
        return Ok(report);
    }
    if !confirm {
        report.status = ImportStatus::NeedsConfirmation;
        return Ok(report);
    }
    let at = now_rfc3339_utc();
    let imported = ws.store.write_with_event(|w| {
        let mut out = report.rows.clone();
        let mut records: Vec<(String, &ExpertProfile)> = Vec::new();
        for (plan, row) in out.iter_mut().zip(&rows) {
            match &mut plan.action {
                RowAction::Create { number } => {
                    let id = uuid::Uuid::now_v7().to_string();
                    let n = w.expert_insert(&row_of(&id, &row.profile, &at))?;
                    records.push((n.clone(), &row.profile));
                    *number = Some(n);
                }
                RowAction::Update { number } => {
                    let held = w
                        .reader()
                        .expert(number)?
                        .ok_or_else(|| CoreError::NotFound { what: "expert / 专家".into(), key: number.clone() })?;
                    w.expert_update(&row_of(&held.expert_id, &row.profile, &at))?;
                    records.push((number.clone(), &row.profile));
                }
            }
        }
        let created: Vec<&str> = out
            .iter()
            .filter_map(|p| match &p.action {
                RowAction::Create { number } => number.as_deref(),
                RowAction::Update { .. } => None,
            })
            .collect();
        let updated: Vec<&str> = out
            .iter()
            .filter_map(|p| match &p.action {
                RowAction::Update { number } => Some(number.as_str()),
                RowAction::Create { .. } => None,
            })
            .collect();
        let digest = record_sha256(&records)
            .map_err(|e| CoreError::Validation { field: "experts".into(), reason: e.to_string() })?;
        let event = AuditEvent::new(AuditAction::ExpertChange, "expert_pool", file.to_string(), digest).with_detail(
            &serde_json::json!({
                "what": what,
                "file": file,
                "file_sha256": report.file_sha256,
                "created": created,
                "updated": updated,
            }),
        );
        Ok::<_, CoreError>((out, event))
    })?;
    report.rows = imported;
    report.status = ImportStatus::Imported;
    Ok(report)
}

/// The whole pool in pinyin order (sort key, then name, then number).
pub fn pool(ws: &mut Workspace) -> Result<Vec<Expert>> {
    let rows = ws.store.read(|r| r.experts())?;
    rows.iter().map(parse_row).collect()
}

/// One expert by number (`ZJ000001`) or id.
pub fn get(ws: &mut Workspace, number_or_id: &str) -> Result<Expert> {
    let row = ws
        .store
        .read(|r| r.expert(number_or_id))?
        .ok_or_else(|| CoreError::NotFound { what: "expert / 专家".into(), key: number_or_id.to_string() })?;
    parse_row(&row)
}

/// Attaches the key card of a trusted contact (imported as a key card, role expert) to an expert, so that
/// review packets can be encrypted to them. A key belongs to one expert; an expert has one key (a new
/// card replaces the old one, logged).
pub fn attach_key(ws: &mut Workspace, number_or_id: &str, key_id: &str) -> Result<Expert> {
    let expert = get(ws, number_or_id)?;
    let contact = ws
        .store
        .read(|r| r.contact(key_id))?
        .ok_or_else(|| CoreError::NotFound { what: "key card / 公钥卡".into(), key: key_id.to_string() })?;
    if contact.role.as_deref() != Some("expert") {
        return Err(CoreError::Validation {
            field: "key_id".into(),
            reason: format!(
                "key {key_id} is a {} key card, not an expert's / 该公钥卡不是评审专家的",
                contact.role.as_deref().unwrap_or("?")
            ),
        });
    }
    if let Some(revoked) = &contact.revoked_at {
        return Err(CoreError::Validation {
            field: "key_id".into(),
            reason: format!("key {key_id} was revoked on {revoked} / 该公钥已于 {revoked} 撤销"),
        });
    }
    if let Some(other) = ws.store.read(|r| r.expert_by_key(key_id))?.filter(|o| o.number != expert.number) {
        return Err(CoreError::Validation {
            field: "key_id".into(),
            reason: format!(
                "key {key_id} is already attached to {} {} / 该公钥已属于另一位专家",
                other.number, other.name
            ),
        });
    }
    let at = now_rfc3339_utc();
    let digest = record_sha256(&serde_json::json!({ "expert": expert.number, "key_id": key_id }))
        .map_err(|e| CoreError::Validation { field: "key_id".into(), reason: e.to_string() })?;
    let event = AuditEvent::new(AuditAction::ExpertChange, "expert", expert.number.clone(), digest)
        .with_detail(&serde_json::json!({ "what": "attach_key", "key_id": key_id, "previous": expert.key_id }));
    let id = expert.id.to_string();
    ws.store.write(event, |w| w.expert_set_key(&id, key_id, &at))?;
    get(ws, &expert.number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expert::tests::today;
    use crate::expert::xlsx::tests::{good, id, sheet_bytes};
    use std::collections::BTreeSet;

    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }

    fn events(ws: &mut Workspace) -> usize {
        ws.store.read(|r| r.audit_events()).unwrap().len()
    }

    #[test]
    fn nothing_is_written_without_confirmation_or_with_a_bad_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(dir.path()).unwrap();
        let a = leak(id(1));
        let b = leak(id(2));
        let good_file = sheet_bytes(&[good("曾国藩", a), good("白玛", b)]);
        let before = events(&mut ws);

        let empty = import(&mut ws, "e.xlsx", &sheet_bytes(&[]), today(), false, true).unwrap();
        assert_eq!(empty.status, ImportStatus::Rejected, "an empty file imports nothing and says so");

        let r = import(&mut ws, "p.xlsx", &good_file, today(), false, false).unwrap();
        assert_eq!(r.status, ImportStatus::NeedsConfirmation);
        assert_eq!(r.rows.len(), 2);
        assert!(pool(&mut ws).unwrap().is_empty(), "a report only");

        let mut broken = good("王五", leak(id(3)));
        broken.retain(|(h, _)| *h != "职称级别");
        let bad_file = sheet_bytes(&[good("曾国藩", a), broken, good("赵六", a)]);
        let r = import(&mut ws, "bad.xlsx", &bad_file, today(), false, true).unwrap();
        assert_eq!(r.status, ImportStatus::Rejected);
        let rows: Vec<usize> = r.errors.iter().map(|p| p.row).collect();
        assert_eq!(rows, [3, 4], "row 3 lacks the title level, row 4 repeats row 2's document");
        assert!(pool(&mut ws).unwrap().is_empty(), "not even the good row 2");
        assert_eq!(events(&mut ws), before);

        let r = import(&mut ws, "p.xlsx", &good_file, today(), false, true).unwrap();
        assert_eq!(r.status, ImportStatus::Imported);
        assert_eq!(events(&mut ws), before + 1, "one audit event for the whole import");
        let p = pool(&mut ws).unwrap();
        let names: Vec<&str> = p.iter().map(|e| e.profile.name.as_str()).collect();
        assert_eq!(names, ["白玛", "曾国藩"], "pinyin order: bai ma < zeng guo fan");
        assert!(p.iter().all(|e| e.key_id.is_none()));
        let numbers: Vec<Option<String>> = r
            .rows
            .iter()
            .map(|row| match &row.action {
                RowAction::Create { number } => number.clone(),
                RowAction::Update { .. } => None,
            })
            .collect();
        assert_eq!(numbers, [Some("ZJ000001".to_string()), Some("ZJ000002".to_string())]);
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(h, v)| (h.to_string(), v.to_string())).collect()
    }

    #[test]
    fn an_expert_entered_by_hand_goes_through_the_template_checks() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(dir.path()).unwrap();
        let before = events(&mut ws);
        let a = leak(id(1));
        // A form with a bad credit code and no title level: every problem by its column, nothing written.
        let mut form = fields(&good("次仁多吉", a));
        form.retain(|(h, _)| h != "职称级别");
        for (h, v) in form.iter_mut() {
            if h == "统一社会信用代码" {
                *v = "12540000ABCDEFGHIJ".into();
            }
        }
        let r = enter(&mut ws, &form, today(), false, true).unwrap();
        assert_eq!(r.status, ImportStatus::Rejected);
        assert_eq!(r.file, ENTRY_SOURCE);
        let columns: BTreeSet<&str> = r.errors.iter().map(|p| p.column.as_str()).collect();
        assert_eq!(columns, BTreeSet::from(["统一社会信用代码", "职称级别"]), "{:?}", r.errors);
        assert!(pool(&mut ws).unwrap().is_empty());
        assert_eq!(events(&mut ws), before);
        // An unknown field is refused by name.
        match enter(&mut ws, &fields(&[("血型", "A")]), today(), false, false) {
            Err(CoreError::Validation { field, .. }) => assert_eq!(field, "血型"),
            other => panic!("{other:?}"),
        }
        // A good form: first the report, then written with one `entry` event; the region comes from the unit's
        // division code as in a sheet.
        let form = fields(&good("次仁多吉", a));
        let r = enter(&mut ws, &form, today(), false, false).unwrap();
        assert_eq!(r.status, ImportStatus::NeedsConfirmation);
        assert!(pool(&mut ws).unwrap().is_empty());
        let r = enter(&mut ws, &form, today(), false, true).unwrap();
        assert_eq!(r.status, ImportStatus::Imported);
        let added = pool(&mut ws).unwrap();
        assert_eq!(added.len(), 1);
        let expected = sheet_bytes(&[good("次仁多吉", a)]);
        let from_sheet =
            crate::expert::xlsx::read_sheet("s.xlsx", &expected, &crate::discipline::embedded().unwrap(), today())
                .unwrap();
        assert_eq!(added[0].profile, from_sheet.rows[0].profile, "the same expert as the same row in a sheet");
        let all = ws.store.read(|r| r.audit_events()).unwrap();
        let detail: serde_json::Value = serde_json::from_str(all.last().unwrap().detail.as_deref().unwrap()).unwrap();
        assert_eq!((detail["what"].as_str(), detail["file"].as_str()), (Some("entry"), Some(ENTRY_SOURCE)));
        // The same document again is refused, as a second sheet row would be.
        let r = enter(&mut ws, &form, today(), false, true).unwrap();
        assert_eq!(r.status, ImportStatus::Rejected);
        assert_eq!(r.errors[0].column, "证件号码");
    }

    #[test]
    fn a_document_already_in_the_pool_is_refused_unless_updating() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(dir.path()).unwrap();
        let a = leak(id(1));
        import(&mut ws, "p.xlsx", &sheet_bytes(&[good("张三", a)]), today(), false, true).unwrap();
        let mut changed = good("张三", a);
        changed.push(("所在部门", "畜牧所"));
        let file = sheet_bytes(&[changed, good("李四", leak(id(2)))]);
        let r = import(&mut ws, "again.xlsx", &file, today(), false, true).unwrap();
        assert_eq!(r.status, ImportStatus::Rejected);
        assert_eq!(r.errors.len(), 1);
        assert!(r.errors[0].reason_en.contains("ZJ000001"));
        assert_eq!(pool(&mut ws).unwrap().len(), 1, "李四 was not imported either");

        let r = import(&mut ws, "again.xlsx", &file, today(), true, true).unwrap();
        assert_eq!(r.status, ImportStatus::Imported);
        assert_eq!(r.rows[0].action, RowAction::Update { number: "ZJ000001".into() });
        let zhang = get(&mut ws, "ZJ000001").unwrap();
        assert_eq!(zhang.profile.department, "畜牧所");
        assert_eq!(pool(&mut ws).unwrap().len(), 2);
    }

    #[test]
    fn key_cards_attach_to_expert_entries_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(dir.path()).unwrap();
        import(
            &mut ws,
            "p.xlsx",
            &sheet_bytes(&[good("张三", leak(id(1))), good("李四", leak(id(2)))]),
            today(),
            false,
            true,
        )
        .unwrap();
        let contact = |key: &str, role: &str| lixiang_store::Contact {
            key_id: key.into(),
            role: Some(role.into()),
            name: Some("张三".into()),
            signing_public: [1; 32],
            encryption_public: [2; 32],
            fingerprint: "x".into(),
            trusted_how: "fingerprint".into(),
            trusted_at: "2027-03-01T00:00:00Z".into(),
            revoked_at: None,
            revocation_package: None,
        };
        ws.store
            .write_unaudited(lixiang_store::Unaudited::Draft, |w| {
                w.contact_insert(&contact("00000000000000e1", "expert"))?;
                w.contact_insert(&contact("00000000000000a1", "applicant"))
            })
            .unwrap();
        assert!(matches!(attach_key(&mut ws, "ZJ000001", "00000000000000ff"), Err(CoreError::NotFound { .. })));
        assert!(matches!(attach_key(&mut ws, "ZJ000001", "00000000000000a1"), Err(CoreError::Validation { .. })));
        let e = attach_key(&mut ws, "ZJ000001", "00000000000000e1").unwrap();
        assert_eq!(e.key_id.as_deref(), Some("00000000000000e1"));
        assert!(matches!(attach_key(&mut ws, "ZJ000002", "00000000000000e1"), Err(CoreError::Validation { .. })));
        let missing: Vec<String> =
            pool(&mut ws).unwrap().into_iter().filter(|e| e.key_id.is_none()).map(|e| e.number).collect();
        assert_eq!(missing, ["ZJ000002"]);
    }
}
