-- Funding decisions of a call's round (立项): on the office's desktop the recommendation list, the public
-- notice (公示) with its objections, and the final decision per item; on the applicant's laptop the funding
-- results received. Each change is also an event of the audit chain (action `decision`), which keeps the
-- history; these tables hold the state as it stands.

-- The recommendation list of a round, with the inputs it was made from: the ranking method and the SHA-256
-- of the ranking it was read from. Replaced while no 公示 has started; frozen afterwards (the core refuses).
CREATE TABLE decision_recommendation (
    call_id         TEXT NOT NULL,
    round           INTEGER NOT NULL CHECK (round >= 1),
    method          TEXT NOT NULL,
    ranking_sha256  TEXT NOT NULL,
    -- A JSON array of the items recommended, in ranking order (number, rank, basis, reason …).
    items           TEXT NOT NULL CHECK (json_valid(items) AND json_type(items) = 'array'),
    -- A JSON array of the items above the line the officer dropped, each with its reason.
    dropped         TEXT NOT NULL CHECK (json_valid(dropped) AND json_type(dropped) = 'array'),
    made_at         TEXT NOT NULL,
    PRIMARY KEY (call_id, round)
) STRICT;

-- The 公示 of a round's recommendation list: from the start date through the end date (both whole days,
-- Beijing time). One per round.
CREATE TABLE decision_publicity (
    call_id     TEXT NOT NULL,
    round       INTEGER NOT NULL CHECK (round >= 1),
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL CHECK (ends_on >= starts_on),
    days        INTEGER NOT NULL CHECK (days >= 1),
    started_at  TEXT NOT NULL,
    PRIMARY KEY (call_id, round)
) STRICT;

-- The objection log of a 公示: an objection received about one item, and its resolution. The id is the
-- office's own (objections never leave its desktop).
CREATE TABLE decision_objection (
    id                 INTEGER PRIMARY KEY,
    call_id            TEXT NOT NULL,
    round              INTEGER NOT NULL CHECK (round >= 1),
    number             TEXT NOT NULL,
    received_on        TEXT NOT NULL,
    summary            TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    recorded_at        TEXT NOT NULL,
    resolution         TEXT CHECK (resolution IN ('upheld', 'dismissed')),
    resolution_reason  TEXT,
    resolved_at        TEXT,
    CHECK ((resolution IS NULL) = (resolved_at IS NULL)),
    FOREIGN KEY (call_id, round) REFERENCES decision_publicity (call_id, round)
) STRICT;

-- The final decision on each item of a round (never replaced: the primary key refuses a second).
CREATE TABLE decision_final (
    call_id         TEXT NOT NULL,
    round           INTEGER NOT NULL CHECK (round >= 1),
    number          TEXT NOT NULL,
    application_id  TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    funded          INTEGER NOT NULL CHECK (funded IN (0, 1)),
    amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    rank            INTEGER,
    decided_at      TEXT NOT NULL,
    -- The result package that carries the decision to the applicant.
    package_id      TEXT NOT NULL,
    PRIMARY KEY (call_id, round, number)
) STRICT;

-- On the applicant's laptop: the funding results received from the office (the decrypted payload as it
-- came, the office's key that signed it). One per application: a funding decision is final.
CREATE TABLE funding_result (
    application_id  TEXT PRIMARY KEY NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    number          TEXT NOT NULL,
    funded          INTEGER NOT NULL CHECK (funded IN (0, 1)),
    body            TEXT NOT NULL CHECK (json_valid(body)),
    decided_at      TEXT NOT NULL,
    package_id      TEXT NOT NULL,
    sender_key_id   TEXT NOT NULL,
    received_at     TEXT NOT NULL
) STRICT;
