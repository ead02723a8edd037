package dev.cairn.goals.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When a goal's controller counts as live: a pid is recorded, a process with that pid runs on this host, and its
 * last heartbeat is at most {@code staleAfter} old. The heartbeat rule covers what the pid check cannot: a pid reused
 * by an unrelated process, a controller on another host, and a controller that hangs without dying.
 */
final class Controllers {
    private Controllers() {}

    static boolean live(Long pid, Instant heartbeatAt, Instant now, Duration staleAfter) {
        return pid != null && processAlive(pid) && heartbeatAt != null
                && !heartbeatAt.plus(staleAfter).isBefore(now);
    }

    static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
