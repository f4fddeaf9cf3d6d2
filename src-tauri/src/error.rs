//! The one error shape that crosses IPC: a stable `code` the UI branches on, and a `message` in
//! the workspace's language that says what is wrong and what to do.

use lixiang_core::{CoreError, Lang};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

impl IpcError {
    pub fn from_core(e: &CoreError, lang: Lang) -> IpcError {
        IpcError { code: e.code().to_string(), message: e.message(lang) }
    }

    /// A failure of the shell itself (a worker thread that panicked).
    pub fn internal(lang: Lang, detail: impl std::fmt::Display) -> IpcError {
        IpcError {
            code: "app.internal".into(),
            message: format!("{}{detail}", lang.pick("程序内部错误：", "Internal error: ")),
        }
    }
}
