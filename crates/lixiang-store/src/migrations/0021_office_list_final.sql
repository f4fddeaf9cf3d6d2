-- The office's list shows a decided application by its final decision, 立项 (`funded`) or 不予立项
-- (`not_funded`), written in the final decision's transaction: the index's status takes two more values.
-- SQLite cannot change a CHECK constraint in place; the index is derived (0008: rebuilt from the audited
-- records when a row is missing), so the table is recreated empty and the core refills it at opening,
-- reading the final decisions (decision_final) as well.
DROP TABLE application_index;

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
                    CHECK (status IN ('received', 'accepted', 'returned', 'not_accepted', 'withdrawn', 'funded',
                                      'not_funded')),
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
