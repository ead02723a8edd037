package dev.cairn.events.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the subscriptions of one database location in this process when an append commits. Keyed by location, so two
 * stores opened on the same file in one JVM wake each other too. Other processes are seen by polling, and on
 * PostgreSQL through LISTEN/NOTIFY, whose listener runs {@link Wake}.
 *
 * <p>Only subscriptions wait on a signal, so only they hold one: {@link #acquire} counts them per location and
 * {@link #release} removes the entry with the last, so a process that opens and closes many stores keeps no entry for
 * a store it closed (closing a store ends its subscriptions). An append with no subscription to wake finds no entry
 * and does nothing; a subscription that starts later reads what was appended before it from the log.
 */
final class LogSignal {
    private static final ConcurrentHashMap<String, LogSignal> BY_LOCATION = new ConcurrentHashMap<>();

    private final String location;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;
    /** Subscriptions holding this signal; changed only inside {@code BY_LOCATION.compute}, which serialises it. */
    private int holders;

    private LogSignal(String location) {
        this.location = location;
    }

    /** The signal of a location, held by one more subscription until it calls {@link #release()}. */
    static LogSignal acquire(String location) {
        return BY_LOCATION.compute(location, (key, signal) -> {
            LogSignal held = signal != null ? signal : new LogSignal(key);
            held.holders++;
            return held;
        });
    }

    /** Gives up one hold; the last one removes the location's entry. */
    void release() {
        BY_LOCATION.computeIfPresent(location, (key, signal) -> signal == this && --holders == 0 ? null : signal);
    }

    /** Wakes the subscriptions of a location in this process, if it has any. */
    static void wake(String location) {
        LogSignal signal = BY_LOCATION.get(location);
        if (signal != null) {
            signal.signal();
        }
    }

    /** The locations that have a signal now (for tests). */
    static Set<String> locations() {
        return Set.copyOf(BY_LOCATION.keySet());
    }

    /**
     * Wakes a location's subscriptions, for whoever hears of appends from outside this process. A record, so that the
     * listener's set of wake-ups holds one per location however many subscriptions register it.
     */
    record Wake(String location) implements Runnable {
        @Override
        public void run() {
            wake(location);
        }
    }

    /** How many commits were signalled so far; read it before looking, then wait on it. */
    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    void signal() {
        lock.lock();
        try {
            generation++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a commit after {@code seen} is signalled, or the timeout passes. */
    void await(long seen, long timeoutMillis) throws InterruptedException {
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            while (generation == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }
}
