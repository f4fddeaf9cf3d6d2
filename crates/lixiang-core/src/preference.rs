//! Preferences kept in the workspace, so that a fresh data directory is a fresh app.

use crate::{Lang, Result, Workspace};
use lixiang_store::Unaudited;

const LANGUAGE_KEY: &str = "ui.language";

/// The UI language chosen in this workspace; Chinese until someone switches.
pub fn language(ws: &mut Workspace) -> Result<Lang> {
    let stored = ws.store.read(|r| Ok::<_, crate::CoreError>(r.preference(LANGUAGE_KEY)?))?;
    Ok(stored.as_deref().and_then(Lang::parse).unwrap_or_default())
}

/// Remembers the UI language in this workspace.
pub fn set_language(ws: &mut Workspace, lang: Lang) -> Result<()> {
    ws.store.write_unaudited(Unaudited::Preference, |w| Ok(w.preference_set(LANGUAGE_KEY, lang.tag())?))
}
