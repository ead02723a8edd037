-- Ownership that holds across hosts. A goal's controller, a slice lease's holder and a run's are named by an owner id
-- unique across hosts and restarts (Owner.current(): host, pid and a random part), with the host kept beside it; a pid
-- alone names different processes on different hosts, so a live controller on one host looked dead from another.
-- Liveness is the age of the last heartbeat (heartbeat_at), measured on the clock every host shares. A controller's
-- and a run's claim carry a fencing token, as a task's does (migration task_claims): a takeover replaces it, so the
-- old owner's late heartbeat or write is refused.
ALTER TABLE goals ADD COLUMN controller_id TEXT;
ALTER TABLE goals ADD COLUMN controller_host TEXT;
ALTER TABLE goals ADD COLUMN controller_token TEXT;
ALTER TABLE goal_slice_leases ADD COLUMN owner_id TEXT;
ALTER TABLE goal_slice_leases ADD COLUMN owner_host TEXT;
ALTER TABLE runs ADD COLUMN owner_id TEXT;
ALTER TABLE runs ADD COLUMN owner_host TEXT;
ALTER TABLE runs ADD COLUMN owner_pid BIGINT;
ALTER TABLE runs ADD COLUMN claim_token TEXT;
ALTER TABLE runs ADD COLUMN heartbeat_at BIGINT;

-- Controllers and leases from before this migration were named by their pid only. They get an id nobody holds (and a
-- token no claim hands out), so no process can heartbeat them any more: a controller is taken over, and a lease is
-- expired, once its last heartbeat is older than the stale window, as for any owner that stopped.
UPDATE goals SET controller_id = 'pid-' || CAST(controller_pid AS TEXT) || '-before-migration-9',
        controller_host = 'unknown', controller_token = 'claimed-before-migration-9'
    WHERE controller_pid IS NOT NULL;
UPDATE goal_slice_leases SET owner_id = 'pid-' || CAST(owner_pid AS TEXT) || '-before-migration-9',
        owner_host = 'unknown';
-- Runs recorded no owner before: an unfinished one is held by nobody, so any process may resume it.
