-- The foundation: schema_migrations and meta are created by the migration runner itself (it needs them before any
-- migration runs). This migration records the store's identity, so that copies and exports can tell stores apart.
CREATE TABLE store_identity (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    store_id   TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

INSERT INTO store_identity (id, store_id, created_at)
VALUES (1, lower(hex(randomblob(16))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
