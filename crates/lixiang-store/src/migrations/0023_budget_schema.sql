-- Budget schemas (经费预算规则) a workspace holds besides those shipped in the program: added by the office
-- from a schema file, or received inside a call package. A schema is versioned data: one (code, version)
-- has one content for ever, identified by its SHA-256, so a second content under the same code and
-- version is refused by the core before it reaches this table, and the primary key refuses it here too.
CREATE TABLE budget_schema (
    code        TEXT NOT NULL CHECK (length(code) > 0),
    version     INTEGER NOT NULL CHECK (version >= 1),
    -- SHA-256 (hex) of the schema's canonical JSON: what a call package carries beside it.
    sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
    -- The schema as the core's JSON.
    body        TEXT NOT NULL CHECK (json_valid(body)),
    -- `own` (added here from a file), or the id of the call package it arrived in.
    origin      TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (code, version)
) STRICT;
