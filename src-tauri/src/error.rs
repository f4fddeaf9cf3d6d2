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

    /// The command needs the identity's keys and they are locked (never unlocked, locked by the
    /// person, or dropped after 30 idle minutes).
    pub fn locked(lang: Lang) -> IpcError {
        IpcError {
            code: "identity.locked".into(),
            message: lang
                .pick(
                    "密钥已锁定（手动锁定，或 30 分钟未使用后自动锁定）。请输入口令解锁后再试。",
                    "The keys are locked (by you, or after 30 minutes without use). Unlock them with your passphrase and try again.",
                )
                .into(),
        }
    }
}
