//! The records of trust between laptops (migration 0004): this workspace's identity with its encrypted
//! private keys, the contacts whose public keys it trusts, and the packages it imported.
//! Key handling (generating, boxing, fingerprints) is the core's; this module only stores rows.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;

/// The workspace's own identity as stored. The private keys are only in the two boxes (JSON text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRow {
    /// `office`, `applicant` or `expert`.
    pub role: String,
    pub name: String,
    pub key_id: String,
    pub signing_public: [u8; 32],
    pub encryption_public: [u8; 32],
    pub secret_box: String,
    pub recovery_box: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// Another party's public keys, and how and when this workspace came to trust them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Contact {
    pub key_id: String,
    pub role: Option<String>,
    pub name: Option<String>,
    #[serde(skip)]
    pub signing_public: [u8; 32],
    #[serde(skip)]
    pub encryption_public: [u8; 32],
    pub fingerprint: String,
    /// `fingerprint` (a person compared the digit groups) or `key_card`.
    pub trusted_how: String,
    pub trusted_at: String,
    pub revoked_at: Option<String>,
    pub revocation_package: Option<String>,
}

/// A package this workspace imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ImportedPackage {
    pub package_id: String,
    pub file_sha256: String,
    pub kind: String,
    pub sender_key_id: String,
    pub created_at: String,
    pub imported_at: String,
    pub file_name: String,
}

fn key32(row: &Row, idx: usize) -> rusqlite::Result<[u8; 32]> {
    let v: Vec<u8> = row.get(idx)?;
    v.try_into().map_err(|v: Vec<u8>| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Blob, format!("{} bytes", v.len()).into())
    })
}

fn contact_of(r: &Row) -> rusqlite::Result<Contact> {
    Ok(Contact {
        key_id: r.get(0)?,
        role: r.get(1)?,
        name: r.get(2)?,
        signing_public: key32(r, 3)?,
        encryption_public: key32(r, 4)?,
        fingerprint: r.get(5)?,
        trusted_how: r.get(6)?,
        trusted_at: r.get(7)?,
        revoked_at: r.get(8)?,
        revocation_package: r.get(9)?,
    })
}

fn imported_of(r: &Row) -> rusqlite::Result<ImportedPackage> {
    Ok(ImportedPackage {
        package_id: r.get(0)?,
        file_sha256: r.get(1)?,
        kind: r.get(2)?,
        sender_key_id: r.get(3)?,
        created_at: r.get(4)?,
        imported_at: r.get(5)?,
        file_name: r.get(6)?,
    })
}

const CONTACT_COLUMNS: &str = "key_id, role, name, signing_public, encryption_public, fingerprint, trusted_how, \
                               trusted_at, revoked_at, revocation_package";

impl Writer<'_> {
    /// Stores the workspace's identity. The table holds at most one row: a second insert fails
    /// (the core checks first and says so in words).
    pub fn identity_insert(&self, id: &IdentityRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO identity (id, role, name, key_id, signing_public, encryption_public, secret_box,
                                   recovery_box, created_at, revoked_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                id.role,
                id.name,
                id.key_id,
                &id.signing_public[..],
                &id.encryption_public[..],
                id.secret_box,
                id.recovery_box,
                id.created_at,
                id.revoked_at
            ],
        )?;
        Ok(())
    }

    /// Replaces the passphrase box (after a recovery, the person sets a new passphrase).
    pub fn identity_set_secret_box(&self, secret_box: &str) -> Result<()> {
        self.tx.execute("UPDATE identity SET secret_box = ?1 WHERE id = 1", [secret_box])?;
        Ok(())
    }

    /// Marks the identity revoked.
    pub fn identity_set_revoked(&self, at: &str) -> Result<()> {
        self.tx.execute("UPDATE identity SET revoked_at = ?1 WHERE id = 1 AND revoked_at IS NULL", [at])?;
        Ok(())
    }

    /// Adds a contact, or keeps the existing row when the key id is already known (trust is never
    /// downgraded by a second key card, and a revocation is never undone).
    pub fn contact_insert(&self, c: &Contact) -> Result<bool> {
        let n = self.tx.execute(
            &format!(
                "INSERT INTO contact ({CONTACT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(key_id) DO NOTHING"
            ),
            params![
                c.key_id,
                c.role,
                c.name,
                &c.signing_public[..],
                &c.encryption_public[..],
                c.fingerprint,
                c.trusted_how,
                c.trusted_at,
                c.revoked_at,
                c.revocation_package
            ],
        )?;
        Ok(n == 1)
    }

    /// Marks a contact revoked by the revocation card `package_id`.
    pub fn contact_revoke(&self, key_id: &str, at: &str, package_id: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE contact SET revoked_at = ?2, revocation_package = ?3 WHERE key_id = ?1 AND revoked_at IS NULL",
            params![key_id, at, package_id],
        )?;
        Ok(())
    }

    /// Records an imported package.
    pub fn imported_package_insert(&self, p: &ImportedPackage) -> Result<()> {
        self.tx.execute(
            "INSERT INTO imported_package (package_id, file_sha256, kind, sender_key_id, created_at, imported_at,
                                           file_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![p.package_id, p.file_sha256, p.kind, p.sender_key_id, p.created_at, p.imported_at, p.file_name],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The workspace's identity, `None` before one was created.
    pub fn identity(&self) -> Result<Option<IdentityRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT role, name, key_id, signing_public, encryption_public, secret_box, recovery_box, created_at,
                        revoked_at
                 FROM identity WHERE id = 1",
                [],
                |r| {
                    Ok(IdentityRow {
                        role: r.get(0)?,
                        name: r.get(1)?,
                        key_id: r.get(2)?,
                        signing_public: key32(r, 3)?,
                        encryption_public: key32(r, 4)?,
                        secret_box: r.get(5)?,
                        recovery_box: r.get(6)?,
                        created_at: r.get(7)?,
                        revoked_at: r.get(8)?,
                    })
                },
            )
            .optional()?)
    }

    /// A contact by key id.
    pub fn contact(&self, key_id: &str) -> Result<Option<Contact>> {
        Ok(self
            .tx
            .query_row(&format!("SELECT {CONTACT_COLUMNS} FROM contact WHERE key_id = ?1"), [key_id], contact_of)
            .optional()?)
    }

    /// Every contact, by name then key id.
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        let mut st = self.tx.prepare(&format!("SELECT {CONTACT_COLUMNS} FROM contact ORDER BY name, key_id"))?;
        let rows = st.query_map([], contact_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// An imported package by id.
    pub fn imported_package(&self, package_id: &str) -> Result<Option<ImportedPackage>> {
        Ok(self
            .tx
            .query_row(
                "SELECT package_id, file_sha256, kind, sender_key_id, created_at, imported_at, file_name
                 FROM imported_package WHERE package_id = ?1",
                [package_id],
                imported_of,
            )
            .optional()?)
    }

    /// The first package of `kind` imported from `sender_key_id` (a revocation card that arrived before
    /// the key card it revokes).
    pub fn imported_package_by(&self, kind: &str, sender_key_id: &str) -> Result<Option<ImportedPackage>> {
        Ok(self
            .tx
            .query_row(
                "SELECT package_id, file_sha256, kind, sender_key_id, created_at, imported_at, file_name
                 FROM imported_package WHERE kind = ?1 AND sender_key_id = ?2 ORDER BY imported_at LIMIT 1",
                [kind, sender_key_id],
                imported_of,
            )
            .optional()?)
    }

    /// How many packages were imported.
    pub fn imported_package_count(&self) -> Result<u64> {
        let n: i64 = self.tx.query_row("SELECT count(*) FROM imported_package", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}
