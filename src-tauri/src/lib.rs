//! The Lixiang desktop shell: a Tauri v2 window over `lixiang-core`.
//!
//! This crate only converts and delegates. Commands are `async`, named `<area>_<verb>`, move the
//! blocking SQLite work to a worker thread, and map every core error once into [`IpcError`]. The
//! TypeScript bindings in `ui/src/bindings.ts` are generated from [`specta_builder`] by the
//! `export-bindings` binary; the shell holds no domain logic and no SQL.

pub mod appeal;
pub mod applications;
pub mod background;
pub mod backup;
pub mod budget_schemas;
pub mod calls;
pub mod challenge;
pub mod challenge_choice;
pub mod commands;
pub mod dashboard;
pub mod dialogs;
pub mod directed;
pub mod error;
pub mod experts;
pub mod key_admin;
pub mod keys;
pub mod objections;
pub mod panel;
pub mod rendering;
pub mod reports;
pub mod review;
pub mod startup;
pub mod state;
pub mod trust;

pub use error::IpcError;

use state::AppState;
use std::path::PathBuf;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

/// The window title; tests and scripts find the window by it.
pub const WINDOW_TITLE: &str = "立项 Lixiang";

/// Every command the UI may call, with their types, for the invoke handler and the bindings.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    // One TypeScript type per Rust type: the records only ever travel Rust → UI in one shape.
    tauri_specta::Builder::<tauri::Wry>::new()
        .disable_serde_phases()
        .commands(tauri_specta::collect_commands![
            commands::workspace_info,
            commands::catalog_get,
            commands::catalog_export_pdf,
            commands::preference_get_language,
            commands::preference_set_language,
            startup::startup_ready,
            trust::identity_get,
            trust::identity_create,
            trust::identity_unlock,
            trust::identity_lock,
            trust::key_card_export,
            trust::package_choose_files,
            trust::package_inspect,
            trust::package_import,
            trust::contacts_list,
            key_admin::identity_change_passphrase,
            key_admin::identity_recover,
            key_admin::identity_revoke,
            backup::backup_now,
            backup::restore_from_file,
            backup::workspace_open_restored,
            backup::auto_backup_get,
            backup::auto_backup_set,
            backup::auto_backup_choose_folder,
            applications::calls_list,
            calls::call_get,
            calls::call_demos,
            calls::call_new_from_demo,
            calls::call_copy,
            calls::call_change_mode,
            calls::call_save,
            calls::call_publish,
            calls::call_revise,
            calls::call_changes,
            calls::call_export,
            calls::call_round_default,
            budget_schemas::budget_schemas_list,
            budget_schemas::budget_schema_get,
            budget_schemas::budget_schema_import,
            applications::applications_mine,
            applications::application_new,
            applications::application_get,
            applications::application_context,
            applications::application_save,
            applications::application_check,
            applications::application_attach,
            applications::application_submit_preview,
            applications::application_submit,
            applications::applications_received,
            applications::application_print,
            applications::call_print,
            applications::formal_report,
            applications::formal_decide,
            applications::formal_resend,
            appeal::formal_appeal_log,
            appeal::formal_appeal_resolve,
            appeal::formal_appeal_resend,
            applications::application_withdraw,
            experts::experts_list,
            experts::expert_template_save,
            experts::expert_import_choose,
            experts::expert_import,
            experts::expert_entry_fields,
            experts::expert_enter,
            experts::expert_entry_values,
            experts::expert_edit,
            experts::expert_attach_key,
            experts::assignment_run,
            experts::conflicts_list,
            experts::assignment_pair_change,
            experts::conflict_override,
            experts::conflict_override_withdraw,
            experts::assignment_settings_get,
            experts::assignment_settings_set,
            review::review_packets,
            review::review_packet,
            review::review_item,
            review::review_attachment,
            review::review_sheet,
            review::review_sheet_save,
            review::review_sheet_seal,
            review::review_conflict,
            review::review_return,
            review::review_remove_contents,
            review::packets_export,
            review::review_progress,
            review::round_ranking,
            review::review_sheet_print,
            review::ranking_export,
            review::scoresheet_template_save,
            review::scoresheet_import,
            review::decisions_get,
            review::decisions_recommend,
            review::decisions_publicity,
            review::decisions_final,
            review::decisions_resend,
            objections::decisions_objection,
            objections::decisions_resolve,
            reports::decision_list_export,
            reports::ranking_report_export,
            reports::dashboard_export,
            dashboard::dashboard_get,
            directed::directed_get,
            directed::directed_panel,
            directed::directed_select,
            directed::directed_final,
            challenge::challenge_get,
            challenge::challenge_select,
            challenge::challenge_agreement,
            challenge::challenge_agreement_annul,
            challenge::milestone_record,
            challenge::milestone_gate,
            challenge::bounty_accept,
            challenge::bounty_pay,
            challenge_choice::challenge_choice_get,
            challenge_choice::challenge_override,
            panel::panel_round,
            panel::panel_shortlist_get,
            panel::panel_shortlist_preview,
            panel::panel_shortlist_make,
            panel::panel_get,
            panel::panel_vote,
        ])
        .events(tauri_specta::collect_events![
            trust::ImportProgress,
            trust::KeysLocked,
            backup::AutoBackupDone,
            backup::AutoBackupFailed
        ])
}

