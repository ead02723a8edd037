-- The foundation: schema_migrations and meta are created by the migration runner itself (it needs them before any
-- migration runs). This migration records the store's identity, so that copies and exports can tell stores apart.
CREATE TABLE store_identity (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    store_id   TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

INSERT INTO store_identity (id, store_id, created_at)
VALUES (1, md5(random()::text || clock_timestamp()::text), (extract(epoch FROM clock_timestamp()) * 1000)::bigint);
