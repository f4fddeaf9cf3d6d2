//! The core's error type. Each variant is something a person or the UI can act on; [`CoreError::code`]
//! is stable (the UI and scripts branch on it) and [`CoreError::message`] says in Chinese or English
//! what is wrong and what to do. The IPC edge and the CLI map errors through these two only.

use crate::audit::AuditBreak;
use crate::Lang;
use lixiang_store::StoreError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// A seed file (shipped with the program, or given by a developer) does not follow its format.
    #[error("seed file {file}: entry {entry}, field {field}: {reason}")]
    SeedMalformed { file: String, entry: String, field: String, reason: String },

    /// Input a person gave was refused.
    #[error("{field}: {reason}")]
    Validation { field: String, reason: String },

    /// No workspace directory was given and the platform has no home directory to put the default in.
    #[error("no workspace directory: give --data-dir or set LIXIANG_DATA_DIR")]
    NoWorkspaceDir,

    /// The workspace directory could not be created or is not a directory.
    #[error("workspace {path}: {source}")]
    WorkspaceIo { path: PathBuf, source: std::io::Error },

    /// A file a person gave (score sheets, funding requests …) has bad rows; none of it was used.
    #[error("{file}: {} problem(s), first: row {}, {}", problems.len(), problems[0].row, problems[0].column)]
    FileRejected { file: String, problems: Vec<CellProblem> },

    /// `lixiang audit verify` found a broken link in the workspace's audit chain: the database was
    /// changed outside Lixiang.
    #[error("audit chain of {database} broken at event {} ({})", first_break.seq, first_break.kind.as_str())]
    AuditChainBroken { database: PathBuf, first_break: Box<AuditBreak> },

    /// An exchange package was refused (or could not be read or written); `file` names it.
    #[error("package {file}: {source}")]
    Package { file: String, source: crate::package::PackageError },

    /// The workspace already has an identity; a second one is refused (keys are never replaced silently).
    #[error("this workspace already has an identity (key {key_id})")]
    IdentityExists { key_id: String },

    /// Signing, decrypting or importing needs the workspace's identity, and there is none yet.
    #[error("this workspace has no identity")]
    NoIdentity,

    /// The passphrase does not open the identity's keys.
    #[error("wrong passphrase")]
    WrongPassphrase,

    /// Neither the passphrase nor the recovery passphrase of the backed-up identity opens the backup.
    #[error("{file}: wrong passphrase for this backup")]
    BackupPassphraseWrong { file: String },

    /// The stored keys cannot be read (damaged, or written by a newer version).
    #[error("the identity's key box is unreadable: {reason}")]
    KeyBoxUnreadable { reason: String },

    /// A package from a sender this workspace does not know yet: a person must compare the
    /// fingerprint first (trust on first use).
    #[error("{file}: sender {key_id} is unknown; compare its fingerprint {fingerprint}")]
    TrustNeeded { file: String, key_id: String, fingerprint: String, kind: String },

    /// A file was checked and is good, but importing it needs the officer's confirmation (`--confirm`);
    /// nothing was written.
    #[error("{file}: {rows} row(s) ready; nothing imported until confirmed")]
    ImportNotConfirmed { file: String, rows: usize },

    /// The fingerprint the person gave is not the sender's.
    #[error("{file}: the fingerprint given ({given}) is not the sender's ({actual})")]
    FingerprintMismatch { file: String, given: String, actual: String },

    /// A different file reuses the id of a package already imported.
    #[error("{file}: package id {package_id} was already imported on {imported_at} with other content")]
    PackageIdReused { file: String, package_id: String, imported_at: String },

    /// This version has no handler for the package's kind.
    #[error("{file}: packages of kind {kind} cannot be imported by this version")]
    NoHandler { file: String, kind: String },

    /// The sender's key was revoked.
    #[error("{file}: the sender's key {key_id} was revoked on {revoked_at}")]
    SenderRevoked { file: String, key_id: String, revoked_at: String },

    /// A call was refused (checks failed, frozen, not published); each problem names its field.
    #[error("call {call}: {} problem(s)", problems.len())]
    CallRefused { call: String, problems: Vec<crate::validate::Problem> },

    /// An application was refused (its checks found errors, or the call has closed); each problem names
    /// its section and field.
    #[error("application {application}: {} problem(s)", problems.len())]
    ApplicationRefused { application: String, problems: Vec<crate::validate::Problem> },

    /// A file offered as an attachment was not taken (too large for the call's limit, unreadable).
    #[error("{file}: {}", problem.en)]
    AttachmentRefused { file: String, problem: Box<crate::validate::Problem> },

    /// Some files of a batch import were refused (each was reported with its file); the others were imported.
    #[error("{refused} of {total} package(s) refused")]
    ImportIncomplete { refused: usize, total: usize, only_unknown_senders: bool },

    /// Nothing with this code or id in the workspace.
    #[error("{what} {key} not found")]
    NotFound { what: String, key: String },

    /// A package older than one already held (a call revision, a re-issued packet, a newer return).
    #[error("{file}: {what} is superseded by {held}, already held")]
    Superseded { file: String, what: String, held: String },

    /// The formal check of this application was already decided (only a returned application with a
    /// newer version received may be decided again).
    #[error("application {number}: version {version} was already decided ({decision})")]
    AlreadyDecided { number: String, version: u32, decision: String },

    /// A result package signed by someone other than the office that published the call.
    #[error("{file}: the result is signed by {key_id}, not by the office that published the call")]
    ResultNotFromOffice { file: String, key_id: String },

    /// A review packet or return was refused (not for this expert, not from the assigned expert, an item
    /// not assigned, another form); `code` is stable (`review.form_mismatch` …).
    #[error("{file}: {en}")]
    ReviewRefused { file: String, code: &'static str, zh: String, en: String },

    /// A funding decision step the round's state does not allow yet or any more (the 公示 has not ended,
    /// an objection is unresolved, the list is frozen, already decided); `code` is stable
    /// (`decision.publicity_running` …).
    #[error("{en}")]
    DecisionRefused { code: &'static str, zh: String, en: String },

    /// An attachment of an application in a held review packet cannot be read here (the packet is not
    /// held or was replaced, the item left it, its contents were removed, the attachment is not listed,
    /// or its file is missing or damaged); `number` and `attachment` name them, `code` is stable
    /// (`reading.item_withdrawn` …).
    #[error("application {number}, attachment {attachment}: {en}")]
    AttachmentUnreadable { number: String, attachment: String, code: &'static str, zh: String, en: String },

    /// Only the programme office does this (publishing calls, adding budget schemas), and this workspace
    /// speaks for another role (domain.md "Who uses it"): `role` is the one it has.
    #[error("only the programme office may {}; this workspace is a {}", duty.what(Lang::En), role.as_str())]
    OfficeOnly { role: crate::identity::Role, duty: crate::identity::OfficeDuty },

    /// The application was withdrawn here; it cannot be submitted or withdrawn again.
    #[error("application {application} was withdrawn on {at}")]
    Withdrawn { application: String, at: String },

    /// The application cannot be withdrawn now (not submitted, after the deadline, already decided).
    #[error("application {application} cannot be withdrawn: {} problem(s)", problems.len())]
    WithdrawRefused { application: String, problems: Vec<crate::validate::Problem> },

    /// Another file claims a revision already held with other content.
    #[error("{file}: call {call} revision {revision} differs from the one already held")]
    RevisionConflict { file: String, call: String, revision: u32 },

    /// A file (a call package, or a schema file the office adds) carries a budget schema whose code and
    /// version are held here with another content: one version has one content for ever.
    #[error("{file}: budget schema {schema} (sha256 {incoming}) differs from the one held ({held}, from {held_from})")]
    BudgetSchemaConflict { file: String, schema: String, incoming: String, held: String, held_from: String },

    /// An appeal's received date is before the date of the decision it appeals: it cannot have reached
    /// the office before there was anything to appeal.
    #[error("application {number}: appeal received on {received_on}, before the decision of {decided_on}")]
    AppealBeforeDecision { number: String, received_on: String, decided_on: String },

    /// A call package from an older build carries only its schema's code, and this workspace does not
    /// hold that schema.
    #[error(
        "{file}: call {call} follows budget schema {schema}, which the package does not carry and is not held here"
    )]
    BudgetSchemaMissing { file: String, call: String, schema: String },

    /// The pair has a hard conflict of interest (必须回避): it can be neither overridden nor pinned.
    #[error("application {item} and expert {expert}: hard conflict ({})", conflict_codes(conflicts))]
    HardConflict { item: String, expert: String, expert_name: String, conflicts: Vec<crate::conflict::Conflict> },

    /// The pair has a soft conflict (默认回避) that no override allows yet: the officer must override it,
    /// with a reason, before pinning it.
    #[error("application {item} and expert {expert}: soft conflict not overridden ({})", conflict_codes(conflicts))]
    OverrideNeeded { item: String, expert: String, expert_name: String, conflicts: Vec<crate::conflict::Conflict> },

    #[error(transparent)]
    Store(#[from] StoreError),

    /// A printable document holds characters that no available font can draw: printed, they would be
    /// empty boxes, so the document is refused instead.
    #[error("{document}: characters without a glyph: {}", MissingGlyph::list(glyphs, Lang::En))]
    MissingGlyphs { document: String, glyphs: Vec<MissingGlyph> },

    /// A font that printable documents need is not installed (or not where Lixiang looks for it).
    #[error("font {family} not found (files {files:?}, package {package}; searched {searched:?})")]
    FontMissing { family: String, files: Vec<String>, package: String, searched: Vec<PathBuf> },

    /// A font file was found but could not be read or holds no usable face.
    #[error("font file {path}: {reason}")]
    FontUnreadable { path: PathBuf, reason: String },

    /// A document template did not lay out: a defect of the program, not of the person's input.
    #[error("document template {document}: {reason}")]
    DocumentTemplate { document: String, reason: String },

    /// A file the person asked for (a PDF, an export) could not be written.
    #[error("cannot write {path}: {source}")]
    FileWrite { path: PathBuf, source: std::io::Error },

    /// A decision was recorded and its result package sealed and kept in the workspace, but the copy for the
    /// applicant could not be written where the person asked; it can be written again (`resend`).
    #[error("result for {number} recorded, but {path} could not be written: {reason}")]
    ResultNotWritten { number: String, path: PathBuf, package_id: String, reason: String },
}

/// A character of a printable document that no loaded font covers, and the (1-based) page it is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MissingGlyph {
    pub page: usize,
    pub ch: char,
}

