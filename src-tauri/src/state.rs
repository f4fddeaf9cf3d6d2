//! What the shell holds while the window is open: the workspace (or why it could not be opened,
//! so the window can say so instead of failing to start), the UI language for messages, and the
//! identity's keys while unlocked ([`KeyHolder`]).
//!
//! The workspace opens on a thread of its own ([`AppState::open`]) while Tauri starts the webview: on a
//! fresh data dir opening means creating, migrating and seeding the database, which need not delay the
//! first frame. The first command that needs the workspace (or the language) waits for it.

use crate::keys::{KeyHolder, IDLE_LIMIT};
use crate::IpcError;
use lixiang_core::{preference, workspace, Lang, Workspace};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What the opening thread hands back: the workspace (or why it did not open) and its language.
type Opening = (Result<Arc<Mutex<Workspace>>, IpcError>, Lang);

pub struct AppState {
    /// Behind a lock of its own so that the app can switch to another workspace (a restored one)
    /// while running: commands take the current one at their start. `None` until the opening thread
    /// has been waited for ([`AppState::settle`]); every reader settles first.
    workspace: Mutex<Option<Result<Arc<Mutex<Workspace>>, IpcError>>>,
    /// The thread opening the workspace at start-up, until someone needed its result.
    opening: Mutex<Option<std::thread::JoinHandle<Opening>>>,
    dir: Option<PathBuf>,
    lang: Mutex<Lang>,
    /// The unlocked keys; dropped with the state when the app exits.
    pub keys: KeyHolder,
}

impl AppState {
    /// Opens (creating and seeding on first start) the workspace `explicit` names, or the default, on a
    /// thread of its own: the state is returned at once, and the first use of the workspace waits.
    pub fn open(explicit: Option<&Path>) -> AppState {
        let dir = workspace::resolve_dir(explicit);
        let (dir, opening) = match dir {
            Ok(d) => {
                let at = d.clone();
                let thread = std::thread::spawn(move || {
                    let opening = opened(Workspace::open(&at));
                    crate::startup::mark("workspace_opened");
                    opening
                });
                (Some(d), thread)
            }
            Err(e) => (None, std::thread::spawn(move || opened(Err(e)))),
        };
        AppState {
            workspace: Mutex::new(None),
            opening: Mutex::new(Some(opening)),
            dir,
            lang: Mutex::new(Lang::Zh),
            keys: KeyHolder::new(IDLE_LIMIT),
        }
    }

    /// [`AppState::open`] on the calling thread, with another idle limit for the keys (tests).
    pub fn open_with_idle_limit(explicit: Option<&Path>, idle_limit: std::time::Duration) -> AppState {
        let (dir, (workspace, lang)) = match workspace::resolve_dir(explicit) {
            Ok(d) => {
                let ws = opened(Workspace::open(&d));
                (Some(d), ws)
            }
            Err(e) => (None, opened(Err(e))),
        };
        AppState {
            workspace: Mutex::new(Some(workspace)),
            opening: Mutex::new(None),
            dir,
            lang: Mutex::new(lang),
            keys: KeyHolder::new(idle_limit),
        }
    }

    /// Waits for the opening thread, once, and takes what it opened. The `opening` lock is held while
    /// waiting, so every caller sees what was opened, never `None`.
    fn settle(&self) {
        let mut opening = self.opening.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(thread) = opening.take() {
            let (workspace, lang) = thread.join().unwrap_or_else(|_| {
                let failed = lixiang_core::CoreError::Validation {
                    field: "workspace / 工作区".into(),
                    reason: "打开工作区时出错 / opening the workspace failed".into(),
                };
                (Err(IpcError::from_core(&failed, Lang::Zh)), Lang::Zh)
            });
            *self.workspace.lock().unwrap_or_else(|p| p.into_inner()) = Some(workspace);
            *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
        }
    }

    fn current(&self) -> Result<Arc<Mutex<Workspace>>, IpcError> {
        self.settle();
        self.workspace.lock().unwrap_or_else(|p| p.into_inner()).clone().expect("settled: the opening was waited for")
    }

