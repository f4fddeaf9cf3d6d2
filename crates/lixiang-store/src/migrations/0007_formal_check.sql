-- The formal check (形式审查) and what follows it. On the office's desktop: the officer's decision on a
-- received version (one per version; a returned application is decided again on its newer version).
-- On the applicant's laptop: the results received from the office, and the withdrawals made here.
CREATE TABLE formal_decision (
    application_id  TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
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
    PRIMARY KEY (application_id, version)
) STRICT;

CREATE TABLE formal_result (
    application_id  TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    number          TEXT NOT NULL,
    decision        TEXT NOT NULL CHECK (decision IN ('accept', 'return', 'reject')),
    reasons         TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
    fix_by          TEXT,
    decided_at      TEXT NOT NULL,
    package_id      TEXT NOT NULL,
    -- The office's key that signed it (the key that published the call).
    sender_key_id   TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    PRIMARY KEY (application_id, version)
) STRICT;

CREATE TABLE application_withdrawal (
    application_id  TEXT PRIMARY KEY NOT NULL,
    -- The newest version sealed when it was withdrawn.
    version         INTEGER NOT NULL CHECK (version >= 1),
    withdrawn_at    TEXT NOT NULL,
    reason          TEXT NOT NULL
) STRICT;
