package dev.cairn.internal;

import dev.cairn.Durability;
import java.time.Clock;
import java.time.Duration;

/**
 * The settings an {@link Engine} is opened with; built by {@link dev.cairn.Cairn.Builder}.
 *
 * @param serverClock whether heartbeats, leases and their staleness are timed by the database server's clock where it
 *     has one (PostgreSQL), so that every host of a fleet measures them alike; false when a clock was given to the
 *     store (tests move it by hand), and then {@code clock} times them too
 */
public record StoreConfig(Durability durability, Duration busyTimeout, int readers, boolean readOnly, Clock clock,
        boolean serverClock) {
    /** Settings whose heartbeats are timed by {@code clock}. */
    public StoreConfig(Durability durability, Duration busyTimeout, int readers, boolean readOnly, Clock clock) {
        this(durability, busyTimeout, readers, readOnly, clock, false);
    }
}
