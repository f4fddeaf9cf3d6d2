-- Result packages the office writes to applicants (formal-check results and funding results). The payload is
-- recorded in the same transaction as the decision it carries; once sealed, the exact file is kept in the
-- blob store (`file_sha256`), so a copy that was lost, or could not be written to the chosen folder, is written
-- again byte for byte. An applicant who already imported the first copy then sees "already imported", never a
-- package id reused with other bytes.
CREATE TABLE outgoing_package (
    package_id        TEXT PRIMARY KEY,
    kind              TEXT NOT NULL,
    -- 'formal' (形式审查 result) or 'funding' (立项 result)
    stage             TEXT NOT NULL CHECK (stage IN ('formal', 'funding')),
    application_id    TEXT NOT NULL,
    -- the 申报编号 people look it up by
    number            TEXT NOT NULL,
    recipient_key_id  TEXT NOT NULL,
    file_name         TEXT NOT NULL,
    payload           BLOB NOT NULL,
    -- set once the sealed file is kept in the blob store
    file_sha256       TEXT,
    created_at        TEXT NOT NULL
) STRICT;

CREATE INDEX outgoing_package_by_number ON outgoing_package (number, stage, created_at);
