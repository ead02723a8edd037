package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.events.RecordedEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void aNonLoopbackBindWithoutATokenRefusesToStart() {
        String db = dir.resolve("s.db").toString();
        assertThat(Cli.run("--db", db, "migrate").exitCode()).isZero();
        Cli refused = Cli.run("--db", db, "serve", "--bind", "0.0.0.0", "--port", "0");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("0.0.0.0").contains("token");
        Cli empty = Cli.run("--db", db, "serve", "--token-file", dir.resolve("missing").toString());
        assertThat(empty.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(empty.err()).contains("token file");
    }

    /**
     * A real {@code cairn serve} process under a stream of appends from four clients gets SIGTERM: it stops, and every
     * append it acknowledged is in the store.
     */
    @Test
    void sigtermStopsGracefullyAndLosesNoAcknowledgedWrite() throws Exception {
        Path db = dir.resolve("s.db");
        assertThat(Cli.run("--db", db.toString(), "migrate").exitCode()).isZero();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.cairn.cli.CairnCommand", "--db", db.toString(), "serve", "--port", "0")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                StandardCharsets.UTF_8));
        String banner = out.readLine();
        assertThat(banner).contains("serving");
        URI base = URI.create(banner.replaceAll(".* on (http://[^ ]+) .*", "$1"));
        assertThat(out.readLine()).as("where the console is").isEqualTo("cairn: the console: " + base + "/");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            running.add(clients.submit(() -> {
                HttpClient http = HttpClient.newHttpClient();
                while (true) {
                    String id = UUID.randomUUID().toString();
                    String body = "{\"events\":[{\"type\":\"load.tick\",\"eventId\":\"" + id
                            + "\",\"payload\":{}}]}";
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                base.resolve("/v1/streams/load:1/events"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200) {
                            acknowledged.add(id);
                        } else if (response.statusCode() == 503) {
                            return null; // shutting down
                        } else {
                            throw new IllegalStateException("an append answered " + response.statusCode() + ": "
                                    + response.body());
                        }
                    } catch (java.io.IOException e) {
                        return null; // the server is gone
                    }
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < 50) {
            assertThat(System.nanoTime()).as("50 appends acknowledged within a minute").isLessThan(deadline);
            for (Future<?> client : running) {
                if (client.isDone()) {
                    client.get(); // a client that stopped early says why
                }
            }
            Thread.sleep(10);
        }
        serve.destroy(); // SIGTERM
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("the server stopped").isTrue();
        for (Future<?> client : running) {
            client.get(30, TimeUnit.SECONDS);
        }
        clients.shutdown();
        try (Cairn store = Cairn.open(db); Stream<RecordedEvent> events = store.events().readStream("load:1", 0)) {
            Set<String> stored = events.map(event -> event.eventId().toString()).collect(Collectors.toSet());
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(50);
            assertThat(stored).containsAll(acknowledged);
        }
        assertThat(Files.exists(db)).isTrue();
    }
}
