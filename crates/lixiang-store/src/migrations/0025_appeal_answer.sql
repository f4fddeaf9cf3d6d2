-- On the applicant's laptop: the office's answer to an appeal (申诉) against a 不予受理, as a result package
-- carried it. An upheld appeal (维持原决定) comes as its own result package that repeats the standing decision
-- (same version and decision sequence) with the answer; a granted one (申诉成立) rides on the next decision's
-- result. One answer per decision appealed against.
CREATE TABLE appeal_answer (
    application_id  TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    -- The decision appealed against (its `seq` on the version).
    decision_seq    INTEGER NOT NULL CHECK (decision_seq >= 1),
    -- 申报编号.
    number          TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('upheld', 'granted')),
    reason          TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    -- The date the appeal reached the office (YYYY-MM-DD) and when the office resolved it.
    received_on     TEXT NOT NULL,
    resolved_at     TEXT NOT NULL,
    -- The result package that carried the answer, the office's key that signed it, and when it was imported.
    package_id      TEXT NOT NULL,
    sender_key_id   TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    PRIMARY KEY (application_id, version, decision_seq)
) STRICT;
