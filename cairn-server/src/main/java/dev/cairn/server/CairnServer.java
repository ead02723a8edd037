package dev.cairn.server;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.server.internal.Api;
import dev.cairn.server.internal.EventTail;
import dev.cairn.server.internal.HttpFront;
import dev.cairn.server.internal.Metrics;
import dev.cairn.server.internal.JettyBridge;
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
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
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
 * <p>It runs on Jetty's core server (no servlet API), through an adapter that keeps the JDK's {@code HttpExchange}
 * for the handlers. The JDK's own server hands every exchange from its one dispatcher thread to a pool thread and
 * back, which cost about twice the CPU per small request of Jetty here; a request answered later from another
 * thread (a batch of appends committed together) needs a server whose requests end when the handler says so, not
 * when it returns; and Jetty is made for both and well kept. It binds to loopback unless told otherwise, and anywhere
 * else only with a bearer token. {@link #close()} ends the live tails, refuses new requests (503 with Retry-After),
 * lets requests in flight finish, stops listening, and (if it was given the store to own) closes the store: every
 * write it acknowledged was committed first.
 */
public final class CairnServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cairn.server");

    private final Server jetty;
    private final InetSocketAddress bound;
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
        // Threads as needed up to the limit, plus the one that selects (and accepts) on the network; beyond the
        // limit requests wait in line. Each live tail holds one while its client listens.
        QueuedThreadPool threads = new QueuedThreadPool(builder.maxThreads + 1, 2, 60_000);
        threads.setName("cairn-http");
        threads.setDaemon(true);
        // Stopping wakes the idle threads so that they end now, not after their idle minute. close() drained the
        // requests in flight first, so only one still running after the drain time would be interrupted.
        threads.setStopTimeout(1_000);
        this.jetty = new Server(threads, new ScheduledExecutorScheduler("cairn-timeouts", true), null);
        // No graceful phase of Jetty's own: close() drains first (see there).
        jetty.setStopTimeout(0);
        ServerConnector connector = new ServerConnector(jetty, 0, 1,
                new HttpConnectionFactory(JettyBridge.configuration()));
        // The address checked for loopback, not its name again: a name may resolve elsewhere the second time.
        connector.setHost(builder.resolved.getHostAddress());
        connector.setPort(builder.port);
        connector.setAcceptQueueSize(128);
        // A client that stalls while sending its request or reading the answer holds a thread no longer than this;
        // a request busy in the store or a live tail waiting for events is no stall (see JettyBridge).
        connector.setIdleTimeout(builder.stall.toMillis());
        // Jetty's default, said here because it matters: a small answer or event does not wait for a delayed ACK.
        connector.setAcceptedTcpNoDelay(true);
        jetty.addConnector(connector);
        jetty.setHandler(new JettyBridge(front));
        connector.open();
        this.bound = new InetSocketAddress(builder.resolved, connector.getLocalPort());
        // Before the first request is served: the Host check needs the port the system chose for port 0.
        front.listening(bound);
        try {
            jetty.start();
        } catch (Exception e) {
            stopJetty();
            connector.close();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /** A server over {@code db}, on 127.0.0.1:7878 unless told otherwise; the caller keeps closing the store. */
    public static Builder builder(Cairn db) {
        return new Builder(Objects.requireNonNull(db, "db"));
    }

    /** The port it listens on (the one the system chose, for port 0). */
    public int port() {
        return bound.getPort();
    }

    /** Its base URI, for example {@code http://127.0.0.1:7878}. */
    public URI uri() {
        InetSocketAddress address = bound;
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
                // The front drains by its own count of requests in flight, answering new ones 503 with Retry-After
                // meanwhile (Jetty's own graceful stop would just close their connections); then Jetty stops at
                // once, closing idle keep-alive connections rather than waiting for them.
                if (!front.drain(drain)) {
                    LOG.warn("requests still running after {}; closing the store under them", drain);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopJetty();
            if (ownsStore) {
                db.close();
            }
            closed.countDown();
        }
    }

    private void stopJetty() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the HTTP server failed: {}", e.toString());
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
        private Duration stall = Duration.ofSeconds(30);

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

        /**
         * How long a client may stall while sending its request or reading the answer before its connection is
         * closed and its thread freed; 30 s (tests shorten it).
         */
        Builder stallTimeout(Duration stall) {
            this.stall = Objects.requireNonNull(stall, "stall");
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
                // Jetty says "Failed to bind to ADDRESS" and keeps the reason (the port is taken, say) in its cause.
                Throwable reason = e.getCause() != null ? e.getCause() : e;
                throw new UncheckedIOException("cannot listen on " + address + ":" + port + ": "
                        + reason.getMessage(), e);
            }
        }
    }
}
