//! The commands of identity and exchange: the workspace's identity (create, unlock, lock, its key
//! card) and incoming packages (inspect, import with trust on first use, the contacts). Each converts,
//! delegates to `lixiang_core::{identity, import, package}` and converts back, as `lixiang init`,
//! `lixiang key …` and `lixiang package …` do; the unlocked keys live in [`AppState::keys`].

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::identity::{self, keybox::KdfParams, IdentityInfo, Role};
use lixiang_core::import::{self, ImportOutcome, Trust};
use lixiang_core::package::{self, Limits};
use lixiang_core::{CoreError, Lang};
use lixiang_store::Contact;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Instant;
use tauri::{AppHandle, Manager, State};
use tauri_specta::Event;

/// The workspace's identity as the window shows it, and whether its keys are unlocked.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IdentityStatus {
    /// `None` until an identity is created.
    pub identity: Option<IdentityInfo>,
    pub unlocked: bool,
    /// Minutes without use after which the keys lock themselves.
    pub idle_lock_minutes: u32,
}

pub(crate) fn status(state: &AppState, identity: Option<IdentityInfo>) -> IdentityStatus {
    IdentityStatus {
        unlocked: identity.is_some() && state.keys.is_unlocked(Instant::now()),
        identity,
        idle_lock_minutes: u32::try_from(state.keys.idle_limit().as_secs() / 60).unwrap_or(u32::MAX),
    }
}

/// Argon2id cost for a new identity, as `lixiang init` chooses it: `LIXIANG_KDF=test` selects cheap
/// parameters for test suites (the key box records its parameters, so unlocking is unaffected).
pub(crate) fn kdf() -> KdfParams {
    match std::env::var("LIXIANG_KDF").as_deref() {
        Ok("test") => KdfParams::FOR_TESTS,
        _ => KdfParams::default(),
    }
}

/// The identity, `None` before one is created, and whether it is unlocked.
#[tauri::command]
#[specta::specta]
pub async fn identity_get(state: State<'_, AppState>) -> Result<IdentityStatus, IpcError> {
    let info = state.with_workspace(identity::info).await?;
    Ok(status(&state, info))
}

/// A new identity and its recovery passphrase, which exists only in this answer: the window shows it
/// once.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CreatedIdentity {
    pub info: IdentityInfo,
    pub recovery_passphrase: String,
}

/// Creates the workspace's identity (the keys stay unlocked: the person just typed the passphrase).
/// Refused when one exists, the name is empty or the passphrase shorter than 8 characters.
#[tauri::command]
#[specta::specta]
pub async fn identity_create(
    state: State<'_, AppState>,
    role: Role,
    name: String,
    passphrase: String,
) -> Result<CreatedIdentity, IpcError> {
    let kdf = kdf();
    let created = state.with_workspace(move |ws| identity::create(ws, role, &name, &passphrase, kdf)).await?;
    let identity::Created { info, recovery_passphrase, keys } = created;
    state.keys.put(keys, Instant::now());
    Ok(CreatedIdentity { info, recovery_passphrase: recovery_passphrase.as_str().to_owned() })
}

/// Unlocks the keys with the passphrase (`identity.wrong_passphrase` when it does not open them).
#[tauri::command]
#[specta::specta]
pub async fn identity_unlock(state: State<'_, AppState>, passphrase: String) -> Result<IdentityStatus, IpcError> {
    let (info, keys) = state
        .with_workspace(move |ws| {
            let info = identity::info(ws)?.ok_or(CoreError::NoIdentity)?;
            Ok((info, identity::unlock(ws, &passphrase)?))
        })
        .await?;
    state.keys.put(keys, Instant::now());
    Ok(status(&state, Some(info)))
}

/// Drops the unlocked keys from memory.
#[tauri::command]
#[specta::specta]
pub async fn identity_lock(state: State<'_, AppState>) -> Result<IdentityStatus, IpcError> {
    state.keys.lock();
    let info = state.with_workspace(identity::info).await?;
    Ok(status(&state, info))
}

/// Unlocks from `LIXIANG_PASSPHRASE` at start-up, in builds with the `e2e` feature only (a product
/// build never reads a passphrase from the environment).
pub fn unlock_from_env(state: &AppState) {
    if !cfg!(feature = "e2e") {
        return;
    }
    let Ok(pass) = std::env::var("LIXIANG_PASSPHRASE") else { return };
    match state.with_workspace_now(|ws| identity::unlock(ws, &pass)) {
        Ok(keys) => state.keys.put(keys, Instant::now()),
        Err(e) => eprintln!("LIXIANG_PASSPHRASE: {} ({})", e.message, e.code),
    }
}

/// A key card the app saved where the person chose.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SavedCard {
    pub path: String,
    pub package_id: String,
    pub file_sha256: String,
}

