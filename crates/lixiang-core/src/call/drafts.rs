//! New draft calls on the office's desk: started from a programme's shipped demo call (of any programme,
//! so that any programme can start from any selection mode), or as a copy of a held call; and the code a
//! draft takes — the first `YYYY-ZXnn-NN` no held call uses. A new draft is a call of its own: a fresh
//! id, revision 1, unpublished. Saving is [`desk::save_draft`]'s; the window's editor and the command
//! line share these rules.

use super::{demo_calls, desk, Call, CallId, CallStatus};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use std::collections::BTreeSet;

/// The first code `YYYY-ZXnn-NN` at or after `wanted` (same year and programme) that no held call uses;
/// `wanted` itself when free. A code that does not end in a number gets `-01`, `-02` … appended.
pub fn free_code(wanted: &str, taken: &BTreeSet<String>) -> String {
    if !taken.contains(wanted) {
        return wanted.to_string();
    }
    let (stem, first) = match wanted.rsplit_once('-') {
        Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            (stem.to_string(), n.parse::<u32>().unwrap_or(0) + 1)
        }
        _ => (wanted.to_string(), 1),
    };
    (first..).map(|n| format!("{stem}-{n:02}")).find(|c| !taken.contains(c)).expect("the codes are unbounded")
}

/// `template` as a new draft call: a new id, revision 1, unpublished, under the first free code from the
/// template's own. The demo's fixed id (every machine's demo call) and a copied call's id are never
/// reused.
pub fn new_draft_of(mut template: Call, taken: &BTreeSet<String>) -> Call {
    template.id = CallId::new();
    template.revision = 1;
    template.status = CallStatus::Draft;
    template.code = free_code(&template.code, taken);
    template
}

/// The codes of every call held on the desk.
pub fn taken_codes(ws: &mut Workspace) -> Result<BTreeSet<String>> {
    Ok(desk::list(ws)?.into_iter().map(|c| c.code).collect())
}

/// A new draft for `programme` (`ZX06`), saved at once: a copy of the shipped demo call of programme
/// `from` (by default the programme's own). Moved to another programme, the draft takes that
/// programme's code and drops the plan targets its core indicators pointed to (they belong to the demo's
/// programme).
pub fn new_from_demo(ws: &mut Workspace, programme: &str, from: Option<&str>) -> Result<Call> {
    let programme = programme.trim().to_ascii_uppercase();
    let from = from.map(|f| f.trim().to_ascii_uppercase()).unwrap_or_else(|| programme.clone());
    let mut demo = demo_calls()?
        .into_iter()
        .find(|c| c.programme == from)
        .ok_or_else(|| CoreError::NotFound { what: "demo call / 示例指南".into(), key: from.clone() })?;
    if demo.programme != programme {
        demo.code = format!("{}-{programme}-01", demo.year);
        demo.programme = programme;
        for indicator in &mut demo.core_indicators {
            indicator.plan_target = None;
        }
    }
    let draft = new_draft_of(demo, &taken_codes(ws)?);
    desk::save_draft(ws, &draft)?;
    Ok(draft)
}

/// A new draft as a copy of the newest revision of a held call, saved at once.
pub fn new_copy(ws: &mut Workspace, code_or_id: &str) -> Result<Call> {
    let source = desk::get(ws, code_or_id)?;
    let draft = new_draft_of(source, &taken_codes(ws)?);
    desk::save_draft(ws, &draft)?;
    Ok(draft)
}

