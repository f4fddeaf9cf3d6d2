-- The plan's catalog: the eight 科技重大专项 of 专栏19 with their quantified targets,
-- and the plan-level indicators of 专栏1. Codes are stable across machines (ZX01, ZX06-T1, P01).
CREATE TABLE programme (
    code        TEXT PRIMARY KEY NOT NULL CHECK (code GLOB 'ZX[0-9][0-9]'),
    seq         INTEGER NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    focus       TEXT NOT NULL,
    source      TEXT NOT NULL
) STRICT;

CREATE TABLE programme_target (
    code            TEXT PRIMARY KEY NOT NULL,
    programme_code  TEXT NOT NULL REFERENCES programme(code),
    seq             INTEGER NOT NULL,
    indicator       TEXT NOT NULL,
    min_value       INTEGER NOT NULL,
    max_value       INTEGER NOT NULL,
    unit            TEXT NOT NULL,
    printed         TEXT NOT NULL,
    CHECK (min_value <= max_value),
    UNIQUE (programme_code, seq)
) STRICT;

CREATE TABLE plan_indicator (
    code        TEXT PRIMARY KEY NOT NULL CHECK (code GLOB 'P[0-9][0-9]'),
    seq         INTEGER NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    attribute   TEXT NOT NULL,
    -- Each figure of the row as printed, and parsed: number, unit, year (or kind for the third column).
    baseline_printed    TEXT NOT NULL,
    baseline_value      REAL NOT NULL,
    baseline_unit       TEXT NOT NULL,
    baseline_year       INTEGER NOT NULL,
    baseline_note       TEXT,
    target_printed      TEXT NOT NULL,
    target_value        REAL NOT NULL,
    target_unit         TEXT NOT NULL,
    target_year         INTEGER NOT NULL,
    target_note         TEXT,
    change_printed      TEXT NOT NULL,
    change_value        REAL NOT NULL,
    change_unit         TEXT NOT NULL,
    change_kind         TEXT NOT NULL CHECK (change_kind IN ('yearly_average', 'cumulative')),
    change_comparator   TEXT NOT NULL CHECK (change_comparator IN ('=', '>='))
) STRICT;

CREATE TABLE plan_footnote (
    seq     INTEGER PRIMARY KEY NOT NULL,
    mark    TEXT NOT NULL,
    text    TEXT NOT NULL
) STRICT;
