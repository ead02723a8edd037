package dev.cairn;

import dev.cairn.conversations.Conversations;
import dev.cairn.conversations.internal.EventConversations;
import dev.cairn.events.EventLog;
import dev.cairn.goals.GoalStore;
import dev.cairn.goals.internal.SqlGoalStore;
import dev.cairn.internal.Session;
import dev.cairn.events.internal.EventStore;
import dev.cairn.events.internal.ProjectionStore;
import dev.cairn.projections.Projections;
import dev.cairn.runs.RunLedger;
import dev.cairn.runs.internal.SqlRunLedger;
import java.time.Instant;

/**
 * The repositories of Cairn, reachable in the same way from the store and from a transaction: on a {@link Cairn} each
 * operation commits on its own; on a {@link Transaction} every operation takes part in that transaction; on a
 * {@link ReadTransaction} every read sees one snapshot and every write is refused.
 */
public abstract sealed class Repositories permits Cairn, Transaction, ReadTransaction {
    Repositories() {}

    /** Where this side's repositories run their SQL. */
    abstract Session session();

    /**
     * Now, on the clock every process of the store shares: what heartbeats, leases and their staleness are measured
     * by. On PostgreSQL that is the database server's clock, so that every host of a fleet agrees (a host's own clock
     * may be off); on SQLite, and whenever a clock was given to the store, the store's clock. Compare heartbeat times
     * (of goals' controllers, slice leases, task claims, runs) with this, not with the local clock.
     */
    public Instant sharedNow() {
        Session session = session();
        return session.read(session::sharedNow);
    }

    /** The event log: append, read, replay, subscribe (on the store only), delete streams. */
    public EventLog events() {
        return new EventStore(session(), this instanceof Cairn);
    }

    /** The read models built from the event log, and their rebuild. */
    public Projections projections() {
        return new ProjectionStore(session());
    }

    /** The run ledger: runs with their steps, and the audit log. */
    public RunLedger runs() {
        return new SqlRunLedger(session(), this::goals, this::events);
    }

    /**
     * The goals, with their task graphs, proofs, budgets, artifacts, decisions and slice leases; every change is
     * also appended to the goal's event stream, on this same side, so the two commit together.
     */
    public GoalStore goals() {
        return new SqlGoalStore(session(), events());
    }

    /**
     * The chat conversations of agent frameworks, one event stream each (see {@link Conversations}); keep the
     * instance, which caches each conversation's window.
     */
    public Conversations conversations() {
        return new EventConversations(events(), session().clock());
    }
}
