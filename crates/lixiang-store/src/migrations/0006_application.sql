-- Applications (申报书). On the applicant's laptop: the draft (edited in place, saved as you type) and
-- its sealed versions (exact bytes, never re-serialised). On the office's: the submissions received,
-- each with the 申报编号 assigned on first import.
CREATE TABLE application_draft (
    application_id  TEXT PRIMARY KEY NOT NULL,
    call_id         TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL CHECK (json_valid(body)),
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE application_version (
    application_id  TEXT NOT NULL,
    number          INTEGER NOT NULL CHECK (number >= 1),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes           BLOB NOT NULL,
    sealed_at       TEXT NOT NULL,
    -- The submission package that carried it (NULL until it is sealed into one).
    package_id      TEXT,
    PRIMARY KEY (application_id, number)
) STRICT;

CREATE TABLE submission_received (
    application_id  TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    sha256          TEXT NOT NULL CHECK (length(sha256) = 64),
    bytes           BLOB NOT NULL,
    call_id         TEXT NOT NULL,
    programme       TEXT NOT NULL,
    title           TEXT NOT NULL,
    applicant_name  TEXT NOT NULL,
    applicant_code  TEXT NOT NULL,
    sender_key_id   TEXT NOT NULL,
    package_id      TEXT NOT NULL,
    sealed_at       TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    -- 申报编号 YYYY-ZXnn-NNNNNN: one per application, given when its first version arrives.
    number          TEXT NOT NULL,
    PRIMARY KEY (application_id, version)
) STRICT;

CREATE INDEX submission_received_number ON submission_received (number);
