-- A placeholder that keeps this branch's migrations numbered without gaps: migration 0009 belongs to a change made on
-- another branch at the same time. When both are merged, the real 0009 replaces this file (delete it and its index
-- line); nothing here changes the schema.
SELECT 1;