    /// Switches the running app to the workspace in `dir` (a restored one): opened first, so a
    /// workspace that does not open leaves the app where it was. The keys of the previous workspace
    /// are dropped (the new one is unlocked with its own passphrase), and its language preference is
    /// taken. The webview's own data (window size, …) stays in the first workspace's directory.
    pub fn switch_to(&self, dir: &Path) -> Result<(), IpcError> {
        self.settle();
        let mut ws = Workspace::open(dir).map_err(|e| IpcError::from_core(&e, self.lang()))?;
        let lang = preference::language(&mut ws).unwrap_or_default();
        *self.workspace.lock().unwrap_or_else(|p| p.into_inner()) = Some(Ok(Arc::new(Mutex::new(ws))));
        self.keys.lock();
        self.set_lang(lang);
        Ok(())
    }

    /// `<workspace>/webview`, when the workspace directory is known.
    pub fn webview_dir(&self) -> Option<PathBuf> {
        self.dir.as_ref().map(|d| d.join("webview"))
    }

    /// Whether the workspace opened; when not, every workspace command returns why.
    pub fn is_open(&self) -> bool {
        self.settle();
        matches!(*self.workspace.lock().unwrap_or_else(|p| p.into_inner()), Some(Ok(_)))
    }

    pub fn lang(&self) -> Lang {
        self.settle();
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_lang(&self, lang: Lang) {
        self.settle();
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
    }

    /// Runs `f` on the workspace on a blocking worker thread, so the window never waits on SQLite.
    pub async fn with_workspace<T, F>(&self, f: F) -> Result<T, IpcError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Workspace) -> lixiang_core::Result<T> + Send + 'static,
    {
        let ws = self.current()?;
        let lang = self.lang();
        tauri::async_runtime::spawn_blocking(move || {
            let mut guard = ws.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard).map_err(|e| IpcError::from_core(&e, lang))
        })
        .await
        .map_err(|e| IpcError::internal(lang, e))?
    }

    /// Runs `f` on the workspace on the calling thread (start-up, before the window exists).
    pub fn with_workspace_now<T>(
        &self,
        f: impl FnOnce(&mut Workspace) -> lixiang_core::Result<T>,
    ) -> Result<T, IpcError> {
        let ws = self.current()?;
        let mut guard = ws.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard).map_err(|e| IpcError::from_core(&e, self.lang()))
    }
}

/// The opened workspace behind its locks, with its language preference; or why it did not open, in
/// Chinese (the language is unknown then).
fn opened(opened: lixiang_core::Result<Workspace>) -> Opening {
    match opened {
        Ok(mut ws) => {
            let lang = preference::language(&mut ws).unwrap_or_default();
            (Ok(Arc::new(Mutex::new(ws))), lang)
        }
        Err(e) => (Err(IpcError::from_core(&e, Lang::Zh)), Lang::Zh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_opened_in_the_background_serves_the_first_command() {
        let tmp = tempfile::tempdir().unwrap();
        let state = AppState::open(Some(&tmp.path().join("fresh")));
        let catalog = state.with_workspace_now(lixiang_core::catalog::get).unwrap();
        assert_eq!(catalog.programmes.len(), 8, "created and seeded on the opening thread");
        assert!(state.is_open());
        assert_eq!(state.lang(), Lang::Zh);
    }

    #[test]
    fn a_workspace_that_does_not_open_is_reported_by_every_command() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("not-a-directory");
        std::fs::write(&file, b"x").unwrap();
        let state = AppState::open(Some(&file));
        assert!(!state.is_open());
        let first = state.with_workspace_now(lixiang_core::catalog::get).unwrap_err();
        let second = state.with_workspace_now(lixiang_core::catalog::get).unwrap_err();
        assert_eq!(first.code, second.code);
        assert_eq!(first.code, "workspace.io", "the opening's own error");
    }
}
