-- Trust between laptops: this workspace's own identity, the other parties it knows (contacts, trusted on
-- first use or through a key card), and every package it imported (so a second copy writes nothing and a
-- different file reusing a package id is refused).

-- At most one identity per workspace (id = 1). The private keys are stored only encrypted: `secret_box`
-- under the person's passphrase, `recovery_box` under the one-time recovery passphrase (both Argon2id +
-- ChaCha20-Poly1305, JSON written by lixiang-core's identity::keybox).
CREATE TABLE identity (
    id                  INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    role                TEXT NOT NULL CHECK (role IN ('office', 'applicant', 'expert')),
    name                TEXT NOT NULL CHECK (length(name) > 0),
    key_id              TEXT NOT NULL CHECK (length(key_id) = 16),
    signing_public      BLOB NOT NULL CHECK (length(signing_public) = 32),
    encryption_public   BLOB NOT NULL CHECK (length(encryption_public) = 32),
    secret_box          TEXT NOT NULL CHECK (json_valid(secret_box)),
    recovery_box        TEXT NOT NULL CHECK (json_valid(recovery_box)),
    created_at          TEXT NOT NULL,
    -- Set when the person revoked this identity (a lost laptop, a compromised key).
    revoked_at          TEXT
) STRICT;

-- Other parties' public keys, by key id. `trusted_how` says how the key came to be trusted:
-- 'fingerprint' (a person compared the digit groups) or 'key_card' (a key card signed by a key already
-- trusted). A revoked contact's packages are refused from then on.
CREATE TABLE contact (
    key_id              TEXT PRIMARY KEY NOT NULL CHECK (length(key_id) = 16),
    role                TEXT,
    name                TEXT,
    signing_public      BLOB NOT NULL CHECK (length(signing_public) = 32),
    encryption_public   BLOB NOT NULL CHECK (length(encryption_public) = 32),
    fingerprint         TEXT NOT NULL,
    trusted_how         TEXT NOT NULL CHECK (trusted_how IN ('fingerprint', 'key_card')),
    trusted_at          TEXT NOT NULL,
    revoked_at          TEXT,
    revocation_package  TEXT
) STRICT;

-- Every package imported, by its id (UUID v7, for life). `file_sha256` is the SHA-256 of the whole file:
-- the same id with the same bytes is "already imported"; with other bytes it is refused.
CREATE TABLE imported_package (
    package_id      TEXT PRIMARY KEY NOT NULL,
    file_sha256     TEXT NOT NULL CHECK (length(file_sha256) = 64),
    kind            TEXT NOT NULL,
    sender_key_id   TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    file_name       TEXT NOT NULL
) STRICT;
