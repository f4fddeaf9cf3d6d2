//! Where the CLI gets a passphrase: `LIXIANG_PASSPHRASE` when set (scripts, tests), else a prompt on the
//! terminal that does not echo. Without either, the command is refused with what to do.

use lixiang_core::{CoreError, Lang};
use std::io::IsTerminal;
use zeroize::Zeroizing;

/// The environment variable a script sets instead of typing the passphrase.
pub const PASSPHRASE_ENV: &str = "LIXIANG_PASSPHRASE";

/// Reads the passphrase; with `confirm`, a prompt asks twice and refuses a mismatch.
pub fn read(lang: Lang, confirm: bool) -> lixiang_core::Result<Zeroizing<String>> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        return Ok(Zeroizing::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(CoreError::Validation {
            field: lang.pick("口令", "passphrase").into(),
            reason: lang
                .pick(
                    "没有终端可以询问口令：请在终端中运行，或设置环境变量 LIXIANG_PASSPHRASE",
                    "no terminal to ask for it: run in a terminal, or set LIXIANG_PASSPHRASE",
                )
                .into(),
        });
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| CoreError::Validation {
                field: lang.pick("口令", "passphrase").into(), reason: e.to_string()
            })
    };
    let first = ask(lang.pick("口令：", "Passphrase: "))?;
    if confirm {
        let second = ask(lang.pick("再输入一次口令：", "Passphrase again: "))?;
        if *first != *second {
            return Err(CoreError::Validation {
                field: lang.pick("口令", "passphrase").into(),
                reason: lang.pick("两次输入的口令不一致", "the two entries differ").into(),
            });
        }
    }
    Ok(first)
}
