//! Where a workspace lives when nobody says otherwise. The CLI and the desktop shell both call
//! [`default_workspace_dir`], so they always agree; the shell never keeps data in Tauri's own folders.

use std::path::PathBuf;

/// The name of the database file inside a workspace directory.
pub const DATABASE_FILE_NAME: &str = "lixiang.db";

/// `$XDG_DATA_HOME/lixiang/default`, else `~/.local/share/lixiang/default` (on Windows the roaming
/// application-data folder). `None` only when the platform reports no home directory at all.
pub fn default_workspace_dir() -> Option<PathBuf> {
    dirs::data_dir().map(|d| d.join("lixiang").join("default"))
}
