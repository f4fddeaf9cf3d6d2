-- 揭榜挂帅 after the selection, on the office's desktop: the milestone results of a race's teams, the gate
-- decisions (continue / terminate / merge / increase) with the amendments a merge makes, and for a bounty
-- the acceptance (验收) verdicts and the payouts. The tranche ledger is computed from these rows and the
-- call's race (never stored twice). Each change is also an event of the audit chain (action `decision`).

-- A team's result at a milestone, entered by the officer from the team's report (a file in the blob store,
-- by its SHA-256): the achieved value of each indicator examined at that gate. Replaced until the gate is
-- decided (the core refuses afterwards).
CREATE TABLE challenge_milestone_result (
    call_id        TEXT NOT NULL,
    milestone      TEXT NOT NULL,
    number         TEXT NOT NULL,
    report_sha256  TEXT NOT NULL CHECK (length(report_sha256) = 64),
    report_name    TEXT NOT NULL,
    -- A JSON object: core indicator code → achieved value.
    achieved       TEXT NOT NULL CHECK (json_valid(achieved) AND json_type(achieved) = 'object'),
    note           TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    PRIMARY KEY (call_id, milestone, number)
) STRICT;

-- A milestone gate, decided once, with the panel's reason.
CREATE TABLE challenge_gate (
    call_id     TEXT NOT NULL,
    milestone   TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    decided_at  TEXT NOT NULL,
    PRIMARY KEY (call_id, milestone)
) STRICT;

-- What the gate decided for each team running at it. `into_number` names the team a merged team joins;
-- `amount_fen` is the increase given (to the team itself for `increase`, to `into_number` for `merge`).
CREATE TABLE challenge_gate_decision (
    call_id      TEXT NOT NULL,
    milestone    TEXT NOT NULL,
    number       TEXT NOT NULL,
    decision     TEXT NOT NULL CHECK (decision IN ('continue', 'terminate', 'merge', 'increase')),
    into_number  TEXT,
    amount_fen   INTEGER NOT NULL CHECK (amount_fen >= 0),
    CHECK ((decision = 'merge') = (into_number IS NOT NULL)),
    PRIMARY KEY (call_id, milestone, number),
    FOREIGN KEY (call_id, milestone) REFERENCES challenge_gate (call_id, milestone)
) STRICT;

-- The logged amendment a merge makes: the merged team's members added to the team it joins.
CREATE TABLE challenge_amendment (
    id           INTEGER PRIMARY KEY,
    call_id      TEXT NOT NULL,
    milestone    TEXT NOT NULL,
    number       TEXT NOT NULL,
    from_number  TEXT NOT NULL,
    -- A JSON array of the members added (name, role, unit).
    members      TEXT NOT NULL CHECK (json_valid(members) AND json_type(members) = 'array'),
    reason       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    FOREIGN KEY (call_id, milestone) REFERENCES challenge_gate (call_id, milestone)
) STRICT;

-- A bounty's acceptance (验收) of the winning team: a verdict per core indicator and the supporting files.
CREATE TABLE challenge_acceptance (
    id           INTEGER PRIMARY KEY,
    call_id      TEXT NOT NULL,
    number       TEXT NOT NULL,
    -- A JSON object: core indicator code → `met` or `not_met`.
    verdicts     TEXT NOT NULL CHECK (json_valid(verdicts) AND json_type(verdicts) = 'object'),
    -- A JSON array of the supporting files (name, sha256, size).
    files        TEXT NOT NULL CHECK (json_valid(files) AND json_type(files) = 'array'),
    all_met      INTEGER NOT NULL CHECK (all_met IN (0, 1)),
    note         TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
) STRICT;

-- A part of a bounty paid (never twice: the primary key refuses a second).
CREATE TABLE challenge_payout (
    call_id        TEXT NOT NULL,
    part           INTEGER NOT NULL CHECK (part >= 0),
    number         TEXT NOT NULL,
    label          TEXT NOT NULL,
    due            TEXT NOT NULL CHECK (due IN ('agreement', 'acceptance')),
    percent        INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
    acceptance_id  INTEGER REFERENCES challenge_acceptance (id),
    paid_on        TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    CHECK ((due = 'acceptance') = (acceptance_id IS NOT NULL)),
    PRIMARY KEY (call_id, part)
) STRICT;
