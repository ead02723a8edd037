package dev.cairn.events.internal;

import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.Subscription;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscription's thread: reads the log by position after the last event it delivered, delivers, and when it has
 * caught up waits for a commit in this process, a commit announced by the server (PostgreSQL's NOTIFY, from any
 * process) or the poll interval, whichever comes first. While committed events wait behind an older transaction that is
 * still open (PostgreSQL), it looks again after 1, 2, 4 ... ms, since that transaction's end wakes nobody.
 *
 * <p>Reading by position is the truth and the signal only a hint, so a missed or spurious wake-up costs at most one
 * poll interval, never an event. No event is skipped because a read returns only events that nothing can commit
 * before any more (see {@link EventTable}): with one writer every committed event, with many every event of the
 * transactions older than the oldest one still open.
 */
final class Tail implements Subscription, Runnable {
    /**
     * How long a caught-up subscription waits for a wake-up before it looks anyway; the system property
     * {@code cairn.subscription.pollMillis} changes it for subscriptions started afterwards (tests use it to prove
     * that LISTEN/NOTIFY alone wakes them).
     */
    static final long POLL_MILLIS = 50;
    /**
     * The longest wait, doubling from 1 ms, while committed events are held back behind an older open transaction:
     * its end sends no wake-up, so the subscription looks again on its own, soon, then less often.
     */
    static final long HELD_BACK_MAX_MILLIS = 100;
    private static final int PAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(Tail.class);

    private final EventStore store;
    private final String location;
    /** Held from start until the thread ends; null before. */
    private volatile LogSignal signal;
    /** Makes the store forget this subscription once it has ended; set at start. */
    private volatile Runnable forget = () -> {};
    private final Consumer<RecordedEvent> handler;
    private final Thread thread;
    private final long pollMillis = Long.getLong("cairn.subscription.pollMillis", POLL_MILLIS);
    private volatile LogPosition position;
    private volatile boolean running = true;
    private volatile Throwable failure;

    Tail(EventStore store, String location, LogPosition after, Consumer<RecordedEvent> handler) {
        this.store = store;
        this.location = location;
        this.handler = handler;
        this.position = after;
        this.thread = new Thread(this, "cairn-subscription-" + after);
        thread.setDaemon(true);
    }

    /** Starts delivering; {@code forget} runs once the subscription has ended, however it ends. */
    void start(Runnable forget) {
        this.forget = forget;
        this.signal = LogSignal.acquire(location);
        thread.start();
    }

    @Override
    public void run() {
        try {
            long heldBackWait = 1;
            while (running) {
                long seen = signal.generation();
                EventStore.TailPage page = store.page(position, PAGE);
                for (RecordedEvent event : page.events()) {
                    if (!running) {
                        return;
                    }
                    handler.accept(event);
                    position = event.position();
                }
                if (page.events().size() < PAGE && running) {
                    if (page.heldBack()) {
                        signal.await(seen, Math.min(pollMillis, heldBackWait));
                        heldBackWait = Math.min(HELD_BACK_MAX_MILLIS, heldBackWait * 2);
                    } else {
                        heldBackWait = 1;
                        signal.await(seen, pollMillis);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            if (running) {
                failure = e;
                LOG.warn("a subscription to the event log stopped after position {}", position, e);
            }
        } finally {
            running = false;
            signal.release();
            forget.run();
        }
    }

    @Override
    public LogPosition position() {
        return position;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        running = false;
        LogSignal held = signal;
        if (held != null) {
            held.signal();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
