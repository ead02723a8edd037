-- Event ids as their 16 bytes instead of 36 characters of text. The unique index on them is touched by every append
-- and every event id is read back by every replay: as bytes the index entries and rows are 20 bytes smaller and a read
-- builds the UUID from two longs instead of parsing text. SQLite cannot change a column's type in place, so the table
-- is rebuilt (once: a large log takes a while, and the migration holds the write lock meanwhile). unhex() turns the
-- text form, which Cairn always wrote as UUID.toString(), into the bytes; the check keeps every row at 16 bytes.
CREATE TABLE events_by_bytes (
    sequence       INTEGER PRIMARY KEY,
    event_id       BLOB    NOT NULL CHECK (length(event_id) = 16),
    stream_id      TEXT    NOT NULL,
    stream_version BIGINT  NOT NULL,
    type           TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    payload        TEXT    NOT NULL,
    actor_kind     TEXT,
    command_id     TEXT,
    causation_id   TEXT,
    correlation_id TEXT,
    metadata       TEXT,
    occurred_at    BIGINT  NOT NULL,
    recorded_at    BIGINT  NOT NULL
);
INSERT INTO events_by_bytes (sequence, event_id, stream_id, stream_version, type, schema_version, payload, actor_kind,
        command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at)
    SELECT sequence, unhex(replace(event_id, '-', '')), stream_id, stream_version, type, schema_version, payload,
        actor_kind, command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at
    FROM events ORDER BY sequence;
DROP TABLE events;
ALTER TABLE events_by_bytes RENAME TO events;
CREATE UNIQUE INDEX events_event_id ON events (event_id);
CREATE UNIQUE INDEX events_stream_version ON events (stream_id, stream_version);
