-- Withdrawal notices the office received (an applicant's 撤回, sent as a `withdrawal` package signed by the key
-- that submitted the application). One per application: a second notice of the same withdrawal changes nothing.
CREATE TABLE received_withdrawal (
    application_id  TEXT PRIMARY KEY,
    number          TEXT NOT NULL,
    -- the newest version the applicant had submitted when it withdrew
    version         INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    -- when the applicant withdrew (its own record), and when the notice was imported here
    withdrawn_at    TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    sender_key_id   TEXT NOT NULL,
    package_id      TEXT NOT NULL
) STRICT;
