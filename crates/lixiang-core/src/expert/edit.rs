//! Editing an expert already in the pool ([`edit`]) and the values an edit form starts from ([`entry_values`]).
//!
//! An edit is a manual entry of the same expert: the expert's current profile is written as a template row
//! ([`super::xlsx::row_of_profile`]), the officer's fields replace their cells, and the row is read by the
//! template's own checks, so a form, a sheet and an edit never disagree on what a valid expert is. The document
//! number is the expert's identity key (duplicates are found by it, conflicts matched by it): it cannot be
//! changed here, and a field that tries is refused under 证件号码 (as is a changed 证件类型).
//!
//! Nothing is written for a bad field (every problem under its column), for an unchanged profile, or before
//! `confirm`; otherwise the profile is replaced (same id, number and key card) with one `expert_change` audit
//! event (`what`: `edit`) listing every changed column with its old and new text, in one transaction.

use super::desk::get;
use super::xlsx::{
    read_sheet, row_of_profile, write_sheet, Sheet, COLUMNS, DOCUMENT_KIND_HEADER, DOCUMENT_NUMBER_HEADER,
};
use super::{Expert, ExpertProfile};
use crate::audit::record_sha256;
use crate::error::CellProblem;
use crate::workspace::Workspace;
use crate::{calendar::Date, discipline, CoreError, Result};
use lixiang_store::{now_rfc3339_utc, AuditAction, AuditEvent, ExpertRow};
use serde::Serialize;

/// Where an edit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EditStatus {
    /// A field is bad: nothing was written.
    Rejected,
    /// The fields give the profile the expert already has: nothing to write.
    Unchanged,
    /// Good and different; nothing was written until the officer confirms.
    NeedsConfirmation,
    /// Written, with one audit event.
    Edited,
}

/// One changed column: its text before and after, as the template writes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// The report of an edit, whatever its outcome.
#[derive(Debug, Clone, Serialize)]
pub struct EditReport {
    /// The expert's number (`ZJ000001`).
    pub number: String,
    pub name: String,
    pub status: EditStatus,
    /// The changed columns (also for a rejected edit: what the officer tried).
    pub changes: Vec<FieldChange>,
    /// Every bad field, by column (row 2, the one row).
    pub errors: Vec<CellProblem>,
    /// Shown, not blocking.
    pub warnings: Vec<CellProblem>,
}

/// What the edit form starts from: the expert's current values, one (column header, text) pair per template
/// column, in the template's order.
pub fn entry_values(ws: &mut Workspace, number_or_id: &str) -> Result<Vec<(String, String)>> {
    let expert = get(ws, number_or_id)?;
    Ok(row_of_profile(&expert.profile).into_iter().map(|(h, v)| (h.to_string(), v)).collect())
}

/// The expert whose document number this is (normalised as the pool compares it).
pub fn by_document(ws: &mut Workspace, document_number: &str) -> Result<Expert> {
    let normalized = super::normalize_document_number(document_number);
    let row = ws.store.read(|r| r.expert_by_document(&normalized))?.ok_or_else(|| CoreError::NotFound {
        what: "expert by document number / 按证件号码查找的专家".into(),
        key: document_number.to_string(),
    })?;
    get(ws, &row.number)
}

fn cell(column: &str, zh: String, en: String) -> CellProblem {
    CellProblem { row: 2, column: column.to_string(), reason_zh: zh, reason_en: en }
}

