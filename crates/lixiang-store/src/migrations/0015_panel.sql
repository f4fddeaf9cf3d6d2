-- 会议评审 on the office's desktop: the shortlist that takes items from one round into the next, and the
-- panel's votes per item with who was present and who stepped out for a conflict. Each change is also an
-- event of the audit chain (action `decision`), which keeps the history; these tables hold the state.

-- The items a round takes from the ranking of the round before it (the top share of the places, plus the
-- non-consensus items sent on for discussion), with the method it was read by. Replaced until the
-- round's first vote is recorded (the core refuses afterwards).
CREATE TABLE review_shortlist (
    call_id    TEXT NOT NULL,
    round      INTEGER NOT NULL CHECK (round >= 2),
    method     TEXT NOT NULL,
    -- A JSON array of the items, in ranking order (number, title, rank, score, basis).
    items      TEXT NOT NULL CHECK (json_valid(items) AND json_type(items) = 'array'),
    made_at    TEXT NOT NULL,
    PRIMARY KEY (call_id, round)
) STRICT;

-- The panel's vote on one item of a vote round, as the chair gave it to the officer: the members present,
-- those who stepped out for a conflict with the item, and the counts of the others' votes.
CREATE TABLE panel_vote (
    call_id      TEXT NOT NULL,
    round        INTEGER NOT NULL CHECK (round >= 1),
    number       TEXT NOT NULL,
    present      TEXT NOT NULL CHECK (json_valid(present) AND json_type(present) = 'array'),
    stepped_out  TEXT NOT NULL CHECK (json_valid(stepped_out) AND json_type(stepped_out) = 'array'),
    yes          INTEGER NOT NULL CHECK (yes >= 0),
    no           INTEGER NOT NULL CHECK (no >= 0),
    abstain      INTEGER NOT NULL CHECK (abstain >= 0),
    recommended  INTEGER NOT NULL CHECK (recommended IN (0, 1)),
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (call_id, round, number)
) STRICT;
