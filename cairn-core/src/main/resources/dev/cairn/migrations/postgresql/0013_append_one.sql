-- The most common append, one event to one stream, as its own plpgsql function (issue 13). Until now
-- cairn_append_one wrapped its parameters into one-element arrays for cairn_append: a SQL function that PostgreSQL
-- plans again on every call, then arrays unpacked with generate_series. Measured as the server's CPU per committed
-- call on this machine: 287 us against 100 us for a bare INSERT of the same row; this function: about 155 us. The
-- rules are cairn_append's (migration 0011), for one part of one event: same parameters, same rows returned.
CREATE OR REPLACE FUNCTION cairn_append_one(
    p_command_id TEXT, p_stream TEXT, p_expected BIGINT, p_event_id TEXT, p_type TEXT, p_schema_version INTEGER,
    p_payload TEXT, p_actor_kind TEXT, p_event_command_id TEXT, p_causation_id TEXT, p_correlation_id TEXT,
    p_metadata TEXT, p_occurred_at BIGINT, p_recorded_at BIGINT)
RETURNS TABLE (out_sequence BIGINT, out_version BIGINT, out_order BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    own BIGINT := pg_current_xact_id()::text::bigint;
    last_order BIGINT := coalesce(nullif(current_setting('cairn.append_order', true), ''), '0')::bigint;
    v BIGINT;
    o BIGINT;
    part_order BIGINT;
BEGIN
    IF p_command_id IS NOT NULL THEN
        INSERT INTO command_receipts (command_id, first_sequence, last_sequence, accepted_at)
        VALUES (p_command_id, 0, 0, p_recorded_at) ON CONFLICT (command_id) DO NOTHING;
        IF NOT FOUND THEN
            RETURN QUERY SELECT NULL::BIGINT, NULL::BIGINT, NULL::BIGINT;
            RETURN;
        END IF;
    END IF;
    UPDATE streams s SET version = s.version + 1, tx_order = greatest(s.tx_order, own, last_order)
    WHERE s.stream_id = p_stream
      AND (p_expected = -2 OR (p_expected = -1 AND s.version < 0) OR (p_expected = -3 AND s.version >= 0)
           OR p_expected = s.version)
    RETURNING s.version, s.tx_order INTO v, part_order;
    IF NOT FOUND THEN
        SELECT l.current_version, l.current_order INTO v, o FROM cairn_lock_stream(p_stream) l;
        IF NOT (p_expected = -2 OR (p_expected = -1 AND v < 0) OR (p_expected = -3 AND v >= 0) OR p_expected = v) THEN
            IF p_command_id IS NOT NULL THEN
                DELETE FROM command_receipts WHERE command_id = p_command_id;
            END IF;
            RETURN QUERY SELECT NULL::BIGINT, v, 1::BIGINT;
            RETURN;
        END IF;
        v := v + 1;
        part_order := greatest(own, o, last_order);
        UPDATE streams SET version = v, tx_order = part_order WHERE stream_id = p_stream;
    END IF;
    IF part_order > last_order THEN
        PERFORM set_config('cairn.append_order', part_order::text, true);
    END IF;
    INSERT INTO events (sequence, event_id, stream_id, stream_version, type, schema_version, payload, actor_kind,
        command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at, tx_order)
    VALUES (nextval('events_sequence'), p_event_id::uuid, p_stream, v, p_type, p_schema_version, p_payload,
        p_actor_kind, p_event_command_id, p_causation_id, p_correlation_id, p_metadata, p_occurred_at, p_recorded_at,
        part_order)
    RETURNING events.sequence INTO out_sequence;
    IF p_command_id IS NOT NULL THEN
        UPDATE command_receipts SET first_sequence = out_sequence, last_sequence = out_sequence, sequences = NULL
        WHERE command_id = p_command_id;
    END IF;
    out_version := v;
    out_order := part_order;
    RETURN NEXT;
END
$$;
