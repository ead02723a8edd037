package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.server.CairnServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The live tail's latency from commit to client: a server in this JVM, one client following
 * {@code /v1/events/stream}, and single appends made one at a time in-process; each is timed from the start of its
 * append (so the commit itself is included: the tail may deliver before the append has even returned) to the moment
 * the client read its {@code data:} line, and the append's own time is reported beside it. One event in flight at a
 * time, so this is delivery latency, not queueing.
 */
final class SseLatency {
    private SseLatency() {}

    static Map<String, Object> measure(String location, int events) throws Exception {
        try (Cairn db = Cairn.open(location); CairnServer server = CairnServer.builder(db).port(0).start()) {
            BlockingQueue<Long> received = new ArrayBlockingQueue<>(16);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<InputStream> tail = http.send(HttpRequest.newBuilder(server.uri()
                    .resolve("/v1/events/stream?after=" + db.events().lastPosition())).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(tail.body(),
                        StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("data: ")) {
                            received.put(System.nanoTime());
                        }
                    }
                } catch (Exception e) {
                    // the server closed the tail at the end
                }
            }, "sse-latency-reader");
            reader.setDaemon(true);
            reader.start();
            int warmup = Math.max(100, events / 5);
            long[] micros = new long[events];
            long[] appends = new long[events];
            for (int i = 0; i < warmup + events; i++) {
                long started = System.nanoTime();
                db.events().append("thread:sse", Workloads.expect(i - 1), List.of(Workloads.event()));
                long committed = System.nanoTime();
                Long arrived = received.poll(10, TimeUnit.SECONDS);
                if (arrived == null) {
                    throw new IllegalStateException("event " + i + " did not reach the tail within 10 s");
                }
                if (i >= warmup) {
                    micros[i - warmup] = (arrived - started) / 1000;
                    appends[i - warmup] = (committed - started) / 1000;
                }
            }
            Arrays.sort(micros);
            Arrays.sort(appends);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("events", events);
            result.put("p50Us", micros[events / 2]);
            result.put("p99Us", micros[(int) Math.min(events - 1, Math.round(events * 0.99))]);
            result.put("maxUs", micros[events - 1]);
            result.put("appendP50Us", appends[events / 2]);
            result.put("note", String.format(Locale.ROOT, "append start (commit included) to client, one event in "
                    + "flight, %d warm-up events", warmup));
            return result;
        }
    }
}
