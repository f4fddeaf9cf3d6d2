//! Why a package was refused (or could not be written). Every variant has a stable dotted code that the
//! UI and scripts branch on, and a Chinese and English message that names the file and says what to do.
//! The core wraps these in [`crate::CoreError::Package`] together with the file's name.

use crate::Lang;

/// A refused or failed package operation. Codes are stable: `package.truncated`, `package.not_a_package` …
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    /// The file ends before its structure says it should.
    #[error("truncated while reading {part}")]
    Truncated { part: Part },

    /// The file does not start with the package magic bytes.
    #[error("not a Lixiang package (no LXPKG magic)")]
    NotAPackage,

    /// The file was written in a container format newer than this reader knows.
    #[error("format version {found}; this reader supports up to {supported}")]
    NewerFormat { found: u16, supported: u16 },

    /// The manifest names a cryptographic suite this reader does not implement.
    #[error("unknown suite {suite}")]
    UnknownSuite { suite: u16 },

    /// The container or the manifest does not follow the format; `what` names the part.
    #[error("malformed: {what}")]
    Malformed { what: String },

    /// The sender's signature does not match the file: it was altered or damaged after sealing.
    #[error("signature does not verify")]
    SignatureInvalid,

    /// The sender's key id is not the hash of the public key the manifest carries.
    #[error("sender key id {claimed} is not the id of its key ({computed})")]
    KeyIdMismatch { claimed: String, computed: String },

    /// The content of the payload or an attachment is not what the signed manifest lists.
    #[error("content of {part} does not match its hash in the manifest")]
    HashMismatch { part: Part },

    /// The package is encrypted to other keys than the ones given.
    #[error("not addressed to key {my_key_id}")]
    NotAddressedToMe { my_key_id: String },

    /// Something exceeds a limit of the reader or writer; `part` names it.
    #[error("{part} is {found} bytes, over the limit of {limit}")]
    TooLarge { part: Part, found: u64, limit: u64 },

    /// More attachments than the limit.
    #[error("{found} attachments, over the limit of {limit}")]
    TooManyEntries { found: u64, limit: u64 },

    /// An attachment name that could be unsafe as a file name on some system.
    #[error("unsafe attachment name {name:?}: {reason}")]
    UnsafeName { name: String, reason: String },

    /// Bytes after the signature.
    #[error("bytes after the signature")]
    TrailingBytes,

    /// Reading, writing or staging failed (disk, permissions, a source that failed).
    #[error("{op}: {source}")]
    Io { op: String, source: std::io::Error },
}

/// A part of a package, named in refusals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The magic bytes, the format version and the manifest length.
    Header,
    Manifest,
    Payload,
    /// An attachment, by its name (or its position when the name is not known yet).
    Attachment(String),
    Signature,
    /// The whole file.
    File,
}

impl Part {
    /// The part's name in the person's language.
    pub fn name(&self, lang: Lang) -> String {
        match (self, lang) {
            (Part::Header, Lang::Zh) => "文件头".into(),
            (Part::Manifest, Lang::Zh) => "清单".into(),
            (Part::Payload, Lang::Zh) => "正文".into(),
            (Part::Attachment(name), Lang::Zh) => format!("附件「{name}」"),
            (Part::Signature, Lang::Zh) => "签名".into(),
            (Part::File, Lang::Zh) => "整个文件".into(),
            (part, Lang::En) => part.to_string(),
        }
    }
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Part::Header => f.write_str("the header"),
            Part::Manifest => f.write_str("the manifest"),
            Part::Payload => f.write_str("the payload"),
            Part::Attachment(name) => write!(f, "the attachment “{name}”"),
            Part::Signature => f.write_str("the signature"),
            Part::File => f.write_str("the whole file"),
        }
    }
}

impl PackageError {
    pub(crate) fn io(op: impl Into<String>) -> impl FnOnce(std::io::Error) -> PackageError {
        let op = op.into();
        move |source| PackageError::Io { op, source }
    }

    pub(crate) fn malformed(what: impl Into<String>) -> PackageError {
        PackageError::Malformed { what: what.into() }
    }

