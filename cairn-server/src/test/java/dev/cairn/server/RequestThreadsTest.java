package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The threads that serve requests: an idle one takes the next request (no new thread per request, which would leave
 * every request on a cold thread), and beyond the limit requests wait their turn instead of being dropped. The
 * server's threads end with it.
 */
class RequestThreadsTest {
    @TempDir
    Path dir;

    private static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("cairn-http-"))
                .count();
    }

    private static HttpRequest append(URI base, String stream, long expected) {
        return HttpRequest.newBuilder(base.resolve("/v1/streams/" + stream + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"expectedVersion\":" + expected
                        + ",\"events\":[{\"type\":\"a.b\",\"payload\":{}}]}")).build();
    }

    /** Appends {@code count} events to one stream from one client, one after another, each answered 200. */
    private static void appendInTurn(URI base, int count) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> answer = http.send(append(base, "s:1", i - 1), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }

    @Test
    @Timeout(60)
    void oneClientAtATimeIsServedByTheSameFewThreads() throws Exception {
        long before = serverThreads();
        try (Cairn db = Cairn.open(dir.resolve("t.db")); CairnServer server = CairnServer.builder(db).port(0).start()) {
            appendInTurn(server.uri(), 60);
            // Jetty's: the one selecting on the network, the one running the request, one reserved to take over
            // selecting when the selector runs a request itself, and a spare.
            assertThat(serverThreads() - before).as("threads started for 60 requests, one after another")
                    .isLessThanOrEqualTo(5);
        }
    }

    @Test
    @Timeout(60)
    void requestsBeyondTheLimitWaitTheirTurn() throws Exception {
        long before = serverThreads();
        try (Cairn db = Cairn.open(dir.resolve("t.db"));
                CairnServer server = CairnServer.builder(db).port(0).maxThreads(4).start()) {
            int clients = 24;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<Integer>> answers = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    String stream = "s:" + c;
                    answers.add(pool.submit(() -> {
                        // A connection of its own per client, so the server sees them all at once.
                        HttpClient http = HttpClient.newHttpClient();
                        int ok = 0;
                        for (int i = 0; i < 20; i++) {
                            ok += http.send(append(server.uri(), stream, i - 1), HttpResponse.BodyHandlers.ofString())
                                    .statusCode() == 200 ? 1 : 0;
                        }
                        return ok;
                    }));
                }
                for (Future<Integer> answer : answers) {
                    assertThat(answer.get()).isEqualTo(20);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(serverThreads() - before).as("never more threads than the limit, and the one that selects")
                    .isLessThanOrEqualTo(4 + 1);
        }
    }

    @Test
    @Timeout(60)
    void theServersThreadsEndWithIt() throws Exception {
        long before = serverThreads();
        try (Cairn db = Cairn.open(dir.resolve("t.db")); CairnServer server = CairnServer.builder(db).port(0).start()) {
            appendInTurn(server.uri(), 5);
            assertThat(serverThreads()).as("the server's threads, seen while it runs").isGreaterThan(before);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (serverThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(serverThreads()).as("threads left after close").isLessThanOrEqualTo(before);
    }
}
