-- 定向委托 (directed commission) on the office's desktop: the consolidated panel opinion of each plan after
-- the 可行性论证 round, and — when 2–3 units were invited — the plan the office selected with its reason.
-- The final decisions go into decision_final (0012) like those of the other modes, and the result
-- packages are the funding results of 0012. Each change is also an event of the audit chain (action
-- `decision`), which keeps the history; these tables hold the state as it stands. Nothing here refers to
-- the tables of other modes, so this migration stands on 0012 alone.

-- The panel's consolidated opinion on one plan (申报编号) of a 可行性论证 round: 通过 / 修改后通过 / 不通过,
-- the opinion's text, and for 修改后通过 the changes required. Replaced while no plan is selected and
-- nothing is decided (the core refuses afterwards). `sheets_sha256` names the sealed sheets it consolidated
-- (SHA-256 over their receipts in expert order), so a later look can tell what it was made from. It is made
-- once every assigned expert has sealed a sheet or declared a conflict on the plan; when the officer goes on
-- without an expert's answer, `awaited` names those experts and `proceed_reason` says why.
CREATE TABLE directed_panel (
    call_id        TEXT NOT NULL,
    round          INTEGER NOT NULL CHECK (round >= 1),
    number         TEXT NOT NULL,
    verdict        TEXT NOT NULL CHECK (verdict IN ('pass', 'pass_after_revision', 'fail')),
    opinion        TEXT NOT NULL CHECK (length(trim(opinion)) > 0),
    changes        TEXT,
    sheets         INTEGER NOT NULL CHECK (sheets >= 1),
    sheets_sha256  TEXT NOT NULL,
    awaited        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(awaited) AND json_type(awaited) = 'array'),
    proceed_reason TEXT,
    recorded_at    TEXT NOT NULL,
    CHECK (awaited = '[]' OR coalesce(length(trim(proceed_reason)), 0) > 0),
    -- 修改后通过 names its changes; the other verdicts have none.
    CHECK ((verdict = 'pass_after_revision') = (changes IS NOT NULL AND length(trim(changes)) > 0)),
    PRIMARY KEY (call_id, round, number)
) STRICT;

-- The office's choice among the passing plans of invited units, with its reason. One per round; replaced
-- until the round is decided (the core refuses afterwards). The chosen plan must have a panel opinion.
CREATE TABLE directed_selection (
    call_id      TEXT NOT NULL,
    round        INTEGER NOT NULL CHECK (round >= 1),
    number       TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    selected_at  TEXT NOT NULL,
    PRIMARY KEY (call_id, round),
    FOREIGN KEY (call_id, round, number) REFERENCES directed_panel (call_id, round, number)
) STRICT;
