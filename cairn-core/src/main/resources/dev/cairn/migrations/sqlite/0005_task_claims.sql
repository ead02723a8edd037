-- Fencing tokens for task claims. A running task carries the token of the claim that made it run; completing,
-- failing, releasing or heartbeating it must present that token, and every other way out of running (lease expiry,
-- an operator's reset) clears it, so a worker whose claim was taken over is refused instead of overwriting the task.
-- heartbeat_at is when the claim's worker was last heard from (the claim, or its last heartbeat); epoch millis.
ALTER TABLE goal_tasks ADD COLUMN claim_token TEXT;
ALTER TABLE goal_tasks ADD COLUMN heartbeat_at BIGINT;

-- Tasks running before this migration were claimed without a token, so no worker can present theirs. They get one
-- nobody holds (claimTask hands out random UUIDs): they stay running until their lease expires (requeueExpired) or an
-- operator resets them, each recorded on the goal's stream; their last sign of life is their last change.
UPDATE goal_tasks SET claim_token = 'claimed-before-migration-5', heartbeat_at = updated_at
    WHERE status = 'running';
