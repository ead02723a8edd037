-- Appends without a global lock (issue 13). Until now every append locked the event_log_head row from its first
-- statement to its commit, so appends committed in sequence order, one at a time. Now they run in parallel: a later
-- sequence may commit before an earlier one. The log is therefore ordered by (tx_order, sequence), where tx_order is
-- the appending transaction's id, and readers read only events of transactions older than every one still open
-- (pg_snapshot_xmin): such a transaction has ended, and ids are handed out in increasing order, so no event can later
-- turn up before what a reader has seen. A reader's cursor is a position: (tx_order, sequence).

-- Events appended before this migration committed in sequence order: tx_order 0 puts them first, in that order.
ALTER TABLE events ADD COLUMN tx_order BIGINT NOT NULL DEFAULT 0;
CREATE INDEX events_position ON events (tx_order, sequence);

-- Sequences come from a sequence object: unique, never reused, no row to queue on. A rolled-back append leaves a gap.
-- It starts after every sequence handed out so far, deleted ones included (event_log_head keeps those).
CREATE SEQUENCE events_sequence OWNED BY events.sequence;
SELECT setval('events_sequence', greatest(head, 1), head > 0)
FROM (SELECT greatest((SELECT coalesce(max(sequence), 0) FROM events),
                      (SELECT coalesce(max(last_sequence), 0) FROM event_log_head)) AS head) heads;
ALTER TABLE events ALTER COLUMN sequence SET DEFAULT nextval('events_sequence');

-- Each stream's version and the highest tx_order of its events. Appends to one stream lock its row, so they check and
-- take versions one at a time, while appends to other streams go on. A stream's events get a tx_order no lower than
-- its row's: a transaction that took its id before an append that committed to the stream first still orders its
-- own events after them, so every stream reads in version order. Rows are made on a stream's first append (from its
-- events, for streams older than this table) and never deleted: deleting a stream sets its version back to -1.
-- Derived from the events, so never copied between stores. Half-empty pages leave room for in-place (HOT) updates.
CREATE TABLE streams (
    stream_id TEXT   PRIMARY KEY,
    version   BIGINT NOT NULL,
    tx_order  BIGINT NOT NULL
) WITH (fillfactor = 50);

ALTER TABLE projector_cursors ADD COLUMN last_applied_tx_order BIGINT NOT NULL DEFAULT 0;

-- The sequences of a command's append, comma-separated, when they are not contiguous (another append took some in
-- between); NULL when they are first_sequence to last_sequence.
ALTER TABLE command_receipts ADD COLUMN sequences TEXT;

-- Locks a stream's row for the rest of the transaction, making it on the stream's first append, and returns the
-- stream's version (-1: no events) and the highest tx_order of its events.
CREATE FUNCTION cairn_lock_stream(p_stream TEXT, OUT current_version BIGINT, OUT current_order BIGINT)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT s.version, s.tx_order INTO current_version, current_order
    FROM streams s WHERE s.stream_id = p_stream FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        -- Two first appends at once: one inserts, the other waits for it here and then locks its row below.
        INSERT INTO streams (stream_id, version, tx_order)
        SELECT p_stream, coalesce(max(e.stream_version), -1), coalesce(max(e.tx_order), 0)
        FROM events e WHERE e.stream_id = p_stream
        ON CONFLICT (stream_id) DO NOTHING;
        SELECT s.version, s.tx_order INTO current_version, current_order
        FROM streams s WHERE s.stream_id = p_stream FOR NO KEY UPDATE;
    END IF;
END
$$;

-- One append (EventStore.appendAll) in one round trip: its parts (a stream, an expected version, a number of events)
-- and their events as parallel arrays. Every stream is locked and every expectation checked before anything is
-- written. Expected versions: -2 any, -1 no stream, -3 an existing stream, else exactly that version.
--
-- Returns a row per event: its sequence, stream version and tx_order, in the order given. A single row with a NULL
-- sequence is a refusal: the actual version and the refused part (from 1), or all NULL when the command id was
-- appended before (the caller reads its receipt). Nothing is written on a refusal.
CREATE FUNCTION cairn_append(
    p_command_id TEXT, p_streams TEXT[], p_expected BIGINT[], p_counts INTEGER[],
    p_event_ids TEXT[], p_types TEXT[], p_schema_versions INTEGER[], p_payloads TEXT[], p_actor_kinds TEXT[],
    p_command_ids TEXT[], p_causation_ids TEXT[], p_correlation_ids TEXT[], p_metadata TEXT[],
    p_occurred_at BIGINT[], p_recorded_at BIGINT)
