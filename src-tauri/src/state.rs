//! What the shell holds while the window is open: the workspace (or why it could not be opened,
//! so the window can say so instead of failing to start), the UI language for messages, and the
//! identity's keys while unlocked ([`KeyHolder`]).

use crate::keys::{KeyHolder, IDLE_LIMIT};
use crate::IpcError;
use lixiang_core::{preference, workspace, Lang, Workspace};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub struct AppState {
    /// Behind a lock of its own so that the app can switch to another workspace (a restored one)
    /// while running: commands take the current one at their start.
    workspace: Mutex<Result<Arc<Mutex<Workspace>>, IpcError>>,
    dir: Option<PathBuf>,
    lang: Mutex<Lang>,
    /// The unlocked keys; dropped with the state when the app exits.
    pub keys: KeyHolder,
}

impl AppState {
    /// Opens (creating and seeding on first start) the workspace `explicit` names, or the default.
    pub fn open(explicit: Option<&Path>) -> AppState {
        Self::open_with_idle_limit(explicit, IDLE_LIMIT)
    }

    /// [`AppState::open`] with another idle limit for the keys (tests).
    pub fn open_with_idle_limit(explicit: Option<&Path>, idle_limit: std::time::Duration) -> AppState {
        let (dir, opened) = match workspace::resolve_dir(explicit) {
            Ok(d) => {
                let opened = Workspace::open(&d);
                (Some(d), opened)
            }
            Err(e) => (None, Err(e)),
        };
        let (workspace, lang) = match opened {
            Ok(mut ws) => {
                let lang = preference::language(&mut ws).unwrap_or_default();
                (Ok(Arc::new(Mutex::new(ws))), lang)
            }
            Err(e) => (Err(IpcError::from_core(&e, Lang::Zh)), Lang::Zh),
        };
        AppState { workspace: Mutex::new(workspace), dir, lang: Mutex::new(lang), keys: KeyHolder::new(idle_limit) }
    }

    fn current(&self) -> Result<Arc<Mutex<Workspace>>, IpcError> {
        self.workspace.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Switches the running app to the workspace in `dir` (a restored one): opened first, so a
    /// workspace that does not open leaves the app where it was. The keys of the previous workspace
    /// are dropped (the new one is unlocked with its own passphrase), and its language preference is
    /// taken. The webview's own data (window size, …) stays in the first workspace's directory.
    pub fn switch_to(&self, dir: &Path) -> Result<(), IpcError> {
        let mut ws = Workspace::open(dir).map_err(|e| IpcError::from_core(&e, self.lang()))?;
        let lang = preference::language(&mut ws).unwrap_or_default();
        *self.workspace.lock().unwrap_or_else(|p| p.into_inner()) = Ok(Arc::new(Mutex::new(ws)));
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
        self.workspace.lock().unwrap_or_else(|p| p.into_inner()).is_ok()
    }

    pub fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn set_lang(&self, lang: Lang) {
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
