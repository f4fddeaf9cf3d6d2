//! Where the CLI gets a passphrase: `LIXIANG_PASSPHRASE` when set (scripts, tests), else a prompt on the
//! terminal that does not echo. Without either, the command is refused with what to do.

use lixiang_core::{CoreError, Lang};
use std::io::IsTerminal;
use zeroize::Zeroizing;

/// The environment variable a script sets instead of typing the passphrase.
pub const PASSPHRASE_ENV: &str = "LIXIANG_PASSPHRASE";

/// The environment variable a script sets instead of typing the recovery passphrase.
pub const RECOVERY_ENV: &str = "LIXIANG_RECOVERY";

/// The environment variable a script sets instead of typing the new passphrase of `key passphrase`.
pub const NEW_PASSPHRASE_ENV: &str = "LIXIANG_NEW_PASSPHRASE";

/// One secret the CLI asks for: its name in both languages and the variable that stands in for the prompt.
pub struct Secret {
    pub zh: &'static str,
    pub en: &'static str,
    pub env: &'static str,
}

/// The workspace passphrase.
pub const PASSPHRASE: Secret = Secret { zh: "口令", en: "passphrase", env: PASSPHRASE_ENV };
/// The one-time recovery passphrase shown at `init`.
pub const RECOVERY: Secret = Secret { zh: "恢复口令", en: "recovery passphrase", env: RECOVERY_ENV };
/// The passphrase that replaces the current one.
pub const NEW_PASSPHRASE: Secret = Secret { zh: "新口令", en: "new passphrase", env: NEW_PASSPHRASE_ENV };

/// Reads the passphrase; with `confirm`, a prompt asks twice and refuses a mismatch.
pub fn read(lang: Lang, confirm: bool) -> lixiang_core::Result<Zeroizing<String>> {
    read_secret(lang, &PASSPHRASE, confirm)
}

/// Reads `secret` from its environment variable when set, else from a prompt that does not echo; with
/// `confirm`, the prompt asks twice and refuses a mismatch. Without either, refused naming the variable.
pub fn read_secret(lang: Lang, secret: &Secret, confirm: bool) -> lixiang_core::Result<Zeroizing<String>> {
    if let Ok(p) = std::env::var(secret.env) {
        return Ok(Zeroizing::new(p));
    }
    let refuse = |reason: String| CoreError::Validation { field: lang.pick(secret.zh, secret.en).into(), reason };
    if !std::io::stdin().is_terminal() {
        return Err(refuse(match lang {
            Lang::Zh => format!("没有终端可以询问{}：请在终端中运行，或设置环境变量 {}", secret.zh, secret.env),
            Lang::En => format!("no terminal to ask for it: run in a terminal, or set {}", secret.env),
        }));
    }
    let ask =
        |prompt: String| rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|e| refuse(e.to_string()));
    let first = ask(match lang {
        Lang::Zh => format!("{}：", secret.zh),
        Lang::En => format!("{}{}: ", secret.en[..1].to_uppercase(), &secret.en[1..]),
    })?;
    if confirm {
        let second = ask(match lang {
            Lang::Zh => format!("再输入一次{}：", secret.zh),
            Lang::En => format!("The {} again: ", secret.en),
        })?;
        if *first != *second {
            return Err(refuse(lang.pick("两次输入的口令不一致", "the two entries differ").into()));
        }
    }
    Ok(first)
}
