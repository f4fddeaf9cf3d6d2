//! Backup and restore from the window: a backup made now (save dialog), a restore into a new
//! directory (open dialog, then a folder dialog), and the daily automatic backup into a folder the
//! person chose, keeping the newest few. The decisions (due or not, names, what to prune) are
//! `lixiang_core::backup_schedule`'s; the writing is `lixiang_core::backup`'s.

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::backup::{self, BackupWritten, Restored};
use lixiang_core::backup_schedule::{self as schedule, AutoBackup};
use lixiang_core::calendar::{Moment, SHANGHAI_OFFSET_MINUTES};
use lixiang_core::package::SecretKeys;
use lixiang_core::{identity, CoreError, Workspace};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

/// A backup the app wrote (sizes and counts as the window can hold them).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BackupSaved {
    pub path: String,
    pub package_id: String,
    pub file_sha256: String,
    /// Bytes, as a string: files may exceed what a JavaScript number holds exactly.
    pub bytes: String,
    pub audit_events: u32,
    pub blobs: u32,
}

impl From<BackupWritten> for BackupSaved {
    fn from(w: BackupWritten) -> BackupSaved {
        BackupSaved {
            path: w.path,
            package_id: w.package_id,
            file_sha256: w.file_sha256,
            bytes: w.bytes.to_string(),
            audit_events: u32::try_from(w.audit_events).unwrap_or(u32::MAX),
            blobs: u32::try_from(w.blobs).unwrap_or(u32::MAX),
        }
    }
}

/// A workspace restored into a new directory, and how to open it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RestoredWorkspace {
    pub dir: String,
    pub identity_key_id: String,
    pub audit_events: u32,
    pub blobs: u32,
    pub backup_created_at: String,
}

impl From<Restored> for RestoredWorkspace {
    fn from(r: Restored) -> RestoredWorkspace {
        RestoredWorkspace {
            dir: r.dir,
            identity_key_id: r.identity_key_id,
            audit_events: u32::try_from(r.audit_events).unwrap_or(u32::MAX),
            blobs: u32::try_from(r.blobs).unwrap_or(u32::MAX),
            backup_created_at: r.backup_created_at,
        }
    }
}

/// File names carry the date on the wall clock of Beijing, where the app is used.
const NAME_OFFSET_MINUTES: i16 = SHANGHAI_OFFSET_MINUTES;

/// How often the background task looks whether the daily backup is due.
const CHECK_EVERY: Duration = Duration::from_secs(60);

/// Writes a backup of the whole workspace where the person chooses (save dialog,
/// `lixiang-backup-YYYYMMDD-HHMM.lxpkg` proposed). Needs the unlocked keys (the backup is signed);
/// `None` when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(app: AppHandle, state: State<'_, AppState>) -> Result<Option<BackupSaved>, IpcError> {
    let lang = state.lang();
    state.with_workspace(|ws| identity::info(ws)?.ok_or(CoreError::NoIdentity).map(|_| ())).await?;
    // Refuse before asking where: a locked window could not sign the backup anyway.
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let name = schedule::manual_file_name(Moment::now_utc().unix_seconds(), NAME_OFFSET_MINUTES);
    let title = lang.pick("保存备份", "Save the backup");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let Some(path) = dialogs::save_file(&app, lang, title, filter, name).await? else { return Ok(None) };
    // Taken only now: the dialog may have stayed open long.
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    let written = state.with_workspace(move |ws| backup::backup(ws, &keys, &path)).await?;
    Ok(Some(written.into()))
}

/// Restores a backup file into a new directory: asks for the file, then for the new folder's name, and
/// opens the backup with `passphrase` (the backed-up identity's passphrase or recovery passphrase; the
/// backup is encrypted to it). The running app stays on its workspace; the restored one opens with
/// `--data-dir DIR`. `None` when the person cancels either dialog.
#[tauri::command]
#[specta::specta]
pub async fn restore_from_file(
    app: AppHandle,
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<Option<RestoredWorkspace>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("选择备份文件", "Choose the backup file");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let Some(file) = dialogs::open_file(&app, lang, title, Some(filter)).await? else { return Ok(None) };
    // The restored workspace must be a new folder: the person names it (a folder chooser would make them
    // create an empty one first).
    let title = lang.pick("恢复为新的工作区：输入新文件夹的名称", "Restore as a new workspace: name the new folder");
    let name = lang.pick("立项-恢复的工作区", "lixiang-restored").to_string();
    let Some(to) = dialogs::new_folder(&app, lang, title, name).await? else { return Ok(None) };
    restore_file(&file, &to, passphrase, lang).await.map(|r| Some(r.into()))
}