/// Writes the identity's key card (a signed package others import to trust this workspace): asks where
/// with a save dialog (`key-card-KEYID.lxpkg` proposed). Needs the unlocked keys; `None` when the
/// person cancels the dialog.
#[tauri::command]
#[specta::specta]
pub async fn key_card_export(app: AppHandle, state: State<'_, AppState>) -> Result<Option<SavedCard>, IpcError> {
    let lang = state.lang();
    let info = state.with_workspace(|ws| identity::info(ws)?.ok_or(CoreError::NoIdentity)).await?;
    // Refuse before asking where: a locked window could not write the card anyway.
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let title = lang.pick("保存密钥卡", "Save the key card");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let name = format!("key-card-{}.lxpkg", info.key_id);
    let Some(path) = dialogs::save_file(&app, lang, title, filter, name).await? else { return Ok(None) };
    // The keys are taken (and their idle time restarted) only now: the dialog may have stayed open long.
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    let card = state.with_workspace(move |ws| identity::export_key_card(ws, &keys, &path)).await?;
    Ok(Some(SavedCard { path: card.path, package_id: card.package_id, file_sha256: card.file_sha256 }))
}

/// Asks for package files to import with the system's open dialog (several at once); `None` when the
/// person cancels.
#[tauri::command]
#[specta::specta]
pub async fn package_choose_files(app: AppHandle, state: State<'_, AppState>) -> Result<Option<Vec<String>>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("选择要导入的文件包", "Choose the packages to import");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let picked = dialogs::open_files(&app, lang, title, Some(filter)).await?;
    Ok(picked.map(|paths| paths.iter().map(|p| p.display().to_string()).collect()))
}

/// What a package says about itself, before anything is imported (`lixiang package inspect`).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PackageSummary {
    pub file: String,
    pub package_id: String,
    pub kind: String,
    pub sender_key_id: String,
    /// 6 groups of 5 digits, to compare with the sender.
    pub sender_fingerprint: String,
    pub recipients: Vec<String>,
    pub created_at: String,
    pub confidential: bool,
    pub attachments: u32,
    pub file_sha256: String,
    /// Bytes, as a string: files may exceed what a JavaScript number holds exactly.
    pub size: String,
}

/// Verifies a package (every byte, the signature) and says what it is, without importing it.
#[tauri::command]
#[specta::specta]
pub async fn package_inspect(state: State<'_, AppState>, path: String) -> Result<PackageSummary, IpcError> {
    let lang = state.lang();
    tauri::async_runtime::spawn_blocking(move || {
        let i = package::inspect(std::path::Path::new(&path), &Limits::default())
            .map_err(|e| IpcError::from_core(&e, lang))?;
        let m = i.manifest;
        Ok(PackageSummary {
            file: path,
            package_id: m.id.to_string(),
            kind: m.kind.as_str().to_string(),
            sender_key_id: m.sender.key_id,
            sender_fingerprint: i.sender_fingerprint,
            recipients: m.recipients,
            created_at: m.created_at,
            confidential: m.confidential,
            attachments: u32::try_from(m.attachments.len()).unwrap_or(u32::MAX),
            file_sha256: i.file_sha256,
            size: i.size.to_string(),
        })
    })
    .await
    .map_err(|e| IpcError::internal(lang, e))?
}

/// A sender this workspace does not know yet: what the person must compare before trusting it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct UnknownSender {
    pub key_id: String,
    /// 6 groups of 5 digits.
    pub fingerprint: String,
    /// The package's kind (`key_card`, `call` …).
    pub kind: String,
}

/// How the import of one file ended.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FileImport {
    pub file: String,
    /// Imported now or before; `None` when refused.
    pub outcome: Option<ImportOutcome>,
    /// Why it was refused; `None` when imported.
    pub error: Option<IpcError>,
    /// Set with `error.code == "package.sender_unknown"`: confirming re-imports with this fingerprint.
    pub unknown_sender: Option<UnknownSender>,
    /// One line for the person: what was imported, or why not.
    pub message: String,
}

fn file_import(file: String, result: lixiang_core::Result<ImportOutcome>, locked: bool, lang: Lang) -> FileImport {
    match result {
        Ok(outcome) => FileImport {
            message: outcome.describe(lang),
            file,
            outcome: Some(outcome),
            error: None,
            unknown_sender: None,
        },
        Err(e) => {
            let unknown_sender = match &e {
                CoreError::TrustNeeded { key_id, fingerprint, kind, .. } => {
                    Some(UnknownSender { key_id: key_id.clone(), fingerprint: fingerprint.clone(), kind: kind.clone() })
                }
                _ => None,
            };
            // The core says "no identity" for a confidential package opened without keys; here the
            // identity exists and is only locked.
            let error = if locked && matches!(e, CoreError::NoIdentity) {
                IpcError::locked(lang)
            } else {
                IpcError::from_core(&e, lang)
            };
            FileImport { message: error.message.clone(), file, outcome: None, error: Some(error), unknown_sender }
        }
    }
}

