package dev.cairn.server.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's figures in the Prometheus text format (version 0.0.4): requests by operation and status, request
 * latencies as histograms by operation, events appended, busy refusals, and live tails. Counted with adders, so
 * counting costs no lock on the request path.
 */
public final class Metrics {
    /** Upper bounds of the latency buckets, in seconds. */
    private static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10};

    /** Keyed by a record, not by its label text: a request then costs a lookup, not a string built and hashed. */
    private final Map<Series, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final LongAdder appended = new LongAdder();
    private final LongAdder busy = new LongAdder();
    private final AtomicLong subscribers = new AtomicLong();
    private final LongAdder delivered = new LongAdder();

    /** One series of the request counter. */
    private record Series(String operation, String method, int status) {
        String labels() {
            return "operation=\"" + operation + "\",method=\"" + method + "\",status=\"" + status + "\"";
        }
    }

    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[BOUNDS.length];
        final LongAdder count = new LongAdder();
        final LongAdder sumNanos = new LongAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < BOUNDS.length; i++) {
                if (seconds <= BOUNDS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sumNanos.add(nanos);
        }
    }

    /** One request answered: its operation (or {@code unmatched}), method, status and duration. */
    public void request(String operation, String method, int status, long nanos) {
        Series series = new Series(operation, label(method), status);
        LongAdder count = requests.get(series);
        if (count == null) {
            count = requests.computeIfAbsent(series, key -> new LongAdder());
        }
        count.increment();
        Histogram histogram = latencies.get(operation);
        if (histogram == null) {
            histogram = latencies.computeIfAbsent(operation, key -> new Histogram());
        }
        histogram.observe(nanos);
    }

    /**
     * The method as a label: the client chooses it, so anything but the methods the server knows is {@code other},
     * which keeps the series bounded and the exposition text well-formed (no quote or line break from a client).
     */
    static String label(String method) {
        return switch (method) {
            case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS" -> method;
            default -> "other";
        };
    }

    public void appended(int events) {
        appended.add(events);
    }

    /** A write refused because the store stayed busy past its busy timeout (answered 503). */
    public void busy() {
        busy.increment();
    }

    public void subscribed() {
        subscribers.incrementAndGet();
    }

    public void unsubscribed() {
        subscribers.decrementAndGet();
    }

    public void delivered() {
        delivered.increment();
    }

    public long subscribers() {
        return subscribers.get();
    }

    /** Everything, in the Prometheus text format. */
    public String text() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP cairn_http_requests_total HTTP requests answered, by operation, method and status.\n")
                .append("# TYPE cairn_http_requests_total counter\n");
        Map<String, LongAdder> series = new TreeMap<>();
        requests.forEach((key, count) -> series.put(key.labels(), count));
        series.forEach((labels, count) -> out.append("cairn_http_requests_total{").append(labels)
                .append("} ").append(count.sum()).append('\n'));
        out.append("# HELP cairn_http_request_duration_seconds Time from a request's arrival to its answer.\n")
                .append("# TYPE cairn_http_request_duration_seconds histogram\n");
        new TreeMap<>(latencies).forEach((operation, histogram) -> {
            long cumulative = 0;
            for (int i = 0; i < BOUNDS.length; i++) {
                cumulative += histogram.buckets[i].sum();
                out.append("cairn_http_request_duration_seconds_bucket{operation=\"").append(operation)
                        .append("\",le=\"").append(BOUNDS[i]).append("\"} ").append(cumulative).append('\n');
            }
            long count = histogram.count.sum();
            out.append("cairn_http_request_duration_seconds_bucket{operation=\"").append(operation)
                    .append("\",le=\"+Inf\"} ").append(count).append('\n');
            out.append("cairn_http_request_duration_seconds_sum{operation=\"").append(operation).append("\"} ")
                    .append(histogram.sumNanos.sum() / 1e9).append('\n');
            out.append("cairn_http_request_duration_seconds_count{operation=\"").append(operation).append("\"} ")
                    .append(count).append('\n');
        });
        counter(out, "cairn_events_appended_total", "Events appended through the API.", appended.sum());
        counter(out, "cairn_busy_total", "Requests refused with 503 because the store stayed busy past its busy "
                + "timeout.", busy.sum());
        out.append("# HELP cairn_sse_subscribers Live tails of the log open now.\n")
                .append("# TYPE cairn_sse_subscribers gauge\n")
                .append("cairn_sse_subscribers ").append(subscribers.get()).append('\n');
        counter(out, "cairn_sse_events_delivered_total", "Events sent to live tails.", delivered.sum());
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" counter\n")
                .append(name).append(' ').append(value).append('\n');
    }
}