impl MissingGlyph {
    /// `字符 U+E000 无字形，第 2 页` (or the English equivalent).
    pub fn describe(&self, lang: Lang) -> String {
        let cp = self.ch as u32;
        match lang {
            Lang::Zh => format!("字符 U+{cp:04X} 无字形，第 {} 页", self.page),
            Lang::En => format!("character U+{cp:04X} has no glyph, page {}", self.page),
        }
    }

    fn list(glyphs: &[MissingGlyph], lang: Lang) -> String {
        let parts: Vec<String> = glyphs.iter().map(|g| g.describe(lang)).collect();
        parts.join(lang.pick("；", "; "))
    }
}

fn conflict_codes(conflicts: &[crate::conflict::Conflict]) -> String {
    conflicts.iter().map(|c| c.code).collect::<Vec<_>>().join(", ")
}

fn conflict_details(conflicts: &[crate::conflict::Conflict], lang: Lang) -> String {
    conflicts.iter().map(|c| lang.pick(&c.detail_zh, &c.detail_en)).collect::<Vec<_>>().join(lang.pick("；", "; "))
}

/// The first 16 hex characters of a hash, enough for a person to tell two apart.
fn short(sha256: &str) -> &str {
    sha256.get(..16).unwrap_or(sha256)
}

fn join_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