/// Progress of an import of several files: files read and packages written, sent at most every
/// PROGRESS_EVERY while it runs and once at the end.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct ImportProgress {
    /// Files read (verified, decrypted and checked).
    pub done: u32,
    /// Packages written into the workspace's database, which follows the reading by a batch.
    pub written: u32,
    pub total: u32,
    /// The file being imported now (empty at the end).
    pub file: String,
}

/// Sent when the keys locked themselves after the idle time.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct KeysLocked {
    pub idle_minutes: u32,
}

/// Imports package files (a folder's `.lxpkg` files too), each verified completely before anything is
/// written, in order. A refused file does not stop the others: each gets its outcome. An
/// unknown sender is imported only with `trust_fingerprint`, the fingerprint the person compared.
#[tauri::command]
#[specta::specta]
pub async fn package_import(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    trust_fingerprint: Option<String>,
) -> Result<Vec<FileImport>, IpcError> {
    let lang = state.lang();
    // As `lixiang package import`: a workspace without an identity imports nothing.
    state.with_workspace(|ws| identity::info(ws)?.ok_or(CoreError::NoIdentity).map(|_| ())).await?;
    let given: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let files = tauri::async_runtime::spawn_blocking(move || import::collect_files(&given))
        .await
        .map_err(|e| IpcError::internal(lang, e))?
        .map_err(|e| IpcError::from_core(&e, lang))?;
    if files.is_empty() {
        let e = CoreError::Validation {
            field: lang.pick("文件", "files").into(),
            reason: lang.pick("没有找到 .lxpkg 文件", "no .lxpkg file found").into(),
        };
        return Err(IpcError::from_core(&e, lang));
    }
    let trust = match trust_fingerprint {
        Some(f) => Trust::Fingerprint(f),
        None => Trust::AskFirst,
    };
    let total = u32::try_from(files.len()).unwrap_or(u32::MAX);
    // Holding the keys for an import counts as using them (a confidential package needs them).
    let keys = state.keys.use_keys(Instant::now());
    let locked = keys.is_none();
    let first = files[0].display().to_string();
    let _ = ImportProgress { done: 0, written: 0, total, file: first }.emit(&app);
    let progress = app.clone();
    // As `lixiang package import`: submissions in batches (their attachments made durable together, one
    // transaction with a savepoint per package), every other kind alone. File by file, each with its
    // own transaction and fsyncs, a folder of 1,000 took five times as long.
    let results = state
        .with_workspace(move |ws| {
            // At background priority: the window keeps drawing (background.rs).
            crate::background::run(|| {
                let mut results = Vec::with_capacity(files.len());
                let mut shown_at = Instant::now();
                let mut last = import::Progress::default();
                let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                // The window is told how many files are read and packages written, and which file is
                // being read, at most every PROGRESS_EVERY (outcomes come a batch at a time).
                let read = |p: import::Progress| {
                    last = p;
                    if shown_at.elapsed() >= PROGRESS_EVERY {
                        shown_at = Instant::now();
                        let file = files.get(p.read).map(|f| f.display().to_string()).unwrap_or_default();
                        let _ = ImportProgress { done: count(p.read), written: count(p.written), total, file }
                            .emit(&progress);
                    }
                };
                import::import_files_reading(
                    ws,
                    &files,
                    keys.as_ref(),
                    &trust,
                    &Limits::default(),
                    read,
                    |path, r| {
                        results.push(file_import(path.display().to_string(), r, locked, lang));
                    },
                )?;
                let written = count(last.written);
                let _ = ImportProgress { done: total, written, total, file: String::new() }.emit(&progress);
                Ok(results)
            })
        })
        .await?;
    Ok(results)
}

/// How often an import tells the window how far it is: often enough to read as moving, seldom enough
/// that the window does not spend its frames on it.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// The senders this workspace trusts (and those it trusted, revoked since).
#[tauri::command]
#[specta::specta]
pub async fn contacts_list(state: State<'_, AppState>) -> Result<Vec<Contact>, IpcError> {
    state.with_workspace(import::contacts).await
}

/// The background tick: drops keys idle past the limit and tells the window.
pub fn spawn_idle_lock(app: AppHandle) -> std::io::Result<()> {
    let tick = (app.state::<AppState>().keys.idle_limit() / 4).min(std::time::Duration::from_secs(15));
    std::thread::Builder::new().name("idle-lock".into()).spawn(move || loop {
        std::thread::sleep(tick);
        let state = app.state::<AppState>();
        if state.keys.expire_if_idle(Instant::now()) {
            let idle_minutes = u32::try_from(state.keys.idle_limit().as_secs() / 60).unwrap_or(u32::MAX);
            let _ = KeysLocked { idle_minutes }.emit(&app);
        }
    })?;
    Ok(())
}
