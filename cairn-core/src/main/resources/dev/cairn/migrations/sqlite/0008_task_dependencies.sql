-- Each task's dependencies as rows, so that the tasks ready to run (pending or ready, every dependency done) are
-- found by one query in the database instead of by reading the goal's whole graph: a claim then reads the one task
-- it takes. goal_tasks.depends_on keeps the list as given (its order, for Task.dependsOn); these rows index it and are
-- written with the task, once: claims and completions touch none of them. A task's rows go with it (ON DELETE
-- CASCADE), and with it when its goal goes.
-- WITHOUT ROWID: the key is the whole row, so SQLite keeps one B-tree for it instead of a table and its key's index.
CREATE TABLE goal_task_dependencies (
    goal_id    TEXT NOT NULL,
    task_id    TEXT NOT NULL,
    depends_on TEXT NOT NULL,
    PRIMARY KEY (goal_id, task_id, depends_on),
    FOREIGN KEY (goal_id, task_id) REFERENCES goal_tasks (goal_id, task_id) ON DELETE CASCADE
) WITHOUT ROWID;

-- The dependencies of the tasks already stored, from their JSON lists (a task may name one twice: one row each).
INSERT INTO goal_task_dependencies (goal_id, task_id, depends_on)
    SELECT DISTINCT t.goal_id, t.task_id, d.value FROM goal_tasks t, json_each(t.depends_on) d;
