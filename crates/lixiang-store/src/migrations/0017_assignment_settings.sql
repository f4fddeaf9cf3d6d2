-- The office's assignment settings of a call: the collaboration window of the conflict rules (3–5 years), the
-- per-round load L, and the match weights. Office data, not part of the published call (they may change during
-- review, each change an `assignment_change` event of the audit chain with its reason); a call without a row
-- uses the defaults of domain.md.
CREATE TABLE call_assignment_settings (
    call_id     TEXT PRIMARY KEY,
    -- {"collaboration_years": 3, "max_load": null, "weights": {...}}
    body        TEXT NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object'),
    updated_at  TEXT NOT NULL
) STRICT;
