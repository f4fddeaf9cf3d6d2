-- PLACEHOLDER on branch wip/experts only: another branch adds the real migration 0008 in parallel, and the
-- migration runner requires consecutive versions. At the merge, drop this file and its line in migrate.rs
-- for the real 0008. (Databases made with this placeholder are development ones only.)
SELECT 1;
