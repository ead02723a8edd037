-- Durable runs (issue 16). A run may carry a key its caller chose, so that a later beginOrResume with the same key
-- (after a crash, in another process) finds it again, and may name the goal it works for. A step stores its result
-- (JSON, exactly as returned: a run's data, not redacted) in the write that finishes it, and the class of the
-- exception it failed with; attempts counts how often its body began (more than once only for a step that was in
-- flight when its run's owner died, or that failed and ran again on resume).
ALTER TABLE runs ADD COLUMN run_key TEXT;
ALTER TABLE runs ADD COLUMN goal_id TEXT;
CREATE UNIQUE INDEX runs_by_key ON runs (run_key);

ALTER TABLE run_steps ADD COLUMN result_json TEXT;
ALTER TABLE run_steps ADD COLUMN error_class TEXT;
ALTER TABLE run_steps ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;

-- The side-effecting calls a step made (model, tool, HTTP), in the order it made them: the request as redacted JSON
-- (a resumed or replayed run matches calls on it), the response exactly as returned, and what the call cost. Deleting
-- a run deletes its steps and so their calls.
CREATE TABLE run_calls (
    run_id        TEXT    NOT NULL,
    step_seq      INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    request_json  TEXT    NOT NULL,
    response_json TEXT    NOT NULL,
    started_at    BIGINT  NOT NULL,
    duration_ms   BIGINT  NOT NULL,
    cost_tokens   BIGINT,
    cost_cents    BIGINT,
    PRIMARY KEY (run_id, step_seq, seq),
    FOREIGN KEY (run_id, step_seq) REFERENCES run_steps (run_id, seq) ON DELETE CASCADE
);