/// Edits the expert `number_or_id` with `fields` — (column header, text) pairs as the template names them;
/// columns not given keep their current value, a field given empty is cleared (as an empty cell). See the
/// module doc for the checks and what is written. Errors: an unknown expert (`NotFound`), an unknown header
/// (`Validation` naming it), a store failure; bad values are in the report.
pub fn edit(
    ws: &mut Workspace,
    number_or_id: &str,
    fields: &[(String, String)],
    today: Date,
    confirm: bool,
) -> Result<EditReport> {
    let expert = get(ws, number_or_id)?;
    let current = row_of_profile(&expert.profile);
    let mut row = current.clone();
    let mut errors = Vec::new();
    for (header, value) in fields {
        let header = header.trim();
        let Some(column) = COLUMNS.iter().find(|c| c.header == header) else {
            return Err(CoreError::Validation {
                field: header.to_string(),
                reason: format!("专家信息没有“{header}”这一项 / the expert entry has no field “{header}”"),
            });
        };
        let slot = row.iter_mut().find(|(h, _)| *h == column.header).expect("every column is in the row");
        slot.1 = value.trim().to_string();
    }
    // The identity key stays: compared as the reader normalises it, so a changed letter case is no change.
    let old_of = |h: &str| current.iter().find(|(c, _)| *c == h).map(|(_, v)| v.clone()).unwrap_or_default();
    let new_of = |h: &str| row.iter().find(|(c, _)| *c == h).map(|(_, v)| v.clone()).unwrap_or_default();
    let same_number = super::normalize_document_number(&new_of(DOCUMENT_NUMBER_HEADER))
        == super::normalize_document_number(&old_of(DOCUMENT_NUMBER_HEADER));
    if !same_number {
        errors.push(cell(
            DOCUMENT_NUMBER_HEADER,
            format!("证件号码是专家的身份标识，不能修改（现为“{}”）：如号码有误，请新录入该专家", old_of(DOCUMENT_NUMBER_HEADER)),
            format!(
                "the document number identifies the expert and cannot be changed (it is “{}”): enter the expert anew if it is wrong",
                old_of(DOCUMENT_NUMBER_HEADER)
            ),
        ));
    }
    if crate::validate::normalize(&new_of(DOCUMENT_KIND_HEADER)) != old_of(DOCUMENT_KIND_HEADER) {
        errors.push(cell(
            DOCUMENT_KIND_HEADER,
            format!("证件类型随证件号码固定，不能修改（现为“{}”）", old_of(DOCUMENT_KIND_HEADER)),
            format!(
                "the document type goes with the document number and cannot be changed (it is “{}”)",
                old_of(DOCUMENT_KIND_HEADER)
            ),
        ));
    }
    let file = format!("编辑 {}", expert.number);
    let bytes = write_sheet(&[row.clone()])?;
    let list = discipline::embedded()?;
    let Sheet { rows, errors: sheet_errors, warnings } = read_sheet(&file, &bytes, &list, today)?;
    for e in sheet_errors {
        if !errors.iter().any(|x| x.column == e.column) {
            errors.push(e);
        }
    }
    let new_profile: Option<ExpertProfile> = rows.into_iter().next().map(|r| r.profile);
    // The changes, column by column, from the canonical texts: what was typed for a field that reads back the
    // same (区内 for an empty region in Lhasa, 21020 with spaces) is no change.
    let after = new_profile.as_ref().map_or_else(|| row.clone(), row_of_profile);
    let changes: Vec<FieldChange> = current
        .iter()
        .zip(&after)
        .filter(|((_, old), (_, new))| old != new)
        .map(|((h, old), (_, new))| FieldChange { field: h.to_string(), old: old.clone(), new: new.clone() })
        .collect();
    let mut report = EditReport {
        number: expert.number.clone(),
        name: expert.profile.name.clone(),
        status: EditStatus::Rejected,
        changes,
        errors,
        warnings,
    };
    let Some(profile) = new_profile.filter(|_| report.errors.is_empty()) else {
        if report.errors.is_empty() {
            // The reader refused the row without naming a cell: cannot happen for a one-row sheet, but say so.
            report.errors.push(cell(
                "",
                "无法读取修改后的专家信息".into(),
                "the edited entry could not be read".into(),
            ));
        }
        return Ok(report);
    };
    if profile == expert.profile {
        report.status = EditStatus::Unchanged;
        report.changes.clear();
        return Ok(report);
    }
    if !confirm {
        report.status = EditStatus::NeedsConfirmation;
        return Ok(report);
    }
    let at = now_rfc3339_utc();
    let stored = ExpertRow {
        expert_id: expert.id.to_string(),
        number: expert.number.clone(),
        name: profile.name.clone(),
        sort_key: profile.sort_key.clone(),
        document_number: profile.document_number().map(str::to_string),
        key_id: expert.key_id.clone(),
        body: serde_json::to_string(&profile).expect("a profile serialises"),
        created_at: at.clone(),
        updated_at: at,
    };
    let digest = record_sha256(&(&expert.number, &profile))
        .map_err(|e| CoreError::Validation { field: "expert".into(), reason: e.to_string() })?;
    let event = AuditEvent::new(AuditAction::ExpertChange, "expert", expert.number.clone(), digest)
        .with_detail(&serde_json::json!({ "what": "edit", "expert": expert.number, "changes": report.changes }));
    let body_before = serde_json::to_string(&expert.profile).expect("a profile serialises");
    ws.store.write_with_event(|w| {
        // Checked against the profile read above inside the transaction, so a change made meanwhile (the CLI
        // and the window on one workspace) is never silently overwritten.
        let held = w.reader().expert(&stored.expert_id)?;
        let unchanged_since = held.as_ref().and_then(|h| serde_json::from_str::<ExpertProfile>(&h.body).ok())
            == serde_json::from_str::<ExpertProfile>(&body_before).ok();
        if !unchanged_since {
            return Err(CoreError::Validation {
                field: "expert".into(),
                reason: format!(
                    "专家 {} 刚被修改过，请重新打开后再编辑 / expert {} was changed meanwhile: open it again and edit",
                    stored.number, stored.number
                ),
            });
        }
        w.expert_update(&stored)?;
        Ok::<_, CoreError>(((), event))
    })?;
    report.name = profile.name;
    report.status = EditStatus::Edited;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expert::desk::{import, pool};
    use crate::expert::tests::today;
    use crate::expert::xlsx::tests::{good, id, sheet_bytes};
    use crate::expert::ExpertCategory;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(h, v)| (h.to_string(), v.to_string())).collect()
    }

    fn events(ws: &mut Workspace) -> Vec<lixiang_store::AuditEntry> {
        ws.store.read(|r| r.audit_events()).unwrap()
    }

    fn with_two_experts() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(dir.path()).unwrap();
        let a: &'static str = Box::leak(id(1).into_boxed_str());
        let b: &'static str = Box::leak(id(2).into_boxed_str());
        let r =
            import(&mut ws, "p.xlsx", &sheet_bytes(&[good("张三", a), good("李四", b)]), today(), false, true).unwrap();
        assert_eq!(r.errors, []);
        (dir, ws)
    }

    #[test]
    fn an_edit_is_stored_with_one_event_listing_the_changed_fields() {
        let (_dir, mut ws) = with_two_experts();
        let before = events(&mut ws).len();
        let zhang = get(&mut ws, "ZJ000001").unwrap();
        // The form starts from the current values: the template's columns, in order, that read back the same.
        let values = entry_values(&mut ws, "ZJ000001").unwrap();
        assert_eq!(values.len(), COLUMNS.len());
        assert_eq!(values.iter().find(|(h, _)| h == "工作单位").unwrap().1, "西藏示例研究院(示例)");
        assert_eq!(values.iter().find(|(h, _)| h == "证件号码").unwrap().1, id(1));

        // The whole form sent back with two fields changed (as the window does).
        let mut form = values.clone();
        for (h, v) in form.iter_mut() {
            match h.as_str() {
                "工作单位" => *v = "西藏农牧科学院(示例)".into(),
                "职称" => *v = " 教授级高级工程师 ".into(),
                _ => {}
            }
        }
        let r = edit(&mut ws, "ZJ000001", &form, today(), false).unwrap();
        assert_eq!(r.status, EditStatus::NeedsConfirmation);
        assert_eq!(events(&mut ws).len(), before, "a check writes nothing");
        let r = edit(&mut ws, "ZJ000001", &form, today(), true).unwrap();
        assert_eq!(r.status, EditStatus::Edited, "{:?}", r.errors);
        let expected = vec![
            FieldChange {
                field: "工作单位".into(),
                old: "西藏示例研究院(示例)".into(),
                new: "西藏农牧科学院(示例)".into(),
            },
            FieldChange { field: "职称".into(), old: "研究员".into(), new: "教授级高级工程师".into() },
        ];
        assert_eq!(r.changes, expected);

        let after = get(&mut ws, "ZJ000001").unwrap();
        assert_eq!(after.profile.unit, "西藏农牧科学院(示例)");
        assert_eq!(after.profile.title, "教授级高级工程师");
        assert_eq!((after.id, &after.number), (zhang.id, &zhang.number), "the same expert");
        let mut rest = after.profile.clone();
        rest.unit = zhang.profile.unit.clone();
        rest.title = zhang.profile.title.clone();
        assert_eq!(rest, zhang.profile, "nothing else changed");
        assert_eq!(get(&mut ws, "ZJ000002").unwrap().profile.unit, "西藏示例研究院(示例)", "the other expert stays");

        let all = events(&mut ws);
        assert_eq!(all.len(), before + 1, "one audit event");
        let last = all.last().unwrap();
        assert_eq!(last.action, AuditAction::ExpertChange.as_str());
        let detail: serde_json::Value = serde_json::from_str(last.detail.as_deref().unwrap()).unwrap();
        assert_eq!(detail["what"], "edit");
        assert_eq!(detail["expert"], "ZJ000001");
        assert_eq!(detail["changes"], serde_json::to_value(&expected).unwrap());

        // Only the fields given: the rest keep their values; the sort key follows a new name.
        let r = edit(&mut ws, "ZJ000001", &fields(&[("姓名", "张三丰"), ("专家类别", "产业")]), today(), true).unwrap();
        assert_eq!(r.status, EditStatus::Edited, "{:?}", r.errors);
        let p = get(&mut ws, "ZJ000001").unwrap().profile;
        assert_eq!(
            (p.name.as_str(), p.category, p.sort_key.as_str()),
            ("张三丰", ExpertCategory::Industry, crate::expert::sort_key("张三丰", false).as_str())
        );
        assert_eq!(p.unit, "西藏农牧科学院(示例)");
        assert_eq!(pool(&mut ws).unwrap().len(), 2);
    }

    #[test]
    fn a_bad_value_is_refused_under_its_field_and_nothing_is_written() {
        let (_dir, mut ws) = with_two_experts();
        let before = get(&mut ws, "ZJ000001").unwrap();
        let n = events(&mut ws).len();
        let r = edit(
            &mut ws,
            "ZJ000001",
            &fields(&[("职称级别", "中级"), ("统一社会信用代码", "12540000ABCDEFGHIJ"), ("职称", "助理研究员")]),
            today(),
            true,
        )
        .unwrap();
        assert_eq!(r.status, EditStatus::Rejected);
        let columns: Vec<&str> = r.errors.iter().map(|e| e.column.as_str()).collect();
        assert!(columns.contains(&"统一社会信用代码"), "{columns:?}");
        assert!(columns.contains(&"职称级别"), "a technical expert below 副高: {columns:?}");
        assert_eq!(get(&mut ws, "ZJ000001").unwrap(), before, "not even the good title was written");
        assert_eq!(events(&mut ws).len(), n);

        // The identity key cannot change, nor be cleared; an unknown field is refused by name.
        let r = edit(&mut ws, "ZJ000001", &fields(&[("证件号码", &id(3))]), today(), true).unwrap();
        assert_eq!((r.status, r.errors[0].column.as_str()), (EditStatus::Rejected, "证件号码"));
        let r = edit(&mut ws, "ZJ000001", &fields(&[("证件号码", ""), ("证件类型", "")]), today(), true).unwrap();
        assert_eq!(r.status, EditStatus::Rejected);
        assert!(r.errors.iter().any(|e| e.column == "证件号码"));
        match edit(&mut ws, "ZJ000001", &fields(&[("血型", "A")]), today(), true) {
            Err(CoreError::Validation { field, .. }) => assert_eq!(field, "血型"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(edit(&mut ws, "ZJ000009", &[], today(), true), Err(CoreError::NotFound { .. })));
        assert_eq!(get(&mut ws, "ZJ000001").unwrap(), before);
        assert_eq!(events(&mut ws).len(), n);
    }

    #[test]
    fn an_unchanged_save_writes_nothing() {
        let (_dir, mut ws) = with_two_experts();
        let n = events(&mut ws).len();
        let values = entry_values(&mut ws, "ZJ000002").unwrap();
        let r = edit(&mut ws, "ZJ000002", &values, today(), true).unwrap();
        assert_eq!((r.status, r.changes.len()), (EditStatus::Unchanged, 0));
        // Typed differently but read the same: 关键词 with a full-width comma and spaces, the document in lower case.
        let r = edit(&mut ws, "ZJ000002", &fields(&[("关键词", " 青稞， 育种 ")]), today(), true).unwrap();
        assert_eq!(r.status, EditStatus::Unchanged, "{:?}", r.changes);
        assert_eq!(events(&mut ws).len(), n);
        let stamp = ws.store.read(|r| r.expert("ZJ000002")).unwrap().unwrap().updated_at;
        edit(&mut ws, "ZJ000002", &values, today(), true).unwrap();
        assert_eq!(ws.store.read(|r| r.expert("ZJ000002")).unwrap().unwrap().updated_at, stamp);
    }
}
