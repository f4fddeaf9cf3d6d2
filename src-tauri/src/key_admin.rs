//! The commands of the identity card's key administration: change the passphrase, set a new one with
//! the recovery passphrase, and revoke the identity (writing its revocation card where the person
//! chooses). Each delegates to `lixiang_core::identity`, as `lixiang key recover|revoke` do; the keys a
//! change or recovery opens stay unlocked in [`AppState::keys`] (the person just typed a passphrase).

use crate::dialogs;
use crate::state::AppState;
use crate::trust::{kdf, status, IdentityStatus, SavedCard};
use crate::IpcError;
use lixiang_core::identity;
use lixiang_core::CoreError;
use std::time::Instant;
use tauri::{AppHandle, State};

/// Changes the passphrase: `old_passphrase` must open the keys (`identity.wrong_passphrase` otherwise),
/// `new_passphrase` is at least 8 characters. The recovery passphrase stays valid.
#[tauri::command]
#[specta::specta]
pub async fn identity_change_passphrase(
    state: State<'_, AppState>,
    old_passphrase: String,
    new_passphrase: String,
) -> Result<IdentityStatus, IpcError> {
    let kdf = kdf();
    let (info, keys) = state
        .with_workspace(move |ws| {
            let keys = identity::change_passphrase(ws, &old_passphrase, &new_passphrase, kdf)?;
            Ok((identity::info(ws)?.ok_or(CoreError::NoIdentity)?, keys))
        })
        .await?;
    state.keys.put(keys, Instant::now());
    Ok(status(&state, Some(info)))
}

/// Sets a new passphrase with the recovery passphrase written down at creation (typed in any case,
/// with or without dashes). The keys are unchanged.
#[tauri::command]
#[specta::specta]
pub async fn identity_recover(
    state: State<'_, AppState>,
    recovery: String,
    new_passphrase: String,
) -> Result<IdentityStatus, IpcError> {
    let kdf = kdf();
    let (info, keys) = state
        .with_workspace(move |ws| {
            let keys = identity::recover(ws, &recovery, &new_passphrase, kdf)?;
            Ok((identity::info(ws)?.ok_or(CoreError::NoIdentity)?, keys))
        })
        .await?;
    state.keys.put(keys, Instant::now());
    Ok(status(&state, Some(info)))
}

/// Revokes the identity for `reason`: asks where to save the signed revocation card
/// (`revocation-KEYID.lxpkg` proposed), then marks the identity revoked here (audited) and writes the
/// card for the others to import; from then on they refuse its packages. Needs the unlocked keys;
/// `None` (nothing revoked) when the person cancels the dialog.
#[tauri::command]
#[specta::specta]
pub async fn identity_revoke(
    app: AppHandle,
    state: State<'_, AppState>,
    reason: String,
) -> Result<Option<SavedCard>, IpcError> {
    let lang = state.lang();
    if reason.trim().is_empty() {
        return Err(IpcError::from_core(
            &CoreError::Validation {
                field: "reason / 吊销原因".into(), reason: "不能为空 / must not be empty".into()
            },
            lang,
        ));
    }
    let info = state.with_workspace(|ws| identity::info(ws)?.ok_or(CoreError::NoIdentity)).await?;
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let title = lang.pick("保存吊销证书", "Save the revocation card");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let name = format!("revocation-{}.lxpkg", info.key_id);
    let Some(path) = dialogs::save_file(&app, lang, title, filter, name).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    let card = state.with_workspace(move |ws| identity::revoke(ws, &keys, &reason, &path)).await?;
    Ok(Some(SavedCard { path: card.path, package_id: card.package_id, file_sha256: card.file_sha256 }))
}
