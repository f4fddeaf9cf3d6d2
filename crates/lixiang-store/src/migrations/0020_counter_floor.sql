-- Floors under the counters this workspace hands out to other machines (申报编号 per year and programme,
-- expert numbers, an expert's return numbers per packet). A restore from a backup raises them past every
-- value the backup recorded, plus a gap for the numbers the lost machine may have handed out after the
-- backup (lixiang-core's `counters` module owns the rule). Each allocator takes the larger of its data's
-- maximum and its floor. The counter `*` is the floor of any counter without a row of its own.
CREATE TABLE counter_floor (
    counter     TEXT PRIMARY KEY NOT NULL CHECK (length(counter) > 0),
    floor       INTEGER NOT NULL CHECK (floor >= 0)
) STRICT;