RETURNS TABLE (out_sequence BIGINT, out_version BIGINT, out_order BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    parts INTEGER := coalesce(array_length(p_streams, 1), 0);
    versions BIGINT[] := '{}';
    orders BIGINT[] := '{}';
    -- The transaction's own id: every event it writes is ordered at or above it, and so at or above the horizon of
    -- any reader that could not see it yet.
    own BIGINT := pg_current_xact_id()::text::bigint;
    -- The order of this transaction's previous append, so that its appends stay in the order they were made.
    last_order BIGINT := coalesce(nullif(current_setting('cairn.append_order', true), ''), '0')::bigint;
    part_order BIGINT;
    next_event INTEGER := 1;
    v BIGINT;
    o BIGINT;
    seqs BIGINT[] := '{}';
    vers BIGINT[] := '{}';
    ords BIGINT[] := '{}';
    added BIGINT[];
BEGIN
    IF p_command_id IS NOT NULL THEN
        -- The receipt is taken first: a retry of the same command running alongside waits here for this append to
        -- end, then finds the receipt and returns this append's events instead of failing its expectation.
        INSERT INTO command_receipts (command_id, first_sequence, last_sequence, accepted_at)
        VALUES (p_command_id, 0, 0, p_recorded_at) ON CONFLICT (command_id) DO NOTHING;
        IF NOT FOUND THEN
            RETURN QUERY SELECT NULL::BIGINT, NULL::BIGINT, NULL::BIGINT;
            RETURN;
        END IF;
    END IF;
    IF parts = 1 THEN
        -- The common case, in two statements: one locks the stream's row, checks the expectation and takes the
        -- versions (a concurrent append to the stream is waited for, and the check redone on what it left).
        UPDATE streams s SET version = s.version + p_counts[1], tx_order = greatest(s.tx_order, own, last_order)
        WHERE s.stream_id = p_streams[1]
          AND (p_expected[1] = -2 OR (p_expected[1] = -1 AND s.version < 0)
               OR (p_expected[1] = -3 AND s.version >= 0) OR p_expected[1] = s.version)
        RETURNING s.version - p_counts[1], s.tx_order INTO v, part_order;
        IF NOT FOUND THEN
            -- No row yet, or the expectation failed: lock the row (making it) and look again.
            SELECT l.current_version, l.current_order INTO v, o FROM cairn_lock_stream(p_streams[1]) l;
            IF NOT (p_expected[1] = -2 OR (p_expected[1] = -1 AND v < 0) OR (p_expected[1] = -3 AND v >= 0)
                    OR p_expected[1] = v) THEN
                IF p_command_id IS NOT NULL THEN
                    DELETE FROM command_receipts WHERE command_id = p_command_id;
                END IF;
                RETURN QUERY SELECT NULL::BIGINT, v, 1::BIGINT;
                RETURN;
            END IF;
            part_order := greatest(own, o, last_order);
            UPDATE streams SET version = v + p_counts[1], tx_order = part_order WHERE stream_id = p_streams[1];
        END IF;
        IF part_order > last_order THEN
            PERFORM set_config('cairn.append_order', part_order::text, true);
        END IF;
        -- The other stores the events (and, for a command, the receipt's sequences).
        IF p_command_id IS NULL THEN
            RETURN QUERY
            INSERT INTO events (sequence, event_id, stream_id, stream_version, type, schema_version, payload,
                actor_kind, command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at, tx_order)
            SELECT nextval('events_sequence'), p_event_ids[k]::uuid, p_streams[1], v + k, p_types[k], p_schema_versions[k],
                p_payloads[k], p_actor_kinds[k], p_command_ids[k], p_causation_ids[k], p_correlation_ids[k],
                p_metadata[k], p_occurred_at[k], p_recorded_at, part_order
            FROM generate_series(1, p_counts[1]) AS k
            RETURNING events.sequence, events.stream_version, events.tx_order;
            RETURN;
        END IF;
        RETURN QUERY
        WITH inserted AS (
            INSERT INTO events (sequence, event_id, stream_id, stream_version, type, schema_version, payload,
                actor_kind, command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at, tx_order)
            SELECT nextval('events_sequence'), p_event_ids[k]::uuid, p_streams[1], v + k, p_types[k], p_schema_versions[k],
                p_payloads[k], p_actor_kinds[k], p_command_ids[k], p_causation_ids[k], p_correlation_ids[k],
                p_metadata[k], p_occurred_at[k], p_recorded_at, part_order
            FROM generate_series(1, p_counts[1]) AS k
            RETURNING events.sequence, events.stream_version, events.tx_order),
        receipt AS (
            UPDATE command_receipts r SET first_sequence = span.low, last_sequence = span.high,
                sequences = CASE WHEN span.high - span.low + 1 = span.n THEN NULL ELSE span.list END
            FROM (SELECT min(i.sequence) AS low, max(i.sequence) AS high, count(*) AS n,
                         string_agg(i.sequence::text, ',' ORDER BY i.sequence) AS list FROM inserted i) span
            WHERE r.command_id = p_command_id)
        SELECT i.sequence, i.stream_version, i.tx_order FROM inserted i ORDER BY i.sequence;
        RETURN;
    END IF;
    FOR i IN 1..parts LOOP
        v := NULL;
        FOR j IN REVERSE i - 1..1 LOOP
            IF p_streams[j] = p_streams[i] THEN
                v := versions[j] + p_counts[j];
                o := orders[j];
                EXIT;
            END IF;
        END LOOP;
        IF v IS NULL THEN
            SELECT l.current_version, l.current_order INTO v, o FROM cairn_lock_stream(p_streams[i]) l;
        END IF;
        IF NOT (p_expected[i] = -2 OR (p_expected[i] = -1 AND v < 0) OR (p_expected[i] = -3 AND v >= 0)
                OR p_expected[i] = v) THEN
            IF p_command_id IS NOT NULL THEN
                DELETE FROM command_receipts WHERE command_id = p_command_id;
            END IF;
            RETURN QUERY SELECT NULL::BIGINT, v, i::BIGINT;
            RETURN;
        END IF;
        versions[i] := v;
        orders[i] := o;
    END LOOP;
    FOR i IN 1..parts LOOP
        part_order := greatest(own, orders[i], last_order);
        last_order := part_order;
        WITH inserted AS (
            INSERT INTO events (sequence, event_id, stream_id, stream_version, type, schema_version, payload,
                actor_kind, command_id, causation_id, correlation_id, metadata, occurred_at, recorded_at, tx_order)
            SELECT nextval('events_sequence'), p_event_ids[k]::uuid, p_streams[i], versions[i] + (k - next_event) + 1,
                p_types[k], p_schema_versions[k], p_payloads[k], p_actor_kinds[k], p_command_ids[k],
                p_causation_ids[k], p_correlation_ids[k], p_metadata[k], p_occurred_at[k], p_recorded_at, part_order
            FROM generate_series(next_event, next_event + p_counts[i] - 1) AS k
            RETURNING events.sequence)
        SELECT array_agg(inserted.sequence ORDER BY inserted.sequence) INTO added FROM inserted;
        seqs := seqs || added;
        vers := vers || ARRAY(SELECT versions[i] + n FROM generate_series(1, p_counts[i]) AS n);
        ords := ords || array_fill(part_order, ARRAY[p_counts[i]]);
        UPDATE streams SET version = versions[i] + p_counts[i], tx_order = part_order
        WHERE stream_id = p_streams[i];
        next_event := next_event + p_counts[i];
    END LOOP;
    PERFORM set_config('cairn.append_order', last_order::text, true);
    IF p_command_id IS NOT NULL THEN
        UPDATE command_receipts SET first_sequence = seqs[1], last_sequence = seqs[cardinality(seqs)],
            sequences = CASE WHEN seqs[cardinality(seqs)] - seqs[1] + 1 = cardinality(seqs) THEN NULL
                             ELSE array_to_string(seqs, ',') END
        WHERE command_id = p_command_id;
    END IF;
    RETURN QUERY SELECT * FROM unnest(seqs, vers, ords);
END
$$;

-- One event to one stream, the most common append, with plain parameters: the client builds no arrays for it.
CREATE FUNCTION cairn_append_one(
    p_command_id TEXT, p_stream TEXT, p_expected BIGINT, p_event_id TEXT, p_type TEXT, p_schema_version INTEGER,
    p_payload TEXT, p_actor_kind TEXT, p_event_command_id TEXT, p_causation_id TEXT, p_correlation_id TEXT,
    p_metadata TEXT, p_occurred_at BIGINT, p_recorded_at BIGINT)
RETURNS TABLE (out_sequence BIGINT, out_version BIGINT, out_order BIGINT)
LANGUAGE sql AS $$
    SELECT * FROM cairn_append(p_command_id, ARRAY[p_stream], ARRAY[p_expected], ARRAY[1], ARRAY[p_event_id],
        ARRAY[p_type], ARRAY[p_schema_version], ARRAY[p_payload], ARRAY[p_actor_kind], ARRAY[p_event_command_id],
        ARRAY[p_causation_id], ARRAY[p_correlation_id], ARRAY[p_metadata], ARRAY[p_occurred_at], p_recorded_at)
$$;
