-- The goal store: goals with their task graphs, proofs, budget checkpoints, artifacts, decisions and slice leases.
-- Times are epoch milliseconds, money is integer cents. Every child row goes with its goal (ON DELETE CASCADE);
-- foreign keys are switched on for every connection by the engine, not by a migration.
CREATE TABLE goals (
    goal_id             TEXT    PRIMARY KEY,
    original_text       TEXT    NOT NULL,
    normalized_text     TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    project_dir         TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('running', 'ready', 'not_ready', 'blocked_on_human',
                            'blocked_on_external', 'needs_more_budget', 'failed_infra', 'paused', 'cancelled')),
    phase               TEXT    NOT NULL CHECK (phase IN ('intake', 'planning', 'decomposition', 'execution',
                            'verification_design', 'proof')),
    delivery_policy     TEXT    NOT NULL CHECK (delivery_policy IN ('local', 'draft_pr', 'auto_pr')),
    merge_policy        TEXT    NOT NULL CHECK (merge_policy IN ('disabled', 'manual', 'gated')),
    until_ready         BOOLEAN NOT NULL,
    slice_execution     BOOLEAN NOT NULL,
    max_agents          INTEGER NOT NULL CHECK (max_agents >= 1),
    budget_time_seconds BIGINT  CHECK (budget_time_seconds >= 0),
    budget_tokens       BIGINT  CHECK (budget_tokens >= 0),
    budget_cents        BIGINT  CHECK (budget_cents >= 0),
    terminal_criteria   TEXT,
    failure             TEXT,
    controller_pid      BIGINT,
    heartbeat_at        BIGINT,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL,
    completed_at        BIGINT,
    version             BIGINT  NOT NULL
);
CREATE INDEX goals_by_created ON goals (created_at, goal_id);
CREATE INDEX goals_by_status ON goals (status, created_at);

-- Task ids are unique within their goal, not across goals.
CREATE TABLE goal_tasks (
    goal_id          TEXT    NOT NULL REFERENCES goals (goal_id) ON DELETE CASCADE,
    task_id          TEXT    NOT NULL,
    position         INTEGER NOT NULL,
    title            TEXT    NOT NULL,
    description      TEXT,
    kind             TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'ready', 'running', 'blocked', 'done', 'failed',
                         'cancelled')),
    owner            TEXT,
    read_set         TEXT    NOT NULL,
    write_set        TEXT    NOT NULL,
    depends_on       TEXT    NOT NULL,
    acceptance       TEXT    NOT NULL,
    evidence         TEXT    NOT NULL,
    risk             TEXT,
    retry_count      INTEGER NOT NULL DEFAULT 0,
    max_retries      INTEGER NOT NULL DEFAULT 3,
    lease_expires_at BIGINT,
    completed_at     BIGINT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT  NOT NULL,
    PRIMARY KEY (goal_id, task_id)
);
CREATE INDEX goal_tasks_by_position ON goal_tasks (goal_id, position);

-- One current proof per goal; gates passed/total are counted from gates when read, so they are not stored.
CREATE TABLE goal_proofs (
    goal_id                  TEXT    PRIMARY KEY REFERENCES goals (goal_id) ON DELETE CASCADE,
    version                  BIGINT  NOT NULL,
    status                   TEXT    NOT NULL,
    readiness                TEXT,
    summary                  TEXT,
    gates                    TEXT    NOT NULL,
    changed_files            TEXT    NOT NULL,
    commits                  TEXT    NOT NULL,
    post_mutation_gates_ran  BOOLEAN NOT NULL,
    known_gaps               TEXT    NOT NULL,
    human_decisions_required TEXT    NOT NULL,
    details                  TEXT,
    generated_at             BIGINT  NOT NULL
);

-- Remaining amounts are derived from the budget and the use, so only those are stored.
CREATE TABLE goal_budget_checkpoints (
    checkpoint_id       INTEGER PRIMARY KEY,
    goal_id             TEXT    NOT NULL REFERENCES goals (goal_id) ON DELETE CASCADE,
    label               TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    phase               TEXT    NOT NULL,
    budget_time_seconds BIGINT,
    budget_tokens       BIGINT,
    budget_cents        BIGINT,
    elapsed_seconds     BIGINT  NOT NULL CHECK (elapsed_seconds >= 0),
    tokens_used         BIGINT  NOT NULL CHECK (tokens_used >= 0),
    spent_cents         BIGINT  NOT NULL CHECK (spent_cents >= 0),
    recorded_at         BIGINT  NOT NULL
);
CREATE INDEX goal_budget_checkpoints_by_goal ON goal_budget_checkpoints (goal_id, checkpoint_id);

CREATE TABLE goal_artifacts (
    artifact_id INTEGER PRIMARY KEY,
    goal_id     TEXT    NOT NULL REFERENCES goals (goal_id) ON DELETE CASCADE,
    kind        TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    mime_type   TEXT,
    size_bytes  BIGINT  CHECK (size_bytes >= 0),
    sha256      TEXT,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX goal_artifacts_by_goal ON goal_artifacts (goal_id, kind, artifact_id);

CREATE TABLE goal_decisions (
    decision_id INTEGER PRIMARY KEY,
    goal_id     TEXT    NOT NULL REFERENCES goals (goal_id) ON DELETE CASCADE,
    actor       TEXT    NOT NULL,
    phase       TEXT,
    kind        TEXT    NOT NULL,
    decision    TEXT    NOT NULL,
    rationale   TEXT,
    constraints TEXT    NOT NULL,
    artifacts   TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX goal_decisions_by_goal ON goal_decisions (goal_id, decision_id);

CREATE TABLE goal_slice_leases (
    lease_id     INTEGER PRIMARY KEY,
    goal_id      TEXT    NOT NULL REFERENCES goals (goal_id) ON DELETE CASCADE,
    slice_id     TEXT    NOT NULL,
    owner_pid    BIGINT  NOT NULL,
    owner_role   TEXT,
    write_set    TEXT    NOT NULL,
    claimed_at   BIGINT  NOT NULL,
    heartbeat_at BIGINT  NOT NULL,
    released_at  BIGINT,
    expired_at   BIGINT
);
-- One active lease per slice, enforced by the database: a partial index over the active rows only. (A UNIQUE over
-- (goal, slice, released_at, expired_at) would not do it: NULLs are distinct, so two active rows would both fit.)
CREATE UNIQUE INDEX goal_slice_leases_one_active ON goal_slice_leases (goal_id, slice_id)
    WHERE released_at IS NULL AND expired_at IS NULL;
CREATE INDEX goal_slice_leases_by_heartbeat ON goal_slice_leases (heartbeat_at)
    WHERE released_at IS NULL AND expired_at IS NULL;