async fn restore_file(
    file: &Path,
    to: &Path,
    passphrase: String,
    lang: lixiang_core::Lang,
) -> Result<Restored, IpcError> {
    let (file, to) = (file.to_path_buf(), to.to_path_buf());
    tauri::async_runtime::spawn_blocking(move || {
        backup::restore(&file, &to, &passphrase).map_err(|e| IpcError::from_core(&e, lang))
    })
    .await
    .map_err(|e| IpcError::internal(lang, e))?
}

/// Switches the running app to a workspace restored by [`restore_from_file`] (its directory as the
/// restore answered it). The keys are locked: the window then asks for the restored identity's
/// passphrase. Refused, leaving the app on its workspace, when the directory does not open as one.
#[tauri::command]
#[specta::specta]
pub async fn workspace_open_restored(state: State<'_, AppState>, dir: String) -> Result<(), IpcError> {
    let lang = state.lang();
    let path = PathBuf::from(&dir);
    if !path.join(lixiang_store::DATABASE_FILE_NAME).is_file() {
        return Err(IpcError::from_core(
            &lixiang_core::CoreError::Validation {
                field: dir,
                reason: "不是恢复的工作区 / not a restored workspace".into(),
            },
            lang,
        ));
    }
    state.switch_to(&path)
}

/// The automatic backup's settings: the folder (`None` when off), how many are kept, the last time.
#[tauri::command]
#[specta::specta]
pub async fn auto_backup_get(state: State<'_, AppState>) -> Result<AutoBackup, IpcError> {
    state.with_workspace(schedule::settings).await
}

/// Sets the automatic backup's folder (`None` turns it off) and how many to keep (1 to 365).
#[tauri::command]
#[specta::specta]
pub async fn auto_backup_set(
    state: State<'_, AppState>,
    folder: Option<String>,
    keep: u32,
) -> Result<AutoBackup, IpcError> {
    let lang = state.lang();
    state.with_workspace(move |ws| schedule::set(ws, folder, keep, lang)).await
}

/// Asks for the automatic backup's folder with the system's folder dialog; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn auto_backup_choose_folder(app: AppHandle, state: State<'_, AppState>) -> Result<Option<String>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("选择自动备份的文件夹", "Choose the folder for automatic backups");
    let picked = dialogs::pick_folder(&app, lang, title).await?;
    Ok(picked.map(|p| p.display().to_string()))
}

/// What one automatic backup did.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct AutoBackupDone {
    /// The file written.
    pub path: String,
    /// Older automatic backups deleted to keep the chosen number.
    pub pruned: Vec<String>,
    /// When (RFC 3339 UTC), as now recorded in the settings.
    pub at: String,
}

/// Sent when the daily backup failed (a folder gone, a full disk), with the reason.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct AutoBackupFailed {
    pub message: String,
}

/// The daily backup, when it is due at `now` and a folder is chosen: writes `lixiang-auto-YYYYMMDD.lxpkg`
/// into the folder, records the time and deletes the oldest automatic backups beyond the number kept
/// (only files with that pattern). `None` when nothing was due.
pub fn auto_backup_if_due(
    ws: &mut Workspace,
    keys: &SecretKeys,
    now: Moment,
) -> lixiang_core::Result<Option<AutoBackupDone>> {
    let settings = schedule::settings(ws)?;
    let Some(folder) = settings.folder.as_deref().map(PathBuf::from) else { return Ok(None) };
    if identity::info(ws)?.is_none() || !schedule::is_due(schedule::last_unix(&settings), now.unix_seconds()) {
        return Ok(None);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CoreError::WorkspaceIo { path, source }
    };
    if !folder.is_dir() {
        return Err(CoreError::WorkspaceIo {
            path: folder.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "the automatic backup folder is missing"),
        });
    }
    let out = folder.join(schedule::auto_file_name(now.unix_seconds(), NAME_OFFSET_MINUTES));
    let written = backup::backup(ws, keys, &out)?;
    let at = schedule::utc_text(now.unix_seconds());
    schedule::record_done(ws, &at)?;
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&folder).map_err(io(&folder))? {
        let entry = entry.map_err(io(&folder))?;
        if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            if let Some(name) = entry.file_name().to_str() {
                names.push(name.to_string());
            }
        }
    }
    let mut pruned = Vec::new();
    for name in schedule::to_prune(&names, settings.keep) {
        let path = folder.join(&name);
        std::fs::remove_file(&path).map_err(io(&path))?;
        pruned.push(path.display().to_string());
    }
    Ok(Some(AutoBackupDone { path: written.path, pruned, at }))
}

