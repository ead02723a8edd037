package dev.cairn.server.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.cairn.Cairn;
import dev.cairn.events.LogPosition;
import dev.cairn.events.RecordedEvent;
import dev.cairn.events.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live tail of the log as Server-Sent Events: one {@link dev.cairn.events.EventLog#subscribe library
 * subscription} per client, whose handler writes each event as {@code id: POSITION} and {@code data: JSON} and flushes
 * it. The library delivers every event after the start position once, in order, so a client that reconnects with the
 * id of the last event it got (Last-Event-ID) continues exactly after it. A comment line every keep-alive interval
 * finds clients that went away; a client too slow to read holds up only its own subscription.
 */
public final class EventTail {
    private final Cairn db;
    private final Metrics metrics;
    private final Duration keepAlive;
    private final int maxTails;
    private final Set<CountDownLatch> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger places = new AtomicInteger();
    private volatile boolean closing;

    /** {@code maxTails}: how many tails may be open at once (each holds a pool thread while its client listens). */
    public EventTail(Cairn db, Metrics metrics, Duration keepAlive, int maxTails) {
        this.db = db;
        this.metrics = metrics;
        this.keepAlive = keepAlive;
        this.maxTails = maxTails;
    }

    /** A tail refused because {@code maxTails} are open: answered 503 with Retry-After. */
    static final class Full extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Full(int max) {
            super("the server has " + max + " live tails open, its limit (each holds a thread); retry after "
                    + "Retry-After seconds, or close tails you no longer read");
        }
    }

    /** Serves one tail until the client goes away or the server closes; {@code after} is the query parameter. */
    void serve(HttpExchange exchange, String after) throws IOException {
        String resume = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        LogPosition start = resume != null && !resume.isBlank() ? Api.position(resume.strip(), null)
                : Api.position(after, null);
        LogPosition head = db.events().lastPosition();
        if (start == null) {
            start = head;
        } else if (start.compareTo(head) > 0) {
            // Most likely an id from another store: resuming there would silently skip every event up to it.
            throw new BadRequest("position " + start + " is past this log's head " + head + "; it is not a position "
                    + "of this store: start again without Last-Event-ID (or with after= a position you read here)");
        }
        if (closing) {
            throw new dev.cairn.TransactionStateException("the server is shutting down");
        }
        if (places.incrementAndGet() > maxTails) {
            places.decrementAndGet();
            throw new Full(maxTails);
        }
        try {
            stream(exchange, start);
        } finally {
            places.decrementAndGet();
        }
    }

    private void stream(HttpExchange exchange, LogPosition start) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        CountDownLatch stop = new CountDownLatch(1);
        Object writing = new Object();
        open.add(stop);
        metrics.subscribed();
        try {
            // Before the subscription starts handing over events from its own thread, so that it comes first.
            out.write((": tail after " + start + "\nretry: 1000\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            try (Subscription subscription = db.events().subscribe(start, event -> {
                if (stop.getCount() == 0) {
                    return; // the client went away: drop what the subscription still hands over until it is closed
                }
                byte[] frame = frame(event);
                synchronized (writing) {
                    try {
                        out.write(frame);
                        out.flush();
                    } catch (IOException e) {
                        stop.countDown(); // a client that leaves is normal: end quietly, not as a failed subscription
                        return;
                    }
                }
                metrics.delivered();
            })) {
                while (!closing && subscription.isRunning()
                        && !stop.await(keepAlive.toMillis(), TimeUnit.MILLISECONDS)) {
                    synchronized (writing) {
                        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away between events
        } finally {
            open.remove(stop);
            metrics.unsubscribed();
            try {
                out.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    private static byte[] frame(RecordedEvent event) {
        String data = new String(Json.bytes(Wire.EventOut.of(event)), java.nio.charset.StandardCharsets.UTF_8);
        // JSON text has no raw line breaks, so the data is one line.
        return ("id: " + event.position() + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    boolean closing() {
        return closing;
    }

    /** Ends every tail (their clients reconnect elsewhere with Last-Event-ID) and refuses new ones. */
    public void close() {
        closing = true;
        open.forEach(CountDownLatch::countDown);
    }

    public int openTails() {
        return open.size();
    }
}
