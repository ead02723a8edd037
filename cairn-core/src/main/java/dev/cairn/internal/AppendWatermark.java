package dev.cairn.internal;

import dev.cairn.BusyException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Read-your-writes for a log that many transactions append to in parallel (PostgreSQL): a reader there sees an event
 * only once every older transaction has ended (see {@link Dialect#commitHorizon()}), so an append that has committed
 * may not be readable yet. Each store remembers the highest transaction order its own appends committed with, and
 * its reads wait until the horizon has passed it; the highest horizon seen is kept too, so that reads after it pay
 * nothing.
 */
public final class AppendWatermark {
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong passed = new AtomicLong();

    /** Records that an append that ordered its events at or below {@code transactionOrder} has committed. */
    public void appended(long transactionOrder) {
        appended.accumulateAndGet(transactionOrder, Math::max);
    }

    /**
     * The transaction order readers must get past to see every append this store committed, or 0 when a horizon
     * already seen has passed it.
     */
    public long pending() {
        long order = appended.get();
        return order < passed.get() ? 0 : order;
    }

    /** Records a horizon a reader saw: every transaction ordered below it has ended. */
    public void horizon(long horizon) {
        passed.accumulateAndGet(horizon, Math::max);
    }

    /**
     * Waits until readers of {@code engine} see every append this store committed, looking at the horizon with
     * growing pauses (0.2 to 20 ms); normally it already has passed, or does within a few milliseconds.
     *
     * @throws BusyException when it has not after the busy timeout: a transaction older than the appends is open
     */
    public void awaitReadable(Engine engine) {
        if (pending() == 0) {
            return;
        }
        String sql = "SELECT " + engine.dialect().commitHorizon();
        long deadline = System.nanoTime() + engine.busyTimeout().toNanos();
        long pauseMicros = 200;
        while (true) {
            horizon(engine.read(c -> Sql.longValue(c, sql, 0)));
            long pending = pending();
            if (pending == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new BusyException("events this store appended (in transaction " + pending + ") are still not "
                        + "readable from " + engine.location() + " after " + engine.busyTimeout().toMillis()
                        + " ms: a transaction older than them is still open on the server (see pg_stat_activity), "
                        + "and readers see the log only up to the oldest open transaction. Retry once it has ended");
            }
            LockSupport.parkNanos(pauseMicros * 1000);
            pauseMicros = Math.min(pauseMicros * 2, 20_000);
        }
    }
}