/// The background task: every minute, while the keys are unlocked, writes the daily backup when due
/// (on its own thread, never the window's). Looking at the keys does not keep them unlocked.
pub fn spawn_auto_backup(app: AppHandle) -> std::io::Result<()> {
    std::thread::Builder::new().name("auto-backup".into()).spawn(move || {
        // The last failure told, so a missing folder is said once, not every minute.
        let mut last_failure: Option<String> = None;
        loop {
            std::thread::sleep(CHECK_EVERY);
            let state = app.state::<AppState>();
            let Some(keys) = state.keys.peek_keys(Instant::now()) else { continue };
            match state.with_workspace_now(|ws| auto_backup_if_due(ws, &keys, Moment::now_utc())) {
                Ok(Some(done)) => {
                    last_failure = None;
                    let _ = done.emit(&app);
                }
                Ok(None) => {}
                Err(e) => {
                    if last_failure.as_deref() != Some(e.message.as_str()) {
                        last_failure = Some(e.message.clone());
                        let _ = AutoBackupFailed { message: e.message }.emit(&app);
                    }
                }
            }
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use lixiang_core::identity::{keybox::KdfParams, Role};
    use lixiang_core::Lang;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut n: Vec<String> =
            std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        n.sort();
        n
    }

    #[test]
    fn the_daily_backup_writes_into_the_folder_once_a_day_and_prunes_the_oldest() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("backups");
        std::fs::create_dir(&folder).unwrap();
        let mut ws = Workspace::open(&tmp.path().join("ws")).unwrap();
        let keys =
            identity::create(&mut ws, Role::Applicant, "研究所", "passphrase!", KdfParams::FOR_TESTS).unwrap().keys;
        let now = Moment::parse("2030-01-01T10:00:00Z").unwrap();

        // No folder chosen: nothing happens.
        assert!(auto_backup_if_due(&mut ws, &keys, now).unwrap().is_none());

        // Older automatic backups, a hand-made one and another file already there.
        for old in ["lixiang-auto-20200101.lxpkg", "lixiang-auto-20200102.lxpkg", "lixiang-auto-20200103.lxpkg"] {
            std::fs::write(folder.join(old), b"old").unwrap();
        }
        std::fs::write(folder.join("lixiang-backup-20200101-0900.lxpkg"), b"by hand").unwrap();
        std::fs::write(folder.join("notes.txt"), b"mine").unwrap();
        schedule::set(&mut ws, Some(folder.display().to_string()), 2, Lang::Zh).unwrap();

        let done = auto_backup_if_due(&mut ws, &keys, now).unwrap().expect("due: never made");
        let expected = schedule::auto_file_name(now.unix_seconds(), NAME_OFFSET_MINUTES);
        assert_eq!(done.path, folder.join(&expected).display().to_string());
        assert_eq!(done.pruned.len(), 2);
        let mut want = vec![
            "lixiang-auto-20200103.lxpkg".to_string(),
            expected.clone(),
            "lixiang-backup-20200101-0900.lxpkg".into(),
            "notes.txt".into(),
        ];
        want.sort();
        assert_eq!(names_in(&folder), want);
        // The file written is a real backup: it restores.
        let restored = backup::restore(Path::new(&done.path), &tmp.path().join("restored"), "passphrase!").unwrap();
        assert_eq!(restored.identity_key_id, keys.key_id());
        assert_eq!(schedule::settings(&mut ws).unwrap().last.as_deref(), Some("2030-01-01T10:00:00Z"));
        assert_eq!(expected, "lixiang-auto-20300101.lxpkg");
        // Not again within the day.
        let later = Moment::parse("2030-01-02T09:59:59Z").unwrap();
        assert!(auto_backup_if_due(&mut ws, &keys, later).unwrap().is_none());
        // A day later: the next one, and the oldest automatic backup goes.
        let next = Moment::parse("2030-01-02T10:00:00Z").unwrap();
        let done = auto_backup_if_due(&mut ws, &keys, next).unwrap().expect("a day later");
        assert_eq!(done.pruned, vec![folder.join("lixiang-auto-20200103.lxpkg").display().to_string()]);
        assert_eq!(done.at, "2030-01-02T10:00:00Z");
        let mut want = vec![
            expected,
            "lixiang-auto-20300102.lxpkg".to_string(),
            "lixiang-backup-20200101-0900.lxpkg".into(),
            "notes.txt".into(),
        ];
        want.sort();
        assert_eq!(names_in(&folder), want);
    }

    #[test]
    fn a_missing_folder_is_an_error_that_says_which() {
        let tmp = tempfile::tempdir().unwrap();
        let folder = tmp.path().join("usb");
        std::fs::create_dir(&folder).unwrap();
        let mut ws = Workspace::open(&tmp.path().join("ws")).unwrap();
        let keys = identity::create(&mut ws, Role::Applicant, "所", "passphrase!", KdfParams::FOR_TESTS).unwrap().keys;
        schedule::set(&mut ws, Some(folder.display().to_string()), 3, Lang::Zh).unwrap();
        std::fs::remove_dir(&folder).unwrap();
        let e = auto_backup_if_due(&mut ws, &keys, Moment::now_utc()).unwrap_err();
        assert!(e.message(Lang::En).contains("usb"), "{}", e.message(Lang::En));
    }
}
