-- Appeals (申诉) against 不予受理. A granted appeal sets the decision aside and the officer decides the same
-- version again, so a version may now carry several formal decisions in sequence: `seq` counts them per
-- (application, version) from 1, and the newest (highest version, then highest seq) is the one that counts.
-- The applicant's received results carry the same sequence, so a newer decision on the same version
-- supersedes the older one there too. SQLite cannot change a primary key in place: both tables are rebuilt,
-- every row kept as the first (and so far only) decision on its version.
ALTER TABLE formal_decision RENAME TO formal_decision_0007;

CREATE TABLE formal_decision (
    application_id  TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    -- The decision's place on its version: 1, then 2 after a granted appeal, and so on.
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    -- 申报编号 as the office gave it.
    number          TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('accept', 'return', 'reject')),
    -- A JSON array of the reasons as the officer typed them.
    reasons         TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
    -- For a return: the date by which the fixed version must arrive (YYYY-MM-DD).
    fix_by          TEXT,
    decided_at      TEXT NOT NULL,
    -- The result package that carries the decision to the applicant.
    package_id      TEXT NOT NULL,
    PRIMARY KEY (application_id, version, seq)
) STRICT;

INSERT INTO formal_decision
    (application_id, version, seq, number, decision, reasons, fix_by, decided_at, package_id)
SELECT application_id, version, 1, number, decision, reasons, fix_by, decided_at, package_id
FROM formal_decision_0007;

DROP TABLE formal_decision_0007;

ALTER TABLE formal_result RENAME TO formal_result_0007;

CREATE TABLE formal_result (
    application_id  TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    -- The decision's place on its version, as the office numbered it.
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    number          TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('accept', 'return', 'reject')),
    reasons         TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
    fix_by          TEXT,
    decided_at      TEXT NOT NULL,
    package_id      TEXT NOT NULL,
    -- The office's key that signed it (the key that published the call).
    sender_key_id   TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    PRIMARY KEY (application_id, version, seq)
) STRICT;

INSERT INTO formal_result
    (application_id, version, seq, number, decision, reasons, fix_by, decided_at, package_id, sender_key_id,
     received_at)
SELECT application_id, version, 1, number, decision, reasons, fix_by, decided_at, package_id, sender_key_id,
       received_at
FROM formal_result_0007;

DROP TABLE formal_result_0007;

-- On the office's desktop: the appeal against one 不予受理 decision (at most one per decision), logged when
-- it arrives and resolved once, upheld (维持原决定) or granted (申诉成立, the decision is set aside).
CREATE TABLE formal_appeal (
    application_id  TEXT NOT NULL,
    version         INTEGER NOT NULL,
    -- The decision appealed against.
    decision_seq    INTEGER NOT NULL,
    number          TEXT NOT NULL,
    -- The date the appeal reached the office (YYYY-MM-DD).
    received_on     TEXT NOT NULL,
    -- Who appealed and how (by letter, in person, by e-mail …), as the officer typed it.
    appellant       TEXT NOT NULL CHECK (length(trim(appellant)) > 0),
    body            TEXT NOT NULL CHECK (length(trim(body)) > 0),
    logged_at       TEXT NOT NULL,
    outcome         TEXT CHECK (outcome IS NULL OR outcome IN ('upheld', 'granted')),
    reason          TEXT,
    resolved_at     TEXT,
    CHECK ((outcome IS NULL) = (reason IS NULL) AND (outcome IS NULL) = (resolved_at IS NULL)),
    PRIMARY KEY (application_id, version, decision_seq),
    FOREIGN KEY (application_id, version, decision_seq) REFERENCES formal_decision (application_id, version, seq)
) STRICT;
