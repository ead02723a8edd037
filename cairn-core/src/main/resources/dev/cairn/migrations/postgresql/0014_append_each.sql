-- Many one-event appends in one round trip, for group commit on PostgreSQL (issue 13). A batch of writes from
-- several threads shares one transaction and one commit; until now each of its appends was still a round trip of
-- its own (a savepoint and a cairn_append_one call), so at 16 appenders the client waited on round trips while the
-- server's two cores were not busy. This function runs each element as cairn_append_one would on its own, in the
-- order given, and returns a row per element with its index (from 1): the same rows cairn_append_one returns
-- (a refusal or an earlier command is a row, not an error). An error in any element (a lock timeout, a deadlock,
-- a duplicate event id) fails the whole call; the caller then rolls back and runs each append under its own
-- savepoint, so that only that one fails. The caller orders the elements by stream, so that two batches lock
-- streams in one order.
CREATE FUNCTION cairn_append_each(
    p_command_ids TEXT[], p_streams TEXT[], p_expected BIGINT[], p_event_ids TEXT[], p_types TEXT[],
    p_schema_versions INTEGER[], p_payloads TEXT[], p_actor_kinds TEXT[], p_event_command_ids TEXT[],
    p_causation_ids TEXT[], p_correlation_ids TEXT[], p_metadata TEXT[], p_occurred_at BIGINT[],
    p_recorded_at BIGINT)
RETURNS TABLE (out_index INTEGER, out_sequence BIGINT, out_version BIGINT, out_order BIGINT)
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1 .. coalesce(cardinality(p_streams), 0) LOOP
        RETURN QUERY
        SELECT i, a.out_sequence, a.out_version, a.out_order
        FROM cairn_append_one(p_command_ids[i], p_streams[i], p_expected[i], p_event_ids[i], p_types[i],
            p_schema_versions[i], p_payloads[i], p_actor_kinds[i], p_event_command_ids[i], p_causation_ids[i],
            p_correlation_ids[i], p_metadata[i], p_occurred_at[i], p_recorded_at) a;
    END LOOP;
END
$$;