    /// `true` for every refusal of the package's content; `false` only for I/O failures, where retrying or
    /// fixing the disk may help.
    pub fn is_refusal(&self) -> bool {
        !matches!(self, PackageError::Io { .. })
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            PackageError::Truncated { .. } => "package.truncated",
            PackageError::NotAPackage => "package.not_a_package",
            PackageError::NewerFormat { .. } => "package.newer_format",
            PackageError::UnknownSuite { .. } => "package.unknown_suite",
            PackageError::Malformed { .. } => "package.malformed",
            PackageError::SignatureInvalid => "package.signature_invalid",
            PackageError::KeyIdMismatch { .. } => "package.key_id_mismatch",
            PackageError::HashMismatch { .. } => "package.hash_mismatch",
            PackageError::NotAddressedToMe { .. } => "package.not_addressed_to_me",
            PackageError::TooLarge { .. } => "package.too_large",
            PackageError::TooManyEntries { .. } => "package.too_many_entries",
            PackageError::UnsafeName { .. } => "package.unsafe_name",
            PackageError::TrailingBytes => "package.trailing_bytes",
            PackageError::Io { .. } => "package.io",
        }
    }

    /// What is wrong with the package `file` and what to do, in the person's language.
    pub fn message(&self, lang: Lang, file: &str) -> String {
        match (self, lang) {
            (PackageError::Truncated { part }, Lang::Zh) => format!(
                "交换包 {file} 不完整（读取{}时文件已结束）。文件可能未复制完整，请向发送方重新索取。",
                part.name(lang)
            ),
            (PackageError::Truncated { part }, Lang::En) => format!(
                "The package {file} is incomplete (the file ends while reading {part}). It may not have been copied completely; ask the sender for it again."
            ),
            (PackageError::NotAPackage, Lang::Zh) => {
                format!("{file} 不是立项交换包（文件开头没有 LXPKG 标记）。请确认选择的是 .lxpkg 文件。")
            }
            (PackageError::NotAPackage, Lang::En) => format!(
                "{file} is not a Lixiang package (it does not start with the LXPKG marker). Check that you chose a .lxpkg file."
            ),
            (PackageError::NewerFormat { found, supported }, Lang::Zh) => format!(
                "交换包 {file} 使用格式版本 {found}，本程序只能读取到版本 {supported}。请将立项升级到能读取格式 {found} 的版本。"
            ),
            (PackageError::NewerFormat { found, supported }, Lang::En) => format!(
                "The package {file} uses format version {found}; this program reads up to version {supported}. Update Lixiang to a version that reads format {found}."
            ),
            (PackageError::UnknownSuite { suite }, Lang::Zh) => format!(
                "交换包 {file} 使用密码套件 {suite}，本程序不支持。请将立项升级到支持该套件的版本，或请发送方改用套件 1。"
            ),
            (PackageError::UnknownSuite { suite }, Lang::En) => format!(
                "The package {file} uses cryptographic suite {suite}, which this program does not support. Update Lixiang, or ask the sender to use suite 1."
            ),
            (PackageError::Malformed { what }, Lang::Zh) => {
                format!("交换包 {file} 格式有误：{what}。请向发送方重新索取该文件。")
            }
            (PackageError::Malformed { what }, Lang::En) => {
                format!("The package {file} is malformed: {what}. Ask the sender for the file again.")
            }
            (PackageError::SignatureInvalid, Lang::Zh) => format!(
                "交换包 {file} 的签名验证失败：文件在签发后被修改或损坏。未导入任何内容；请向发送方重新索取。"
            ),
            (PackageError::SignatureInvalid, Lang::En) => format!(
                "The signature of the package {file} does not verify: the file was altered or damaged after it was sealed. Nothing was imported; ask the sender for it again."
            ),
            (PackageError::KeyIdMismatch { claimed, computed }, Lang::Zh) => format!(
                "交换包 {file} 声称的发送方密钥编号 {claimed} 与其公钥不符（应为 {computed}）。该文件不可信，请勿导入。"
            ),
            (PackageError::KeyIdMismatch { claimed, computed }, Lang::En) => format!(
                "The package {file} claims sender key id {claimed}, but its public key has id {computed}. Do not trust this file."
            ),
            (PackageError::HashMismatch { part }, Lang::Zh) => format!(
                "交换包 {file} 中{}的内容与清单记录的 SHA-256 不符。未导入任何内容；请向发送方重新索取。",
                part.name(lang)
            ),
            (PackageError::HashMismatch { part }, Lang::En) => format!(
                "In the package {file}, the content of {part} does not match the SHA-256 in its manifest. Nothing was imported; ask the sender for it again."
            ),
            (PackageError::NotAddressedToMe { my_key_id }, Lang::Zh) => format!(
                "交换包 {file} 不是发给本身份（密钥编号 {my_key_id}）的，无法解密。请确认在正确的工作区中导入，或请发送方按您的密钥重新封装。"
            ),
            (PackageError::NotAddressedToMe { my_key_id }, Lang::En) => format!(
                "The package {file} is not addressed to this identity (key id {my_key_id}) and cannot be decrypted. Import it in the right workspace, or ask the sender to seal it to your key."
            ),
            (PackageError::TooLarge { part, found, limit }, Lang::Zh) => format!(
                "交换包 {file} 的{}为 {found} 字节，超过上限 {limit} 字节。请发送方拆分或压缩内容。",
                part.name(lang)
            ),
            (PackageError::TooLarge { part, found, limit }, Lang::En) => format!(
                "In the package {file}, {part} is {found} bytes, over the limit of {limit} bytes. Ask the sender to split or shrink it."
            ),
            (PackageError::TooManyEntries { found, limit }, Lang::Zh) => {
                format!("交换包 {file} 含 {found} 个附件，超过上限 {limit} 个。请发送方合并附件。")
            }
            (PackageError::TooManyEntries { found, limit }, Lang::En) => format!(
                "The package {file} holds {found} attachments, over the limit of {limit}. Ask the sender to combine them."
            ),
            (PackageError::UnsafeName { name, reason }, Lang::Zh) => format!(
                "交换包 {file} 中的附件名「{}」不安全（{reason}）。未导入任何内容；请发送方改名后重新封装。",
                name.escape_debug()
            ),
            (PackageError::UnsafeName { name, reason }, Lang::En) => format!(
                "The package {file} holds an unsafe attachment name “{}” ({reason}). Nothing was imported; ask the sender to rename it and seal again.",
                name.escape_debug()
            ),
            (PackageError::TrailingBytes, Lang::Zh) => {
                format!("交换包 {file} 在签名之后还有多余的字节：文件被追加或损坏。请向发送方重新索取。")
            }
            (PackageError::TrailingBytes, Lang::En) => format!(
                "The package {file} has bytes after its signature: something was appended or it is damaged. Ask the sender for it again."
            ),
            (PackageError::Io { op, source }, Lang::Zh) => {
                format!("处理交换包 {file} 时读写失败（{op}）：{source}。请检查磁盘空间与文件权限后重试。")
            }
            (PackageError::Io { op, source }, Lang::En) => format!(
                "Reading or writing failed for the package {file} ({op}): {source}. Check disk space and permissions, then retry."
            ),
        }
    }
}
