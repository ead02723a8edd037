package dev.cairn.events.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the subscriptions of one database file in this process when an append commits. Keyed by location, so two
 * stores opened on the same file in one JVM wake each other too. Other processes are seen by polling, and on
 * PostgreSQL through LISTEN/NOTIFY, whose listener runs this signal.
 */
final class LogSignal implements Runnable {
    private static final ConcurrentHashMap<String, LogSignal> BY_LOCATION = new ConcurrentHashMap<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long generation;

    static LogSignal of(String location) {
        return BY_LOCATION.computeIfAbsent(location, ignored -> new LogSignal());
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

    /** The same as {@link #signal()}, for whoever wakes subscriptions from outside this process. */
    @Override
    public void run() {
        signal();
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