/// One bad cell of a file, with where it is and why, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CellProblem {
    /// 1-based row as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub column: String,
    pub reason_zh: String,
    pub reason_en: String,
}

impl CellProblem {
    pub fn reason(&self, lang: Lang) -> &str {
        lang.pick(&self.reason_zh, &self.reason_en)
    }
}

/// The class of an error, for callers that act on classes rather than codes (the CLI's exit status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input (a file, a field, a package) was refused; fixing the input helps.
    InputRefused,
    /// The workspace's state forbids it (written by a newer version, already decided, no identity).
    StateConflict,
    /// Anything else: I/O, a damaged database.
    Failure,
    /// A person must confirm something first (a new sender's fingerprint); nothing was written.
    ConfirmationNeeded,
}

impl CoreError {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CoreError::SeedMalformed { .. } | CoreError::Validation { .. } | CoreError::FileRejected { .. } => {
                ErrorKind::InputRefused
            }
            CoreError::MissingGlyphs { .. } => ErrorKind::InputRefused,
            CoreError::Package { source, .. } if source.is_refusal() => ErrorKind::InputRefused,
            CoreError::Store(StoreError::NewerSchema { .. }) | CoreError::AuditChainBroken { .. } => {
                ErrorKind::StateConflict
            }
            CoreError::NoWorkspaceDir | CoreError::WorkspaceIo { .. } | CoreError::Store(_) => ErrorKind::Failure,
            CoreError::Package { .. } => ErrorKind::Failure,
            CoreError::WrongPassphrase
            | CoreError::BackupPassphraseWrong { .. }
            | CoreError::FingerprintMismatch { .. }
            | CoreError::PackageIdReused { .. }
            | CoreError::NoHandler { .. }
            | CoreError::SenderRevoked { .. } => ErrorKind::InputRefused,
            CoreError::IdentityExists { .. } | CoreError::NoIdentity => ErrorKind::StateConflict,
            CoreError::KeyBoxUnreadable { .. } => ErrorKind::Failure,
            CoreError::TrustNeeded { .. } => ErrorKind::ConfirmationNeeded,
            CoreError::HardConflict { .. } => ErrorKind::InputRefused,
            CoreError::OverrideNeeded { .. } => ErrorKind::ConfirmationNeeded,
            CoreError::ImportNotConfirmed { .. } => ErrorKind::ConfirmationNeeded,
            CoreError::ImportIncomplete { only_unknown_senders: true, .. } => ErrorKind::ConfirmationNeeded,
            CoreError::ImportIncomplete { .. } => ErrorKind::InputRefused,
            CoreError::CallRefused { .. }
            | CoreError::ApplicationRefused { .. }
            | CoreError::AttachmentRefused { .. }
            | CoreError::NotFound { .. }
            | CoreError::Superseded { .. }
            | CoreError::ResultNotFromOffice { .. }
            | CoreError::ReviewRefused { .. }
            | CoreError::RevisionConflict { .. }
            | CoreError::BudgetSchemaConflict { .. }
            | CoreError::BudgetSchemaMissing { .. }
            | CoreError::AppealBeforeDecision { .. } => ErrorKind::InputRefused,
            CoreError::AlreadyDecided { .. }
            | CoreError::Withdrawn { .. }
            | CoreError::WithdrawRefused { .. }
            | CoreError::DecisionRefused { .. } => ErrorKind::StateConflict,
            // A missing or damaged file is the workspace's fault, not the person's.
            CoreError::AttachmentUnreadable { code, .. }
                if *code == "reading.attachment_missing" || *code == "reading.attachment_damaged" =>
            {
                ErrorKind::Failure
            }
            CoreError::AttachmentUnreadable { .. } => ErrorKind::StateConflict,
            CoreError::OfficeOnly { .. } => ErrorKind::StateConflict,
            CoreError::FontMissing { .. }
            | CoreError::FontUnreadable { .. }
            | CoreError::DocumentTemplate { .. }
            | CoreError::FileWrite { .. }
            | CoreError::ResultNotWritten { .. } => ErrorKind::Failure,
        }
    }

    /// A stable, dotted code (`seed.malformed`, `store.newer_schema` …).
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::SeedMalformed { .. } => "seed.malformed",
            CoreError::Validation { .. } => "input.invalid",
            CoreError::FileRejected { .. } => "input.file_rejected",
            CoreError::NoWorkspaceDir => "workspace.no_dir",
            CoreError::WorkspaceIo { .. } => "workspace.io",
            CoreError::AuditChainBroken { .. } => "audit.chain_broken",
            CoreError::Package { source, .. } => source.code(),
            CoreError::CallRefused { .. } => "call.refused",
            CoreError::ImportIncomplete { .. } => "package.import_incomplete",
            CoreError::ApplicationRefused { .. } => "application.refused",
            CoreError::AttachmentRefused { .. } => "application.attachment_refused",
            CoreError::NotFound { .. } => "not_found",
            CoreError::Superseded { .. } => "package.superseded",
            CoreError::RevisionConflict { .. } => "package.revision_conflict",
            CoreError::BudgetSchemaConflict { .. } => "budget.schema_conflict",
            CoreError::BudgetSchemaMissing { .. } => "package.budget_schema_missing",
            CoreError::AppealBeforeDecision { .. } => "appeal.received_before_decision",
            CoreError::IdentityExists { .. } => "identity.exists",
            CoreError::NoIdentity => "identity.none",
            CoreError::WrongPassphrase => "identity.wrong_passphrase",
            CoreError::BackupPassphraseWrong { .. } => "backup.wrong_passphrase",
            CoreError::KeyBoxUnreadable { .. } => "identity.key_box_unreadable",
            CoreError::TrustNeeded { .. } => "package.sender_unknown",
            CoreError::HardConflict { .. } => "assign.hard_conflict",
            CoreError::OverrideNeeded { .. } => "assign.override_needed",
            CoreError::ImportNotConfirmed { .. } => "import.confirmation_needed",
            CoreError::FingerprintMismatch { .. } => "package.fingerprint_mismatch",
            CoreError::PackageIdReused { .. } => "package.id_reused",
            CoreError::NoHandler { .. } => "package.no_handler",
            CoreError::SenderRevoked { .. } => "package.sender_revoked",
            CoreError::AlreadyDecided { .. } => "formal.already_decided",
            CoreError::ResultNotFromOffice { .. } => "package.result_not_from_office",
            CoreError::ReviewRefused { code, .. } => code,
            CoreError::DecisionRefused { code, .. } => code,
            CoreError::AttachmentUnreadable { code, .. } => code,
            CoreError::OfficeOnly { duty, .. } => duty.code(),
            CoreError::Withdrawn { .. } => "application.withdrawn",
            CoreError::WithdrawRefused { .. } => "application.withdraw_refused",
            CoreError::Store(StoreError::NewerSchema { .. }) => "store.newer_schema",
            CoreError::Store(StoreError::Open { .. }) => "store.cannot_open",
            CoreError::Store(StoreError::Migration { .. }) => "store.migration_failed",
            CoreError::Store(StoreError::Sqlite(_)) => "store.error",
            CoreError::MissingGlyphs { .. } => "pdf.missing_glyph",
            CoreError::FontMissing { .. } => "pdf.font_missing",
            CoreError::FontUnreadable { .. } => "pdf.font_unreadable",
            CoreError::DocumentTemplate { .. } => "pdf.template",
            CoreError::FileWrite { .. } => "file.write_failed",
            CoreError::ResultNotWritten { .. } => "result.not_written",
        }
    }

    /// What went wrong and what to do, in the person's language.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CoreError::SeedMalformed { file, entry, field, reason }, Lang::Zh) => {
                format!("种子文件 {file} 格式有误：条目 {entry} 的字段 {field}：{reason}。请按 seeds/README.md 修正该文件。")
            }
            (CoreError::SeedMalformed { file, entry, field, reason }, Lang::En) => format!(
                "Seed file {file} is malformed: entry {entry}, field {field}: {reason}. Fix the file as seeds/README.md describes."
            ),
            (CoreError::Validation { field, reason }, Lang::Zh) => format!("{field}：{reason}"),
            (CoreError::Validation { field, reason }, Lang::En) => format!("{field}: {reason}"),
            (CoreError::FileRejected { file, problems }, lang) => {
                let head = match lang {
                    Lang::Zh => format!("文件 {file} 有 {} 处问题，未使用其中任何内容。请修正后重试：", problems.len()),
                    Lang::En => format!("The file {file} has {} problem(s); nothing of it was used. Fix them and retry:", problems.len()),
                };
                let lines: Vec<String> = problems
                    .iter()
                    .map(|p| match lang {
                        Lang::Zh => format!("第 {} 行「{}」列：{}", p.row, p.column, p.reason_zh),
                        Lang::En => format!("row {}, column “{}”: {}", p.row, p.column, p.reason_en),
                    })
                    .collect();
                format!("{head}\n{}", lines.join("\n"))
            }
            (CoreError::NoWorkspaceDir, Lang::Zh) => {
                "找不到工作区目录：系统没有用户主目录。请用 --data-dir 指定目录，或设置 LIXIANG_DATA_DIR。".into()
            }
            (CoreError::NoWorkspaceDir, Lang::En) => {
                "No workspace directory: this system reports no home directory. Give --data-dir or set LIXIANG_DATA_DIR."
                    .into()
            }
            (CoreError::WorkspaceIo { path, source }, Lang::Zh) => {
                format!("无法使用工作区目录 {}：{source}。请检查该路径是否为可写的目录。", path.display())
            }
            (CoreError::WorkspaceIo { path, source }, Lang::En) => {
                format!("Cannot use the workspace directory {}: {source}. Check that it is a writable directory.", path.display())
            }
            (CoreError::AuditChainBroken { database, first_break }, Lang::Zh) => format!(
                "工作区数据库 {} 的审计链在第 {} 条断开。{}这说明该数据库在立项之外被改动过。请停止用这个工作区办理业务，从最近的备份恢复（lixiang restore），并把该数据库文件原样交给管理员核查。",
                database.display(),
                first_break.seq,
                first_break.message(Lang::Zh)
            ),
            (CoreError::AuditChainBroken { database, first_break }, Lang::En) => format!(
                "The audit chain of the workspace database {} breaks at event {}. {} The database was changed outside Lixiang. Stop using this workspace for decisions, restore it from the latest backup (lixiang restore), and hand this database file, untouched, to your administrator for examination.",
                database.display(),
                first_break.seq,
                first_break.message(Lang::En)
            ),
            (CoreError::Package { file, source }, lang) => source.message(lang, file),
            (CoreError::CallRefused { call, problems }, lang) => {
                let head = match lang {
                    Lang::Zh => format!("指南 {call} 有 {} 处问题，未保存：", problems.len()),
                    Lang::En => format!("The call {call} has {} problem(s); nothing was saved:", problems.len()),
                };
                let lines: Vec<String> = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, lang.pick(&p.zh, &p.en)))
                    .collect();
                format!("{head}\n{}", lines.join("\n"))
            }
            (CoreError::AttachmentRefused { file, problem }, lang) => match lang {
                Lang::Zh => format!("文件 {file} 未添加为附件：{}", problem.zh),
                Lang::En => format!("The file {file} was not attached: {}", problem.en),
            },
            (CoreError::ApplicationRefused { application, problems }, lang) => {
                let head = match lang {
                    Lang::Zh => format!("申报书「{application}」有 {} 处问题，未提交：", problems.len()),
                    Lang::En => format!("The application “{application}” has {} problem(s); it was not submitted:", problems.len()),
                };
                let lines: Vec<String> =
                    problems.iter().map(|p| format!("{}: {}", p.field, lang.pick(&p.zh, &p.en))).collect();
                format!("{head}\n{}", lines.join("\n"))
            }
            (CoreError::ImportIncomplete { refused, total, .. }, Lang::Zh) => format!(
                "{total} 个文件包中有 {refused} 个未导入（原因已逐个列出），其余已导入。处理上述问题后可再次导入同一批文件：已导入的不会重复。"
            ),
            (CoreError::ImportIncomplete { refused, total, .. }, Lang::En) => format!(
                "{refused} of {total} packages were not imported (each reason is listed above); the others were. After dealing with them, import the same files again: those already imported are not imported twice."
            ),
            (CoreError::NotFound { what, key }, Lang::Zh) => format!("找不到 {what}「{key}」。请检查代码或编号。"),
            (CoreError::NotFound { what, key }, Lang::En) => format!("No {what} “{key}” here. Check the code or id."),
            (CoreError::Superseded { file, what, held }, Lang::Zh) => format!(
                "文件包 {file}（{what}）已被本机已有的更新版本（{held}）取代，未导入。无需处理；如有疑问请联系发送方。"
            ),
            (CoreError::Superseded { file, what, held }, Lang::En) => format!(
                "The package {file} ({what}) is superseded by the newer {held} already held here; it was not imported. Nothing to do; ask the sender if in doubt."
            ),
            (CoreError::AlreadyDecided { number, version, decision }, Lang::Zh) => format!(
                "申报书 {number} 第 {version} 版的形式审查已有结论（{decision}），不能再次审查。只有退回修改且已收到新版本的申报书，或不予受理经申诉成立的申报书，才能重新审查。未写入任何内容。"
            ),
            (CoreError::AlreadyDecided { number, version, decision }, Lang::En) => format!(
                "The formal check of application {number}, version {version}, is already decided ({decision}). Only an application returned for fixing whose newer version has arrived, or a refusal set aside by a granted appeal, can be decided again. Nothing was written."
            ),
            (CoreError::ResultNotFromOffice { file, key_id }, Lang::Zh) => format!(
                "文件包 {file} 中的形式审查结果由密钥 {key_id} 签名，不是发布该指南的机构，未导入。请向发布机构核实。"
            ),
            (CoreError::ResultNotFromOffice { file, key_id }, Lang::En) => format!(
                "The formal-check result in {file} is signed by the key {key_id}, not by the office that published the call; it was not imported. Check with that office."
            ),
            (CoreError::ReviewRefused { file, zh, .. }, Lang::Zh) => format!("文件 {file}：{zh}。未导入任何内容。"),
            (CoreError::ReviewRefused { file, en, .. }, Lang::En) => format!("{file}: {en}. Nothing was imported."),
            (CoreError::DecisionRefused { zh, .. }, Lang::Zh) => format!("{zh}。未写入任何内容。"),
            (CoreError::DecisionRefused { en, .. }, Lang::En) => format!("{en}. Nothing was written."),
            (CoreError::AttachmentUnreadable { number, attachment, zh, .. }, Lang::Zh) => {
                format!("申报书 {number} 的附件「{attachment}」无法打开：{zh}。")
            }
            (CoreError::AttachmentUnreadable { number, attachment, en, .. }, Lang::En) => {
                format!("Attachment “{attachment}” of application {number} cannot be opened: {en}.")
            }
            (CoreError::OfficeOnly { role, duty }, Lang::Zh) => format!(
                "只有项目管理机构（项目办）可以{}；本工作区的身份是「{}」。{}未写入任何内容。",
                duty.what(Lang::Zh),
                role.label(Lang::Zh),
                duty.instead(Lang::Zh)
            ),
            (CoreError::OfficeOnly { role, duty }, Lang::En) => format!(
                "Only the programme office may {}; this workspace's identity is a {}. {} Nothing was written.",
                duty.what(Lang::En),
                role.label(Lang::En),
                duty.instead(Lang::En)
            ),
            (CoreError::Withdrawn { application, at }, Lang::Zh) => format!(
                "申报书「{application}」已于 {at} 撤回，不能再提交或撤回。如需申报，请新建申报书。"
            ),
            (CoreError::Withdrawn { application, at }, Lang::En) => format!(
                "The application “{application}” was withdrawn on {at}; it cannot be submitted or withdrawn again. To apply, start a new application."
            ),
            (CoreError::WithdrawRefused { application, problems }, lang) => {
                let head = match lang {
                    Lang::Zh => format!("申报书「{application}」不能撤回："),
                    Lang::En => format!("The application “{application}” cannot be withdrawn:"),
                };
                let lines: Vec<String> =
                    problems.iter().map(|p| format!("{}: {}", p.field, lang.pick(&p.zh, &p.en))).collect();
                format!("{head}\n{}", lines.join("\n"))
            }
            (CoreError::RevisionConflict { file, call, revision }, Lang::Zh) => format!(
                "文件包 {file} 中的指南 {call} 第 {revision} 版与本机已有的同一版本内容不同：同一版本不能有两种内容。请联系发布机构。未写入任何内容。"
            ),
            (CoreError::RevisionConflict { file, call, revision }, Lang::En) => format!(
                "The package {file} carries revision {revision} of the call {call} with content different from the same revision held here. Contact the office that published it. Nothing was written."
            ),
            (CoreError::BudgetSchemaConflict { file, schema, incoming, held, held_from }, Lang::Zh) => format!(
                "{file} 携带的经费预算规则 {schema}（摘要 {}…）与本机已有的同一代码、同一版本的规则（{held_from}，摘要 {}…）内容不同：同一版本的规则只能有一种内容。请联系发布机构：修改过的规则须以新的版本号发布，再重新导出指南文件包。未写入任何内容。",
                short(incoming),
                short(held)
            ),
            (CoreError::BudgetSchemaConflict { file, schema, incoming, held, held_from }, Lang::En) => format!(
                "{file} carries the budget schema {schema} (sha256 {}…), but a different schema with the same code and version is held here ({held_from}, sha256 {}…): one version has one content. Contact the office that published it: a changed schema needs a new version number, and the call package must be exported again. Nothing was written.",
                short(incoming),
                short(held)
            ),
            (CoreError::AppealBeforeDecision { number, received_on, decided_on }, Lang::Zh) => format!(
                "申报书 {number} 的申诉收到日期 {received_on} 早于所申诉的不予受理决定日期 {decided_on}：申诉不可能在决定之前收到。请核对收到日期（应不早于 {decided_on}，不晚于今天）后重新登记。未写入任何内容。"
            ),
            (CoreError::AppealBeforeDecision { number, received_on, decided_on }, Lang::En) => format!(
                "The appeal of application {number} is dated received on {received_on}, before the refusal it appeals was decided on {decided_on}: it cannot have arrived before the decision. Check the received date (on or after {decided_on}, not after today) and log it again. Nothing was written."
            ),
            (CoreError::BudgetSchemaMissing { file, call, schema }, Lang::Zh) => format!(
                "文件包 {file} 中的指南 {call} 采用经费预算规则 {schema}，该文件包由旧版本程序导出，未携带规则本身，本机也没有这一规则，无法核算间接费用上限等经费检查。请发布机构用新版本程序重新导出指南文件包。未写入任何内容。"
            ),
            (CoreError::BudgetSchemaMissing { file, call, schema }, Lang::En) => format!(
                "The package {file} carries the call {call}, which follows the budget schema {schema}; the package was exported by an older version that does not carry the schema itself, and it is not held here, so the indirect-cost cap and the other budget checks could not be computed. Ask the office to export the call package again with a current version. Nothing was written."
            ),
            (CoreError::IdentityExists { key_id }, Lang::Zh) => format!(
                "此工作区已有身份（密钥 {key_id}），不能再创建一个。查看：lixiang key show；如需新身份，请另建工作区（--data-dir）。"
            ),
            (CoreError::IdentityExists { key_id }, Lang::En) => format!(
                "This workspace already has an identity (key {key_id}); a second one is refused. See it with `lixiang key show`; for a new identity use another workspace (--data-dir)."
            ),
            (CoreError::NoIdentity, Lang::Zh) => {
                "此工作区还没有身份，无法签名、解密或导入。请先运行 lixiang init --role office|applicant|expert --name 名称。".into()
            }
            (CoreError::NoIdentity, Lang::En) => {
                "This workspace has no identity yet, so it cannot sign, decrypt or import. Run `lixiang init --role office|applicant|expert --name NAME` first.".into()
            }
            (CoreError::BackupPassphraseWrong { file }, Lang::Zh) => format!(
                "口令不正确，备份 {file} 无法解密，没有写入任何内容。请输入备份时该工作区身份的口令，或其恢复口令。"
            ),
            (CoreError::BackupPassphraseWrong { file }, Lang::En) => format!(
                "Wrong passphrase: the backup {file} cannot be decrypted, and nothing was written. Enter the passphrase the workspace's identity had when the backup was made, or its recovery passphrase."
            ),
            (CoreError::WrongPassphrase, Lang::Zh) => {
                "口令不正确，密钥未解锁。请重新输入；忘记口令时用恢复口令重设。".into()
            }
            (CoreError::WrongPassphrase, Lang::En) => {
                "Wrong passphrase; the keys stay locked. Try again, or reset it with the recovery passphrase.".into()
            }
            (CoreError::KeyBoxUnreadable { reason }, Lang::Zh) => {
                format!("身份密钥无法读取：{reason}。请从备份恢复工作区。")
            }
            (CoreError::KeyBoxUnreadable { reason }, Lang::En) => {
                format!("The identity's keys cannot be read: {reason}. Restore the workspace from a backup.")
            }
            (CoreError::ImportNotConfirmed { file, rows }, Lang::Zh) => {
                format!("{file}：{rows} 行均可导入，尚未写入。确认无误后加 --confirm 再运行一次。")
            }
            (CoreError::ImportNotConfirmed { file, rows }, Lang::En) => {
                format!("{file}: all {rows} row(s) can be imported; nothing was written. Run again with --confirm.")
            }
            (CoreError::TrustNeeded { file, key_id, fingerprint, kind }, Lang::Zh) => format!(
                "文件包 {file}（{kind}）来自尚未信任的发送方（密钥 {key_id}）。请通过电话或公开渠道与发送方核对指纹：{fingerprint}。核对一致后再确认导入（窗口中点「信任并导入」；命令行加 --trust-fingerprint \"{fingerprint}\"）。未写入任何内容。"
            ),
            (CoreError::TrustNeeded { file, key_id, fingerprint, kind }, Lang::En) => format!(
                "The package {file} ({kind}) comes from a sender this workspace does not trust yet (key {key_id}). Compare its fingerprint with the sender by phone or a published list: {fingerprint}. If it matches, confirm the import (in the window: “Trust and import”; on the command line: --trust-fingerprint \"{fingerprint}\"). Nothing was written."
            ),
            (CoreError::FingerprintMismatch { file, given, actual }, Lang::Zh) => format!(
                "文件包 {file} 的发送方指纹是 {actual}，与您核对的 {given} 不一致：不要信任它。请再次与发送方核对。未写入任何内容。"
            ),
            (CoreError::FingerprintMismatch { file, given, actual }, Lang::En) => format!(
                "The sender of {file} has the fingerprint {actual}, not the {given} you compared: do not trust it. Check with the sender again. Nothing was written."
            ),
            (CoreError::PackageIdReused { file, package_id, imported_at }, Lang::Zh) => format!(
                "文件包 {file} 的编号 {package_id} 已于 {imported_at} 以不同内容导入过：同一编号的两个不同文件包不能都接受。请联系发送方。未写入任何内容。"
            ),
            (CoreError::PackageIdReused { file, package_id, imported_at }, Lang::En) => format!(
                "The package {file} reuses the id {package_id}, imported on {imported_at} with other content: two different packages cannot share an id. Contact the sender. Nothing was written."
            ),
            (CoreError::NoHandler { file, kind }, Lang::Zh) => format!(
                "文件包 {file} 的种类「{kind}」本版本尚不能导入。请升级立项后再导入。未写入任何内容。"
            ),
            (CoreError::NoHandler { file, kind }, Lang::En) => format!(
                "Packages of kind “{kind}” ({file}) cannot be imported by this version. Update Lixiang and import it again. Nothing was written."
            ),
            (CoreError::SenderRevoked { file, key_id, revoked_at }, Lang::Zh) => format!(
                "文件包 {file} 的发送方密钥 {key_id} 已于 {revoked_at} 吊销，不再受信任。请向发送方索取其新身份的密钥卡。未写入任何内容。"
            ),
            (CoreError::SenderRevoked { file, key_id, revoked_at }, Lang::En) => format!(
                "The sender's key {key_id} of {file} was revoked on {revoked_at} and is no longer trusted. Ask the sender for the key card of their new identity. Nothing was written."
            ),
            (CoreError::HardConflict { item, expert, expert_name, conflicts }, Lang::Zh) => format!(
                "专家 {expert}（{expert_name}）与申报书 {item} 存在必须回避的利益冲突：{}。必须回避的冲突不能例外允许，也不能固定分配。未写入任何内容。",
                conflict_details(conflicts, Lang::Zh)
            ),
            (CoreError::HardConflict { item, expert, expert_name, conflicts }, Lang::En) => format!(
                "Expert {expert} ({expert_name}) has a hard conflict of interest with application {item}: {}. A hard conflict can never be overridden or pinned. Nothing was written.",
                conflict_details(conflicts, Lang::En)
            ),
            (CoreError::OverrideNeeded { item, expert, expert_name, conflicts }, Lang::Zh) => format!(
                "专家 {expert}（{expert_name}）与申报书 {item} 存在默认回避的冲突：{}。如确需由其评审，请先说明理由、例外允许（lixiang assign override --expert {expert} --item {item} --reason 理由），再固定。未写入任何内容。",
                conflict_details(conflicts, Lang::Zh)
            ),
            (CoreError::OverrideNeeded { item, expert, expert_name, conflicts }, Lang::En) => format!(
                "Expert {expert} ({expert_name}) has a soft conflict with application {item}: {}. If they must review it, override the conflict with a reason first (lixiang assign override --expert {expert} --item {item} --reason TEXT), then pin. Nothing was written.",
                conflict_details(conflicts, Lang::En)
            ),
            (CoreError::Store(StoreError::NewerSchema { path, found, supported }), Lang::Zh) => format!(
                "数据库 {} 由更新版本的立项写入（结构版本 {found}，本程序支持到 {supported}）。请升级立项后再打开；本程序不会修改该文件。",
                path.display()
            ),
            (CoreError::Store(StoreError::NewerSchema { path, found, supported }), Lang::En) => format!(
                "The database {} was written by a newer Lixiang (schema version {found}; this program knows up to {supported}). Upgrade Lixiang to open it; this program leaves the file untouched.",
                path.display()
            ),
            (CoreError::Store(StoreError::Open { path, source }), Lang::Zh) => {
                format!("无法打开数据库 {}：{source}。请确认该文件是立项工作区的数据库。", path.display())
            }
            (CoreError::Store(StoreError::Open { path, source }), Lang::En) => {
                format!("Cannot open the database {}: {source}. Check that it is a Lixiang workspace database.", path.display())
            }
            (CoreError::Store(StoreError::Migration { path, version, source }), Lang::Zh) => format!(
                "升级数据库 {} 到结构版本 {version} 失败：{source}。文件保持升级前的状态。",
                path.display()
            ),
            (CoreError::Store(StoreError::Migration { path, version, source }), Lang::En) => format!(
                "Upgrading the database {} to schema version {version} failed: {source}. The file is as it was before.",
                path.display()
            ),
            (CoreError::Store(StoreError::Sqlite(e)), Lang::Zh) => format!("数据库错误：{e}"),
            (CoreError::Store(StoreError::Sqlite(e)), Lang::En) => format!("Database error: {e}"),
            (CoreError::MissingGlyphs { document, glyphs }, Lang::Zh) => format!(
                "无法生成《{document}》：{}。已安装的字体都没有这些字符，打印出来会是空框。请改用其他字符，或安装含有这些字符的字体后重试。",
                MissingGlyph::list(glyphs, Lang::Zh)
            ),
            (CoreError::MissingGlyphs { document, glyphs }, Lang::En) => format!(
                "Cannot make “{document}”: {}. No installed font has these characters, so they would print as empty boxes. Replace them, or install a font that has them, and try again.",
                MissingGlyph::list(glyphs, Lang::En)
            ),
            (CoreError::FontMissing { family, files, package, searched }, Lang::Zh) => format!(
                "找不到打印所需的字体 {family}（文件 {}）。请运行 scripts/setup 或安装软件包 {package}，也可把字体文件放进环境变量 LIXIANG_FONT_DIR 指定的目录。已查找：{}。",
                files.join("、"),
                join_paths(searched)
            ),
            (CoreError::FontMissing { family, files, package, searched }, Lang::En) => format!(
                "The font {family} that printed documents need was not found (file {}). Run scripts/setup or install the package {package}, or put the font file in the directory named by LIXIANG_FONT_DIR. Searched: {}.",
                files.join(", "),
                join_paths(searched)
            ),
            (CoreError::FontUnreadable { path, reason }, Lang::Zh) => {
                format!("无法读取字体文件 {}：{reason}。请重新安装该字体所属的软件包。", path.display())
            }
            (CoreError::FontUnreadable { path, reason }, Lang::En) => {
                format!("Cannot read the font file {}: {reason}. Reinstall the package it belongs to.", path.display())
            }
            (CoreError::DocumentTemplate { document, reason }, Lang::Zh) => {
                format!("文档模板 {document} 排版失败：{reason}。这是程序缺陷，请报告给立项的维护者。")
            }
            (CoreError::DocumentTemplate { document, reason }, Lang::En) => format!(
                "The document template {document} failed to lay out: {reason}. This is a defect of the program; please report it to Lixiang's maintainers."
            ),
            (CoreError::FileWrite { path, source }, Lang::Zh) => {
                format!("无法写入文件 {}：{source}。请检查该目录是否存在且可写，或换一个位置保存。", path.display())
            }
            (CoreError::FileWrite { path, source }, Lang::En) => format!(
                "Cannot write the file {}: {source}. Check that the folder exists and is writable, or save elsewhere.",
                path.display()
            ),
            (CoreError::ResultNotWritten { number, path, reason, .. }, Lang::Zh) => format!(
                "{number} 的决定已记录，结果包也已保存在工作区，但未能写入 {}：{reason}。决定不会重复记录；请用「重新导出结果包」另存一份\
                 （命令行：lixiang check {number} --resend --out 文件，或 lixiang decide resend）。",
                path.display()
            ),
            (CoreError::ResultNotWritten { number, path, reason, .. }, Lang::En) => format!(
                "The decision on {number} is recorded and its result package is kept in the workspace, but {} could not be \
                 written: {reason}. The decision is not recorded twice; write the package again with \"Export result package \
                 again\" (command line: lixiang check {number} --resend --out FILE, or lixiang decide resend).",
                path.display()
            ),
        }
    }
}
