package dev.cairn.internal;

import dev.cairn.Owner;
import java.time.Duration;
import java.time.Instant;

/**
 * The one rule of whether the holder of a claim (a goal's controller, a run; slice leases and task leases apply its
 * first half in their SQL) is still alive: it heartbeat within {@code staleAfter}, on the store's shared clock. A local
 * process table cannot decide it, since the holder may run on another host. Where every process of the store runs on
 * one host (SQLite), a holder on this host whose pid names no running process is dead at once: a crash is seen
 * without waiting for the stale window. A pid reused by an unrelated process is harmless: the heartbeat still ages.
 */
public final class Liveness {
    private Liveness() {}

    public static boolean live(Owner owner, Instant heartbeatAt, Instant now, Duration staleAfter, boolean oneHost) {
        if (owner == null || heartbeatAt == null || heartbeatAt.plus(staleAfter).isBefore(now)) {
            return false;
        }
        return !oneHost || !owner.host().equals(Owner.current().host()) || processAlive(owner.pid());
    }

    public static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
