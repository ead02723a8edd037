-- Event ids as PostgreSQL's 16-byte uuid instead of 36 characters of text (SQLite stores the same 16 bytes as a BLOB):
-- the unique index on them is touched by every append, and a read no longer parses text. Cairn always wrote the text
-- form as UUID.toString(), so every stored id casts. The table and its index are rewritten once.
ALTER TABLE events ALTER COLUMN event_id TYPE uuid USING event_id::uuid;
