-- Events appended without an id of their own store none: their id is derived from the store's id, their sequence and
-- the time they were recorded (dev.cairn.internal.EventIds), so event_id is NULL for them and the unique index covers
-- only the ids callers chose. Likewise occurred_at is NULL when the event happened when it was recorded. The append
-- functions store what they are given, nulls included. Ids already stored stay as they are; rebuilding the index
-- holds the table's write lock meanwhile (a large log takes a while).
ALTER TABLE events ALTER COLUMN event_id DROP NOT NULL, ALTER COLUMN occurred_at DROP NOT NULL;
DROP INDEX events_event_id;
CREATE UNIQUE INDEX events_event_id ON events (event_id) WHERE event_id IS NOT NULL;
