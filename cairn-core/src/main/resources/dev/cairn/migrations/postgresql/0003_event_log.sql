-- The event log: one append-only table for every stream, the command receipts that make appends idempotent, and the
-- projection tables that the orchestration projector keeps in step with the log (same transaction as the append).

-- The head keeps the highest sequence ever handed out when the newest events are deleted, so sequences are never
-- reused. Appends reserve sequences after max(head, newest sequence) under the write lock (on PostgreSQL by updating
-- this row, whose lock queues them), so they commit in sequence order: a tail reader paging through
-- "sequence > cursor" never skips an event.
CREATE TABLE event_log_head (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_sequence BIGINT  NOT NULL
);
INSERT INTO event_log_head (id, last_sequence) VALUES (1, 0);

CREATE TABLE events (
    sequence       BIGINT  PRIMARY KEY,
    event_id       TEXT    NOT NULL,
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
CREATE UNIQUE INDEX events_event_id ON events (event_id);
CREATE UNIQUE INDEX events_stream_version ON events (stream_id, stream_version);

CREATE TABLE command_receipts (
    command_id     TEXT   PRIMARY KEY,
    first_sequence BIGINT NOT NULL,
    last_sequence  BIGINT NOT NULL,
    accepted_at    BIGINT NOT NULL
);

CREATE TABLE projector_cursors (
    projector             TEXT   PRIMARY KEY,
    last_applied_sequence BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
-- A cursor of -1 means live: caught up, and fed by every append. The log is empty now, so the built-in projector
-- starts live; a rebuild sets its cursor to the sequence it has replayed up to, and back to -1 when it catches up.
INSERT INTO projector_cursors (projector, last_applied_sequence, updated_at) VALUES ('orchestration', -1, 0);

CREATE TABLE projection_projects (
    project_id     TEXT    PRIMARY KEY,
    title          TEXT    NOT NULL,
    workspace_root TEXT,
    default_model  TEXT,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);

CREATE TABLE projection_threads (
    thread_id        TEXT    PRIMARY KEY,
    project_id       TEXT    NOT NULL,
    title            TEXT    NOT NULL,
    model            TEXT,
    branch           TEXT,
    worktree_path    TEXT,
    runtime_mode     TEXT    NOT NULL,
    interaction_mode TEXT    NOT NULL,
    archived         INTEGER NOT NULL,
    latest_turn_id   TEXT,
    message_count    BIGINT  NOT NULL,
    turn_count       BIGINT  NOT NULL,
    last_message_at  BIGINT,
    created_sequence BIGINT  NOT NULL,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX projection_threads_by_project ON projection_threads (project_id, created_sequence);

CREATE TABLE projection_turns (
    turn_id           TEXT    PRIMARY KEY,
    thread_id         TEXT    NOT NULL,
    ordinal           BIGINT  NOT NULL,
    state             TEXT    NOT NULL,
    requested_at      BIGINT  NOT NULL,
    started_at        BIGINT,
    completed_at      BIGINT,
    checkpoint_ref    TEXT,
    checkpoint_status TEXT,
    changed_files     TEXT    NOT NULL
);
CREATE INDEX projection_turns_by_thread ON projection_turns (thread_id, ordinal);

CREATE TABLE projection_messages (
    message_id       TEXT    PRIMARY KEY,
    thread_id        TEXT    NOT NULL,
    turn_id          TEXT,
    role             TEXT    NOT NULL,
    text             TEXT    NOT NULL,
    streaming        INTEGER NOT NULL,
    created_sequence BIGINT  NOT NULL,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL
);
CREATE INDEX projection_messages_by_thread ON projection_messages (thread_id, created_sequence);
CREATE INDEX projection_messages_by_turn ON projection_messages (turn_id);

CREATE TABLE projection_checkpoints (
    thread_id      TEXT   NOT NULL,
    turn_id        TEXT   NOT NULL,
    checkpoint_ref TEXT   NOT NULL,
    status         TEXT   NOT NULL,
    changed_files  TEXT   NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (thread_id, turn_id)
);

CREATE TABLE projection_pending_approvals (
    approval_id  TEXT   PRIMARY KEY,
    thread_id    TEXT   NOT NULL,
    turn_id      TEXT,
    kind         TEXT   NOT NULL,
    summary      TEXT   NOT NULL,
    requested_at BIGINT NOT NULL
);
CREATE INDEX projection_pending_approvals_by_thread ON projection_pending_approvals (thread_id);

CREATE TABLE projection_settings (
    setting_key TEXT   PRIMARY KEY,
    value       TEXT   NOT NULL,
    updated_at  BIGINT NOT NULL
);
