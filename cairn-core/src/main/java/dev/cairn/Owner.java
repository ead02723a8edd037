package dev.cairn;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;

/**
 * Who holds a goal's controller, a slice lease or a run: one process on one host, under an id no other process has,
 * on any host, ever. The id is what the store compares; host and pid are for people reading who holds what (and, on
 * SQLite, where every owner runs on one host, a pid that names no live process there shows a dead owner at once).
 *
 * <p>{@link #current()} is this process. A process restarted with the same pid, or a process with the same pid in
 * another container or on another host, is another owner: its id differs, so it never passes for the one before.
 *
 * @param id unique across hosts and restarts; {@link #current()} makes {@code host:pid:random}
 * @param host the host's name
 * @param pid the process id on that host
 */
public record Owner(String id, String host, long pid) {
    /**
     * How long an owner may go without a heartbeat before what it holds may be taken over: 30 seconds. Heartbeat well
     * within it (every few seconds), so that a slow moment does not pass for a death.
     */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(30);

    private static final Owner CURRENT = create();

    public Owner {
        if (id == null || id.isBlank()) {
            throw new InvalidInputException("an owner needs an id unique across hosts, was '" + id + "'; use "
                    + "Owner.current() for this process");
        }
        if (host == null || host.isBlank()) {
            throw new InvalidInputException("owner " + id + " needs the name of its host, was '" + host + "'");
        }
    }

    /** This process: this host's name, this pid, and a random part made once per process. */
    public static Owner current() {
        return CURRENT;
    }

    /** A new owner on {@code host} with this process's pid, under a fresh random id (e.g. a simulated host). */
    public static Owner of(String host) {
        long pid = ProcessHandle.current().pid();
        return new Owner(host + ":" + pid + ":" + UUID.randomUUID().toString().substring(0, 8), host, pid);
    }

    private static Owner create() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
        return of(host);
    }

    @Override
    public String toString() {
        return id;
    }
}
