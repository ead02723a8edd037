-- The run ledger: runs of an agent, their steps, and the audit log. Times are epoch milliseconds. A run's status is
-- not stored: it is derived from finished_at and its steps. Everything JSON here was redacted before it was written.
CREATE TABLE runs (
    run_id      TEXT   PRIMARY KEY,
    created_at  BIGINT NOT NULL,
    finished_at BIGINT,
    args_json   TEXT   NOT NULL,
    config_json TEXT   NOT NULL,
    config_hash TEXT   NOT NULL CHECK (length(config_hash) = 64),
    git_sha     TEXT
);

CREATE INDEX runs_by_created_at ON runs (created_at);
CREATE INDEX runs_by_finished_at ON runs (finished_at);

-- Deleting a run deletes its steps.
CREATE TABLE run_steps (
    step_id     TEXT    PRIMARY KEY,
    run_id      TEXT    NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    name        TEXT    NOT NULL,
    started_at  BIGINT  NOT NULL,
    finished_at BIGINT,
    status      TEXT    NOT NULL CHECK (status IN ('running', 'success', 'failed', 'skipped')),
    stats_json  TEXT    NOT NULL,
    message     TEXT,
    UNIQUE (run_id, seq)
);

-- Deleting a run keeps its audit entries, unlinked: the log is the record of what happened.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    ts        BIGINT  NOT NULL,
    level     TEXT    NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
    run_id    TEXT    REFERENCES runs (run_id) ON DELETE SET NULL,
    scope     TEXT    NOT NULL,
    event     TEXT    NOT NULL,
    message   TEXT    NOT NULL,
    data_json TEXT
);

CREATE INDEX audit_log_by_ts ON audit_log (ts);
CREATE INDEX audit_log_by_run ON audit_log (run_id);
