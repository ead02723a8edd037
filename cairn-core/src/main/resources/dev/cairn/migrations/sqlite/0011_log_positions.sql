-- Log positions (issue 13). A reader's cursor is a position, (transaction order, sequence): on PostgreSQL appends
-- commit in parallel and the log is ordered by their transactions; here the one writer commits in sequence order, so
-- every event's transaction order is 0 and the events table needs nothing new.

-- A projector that is being rebuilt stores the position it has applied up to: its transaction order is kept here,
-- beside last_applied_sequence (always 0 on SQLite).
ALTER TABLE projector_cursors ADD COLUMN last_applied_tx_order BIGINT NOT NULL DEFAULT 0;

-- The sequences of a command's append, comma-separated, when they are not contiguous (on PostgreSQL other appends may
-- take sequences in between); NULL when they are first_sequence to last_sequence, as they always are here.
ALTER TABLE command_receipts ADD COLUMN sequences TEXT;
