-- The audit log: a hash chain of state transitions and decisions (submit, import, decision, …), and the
-- signed heads of that chain (one per outgoing package and backup). Both tables are append-only: the
-- triggers below refuse UPDATE and DELETE, so changing history needs deliberate work outside Lixiang,
-- and `lixiang audit verify` then finds the first broken link. The hashing is documented in src/audit.rs.
CREATE TABLE audit_event (
    seq             INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
    -- RFC 3339 in UTC (2027-03-01T08:00:00Z).
    at              TEXT NOT NULL,
    -- The workspace identity's key id; '' for events before the workspace had an identity.
    actor_key_id    TEXT NOT NULL,
    action          TEXT NOT NULL,
    record_kind     TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    -- SHA-256 (lowercase hex) of the canonical JSON of the affected record after the change.
    record_sha256   TEXT NOT NULL CHECK (length(record_sha256) = 64 AND NOT record_sha256 GLOB '*[^0-9a-f]*'),
    -- A small JSON document (the reason of an override, the package id of an import …).
    detail          TEXT CHECK (detail IS NULL OR json_valid(detail)),
    prev_hash       TEXT NOT NULL CHECK (length(prev_hash) = 64 AND NOT prev_hash GLOB '*[^0-9a-f]*'),
    hash            TEXT NOT NULL CHECK (length(hash) = 64 AND NOT hash GLOB '*[^0-9a-f]*')
) STRICT;

CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: audit_event rows cannot be updated');
END;

CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: audit_event rows cannot be deleted');
END;

-- A signed head: "the chain had `seq` events and ended in `hash`", signed by a workspace identity.
-- Several seals may name one head (a package and a backup made without an event between them).
CREATE TABLE audit_head_seal (
    id              INTEGER PRIMARY KEY NOT NULL,
    -- The head's sequence number; 0 with 64 zeros as `hash` for a chain that had no event yet.
    seq             INTEGER NOT NULL CHECK (seq >= 0),
    hash            TEXT NOT NULL CHECK (length(hash) = 64 AND NOT hash GLOB '*[^0-9a-f]*'),
    -- Ed25519 over the message of HeadSeal::signed_message (src/audit.rs).
    signature       BLOB NOT NULL CHECK (length(signature) = 64),
    signer_key_id   TEXT NOT NULL,
    signed_at       TEXT NOT NULL,
    -- 'package:<package id>' or 'backup'.
    purpose         TEXT NOT NULL
) STRICT;

CREATE TRIGGER audit_head_seal_no_update BEFORE UPDATE ON audit_head_seal
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: audit_head_seal rows cannot be updated');
END;

CREATE TRIGGER audit_head_seal_no_delete BEFORE DELETE ON audit_head_seal
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: audit_head_seal rows cannot be deleted');
END;