/// Saves an edited draft. A first draft whose year no longer matches its code (`2027-ZX06-01` moved to
/// 2028) takes the first free code of its year: it has never left this machine, and the code is not
/// typed in the editor. A later revision keeps its code. Returns the call as saved.
pub fn save_edited(ws: &mut Workspace, mut call: Call) -> Result<Call> {
    let prefix = format!("{}-{}-", call.year, call.programme);
    if call.revision == 1 && !call.is_published() && !call.code.starts_with(&prefix) {
        let mut taken = taken_codes(ws)?;
        taken.remove(&call.code);
        call.code = free_code(&format!("{prefix}01"), &taken);
    }
    desk::save_draft(ws, &call)?;
    Ok(call)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::validate_call;
    use crate::identity::{self, keybox::KdfParams, Role};

    fn office() -> (tempfile::TempDir, Workspace) {
        let tmp = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&tmp.path().join("office")).unwrap();
        identity::create(&mut ws, Role::Office, "科技厅", "passphrase!", KdfParams::FOR_TESTS).unwrap();
        (tmp, ws)
    }

    #[test]
    fn a_free_code_counts_up_from_the_wanted_one() {
        let taken: BTreeSet<String> = ["2027-ZX06-01", "2027-ZX06-02", "2027-ZX06-04"].map(String::from).into();
        assert_eq!(free_code("2027-ZX06-01", &taken), "2027-ZX06-03");
        assert_eq!(free_code("2027-ZX06-04", &taken), "2027-ZX06-05");
        assert_eq!(free_code("2027-ZX05-01", &taken), "2027-ZX05-01");
        let odd: BTreeSet<String> = ["X"].map(String::from).into();
        assert_eq!(free_code("X", &odd), "X-01");
    }

    #[test]
    fn drafts_from_the_demo_and_copies_are_new_calls_with_codes_of_their_own() {
        let (_tmp, mut ws) = office();
        let first = new_from_demo(&mut ws, "zx06", None).unwrap();
        let second = new_from_demo(&mut ws, "ZX06", None).unwrap();
        assert_eq!((first.code.as_str(), second.code.as_str()), ("2027-ZX06-01", "2027-ZX06-02"));
        assert_ne!(first.id, second.id);
        let demo = demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
        assert_ne!(first.id, demo.id, "the demo's fixed id is not reused");
        let copy = new_copy(&mut ws, "2027-ZX06-01").unwrap();
        assert_eq!((copy.code.as_str(), copy.revision, copy.title.clone()), ("2027-ZX06-03", 1, first.title.clone()));
        assert_eq!(desk::list(&mut ws).unwrap().len(), 3);
        assert_eq!(new_from_demo(&mut ws, "ZX99", None).unwrap_err().code(), "not_found");
    }

    #[test]
    fn a_programme_can_start_from_another_programmes_demo_and_so_from_any_mode() {
        let (_tmp, mut ws) = office();
        let race = new_from_demo(&mut ws, "ZX06", Some("ZX05")).unwrap();
        assert_eq!(
            (race.programme.as_str(), race.code.as_str(), race.mode.code()),
            ("ZX06", "2027-ZX06-01", "challenge")
        );
        assert!(race.core_indicators.iter().all(|i| i.plan_target.is_none()));
        let problems = validate_call(&race);
        assert!(!problems.iter().any(|p| p.field == "programme" || p.field.ends_with("plan_target")), "{problems:?}");
        // The ZX06 demo's own plan target stays with its own programme.
        let own = new_from_demo(&mut ws, "ZX06", Some("zx06")).unwrap();
        assert_eq!(own.code, "2027-ZX06-02");
        assert_eq!(own.core_indicators[0].plan_target.as_deref(), Some("ZX06-T1"));
    }

    #[test]
    fn a_first_draft_moved_to_another_year_takes_a_free_code_of_that_year_and_a_revision_keeps_its_own() {
        let (_tmp, mut ws) = office();
        let first = new_from_demo(&mut ws, "ZX06", None).unwrap();
        new_from_demo(&mut ws, "ZX06", None).unwrap();
        let moved = save_edited(&mut ws, Call { year: 2028, ..first.clone() }).unwrap();
        assert_eq!(moved.code, "2028-ZX06-01");
        assert_eq!(desk::get(&mut ws, &first.id.to_string()).unwrap().code, "2028-ZX06-01");
        let again = save_edited(&mut ws, Call { year: 2027, ..moved }).unwrap();
        assert_eq!(again.code, "2027-ZX06-01", "its old code is its own again, not taken");
        let revision = save_edited(&mut ws, Call { year: 2029, revision: 2, ..again }).unwrap();
        assert_eq!(revision.code, "2027-ZX06-01");
    }
}
