-- 会议评审: the officer may make a round's shortlist at another percent of the places than the review plan
-- says (the plan's ratio, e.g. 120%, stays the default). The percent used is kept with the shortlist, so
-- that what is shown later (the cut ⌈percent × places / 100⌉) is what was made; NULL means the plan's.
ALTER TABLE review_shortlist ADD COLUMN percent INTEGER CHECK (percent IS NULL OR percent BETWEEN 1 AND 1000);
