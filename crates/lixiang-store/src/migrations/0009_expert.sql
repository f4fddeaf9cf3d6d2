-- The expert pool (专家库) and the assignment runs of the office.
--
-- One row per expert. `body` is the core's ExpertProfile as JSON (checked by the core on the way in);
-- the columns beside it are what lookups and ordering need. `document_number` is the normalised number
-- (upper case, no spaces) and unique: persons are matched by it, so the same person is never entered twice;
-- NULL for an entry kept without a document (SQLite lets several NULLs coexist under UNIQUE).
CREATE TABLE expert (
    expert_id       TEXT PRIMARY KEY NOT NULL,
    -- ZJ000001 …, allocated inside the write transaction that creates the row.
    number          TEXT NOT NULL UNIQUE CHECK (number GLOB 'ZJ[0-9][0-9][0-9][0-9][0-9][0-9]'),
    name            TEXT NOT NULL CHECK (length(name) > 0),
    sort_key        TEXT NOT NULL,
    document_number TEXT UNIQUE,
    -- The expert's key card: the key id of a trusted contact (attached by the officer).
    key_id          TEXT UNIQUE CHECK (key_id IS NULL OR length(key_id) = 16),
    body            TEXT NOT NULL CHECK (json_valid(body)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE INDEX expert_order ON expert (sort_key, name, number);

-- Every assignment run for a call's round: the solver's exact input hash, the parameters and the outcome
-- (assignment, or the deficiency that explains why none exists). The newest run of a round is the current one.
CREATE TABLE assignment_run (
    run_id          TEXT PRIMARY KEY NOT NULL,
    call_id         TEXT NOT NULL,
    round           INTEGER NOT NULL CHECK (round >= 1),
    input_sha256    TEXT NOT NULL CHECK (length(input_sha256) = 64),
    params          TEXT NOT NULL CHECK (json_valid(params)),
    outcome         TEXT NOT NULL CHECK (json_valid(outcome)),
    created_at      TEXT NOT NULL
) STRICT;

CREATE INDEX assignment_run_round ON assignment_run (call_id, round, created_at);
