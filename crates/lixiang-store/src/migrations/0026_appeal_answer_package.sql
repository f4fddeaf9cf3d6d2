-- On the office's desktop: the result package that carried an upheld appeal's answer (维持原决定), linked
-- from the appeal it answers, so that the appeal's record names the file and can write it again. Set in the
-- transaction that resolves the appeal; NULL while the appeal is open and when it was granted (the next
-- decision's result package carries that answer).
ALTER TABLE formal_appeal ADD COLUMN answer_package_id TEXT REFERENCES outgoing_package (package_id);

-- Appeals upheld before this version: their answer is the formal result package of the same version and
-- decision that carries an appeal part (the decision's own package has none).
UPDATE formal_appeal SET answer_package_id = (
    SELECT o.package_id FROM outgoing_package o
    WHERE o.application_id = formal_appeal.application_id
      AND o.stage = 'formal'
      AND json_extract(CAST(o.payload AS TEXT), '$.version') = formal_appeal.version
      AND json_extract(CAST(o.payload AS TEXT), '$.seq') = formal_appeal.decision_seq
      AND json_extract(CAST(o.payload AS TEXT), '$.appeal') IS NOT NULL
    ORDER BY o.created_at DESC
    LIMIT 1
)
WHERE outcome = 'upheld';
