-- Review packets and returns (issue 7, step 2): the office's side and the expert's side of one exchange.
-- A workspace uses one side or the other (an office issues packets and receives returns; an expert holds
-- packets and seals sheets), but both live in one schema so that one program serves every role.

-- Office: every packet issued, one row per package. `items` is the JSON array of the 申报编号 the packet
-- carries; `form_sha256` the hash of the round's form it carries (a return names it).
CREATE TABLE review_packet (
    packet_id       TEXT PRIMARY KEY NOT NULL,
    call_id         TEXT NOT NULL,
    round           INTEGER NOT NULL CHECK (round >= 1),
    expert_number   TEXT NOT NULL,
    expert_key_id   TEXT NOT NULL CHECK (length(expert_key_id) = 16),
    form_sha256     TEXT NOT NULL CHECK (length(form_sha256) = 64),
    items           TEXT NOT NULL CHECK (json_valid(items)),
    issued_at       TEXT NOT NULL,
    file_name       TEXT NOT NULL
) STRICT;

CREATE INDEX review_packet_round ON review_packet (call_id, round, expert_number, issued_at);

-- Office: each return imported, so that an older return for the same packet is refused as superseded.
CREATE TABLE review_return (
    package_id      TEXT PRIMARY KEY NOT NULL,
    packet_id       TEXT NOT NULL REFERENCES review_packet (packet_id),
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    received_at     TEXT NOT NULL,
    UNIQUE (packet_id, seq)
) STRICT;

-- Office: the sealed sheets received. `body` is the sheet exactly as sealed (its SHA-256 is the receipt);
-- the columns beside it are what ranking and progress need. One sheet per expert and item in a round.
CREATE TABLE review_sheet_received (
    call_id         TEXT NOT NULL,
    round           INTEGER NOT NULL,
    number          TEXT NOT NULL,
    expert_number   TEXT NOT NULL,
    packet_id       TEXT NOT NULL REFERENCES review_packet (packet_id),
    receipt_sha256  TEXT NOT NULL CHECK (length(receipt_sha256) = 64),
    body            TEXT NOT NULL CHECK (json_valid(body)),
    -- The total in half points (scored forms), NULL for verdict forms.
    total_half      INTEGER,
    grade           TEXT,
    sealed_at       TEXT NOT NULL,
    package_id      TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    PRIMARY KEY (call_id, round, number, expert_number)
) STRICT;

-- Office: conflicts an expert declared on an item of a packet (the item left the packet).
CREATE TABLE review_conflict_declared (
    call_id         TEXT NOT NULL,
    round           INTEGER NOT NULL,
    number          TEXT NOT NULL,
    expert_number   TEXT NOT NULL,
    packet_id       TEXT NOT NULL REFERENCES review_packet (packet_id),
    reason          TEXT NOT NULL,
    declared_at     TEXT NOT NULL,
    package_id      TEXT NOT NULL,
    PRIMARY KEY (call_id, round, number, expert_number)
) STRICT;

-- Expert: the packets held. `body` is the packet's payload as received; when the expert removes the
-- application contents after the review, `contents_removed_at` is set and `body` keeps the rest.
CREATE TABLE review_packet_held (
    packet_id           TEXT PRIMARY KEY NOT NULL,
    call_id             TEXT NOT NULL,
    call_code           TEXT NOT NULL,
    round               INTEGER NOT NULL,
    office_key_id       TEXT NOT NULL,
    form_sha256         TEXT NOT NULL CHECK (length(form_sha256) = 64),
    body                TEXT NOT NULL CHECK (json_valid(body)),
    received_at         TEXT NOT NULL,
    contents_removed_at TEXT
) STRICT;

-- Expert: one score sheet per item of a packet: the draft as typed (saved as the expert types), and
-- once sealed the exact sealed text and its receipt. A declared conflict takes the item out instead.
CREATE TABLE review_sheet (
    packet_id       TEXT NOT NULL REFERENCES review_packet_held (packet_id),
    number          TEXT NOT NULL,
    draft           TEXT NOT NULL CHECK (json_valid(draft)),
    sealed          TEXT CHECK (sealed IS NULL OR json_valid(sealed)),
    receipt_sha256  TEXT CHECK (receipt_sha256 IS NULL OR length(receipt_sha256) = 64),
    sealed_at       TEXT,
    conflict_reason TEXT,
    conflict_at     TEXT,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (packet_id, number),
    CHECK ((sealed IS NULL) = (receipt_sha256 IS NULL)),
    CHECK (sealed IS NULL OR conflict_reason IS NULL)
) STRICT;

-- A sealed sheet is final: its receipt was shown to the expert and may already be at the office.
CREATE TRIGGER review_sheet_sealed_is_final BEFORE UPDATE ON review_sheet
WHEN OLD.sealed IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a sealed score sheet cannot change');
END;

CREATE TRIGGER review_sheet_sealed_not_deleted BEFORE DELETE ON review_sheet
WHEN OLD.sealed IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a sealed score sheet cannot be deleted');
END;

-- Expert: the returns written, numbered per packet (a newer return carries every sheet sealed so far).
CREATE TABLE review_return_sent (
    packet_id       TEXT NOT NULL REFERENCES review_packet_held (packet_id),
    seq             INTEGER NOT NULL CHECK (seq >= 1),
    package_id      TEXT NOT NULL UNIQUE,
    sent_at         TEXT NOT NULL,
    PRIMARY KEY (packet_id, seq)
) STRICT;
