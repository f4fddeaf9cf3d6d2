-- 揭榜挂帅: the agreement (任务书/协议) the 发榜方 signs with each selected team, recorded by the office
-- between the selection and the 公示 (the core refuses the 公示 while a selected team has none). One per
-- team and call, never replaced: the signed scan is a PDF in the blob store, by its SHA-256. Each
-- recording is also an event of the audit chain (action `decision`).
CREATE TABLE challenge_agreement (
    call_id       TEXT NOT NULL,
    -- The team's 申报编号.
    number        TEXT NOT NULL,
    -- The agreement's own number, as printed on it.
    agreement_no  TEXT NOT NULL CHECK (length(agreement_no) > 0),
    signed_on     TEXT NOT NULL,
    -- The agreed funding; the core checks it equals what the call fixes for the team.
    funding_fen   INTEGER NOT NULL CHECK (funding_fen > 0),
    file_sha256   TEXT NOT NULL CHECK (length(file_sha256) = 64),
    file_name     TEXT NOT NULL,
    file_size     INTEGER NOT NULL CHECK (file_size > 0),
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (call_id, number)
) STRICT;
