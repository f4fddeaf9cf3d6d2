-- The office's list of received applications, kept ready for filtering, sorting and searching with
-- thousands of rows, and the 查重 (duplicate filing) data. Everything here is derived from audited
-- records (submission_received, formal_decision, call_revision): it is written in the same transaction
-- as the submission import and the formal decision, and rebuilt from those records when the workspace
-- opens and a row is missing, stale, or of an older index format.
CREATE TABLE application_index (
    application_id  TEXT PRIMARY KEY NOT NULL,
    -- The newest version received, which the row describes.
    version         INTEGER NOT NULL CHECK (version >= 1),
    -- The core's index format; rows of an older format are rebuilt at opening.
    format          INTEGER NOT NULL,
    number          TEXT NOT NULL,
    call_id         TEXT NOT NULL,
    call_code       TEXT NOT NULL,
    year            INTEGER NOT NULL,
    programme       TEXT NOT NULL,
    title           TEXT NOT NULL,
    unit_name       TEXT NOT NULL,
    unit_code       TEXT NOT NULL,
    -- The unit's name normalised like the search (NFKC, lower case, no whitespace), for the unit filter.
    unit_search     TEXT NOT NULL,
    leader_name     TEXT NOT NULL,
    -- The leader's document number, normalised: 限项 counts by it.
    leader_key      TEXT NOT NULL,
    -- The call's 限项 for the leader (eligibility.max_concurrent_projects); NULL when it sets none.
    leader_limit    INTEGER,
    status          TEXT NOT NULL
                    CHECK (status IN ('received', 'accepted', 'returned', 'not_accepted', 'withdrawn')),
    received_at     TEXT NOT NULL,
    late            INTEGER NOT NULL CHECK (late IN (0, 1)),
    -- Problems of the formal-check rules at receipt (the ones that need no other application).
    errors          INTEGER NOT NULL CHECK (errors >= 0),
    warnings        INTEGER NOT NULL CHECK (warnings >= 0),
    -- Sort keys: the full pinyin without tones, so that Chinese sorts as people expect.
    title_sort      TEXT NOT NULL,
    unit_sort       TEXT NOT NULL,
    leader_sort     TEXT NOT NULL,
    -- Search: NFKC, lower case, no whitespace; the fields (申报编号, title, unit, leader) joined by U+001F
    -- so that no match spans two of them.
    haystack        TEXT NOT NULL,
    -- Pinyin initials of title, unit and leader, every reading of a polyphonic character kept (see
    -- lixiang_store::initials_match for the format).
    initials        TEXT NOT NULL
) STRICT;

CREATE INDEX application_index_call ON application_index (call_id, status);
CREATE INDEX application_index_leader ON application_index (call_id, leader_key);
CREATE INDEX application_index_number ON application_index (number);
CREATE INDEX application_index_received ON application_index (received_at);

-- 查重: the set of character 5-grams of an application's newest version, as sorted distinct 64-bit
-- hashes (little endian), so that comparing two applications is a merge of two sorted arrays and never
-- re-reads their JSON.
CREATE TABLE application_shingles (
    id              INTEGER PRIMARY KEY,
    application_id  TEXT NOT NULL UNIQUE,
    version         INTEGER NOT NULL CHECK (version >= 1),
    year            INTEGER NOT NULL,
    -- Its pre-application (two-stage calls): the pair is expected to be similar and is never flagged.
    pre_application TEXT,
    count           INTEGER NOT NULL CHECK (count >= 0),
    hashes          BLOB NOT NULL CHECK (length(hashes) = 8 * count)
) STRICT;

CREATE INDEX application_shingles_year ON application_shingles (year);

-- The inverted index that finds the candidates of a new application without reading every set of the
-- year: the hashes the core chose to index (a fixed sample of a large set, every hash of a small one).
CREATE TABLE shingle_sample (
    year            INTEGER NOT NULL,
    hash            INTEGER NOT NULL,
    app             INTEGER NOT NULL REFERENCES application_shingles (id) ON DELETE CASCADE,
    PRIMARY KEY (year, hash, app)
) STRICT, WITHOUT ROWID;

CREATE INDEX shingle_sample_app ON shingle_sample (app);

-- Pairs at or above the 查重 threshold, once per pair (a < b), each with its similarity and the number
-- of 5-grams they share.
CREATE TABLE duplicate_pair (
    a               TEXT NOT NULL,
    b               TEXT NOT NULL,
    similarity      REAL NOT NULL CHECK (similarity >= 0 AND similarity <= 1),
    shared          INTEGER NOT NULL CHECK (shared >= 0),
    PRIMARY KEY (a, b),
    CHECK (a < b)
) STRICT;

CREATE INDEX duplicate_pair_b ON duplicate_pair (b);
