package dev.cairn.internal;

import dev.cairn.BusyException;
import dev.cairn.StoreClosedException;
import dev.cairn.TransactionStateException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's own session: every write is atomic on its own, every read a snapshot on a reader connection.
 *
 * <p><b>Group commit.</b> Writes from many threads are coalesced: each write is queued, and a writer that finds a
 * leader's place free becomes a leader. It takes a writer connection, drains the queue, runs every queued write in one
 * transaction (each under its own savepoint when there are several) and commits once; then every caller in the
 * batch returns with its own result. A write that fails is rolled back to its savepoint and fails its caller alone;
 * its neighbours commit. No caller returns before the commit that holds its write, so with
 * {@code Durability.FULL} every acknowledged write is on disk. A single thread writing alone pays for neither the
 * queue handoff nor a savepoint: its batch is itself.
 *
 * <p>A write nobody waits on ({@link #writeAsync}) joins the same queue with a future instead of a parked caller; it
 * has no thread to wake and elect, so a leader that finds only such writes queued when it gives up its place leads
 * again itself (docs/design.md, "Group commit").
 *
 * <p>SQLite has one leader at a time (its one writer). PostgreSQL runs {@link Engine#concurrentBatches()} batches at
 * once, each on a pooled connection, of at most {@link Engine#maxBatch()} writes (another batch starts beside a
 * running one only once writes pile up behind it): one commit carries many writes, and a batch held up by a row lock
 * does not hold up every write. There, writes of two batches can lock rows in
 * opposite orders; the one the server picks to end the deadlock is rolled back to its savepoint and run again in a
 * transaction of its own, as it would have run without group commit. On a server every statement is a round trip, so
 * the writes of a batch that are {@link Combinable} (one-event appends) run in one statement; if it fails as a whole,
 * it is rolled back and they run one by one under their savepoints as any other write.
 *
 * <p><b>Every queued write waits at most one busy timeout, counted from when it was queued.</b> The leader waits
 * for the writer (and for the database's write lock, which another process or a {@link dev.cairn.Transaction} may
 * hold) only until the deadline of the oldest queued write; only once it holds the lock does it drain the queue. If
 * it gives up, it fails with that {@code BusyException} every queued write whose deadline has passed (at least its
 * own), and the next leader waits only until the deadline of the oldest write left. So writes queued behind a long
 * transaction fail after one busy timeout each, not after one timeout per write ahead of them.
 *
 * <p>A repository may call another inside its write (a goal change appends to the goal's event stream): such nested
 * calls run on the same connection and commit together, and reads nested in a write see its uncommitted rows.
 * A thread that holds an explicit {@link dev.cairn.Transaction} open cannot write through the store at the same
 * time: that write would either deadlock or silently join the transaction, so it fails instead.
 *
 * <p>The session lives as long as the store: what must end with the store (subscriptions) registers with it and is
 * closed by {@link #close()}, before the engine's connections close.
 */
public final class AutoCommitSession implements Session, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoCommitSession.class);

    private final Engine engine;
    private final long busyTimeoutNanos;
    private final ThreadLocal<Write> current = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Request<?>> queue = new ConcurrentLinkedQueue<>();
    /**
     * Leaders elected or running, at most {@link #maxLeaders}: whoever takes a place leads, whoever gives one back
     * looks at the queue again.
     */
    private final AtomicInteger leaders = new AtomicInteger();
    private final int maxLeaders;
    /** The most writes one batch takes from the queue; 0: all there are. */
    private final int maxBatch;
    /** Whether a batch leaves its writes' savepoints open until the commit (see {@link Engine#nestSavepoints()}). */
    private final boolean nestSavepoints;
    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong combinedWrites = new AtomicLong();
    private final AtomicLong combinedFallbacks = new AtomicLong();
    /** What ends with the store; registering and closing synchronise on it, so nothing registers after close. */
    private final Set<AutoCloseable> owned = ConcurrentHashMap.newKeySet();
    private boolean closed;
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<Request> LEADER =
            AtomicIntegerFieldUpdater.newUpdater(Request.class, "leader");
    /** Set on a thread while it completes futures: an append queued from a dependent stage is then only queued. */
    private final ThreadLocal<Boolean> settling = new ThreadLocal<>();
    private final Committer committer = new Committer();
    /** How often a parked writer looks for itself whether the queue lost its leader. */
    private static final long RECHECK_NANOS = 50_000_000;

    public AutoCommitSession(Engine engine) {
        this.engine = engine;
        this.busyTimeoutNanos = engine.busyTimeout().toNanos();
        this.maxLeaders = Math.max(1, engine.concurrentBatches());
        this.maxBatch = engine.maxBatch();
        this.nestSavepoints = engine.nestSavepoints();
    }

    /** The connection a write runs on, and what its caller runs once it is committed. */
    private static final class Write {
        final Connection connection;
        final List<Runnable> afterCommit;
        /** The statement that opens this write's savepoint, until its first statement takes it; else null. */
        String savepointAhead;

        Write(Connection connection, List<Runnable> afterCommit) {
            this.connection = connection;
            this.afterCommit = afterCommit;
        }
    }

    private static final String SAVEPOINT = "SAVEPOINT cairn_write";

    /**
     * One caller's write, waiting in the queue or done. The leader writes {@code result} and {@code failure} before it
     * sets {@code done}, whose volatile write publishes them to the caller.
     */
    private static final class Request<T> {
        final SqlWork<T> work;
        /** Whether the work sends its savepoint ahead of its first statement (see {@link Session#savepointAhead()}). */
        final boolean takesSavepoint;
        /** The thread waiting for the write; null for a write nobody waits on ({@link #writeAsync}). */
        final Thread caller;
        /** Completed once the write is done, for a write nobody waits on; else null. */
        final CompletableFuture<T> future;
        final List<Runnable> afterCommit = new ArrayList<>(1);
        /** When the write was queued ({@link System#nanoTime()}); its wait for the writer ends a busy timeout later. */
        final long queuedAt = System.nanoTime();
        T result;
        Throwable failure;
        /** Chosen to end a deadlock between two batches: to be run again in a transaction of its own. */
        boolean retryAlone;
        /** Set when a leader takes it from the queue into a batch. */
        volatile boolean taken;
        /** Set for a waiting caller once its write is done (a write nobody waits on has its future instead). */
        volatile boolean done;
        /** 1 when this caller is elected to lead the next batch: it then holds a leader's place. */
        volatile int leader;

        Request(SqlWork<T> work, boolean takesSavepoint, boolean waited) {
            this.work = work;
            this.takesSavepoint = takesSavepoint;
            this.caller = waited ? Thread.currentThread() : null;
            this.future = waited ? null : new CompletableFuture<>();
        }

        /** Elects this caller to lead; false when it already is (the elector then gives its place back). */
        boolean elect() {
            return LEADER.compareAndSet(this, 0, 1);
        }

        /** Whether this caller was elected, clearing it: the caller then leads one batch. */
        boolean takeLead() {
            return LEADER.compareAndSet(this, 1, 0);
        }

        void run(Connection connection) throws SQLException {
            result = work.run(connection);
        }
    }

    @Override
    public EventIds eventIds() {
        return engine.eventIds();
    }

    @Override
    public Dialect dialect() {
        return engine.dialect();
    }

    @Override
    public void watchAppends(Runnable wake) {
        engine.watchAppends(wake);
    }

    @Override
    public void appended(long transactionOrder) {
        engine.appended(transactionOrder);
    }

    @Override
    public void awaitOwnAppends() {
        AppendWatermark watermark = engine.watermark();
        if (watermark != null) {
            watermark.awaitReadable(engine);
        }
    }

    @Override
    public Clock clock() {
        return engine.clock();
    }


    @Override
    public Instant sharedNow(Connection connection) throws SQLException {
        return engine.sharedNow(connection);
    }

    @Override
    public String location() {
        return engine.location();
    }

    /** How many transactions this session has committed; fewer than its writes when group commit coalesced them. */
    public long commits() {
        return commits.get();
    }

    /** How many writes ran in a statement shared with others of their batch ({@link Combinable}). */
    public long combinedWrites() {
        return combinedWrites.get();
    }

    /** How many shared statements failed as a whole, and had their writes run one by one. */
    public long combinedFallbacks() {
        return combinedFallbacks.get();
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        Write write = current.get();
        if (write == null) {
            return engine.read(work);
        }
        try {
            return work.run(write.connection);
        } catch (SQLException e) {
            throw dialect().translate(e, location(), "reading");
        }
    }

    @Override
    public <T> T readStatement(SqlWork<T> work) {
        return current.get() == null ? engine.readStatement(work) : read(work);
    }

    @Override
    public <T> T write(SqlWork<T> work) {
        return write(work, false);
    }

    @Override
    public <T> T writeSavepointAhead(SqlWork<T> work) {
        return write(work, true);
    }

    @Override
    public String savepointAhead() {
        Write write = current.get();
        String ahead = write == null ? null : write.savepointAhead;
        if (ahead == null) {
            return "";
        }
        write.savepointAhead = null;
        return ahead;
    }

    private <T> T write(SqlWork<T> work, boolean takesSavepoint) {
        Write outer = current.get();
        if (outer != null) {
            try {
                return work.run(outer.connection);
            } catch (SQLException e) {
                throw dialect().translate(e, location(), "writing");
            }
        }
        if (engine.writerHeldByCurrentThread()) {
            throw new TransactionStateException("this thread holds an open transaction on " + location()
                    + "; use that transaction instead of the store, or finish it first");
        }
        Request<T> request = new Request<>(work, takesSavepoint, true);
        // Enqueueing takes no lock: a lock here makes every writer wait its turn for a wake-up just to join the queue,
        // and the leader then finds one request where a dozen were on their way.
        queue.add(request);
        if (tryLead() && !request.elect()) {
            leaders.decrementAndGet();
        }
        // Waiters park until their request is done or they are elected leader: each wake-up is meant for its thread,
        // so a commit does not wake every waiting thread only for most of them to sleep again.
        boolean interrupted = false;
        while (!request.done) {
            if (request.takeLead()) {
                leadBatch(request);
            } else {
                LockSupport.parkNanos(this, RECHECK_NANOS);
                // A write cannot be abandoned once queued (a leader may be running it): wait, and keep the interrupt.
                interrupted |= Thread.interrupted();
                // Waking without a leader in office (nothing should allow it, but a lost wake-up must not hang a
                // writer): take a place for the queue.
                if (!request.done && !request.taken && request.leader == 0 && tryLead()
                        && !request.elect()) {
                    leaders.decrementAndGet();
                }
            }
        }
        // Elected while another leader was already running its write: the place goes back unused, and whoever gives
        // a place back looks at the queue again (writes nobody waits on have no self-check for a queue left unled).
        if (request.takeLead()) {
            giveBackPlace();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        runAgainAlone(request);
        return finish(request);
    }

    /**
     * Queues a write that nobody waits on. The thread that finds no leader leads at once, as a waiting writer would,
     * and goes on leading while such writes are queued (they have no thread of their own to wake and elect); otherwise
     * the write is left to whoever leads, who drains it with the rest. A waiting writer leads its own batch only and
     * leaves what is queued after it to the {@link Committer}. The future completes on the thread that led its
     * batch, after the commit and after that thread gave up its place, so what depends on it (an HTTP answer) holds
     * up no other batch; writes queued in the meantime wait for those stages unless another writer comes to lead.
     */
    @Override
    public <T> CompletableFuture<T> writeAsync(SqlWork<T> work, boolean savepointAhead) {
        if (current.get() != null) {
            return Session.super.writeAsync(work, savepointAhead); // nested in a write: part of it
        }
        if (engine.writerHeldByCurrentThread()) {
            return CompletableFuture.failedFuture(new TransactionStateException("this thread holds an open "
                    + "transaction on " + location() + "; use that transaction instead of the store, or finish it "
                    + "first"));
        }
        Request<T> request = new Request<>(work, savepointAhead, false);
        queue.add(request);
        // Queued by a dependent stage of another write's future: the thread completing it leads it once it is done
        // (leading here would nest one batch in another for each append of a chain).
        if (settling.get() == null && tryLead()) {
            leadBatch(request);
        }
        return request.future;
    }

    /** A write chosen to end a deadlock between two batches runs again, alone in a transaction of its own. */
    private void runAgainAlone(Request<?> request) {
        if (!request.retryAlone) {
            return;
        }
        request.retryAlone = false;
        request.result = null;
        request.failure = null;
        request.afterCommit.clear();
        try {
            leadAlone(request);
        } catch (RuntimeException | Error e) {
            if (request.failure == null) {
                request.failure = e;
            }
        }
    }

    /**
     * Writes that must be waiting before a batch starts beside one already running. A second batch started for every
     * newcomer would take one or two writes where the running one, once done, would take them all in one commit; yet
     * when the running batch is held up (a row lock), writes pile up, and a second batch then goes on with them.
     * Measured at 16 appenders on PostgreSQL (docs/benchmarks.md): about 1.15 × raw pgjdbc against 0.98 × without.
     */
    private static final int QUEUED_FOR_ANOTHER_BATCH = 8;
    /**
     * How long the oldest queued write may wait before a batch starts beside a running one however few are queued: a
     * batch's turn takes a few milliseconds, so one this late is held up (a parked writer looks every
     * {@link #RECHECK_NANOS}).
     */
    private static final long HELD_UP_NANOS = 20_000_000;

    /** Whether the writes queued behind running batches are many, or have waited long: then another batch starts. */
    private boolean anotherBatchWanted() {
        Request<?> oldest = queue.peek();
        return oldest != null && (System.nanoTime() - oldest.queuedAt >= HELD_UP_NANOS
                || queuedAtLeast(QUEUED_FOR_ANOTHER_BATCH));
    }

    /** Whether at least {@code n} writes are queued (counting stops there). */
    private boolean queuedAtLeast(int n) {
        int seen = 0;
        for (Request<?> ignored : queue) {
            if (++seen >= n) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes a leader's place if one is free: the first at once, another only when enough writes wait for it. No write
     * is left without a leader: whoever gives a place back looks at the queue again, and the last sees no one else.
     */
    private boolean tryLead() {
        for (int now = leaders.get(); now < maxLeaders; now = leaders.get()) {
            if (now > 0 && !anotherBatchWanted()) {
                return false;
            }
            if (leaders.compareAndSet(now, now + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Elects the writer at the head of the queue to lead, if a leader's place is free; returns it, or null. Several
     * leaders may elect the same head at once: only one election holds, the others give their places back.
     */
    private Request<?> electNext() {
        if (queue.isEmpty() || !tryLead()) {
            return null;
        }
        Request<?> next = firstWaited();
        if (next == null || !next.elect()) {
            leaders.decrementAndGet();
            return null;
        }
        // Another leader took it meanwhile: its caller may already be gone, so take the election back (unless its
        // caller took it first, and leads).
        if (next.taken && next.takeLead()) {
            leaders.decrementAndGet();
            return null;
        }
        return next;
    }

    /** The oldest queued write whose caller waits for it (and can be woken to lead), or null. */
    private Request<?> firstWaited() {
        for (Request<?> queued : queue) {
            if (queued.caller != null) {
                return queued;
            }
        }
        return null;
    }

    private <T> T finish(Request<T> request) {
        if (request.failure == null) {
            runAfterCommit(request.afterCommit);
            return request.result;
        }
        if (request.failure instanceof RuntimeException e) {
            throw e;
        }
        throw (Error) request.failure;
    }

    /**
     * Runs one batch as its leader, then gives up its place, wakes the callers it completed and elects the next leader,
     * if any, then completes the futures of the batch's writes that nobody waits on; and leads again while only such
     * writes are queued.
     */
    private void leadBatch(Request<?> own) {
        // A waiting writer leads its own batch and no more: writes nobody waits on that are left go to the committer.
        boolean waiting = own.caller != null;
        for (Request<?> lead = own; lead != null; ) {
            // Filled as soon as requests leave the queue, so that whatever happens afterwards, every caller taken from
            // it is completed (with a failure if nothing better is known) and woken.
            List<Request<?>> batch = new ArrayList<>();
            try {
                leadQueue(lead, batch);
            } catch (RuntimeException | Error e) {
                for (Request<?> request : batch) {
                    if (request.failure == null) {
                        request.failure = e;
                    }
                }
                if (!batch.contains(lead) && queue.remove(lead)) {
                    lead.failure = e;
                    batch.add(lead);
                }
            } finally {
                handOver(batch);
            }
            settleAll(batch);
            // A write queued while no leader held a place (one queued by a dependent stage above, say) is led here.
            if (!waiting) {
                lead = leadAgain();
            } else {
                lead = null;
                wakeCommitterIfUnled();
            }
        }
    }

    /** Has the committer lead what is queued when no leader holds a place to see it. */
    private void wakeCommitterIfUnled() {
        if (!queue.isEmpty() && leaders.get() == 0) {
            committer.wake();
        }
    }

    /**
     * Completes the futures of a batch's writes that nobody waits on. Their dependent stages run here; an append they
     * queue is only queued (see {@link #writeAsync}), so a chain of appends runs as a loop, not as a recursion.
     */
    private void settleAll(List<Request<?>> batch) {
        boolean outer = settling.get() == null;
        if (outer) {
            settling.set(Boolean.TRUE);
        }
        try {
            for (Request<?> done : batch) {
                if (done.future != null) {
                    settle(done);
                }
            }
        } finally {
            if (outer) {
                settling.remove();
            }
        }
    }

    /** Gives a leader's place back unused, then looks at the queue again as a waiting leader that is done would. */
    private void giveBackPlace() {
        handOver(List.of());
        wakeCommitterIfUnled();
    }

    /**
     * Gives up the leader's place, then looks again: a waiting writer that queued meanwhile either took a place itself
     * or is elected here. Wakes the batch's waiting callers and the one elected. Writes nobody waits on cannot be
     * elected: the caller then leads them ({@link #leadAgain}) or has the committer do it.
     */
    private void handOver(List<Request<?>> batch) {
        leaders.decrementAndGet();
        Request<?> next = electNext();
        Thread self = Thread.currentThread();
        for (Request<?> done : batch) {
            if (done.future == null) {
                done.done = true;
                if (done.caller != self) {
                    LockSupport.unpark(done.caller);
                }
            }
        }
        if (next != null && next.caller != self) {
            LockSupport.unpark(next.caller);
        }
    }

    /** The oldest queued write, to lead next on this thread with a place taken for it; null when none or no place. */
    private Request<?> leadAgain() {
        while (!queue.isEmpty() && tryLead()) {
            Request<?> head = queue.peek();
            if (head != null) {
                return head;
            }
            leaders.decrementAndGet(); // another leader drained it meanwhile
        }
        return null;
    }

    /** Completes the future of a write nobody waits on, once its batch is done (and after it ran again alone). */
    private <T> void settle(Request<T> request) {
        runAgainAlone(request);
        T result;
        try {
            result = finish(request);
        } catch (RuntimeException | Error e) {
            request.future.completeExceptionally(e);
            return;
        }
        request.future.complete(result);
    }

    /**
     * Takes the writer and the write lock by the oldest queued write's deadline, then drains the queue into
     * {@code batch} and commits it as one transaction; or, on giving up, moves the writes whose time is up into
     * {@code batch}, failed.
     */
    private void leadQueue(Request<?> own, List<Request<?>> batch) {
        Request<?> oldest = queue.peek();
        long deadline = (oldest != null && oldest.queuedAt - own.queuedAt < 0 ? oldest.queuedAt : own.queuedAt)
                + busyTimeoutNanos;
        Engine.WriteLease lease;
        try {
            lease = engine.acquireWriter("a store-level write", deadline);
        } catch (BusyException e) {
            failExpired(own, e, batch);
            return;
        } catch (RuntimeException e) {
            // The store is closed or read-only: this write fails (unless another leader took it meanwhile); whatever
            // else is queued finds out when its own turn comes.
            if (queue.remove(own)) {
                own.failure = e;
                batch.add(own);
            }
            return;
        }
        try (lease) {
            try {
                dialect().beginWrite(lease.connection(), deadline);
            } catch (SQLException e) {
                RuntimeException failure = dialect().translate(e, location(), "beginning a write");
                if (failure instanceof BusyException busy) {
                    failExpired(own, busy, batch);
                } else if (queue.remove(own)) {
                    own.failure = failure;
                    batch.add(own);
                }
                return;
            }
            for (Request<?> queued; (maxBatch == 0 || batch.size() < maxBatch) && (queued = queue.poll()) != null; ) {
                queued.taken = true;
                batch.add(queued);
            }
            if (batch.isEmpty()) {
                // Another leader took them all (with several leaders, an election can race a drain).
                try {
                    dialect().rollback(lease.connection());
                } catch (SQLException e) {
                    LOG.debug("ending an empty batch's transaction failed; the lease ends it", e);
                }
                return;
            }
            // More queued than one batch takes: another leader may start on them now, if a place is free.
            Request<?> another = electNext();
            if (another != null && another != own) {
                LockSupport.unpark(another.caller);
            }
            execute(lease.connection(), batch);
        }
    }

    /**
     * Fails with {@code busy} every queued write whose deadline has passed, and {@code own} if none has (the lock
     * was refused without a wait), leaving the others queued for the next leader and its own deadline.
     */
    private void failExpired(Request<?> own, BusyException busy, List<Request<?>> batch) {
        long now = System.nanoTime();
        for (Request<?> queued : queue) {
            if (now - queued.queuedAt >= busyTimeoutNanos && queue.remove(queued)) {
                queued.failure = busy;
                batch.add(queued);
            }
        }
        if (batch.isEmpty() && queue.remove(own)) {
            own.failure = busy;
            batch.add(own);
        }
    }

    /** Runs one write in its own transaction, on a database whose writers run in parallel. */
    private void leadAlone(Request<?> own) {
        try (Engine.WriteLease lease = engine.acquireWriter("a store-level write")) {
            List<Request<?>> batch = List.of(own);
            try {
                dialect().beginWrite(lease.connection());
            } catch (SQLException e) {
                failAll(batch, dialect().translate(e, location(), "beginning a write"));
                return;
            }
            execute(lease.connection(), batch);
        }
    }

    /** Runs the batch in the write transaction begun on {@code connection}, and commits it. */
    private void execute(Connection connection, List<Request<?>> batch) {
        boolean alone = batch.size() == 1;
        if (alone && batch.get(0).work instanceof Combinable<?> && !dialect().singleWriter()) {
            executeOneStatement(connection, batch.get(0));
            return;
        }
        LockWaits waits = new LockWaits();
        List<Request<?>> oneByOne = alone ? batch : runCombined(connection, batch, waits);
        if (oneByOne == null) {
            return;
        }
        for (Request<?> request : oneByOne) {
            Write write = new Write(connection, request.afterCommit);
            current.set(write);
            try {
                if (alone) {
                    runAlone(connection, request);
                } else {
                    waits.boundFor(connection, List.of(request)); // before the savepoint, which would undo it
                    runUnderSavepoint(connection, request, write);
                }
            } catch (SQLException | RuntimeException | Error e) {
                // Without a savepoint to return to (or when returning to it failed) the whole batch goes.
                rollback(connection, e);
                failAll(batch, translate(e, "writing"));
                return;
            } finally {
                current.remove();
            }
        }
        try {
            dialect().commit(connection);
            commits.incrementAndGet();
        } catch (SQLException e) {
            rollback(connection, e);
            RuntimeException failure = dialect().translate(e, location(), "committing");
            for (Request<?> request : batch) {
                if (request.failure == null) {
                    request.failure = failure;
                }
            }
        }
    }

    /**
     * Runs a {@link Combinable} write that is alone in its batch, on a database server: it is one statement, atomic by
     * itself, so it runs in autocommit, and its commit costs no round trip of its own (the one before the first
     * statement of a transaction costs none either: the driver sends it with that statement).
     */
    private void executeOneStatement(Connection connection, Request<?> request) {
        Write write = new Write(connection, request.afterCommit);
        current.set(write);
        try {
            connection.setAutoCommit(true); // no statement has run on it yet: nothing to commit, no round trip
            runAlone(connection, request);
            commits.incrementAndGet();
        } catch (SQLException | RuntimeException e) {
            request.afterCommit.clear();
            if (request.failure == null) {
                request.failure = translate(e, "writing");
            }
        } finally {
            current.remove();
        }
    }

    /** Attempts of a write alone in its transaction that the server ends to break deadlocks, before it fails. */
    private static final int DEADLOCK_ATTEMPTS = 5;

    /**
     * Runs a write alone in its transaction. Its transaction may still be chosen to end a deadlock it only queued in
     * (on PostgreSQL a writer waiting for a row holds the row's place in line, so a cycle between two other batches
     * can run through it); then nothing of it stays, and it runs again.
     */
    private void runAlone(Connection connection, Request<?> request) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                request.run(connection);
                return;
            } catch (SQLException e) {
                if (attempt == DEADLOCK_ATTEMPTS || !dialect().isDeadlock(e)) {
                    throw e;
                }
                request.afterCommit.clear();
                if (!connection.getAutoCommit()) {
                    dialect().rollback(connection);
                    dialect().beginWrite(connection);
                }
            }
        }
    }

    /**
     * Runs the batch's {@link Combinable} writes that share a combiner, two or more, in one statement, and completes
     * each; returns the writes still to run one by one (all of them when the combined statement failed, after rolling
     * it back), or null when the batch has failed as a whole.
     */
    private List<Request<?>> runCombined(Connection connection, List<Request<?>> batch, LockWaits waits) {
        Combinable.Combiner combiner = null;
        List<Request<?>> combined = new ArrayList<>(batch.size());
        List<Request<?>> rest = new ArrayList<>();
        for (Request<?> request : batch) {
            if (request.work instanceof Combinable<?> work && (combiner == null || combiner == work.combiner())) {
                combiner = work.combiner();
                combined.add(request);
            } else {
                rest.add(request);
            }
        }
        if (combined.size() < 2) {
            return batch;
        }
        List<Combinable<?>> works = new ArrayList<>(combined.size());
        for (Request<?> request : combined) {
            works.add((Combinable<?>) request.work);
        }
        try {
            waits.boundFor(connection, combined);
            List<?> outcomes = combiner.runAll(connection, works);
            for (int i = 0; i < combined.size(); i++) {
                complete(connection, combined.get(i), outcomes.get(i));
            }
            combinedWrites.addAndGet(combined.size());
            return rest;
        } catch (SQLException | RuntimeException e) {
            // Nothing of the combined statement stays: each write runs again on its own, and only one at fault fails.
            for (Request<?> request : combined) {
                request.result = null;
                request.failure = null;
                request.afterCommit.clear();
            }
            combinedFallbacks.incrementAndGet();
            LOG.debug("a combined statement of {} writes failed; running them one by one", combined.size(), e);
            try {
                dialect().rollback(connection);
                waits.rolledBack();
                dialect().beginWrite(connection);
            } catch (SQLException again) {
                again.addSuppressed(e);
                failAll(batch, dialect().translate(again, location(), "writing"));
                return null;
            }
            return batch;
        }
    }

    /**
     * The row-lock waits of a batch on a database server, bounded by what is left of the busy timeout of the writes
     * that run next, counted from when they were queued: a write that waited in the queue, or whose combined statement
     * already waited out a lock (then each of its writes runs again on its own), must not wait a whole timeout again.
     * A write with no time left still gets {@link #LEAST_LOCK_WAIT_NANOS}: its neighbours in a failed combined
     * statement had waited for the one that found a row held, not for a row of their own, and most likely need no wait
     * at all.
     * The bound is sent only when it differs from the last one by more than {@link #BOUND_SLACK_NANOS}.
     */
    private final class LockWaits {
        private long bound = busyTimeoutNanos;

        void boundFor(Connection connection, List<Request<?>> requests) throws SQLException {
            if (dialect().singleWriter()) {
                return;
            }
            long oldest = requests.get(0).queuedAt;
            for (Request<?> request : requests) {
                oldest = request.queuedAt - oldest < 0 ? request.queuedAt : oldest;
            }
            long left = Math.min(busyTimeoutNanos, Math.max(Math.min(LEAST_LOCK_WAIT_NANOS, busyTimeoutNanos),
                    oldest + busyTimeoutNanos - System.nanoTime()));
            if (Math.abs(left - bound) > BOUND_SLACK_NANOS) {
                dialect().boundLockWaits(connection, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                bound = left;
            }
        }

        /** The transaction it bounded was rolled back, and its bound with it. */
        void rolledBack() {
            bound = busyTimeoutNanos;
        }
    }

    /** How far a write's row-lock bound may lag behind what is left of its busy timeout before it is sent again. */
    private static final long BOUND_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The row-lock wait a write of a batch gets however long it was queued (see {@link LockWaits}). */
    private static final long LEAST_LOCK_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @SuppressWarnings("unchecked")
    private <T> void complete(Connection connection, Request<T> request, Object outcome) throws SQLException {
        current.set(new Write(connection, request.afterCommit));
        try {
            request.result = ((Combinable<T>) request.work).complete(connection, outcome);
        } catch (RuntimeException e) {
            request.afterCommit.clear();
            request.failure = e; // refused: it wrote nothing, and its neighbours commit
        } finally {
            current.remove();
        }
    }

    /** Runs one request of a batch; its failure is recorded on it and undone, leaving the others intact. */
    private void runUnderSavepoint(Connection connection, Request<?> request, Write write) throws SQLException {
        if (request.takesSavepoint) {
            // Sent ahead of the work's first statement, in the same round trip (see Session#savepointAhead).
            write.savepointAhead = SAVEPOINT + "; ";
        } else {
            exec(connection, SAVEPOINT);
        }
        try {
            request.run(connection);
        } catch (SQLException | RuntimeException | Error e) {
            boolean opened = write.savepointAhead == null;
            write.savepointAhead = null;
            if (opened) {
                // Back to this write's savepoint (the newest of that name), which stays: the next write nests in it.
                exec(connection, "ROLLBACK TO " + SAVEPOINT);
                if (!nestSavepoints) {
                    exec(connection, "RELEASE " + SAVEPOINT);
                }
            } // else it failed before its first statement: nothing written, and no savepoint to return to
            request.afterCommit.clear();
            if (e instanceof SQLException sql && dialect().isDeadlock(sql)) {
                request.retryAlone = true; // another batch held what it needed, and it held what that one needed
            } else {
                request.failure = translate(e, "writing");
            }
            return;
        }
        boolean opened = write.savepointAhead == null;
        write.savepointAhead = null;
        if (opened && !nestSavepoints) {
            exec(connection, "RELEASE " + SAVEPOINT);
        }
    }

    private Throwable translate(Throwable e, String doing) {
        return e instanceof SQLException sql ? dialect().translate(sql, location(), doing) : e;
    }

    private static void failAll(List<Request<?>> batch, Throwable failure) {
        for (Request<?> request : batch) {
            if (request.failure == null) {
                request.failure = failure;
            }
            request.afterCommit.clear();
        }
    }

    private void rollback(Connection connection, Throwable failure) {
        try {
            dialect().rollback(connection);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    private static void exec(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Leads the writes nobody waits on that a waiting writer leaves queued when its own batch is done, so that a caller
     * of {@link #write} never leads longer than its own batch however many appends a server queues behind it. One
     * thread, started on first need; it ends with the session, after leading what is still queued.
     */
    private final class Committer implements Runnable {
        private Thread thread;
        private boolean stopped;
        private volatile boolean wanted;

        void wake() {
            wanted = true;
            Thread running;
            synchronized (this) {
                if (thread == null) {
                    thread = new Thread(this, "cairn-group-commit");
                    thread.setDaemon(true);
                    thread.start();
                    return;
                }
                running = thread;
            }
            LockSupport.unpark(running);
        }

        void stop() {
            Thread running;
            synchronized (this) {
                stopped = true;
                running = thread;
            }
            if (running != null) {
                LockSupport.unpark(running);
            }
        }

        private synchronized boolean stopped() {
            return stopped;
        }

        @Override
        public void run() {
            for (boolean last = false; !last; ) {
                last = stopped();
                if (!wanted && !last) {
                    LockSupport.park(this); // wake() and stop() unpark it; a permit given first is kept
                    continue;
                }
                wanted = false;
                for (Request<?> lead; (lead = leadAgain()) != null; ) {
                    leadBatch(lead);
                }
            }
        }
    }

    @Override
    public Runnable closeWithStore(AutoCloseable resource) {
        synchronized (owned) {
            if (closed) {
                throw new StoreClosedException(location());
            }
            owned.add(resource);
        }
        return () -> owned.remove(resource);
    }

    /** Closes what registered with {@link #closeWithStore}, each once; a failure is logged, the rest still close. */
    @Override
    public void close() {
        List<AutoCloseable> closing;
        synchronized (owned) {
            closed = true;
            closing = List.copyOf(owned);
        }
        for (AutoCloseable resource : closing) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {} with the store at {} failed", resource, location(), e);
            }
        }
        committer.stop();
    }

    @Override
    public void afterCommit(Runnable action) {
        Write write = current.get();
        if (write == null) {
            throw new IllegalStateException("afterCommit outside a write");
        }
        write.afterCommit.add(action);
    }

    /** Runs post-commit actions; one failing does not stop the others, and none can undo the commit. */
    public static void runAfterCommit(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warn("an after-commit action failed; the commit itself stands", e);
            }
        }
    }
}
