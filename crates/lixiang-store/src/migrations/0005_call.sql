-- Calls (指南 / 榜单), one row per revision. A draft revision is edited in place; publishing freezes it;
-- a later change is the next revision. Calls received in call packages are stored the same way, with
-- the package they came in. The body is the core's Call as JSON (checked by the core on the way in).
CREATE TABLE call_revision (
    call_id         TEXT NOT NULL,
    revision        INTEGER NOT NULL CHECK (revision >= 1),
    code            TEXT NOT NULL,
    programme       TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'published')),
    body            TEXT NOT NULL CHECK (json_valid(body)),
    -- 'own' for calls made in this workspace, else the id of the package it was imported from.
    origin          TEXT NOT NULL,
    sender_key_id   TEXT NOT NULL DEFAULT '',
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (call_id, revision)
) STRICT;

CREATE INDEX call_revision_code ON call_revision (code);
