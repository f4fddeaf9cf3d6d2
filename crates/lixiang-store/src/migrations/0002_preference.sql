-- Per-workspace preferences of the person using it (the UI language, …).
-- They live in the workspace so that a fresh data directory is a fresh app.
CREATE TABLE preference (
    key     TEXT PRIMARY KEY NOT NULL,
    value   TEXT NOT NULL
) STRICT;