/// The workspace the app acts on: `--data-dir DIR` on the command line, else `LIXIANG_DATA_DIR`,
/// else the default workspace (the same rule as the `lixiang` command).
fn data_dir_from_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<PathBuf> {
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.to_str().and_then(|s| s.strip_prefix("--data-dir=")) {
            return Some(PathBuf::from(v));
        }
    }
    None
}

/// Opens the workspace and runs the app until its window closes.
pub fn run() {
    let state = AppState::open(data_dir_from_args(std::env::args_os().skip(1)).as_deref());
    trust::unlock_from_env(&state);
    // The webview's profile (local storage, caches) lives in the workspace, so a fresh data dir is a
    // fresh app and nothing is kept in Tauri's own folders.
    let webview_dir = state.webview_dir();
    let builder = specta_builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            startup::mark("setup");
            builder.mount_events(app);
            let mut window = WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                .title(WINDOW_TITLE)
                .inner_size(1280.0, 800.0)
                .min_inner_size(960.0, 600.0);
            if let Some(dir) = webview_dir {
                window = window.data_directory(dir);
            }
            window.build()?;
            startup::mark("window_built");
            trust::spawn_idle_lock(app.handle().clone())?;
            backup::spawn_auto_backup(app.handle().clone())?;
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Tauri runtime failed to start")
        .run(|app, event| {
            // The workspace closes with the app: its keys go first.
            if let tauri::RunEvent::Exit = event {
                app.state::<AppState>().keys.lock();
            }
        });
}

/// The bindings as `export-bindings` writes them.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated by `export-bindings` from the Rust commands. Do not edit.\n"),
            path,
        )
        .map_err(|e| e.to_string())
}

/// The catalog a fresh workspace holds, as `catalog_get` answers it, in JSON: the UI's build renders the
/// first screen ahead with it (`ui/prerender/catalog.json`, written by `export-bindings` next to the
/// bindings and checked current with them).
pub fn seeded_catalog_json() -> Result<String, String> {
    let dir = std::env::temp_dir().join(format!("lixiang-seeded-catalog-{}", std::process::id()));
    let read = lixiang_core::Workspace::open(&dir.join("ws"))
        .and_then(|mut ws| lixiang_core::catalog::get(&mut ws))
        .map_err(|e| e.to_string());
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::to_string_pretty(&read?).map(|json| json + "\n").map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    fn args(a: &[&str]) -> Vec<OsString> {
        a.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_data_dir_comes_from_either_spelling_of_the_flag() {
        assert_eq!(data_dir_from_args(args(&["--data-dir", "/a b"])), Some(PathBuf::from("/a b")));
        assert_eq!(data_dir_from_args(args(&["-x", "--data-dir=/c"])), Some(PathBuf::from("/c")));
        assert_eq!(data_dir_from_args(args(&["--data-dir"])), None);
        assert_eq!(data_dir_from_args(args(&[])), None);
    }

    /// The committed `ui/src/bindings.ts` must be what the commands generate: regenerate it with
    /// `cargo run -p lixiang-desktop --bin export-bindings` when a command or a type changes.
    #[test]
    fn the_committed_typescript_bindings_are_current() {
        let dir = std::env::temp_dir().join(format!("lixiang-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fresh = dir.join("bindings.ts");
        export_bindings(&fresh).unwrap();
        let committed = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/bindings.ts");
        let committed = std::fs::read_to_string(committed).unwrap_or_default();
        let fresh = std::fs::read_to_string(&fresh).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(
            committed == fresh,
            "ui/src/bindings.ts is stale: run `cargo run -p lixiang-desktop --bin export-bindings` and commit it"
        );
    }

    /// The first screen rendered ahead must show the catalog the workspace is seeded with: regenerate
    /// `ui/prerender/catalog.json` with `export-bindings` when the seeds or the catalog's type change.
    #[test]
    fn the_committed_catalog_of_the_first_screen_is_the_seeded_one() {
        let committed = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/prerender/catalog.json");
        let committed = std::fs::read_to_string(committed).unwrap_or_default();
        assert!(
            committed == seeded_catalog_json().unwrap(),
            "ui/prerender/catalog.json is stale: run `cargo run -p lixiang-desktop --bin export-bindings` and commit it"
        );
    }
}
