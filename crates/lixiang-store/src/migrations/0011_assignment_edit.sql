-- The officer's hand on the assignment of a call: soft conflicts allowed with a reason, and pairs pinned or
-- removed for a round. These tables hold the decisions as they stand now; their history (each change with
-- its reason) is in the audit chain, and every assignment run records the ones it was made with.
--
-- A pair is an application (by its 申报编号) and an expert (by number, ZJ000001): both numbers are unique
-- and never reassigned in the office's workspace, and they are what officers, runs and the audit detail show.

-- A pair the conflict rules exclude by default (soft) that the officer allows for the whole call. `codes`
-- are the soft reason codes the officer saw and overrode (a JSON array): a run allows the pair only while
-- its soft conflicts are among them, so a new reason found later is not overridden silently. Hard conflicts
-- are never overridden (the core refuses them before anything is written).
CREATE TABLE conflict_override (
    call_id      TEXT NOT NULL,
    application  TEXT NOT NULL,
    expert       TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    codes        TEXT NOT NULL CHECK (json_valid(codes) AND json_type(codes) = 'array'),
    created_at   TEXT NOT NULL,
    PRIMARY KEY (call_id, application, expert)
) STRICT;

-- A pair of a call's round set by hand: 'pin' puts it in every later run of the round, 'remove' keeps it
-- out. One state per pair (pinning a removed pair replaces the removal); unpinning or restoring deletes it.
CREATE TABLE assignment_pair_edit (
    call_id      TEXT NOT NULL,
    round        INTEGER NOT NULL CHECK (round >= 1),
    application  TEXT NOT NULL,
    expert       TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('pin', 'remove')),
    reason       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (call_id, round, application, expert)
) STRICT;
