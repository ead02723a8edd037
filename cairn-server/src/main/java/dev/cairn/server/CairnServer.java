package dev.cairn.server;

import com.sun.net.httpserver.HttpServer;
import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.server.internal.Api;
import dev.cairn.server.internal.EventTail;
import dev.cairn.server.internal.HttpFront;
import dev.cairn.server.internal.Metrics;
import dev.cairn.server.internal.RequestPool;
import dev.cairn.server.internal.console.Console;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON HTTP API over one open store, so that runtimes written in any language share it with the library's
 * guarantees (see docs/server.md, and {@code /openapi.json} on a running server).
 *
 * <pre>{@code
 * try (Cairn db = Cairn.open(path); CairnServer server = CairnServer.builder(db).port(7878).start()) {
 *     server.awaitClose();
 * }
 * }</pre>
 *
 * <p>It runs on the JDK's own HTTP server ({@code com.sun.net.httpserver}): no dependency enters the CLI jar or an
 * embedding application, it speaks HTTP/1.1 with keep-alive, and a thread per exchange from a pool keeps both plain
 * requests and long-lived Server-Sent Event tails simple (static files and cookies, for a console later, are a
 * handler and a header away). It binds to loopback unless told otherwise, and anywhere else only with a bearer
 * token. {@link #close()} ends the live tails, refuses new requests (503 with Retry-After), lets requests in flight
 * finish, stops listening, and (if it was given the store to own) closes the store: every write it acknowledged was
 * committed first.
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cairn.server");

    static {
        // The JDK server writes a response's headers and body in separate segments; with Nagle's algorithm on, the
        // body waits for the client's delayed ACK (some 40 ms on Linux) on every keep-alive request. Read once, when
        // the JDK's server configuration loads, so it is set before the first server is created; an explicit
        // setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // A client that sends its request (headers and body) slower than this holds a pool thread no longer: the
        // JDK closes its connection. (Not maxRspTime: that one would cut every live tail after the same time.)
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
    }

    private final HttpServer http;
    private final RequestPool executor;
    private final EventTail tail;
    private final HttpFront front;
    private final Cairn db;
    private final boolean ownsStore;
    private final Duration drain;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object closing = new Object();
    private boolean stopped;

    private CairnServer(Builder builder) throws IOException {
        this.db = builder.db;
        this.ownsStore = builder.ownsStore;
        this.drain = builder.drain;
        Metrics metrics = new Metrics();
        this.tail = new EventTail(db, metrics, builder.keepAlive,
                builder.maxTails > 0 ? Math.min(builder.maxTails, builder.maxThreads - 1) : builder.maxThreads / 2);
        Api api = new Api(db, metrics);
        this.front = new HttpFront(api.routes(), builder.token, builder.maxBodyBytes, builder.corsOrigin,
                metrics, tail, new Console(db, builder.token));
        // The address checked for loopback, not its name again: a name may resolve elsewhere the second time.
        this.http = HttpServer.create(new InetSocketAddress(builder.resolved, builder.port), 128);
        // Threads as needed up to the limit (each live tail holds one for as long as its client listens), idle ones
        // first; beyond the limit exchanges wait in line.
        this.executor = new RequestPool(builder.maxThreads, "cairn-http");
        http.setExecutor(executor);
        front.listening(http.getAddress());
        http.createContext("/", front);
        http.start();
    }

    /** A server over {@code db}, on 127.0.0.1:7878 unless told otherwise; the caller keeps closing the store. */
    public static Builder builder(Cairn db) {
        return new Builder(Objects.requireNonNull(db, "db"));
    }

    /** The port it listens on (the one the system chose, for port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** Its base URI, for example {@code http://127.0.0.1:7878}. */
    public URI uri() {
        InetSocketAddress address = http.getAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    /** Waits until the server was closed. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Ends every live tail, refuses new requests, waits for the requests in flight to finish (up to the drain time),
     * stops listening, then closes the store if the server owns it. Closing again does nothing.
     */
    @Override
    public void close() {
        synchronized (closing) {
            if (stopped) {
                return;
            }
            stopped = true;
            tail.close();
            try {
                // The JDK server's own stop(delay) waits out its whole delay while idle keep-alive connections
                // are open (fixed only in JDK 21), so the server drains by its own count of requests in flight,
                // then stops at once.
                if (!front.drain(drain)) {
                    LOG.warn("requests still running after {}; closing the store under them", drain);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            http.stop(0);
            executor.shutdown();
            if (ownsStore) {
                db.close();
            }
            closed.countDown();
        }
    }

    /** How to start a server; every setting has a safe default. */
    public static final class Builder {
        private final Cairn db;
        private String address = "127.0.0.1";
        private InetAddress resolved;
        private int port = 7878;
        private String token;
        private int maxBodyBytes = 4 << 20;
        private String corsOrigin;
        private Duration keepAlive = Duration.ofSeconds(15);
        private Duration drain = Duration.ofSeconds(30);
        private int maxThreads = 256;
        private int maxTails;
        private boolean ownsStore;

        private Builder(Cairn db) {
            this.db = db;
        }

        /** The address to listen on; 127.0.0.1 unless told otherwise. Any non-loopback address needs a token. */
        public Builder bind(String address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** The port; 7878 unless told otherwise, 0 for any free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new InvalidInputException("a port is 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** The bearer token every request but {@code /health} must carry; null for none (loopback only). */
        public Builder token(String token) {
            if (token != null && token.strip().length() < 16) {
                throw new InvalidInputException("a bearer token needs at least 16 characters (use a random one, "
                        + "e.g. from 'openssl rand -hex 32')");
            }
            this.token = token == null ? null : token.strip();
            return this;
        }

        /** The largest request body accepted, 4 MiB unless told otherwise; larger ones get 413. */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1024) {
                throw new InvalidInputException("the body limit is at least 1024 bytes, was " + maxBodyBytes);
            }
            // One byte beyond the limit is read to see a body over it, which must still fit in an array.
            this.maxBodyBytes = Math.min(maxBodyBytes, Integer.MAX_VALUE - 1);
            return this;
        }

        /** Allows browsers on this one origin (e.g. {@code http://localhost:3000}) to call the API; none unless set. */
        public Builder corsOrigin(String origin) {
            this.corsOrigin = origin;
            return this;
        }

        /** How often an idle live tail sends a comment line, so that gone clients are noticed; 15 s by default. */
        public Builder keepAlive(Duration keepAlive) {
            if (keepAlive.isNegative() || keepAlive.isZero()) {
                throw new InvalidInputException("the keep-alive interval must be positive, was " + keepAlive);
            }
            this.keepAlive = keepAlive;
            return this;
        }

        /** How long {@link #close()} waits for requests in flight; 30 s by default. */
        public Builder drain(Duration drain) {
            this.drain = Objects.requireNonNull(drain, "drain");
            return this;
        }

        /** The most requests served at once (each live tail counts as one); 256 by default. */
        public Builder maxThreads(int maxThreads) {
            if (maxThreads < 4) {
                throw new InvalidInputException("a server needs at least 4 threads, was " + maxThreads);
            }
            this.maxThreads = maxThreads;
            return this;
        }

        /**
         * The most live tails open at once, half of {@link #maxThreads} unless told otherwise (at most one less
         * than it): each holds a thread while its client listens, so the rest stay free for other requests; a tail
         * beyond the limit is refused 503 with Retry-After.
         */
        public Builder maxTails(int maxTails) {
            if (maxTails < 1) {
                throw new InvalidInputException("at least 1 live tail, was " + maxTails);
            }
            this.maxTails = maxTails;
            return this;
        }

        /** Whether {@link CairnServer#close()} also closes the store (what {@code cairn serve} wants). */
        public Builder closeStoreOnClose(boolean owns) {
            this.ownsStore = owns;
            return this;
        }

        /**
         * Starts listening. Refuses, before anything listens, a non-loopback address without a token.
         *
         * @throws InvalidInputException for a non-loopback address without a token, or an unknown host
         * @throws UncheckedIOException when the address cannot be bound (the port is taken, say)
         */
        public CairnServer start() {
            try {
                resolved = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new InvalidInputException("cannot bind " + address + ": unknown host");
            }
            if (!resolved.isLoopbackAddress() && token == null) {
                throw new InvalidInputException("binding " + address + " would expose the store beyond this host "
                        + "without authentication: give a bearer token (a token file), or bind 127.0.0.1; nothing "
                        + "was started");
            }
            try {
                return new CairnServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + address + ":" + port + ": " + e.getMessage(), e);
            }
        }
    }
}
