package dev.cairn.server;

import static dev.cairn.server.SecurityTest.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.events.EventData;
import dev.cairn.events.ExpectedVersion;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a URI can get wrong (malformed escapes, a plus in a path, a login's next) and what a console page tells its
 * live tail: each is answered as the client's mistake or kept exactly, never a 500 or a redirect to another site.
 */
class RequestEdgeTest {
    private static final String TOKEN = "s3cr3t-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void malformedEscapesAre400AndAPlusInAPathIsAPlusAndAnEncodedSlashIsNoSeparator() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db")); CairnServer server = CairnServer.builder(db).port(0).start()) {
            int port = server.port();
            String host = "127.0.0.1:" + port;
            for (String path : new String[] {"/v1/goals/%zz", "/v1/events?after=%zz", "/v1/goals?text=%e", "/goals/%zz",
                "/events?from=%"}) {
                // Jetty refuses some malformed targets itself, the front the rest; the point is: never a 500.
                assertThat(raw(port, "GET", path, host, null, null, null)).as(path).startsWith("HTTP/1.1 400");
            }
            // An encoded slash is part of a segment, not a separator: it reaches the front (no 400 from Jetty, no
            // 404), which reads the stream id a/b and refuses it as one.
            assertThat(raw(port, "POST", "/v1/streams/a%2Fb/events", host, "application/json", null,
                    "{\"events\":[{\"type\":\"x.y\",\"payload\":{}}]}")).startsWith("HTTP/1.1 422")
                    .contains("'a/b'");
            // The library names the goal it did not find: a plus, not a space.
            assertThat(raw(port, "GET", "/v1/goals/g+1", host, null, null, null)).startsWith("HTTP/1.1 404")
                    .contains("g+1").doesNotContain("g 1");
        }
    }

    @Test
    void loginNeverRedirectsOffThisServer() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db"));
                CairnServer server = CairnServer.builder(db).port(0).token(TOKEN).start()) {
            int port = server.port();
            String[][] cases = {{"%2F%09%2Fevil.example", "/"}, {"%2F%0d%0aSet-Cookie:x=1", "/"}, {"%2F%C3%A9", "/"},
                {"%2F%2Fevil.example", "/"}, {"%2F%5Cevil.example", "/"}, {"https://evil.example", "/"},
                {"%2Fruns%3Fx%3D1", "/runs?x=1"}, {"%2F", "/"}};
            // A form body is decoded by the server alone: a malformed escape is the client's mistake.
            assertThat(raw(port, "POST", "/login", "127.0.0.1:" + port, "application/x-www-form-urlencoded", null,
                    "next=%zz&token=x")).startsWith("HTTP/1.1 400").contains("malformed");
            for (String[] c : cases) {
                String answer = raw(port, "POST", "/login", "127.0.0.1:" + port,
                        "application/x-www-form-urlencoded", null, "next=" + c[0] + "&token=" + TOKEN);
                assertThat(answer).as(c[0]).startsWith("HTTP/1.1 303")
                        .containsIgnoringCase("Location: " + c[1] + "\r\n");
            }
        }
    }

    @Test
    void aLivePageTellsItsTailWhereItsSnapshotWasRead() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db")); CairnServer server = CairnServer.builder(db).port(0).start()) {
            db.events().append("s:1", ExpectedVersion.noStream(), EventData.of("a.b", "{}"), EventData.of("a.b", "{}"));
            String page = raw(server.port(), "GET", "/runs", "127.0.0.1:" + server.port(), null, null, null);
            assertThat(page).startsWith("HTTP/1.1 200")
                    .contains("data-after=\"" + db.events().lastPosition() + "\"");
        }
    }

    /** A step the ledger refuses (a stat it measures itself) is a 422 that leaves no running step behind. */
    @Test
    void aRefusedStepLeavesNoRunningStep() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db")); CairnServer server = CairnServer.builder(db).port(0).start()) {
            ApiClient api = new ApiClient(server.uri(), null);
            String runId = api.post("/v1/runs", ApiClient.object()).body().path("id").asText();
            com.fasterxml.jackson.databind.node.ObjectNode step = ApiClient.object().put("name", "plan")
                    .put("outcome", "success");
            step.putObject("stats").put("duration_ms", 5);
            ApiClient.Response refused = api.post("/v1/runs/" + runId + "/steps", step);
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.body().path("message").asText()).contains("duration_ms");
            assertThat(db.runs().steps(runId)).as("no step begun for a refused request").isEmpty();
            step.putObject("stats").put("pages", 3);
            assertThat(api.post("/v1/runs/" + runId + "/steps", step).status()).isBetween(200, 201);
            assertThat(db.runs().steps(runId)).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("plan"));
        }
    }

    /** A client picks the method: as a metrics label only the known ones count, the rest is "other". */
    @Test
    void unknownMethodsAreOneMetricsLabel() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db")); CairnServer server = CairnServer.builder(db).port(0).start()) {
            int port = server.port();
            for (String method : new String[] {"BREW", "X-GET", "PROPFIND"}) {
                raw(port, method, "/v1/events/head", "127.0.0.1:" + port, null, null, null);
            }
            // Not a method at all (a quote is no token character): refused by the HTTP parser, never counted.
            assertThat(raw(port, "GE\"T", "/v1/events/head", "127.0.0.1:" + port, null, null, null))
                    .startsWith("HTTP/1.1 400");
            // A request is counted once its response has gone out: the third may still be on its way to the count.
            String metrics = raw(port, "GET", "/metrics", "127.0.0.1:" + port, null, null, null);
            String counted = "method=\"other\",status=\"405\"} 3";
            for (long deadline = System.nanoTime() + 5_000_000_000L;
                    !metrics.contains(counted) && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
                metrics = raw(port, "GET", "/metrics", "127.0.0.1:" + port, null, null, null);
            }
            assertThat(metrics).contains("method=\"other\"").doesNotContain("BREW").doesNotContain("X-GET")
                    .doesNotContain("PROPFIND").doesNotContain("GE\"T");
            assertThat(metrics.lines().filter(l -> l.startsWith("cairn_http_requests_total{") && l.contains("other")))
                    .singleElement().satisfies(l -> assertThat(l).endsWith(" 3"));
        }
    }

    /** A store closed under the server is a 503 (retry elsewhere), not a storage failure; the largest limit works. */
    @Test
    void aClosedStoreIs503AndTheLargestBodyLimitWorks() throws Exception {
        Cairn db = Cairn.open(dir.resolve("c.db"));
        try (CairnServer server = CairnServer.builder(db).port(0).maxBodyBytes(Integer.MAX_VALUE).start()) {
            int port = server.port();
            String host = "127.0.0.1:" + port;
            assertThat(raw(port, "POST", "/v1/streams/s:1/events", host, "application/json", null,
                    "{\"events\":[{\"type\":\"x.y\",\"payload\":{}}]}")).startsWith("HTTP/1.1 200");
            db.close();
            assertThat(raw(port, "GET", "/v1/events/head", host, null, null, null)).startsWith("HTTP/1.1 503")
                    .contains("\"unavailable\"").containsIgnoringCase("Retry-After");
        }
    }

    /** A run taken over elsewhere: the server's scope is stale once (409), then dropped and the run resumed afresh. */
    @Test
    void aStaleRunScopeIsDroppedAfterItsConflict() throws Exception {
        try (Cairn db = Cairn.open(dir.resolve("c.db")); CairnServer server = CairnServer.builder(db).port(0).start()) {
            ApiClient api = new ApiClient(server.uri(), null);
            String runId = api.post("/v1/runs", ApiClient.object()).body().path("id").asText();
            // This process may always resume its own runs: the takeover makes the server's scope stale.
            db.runs().resume(runId, java.time.Duration.ZERO);
            com.fasterxml.jackson.databind.node.ObjectNode step = ApiClient.object().put("name", "plan")
                    .put("outcome", "success");
            ApiClient.Response stale = api.post("/v1/runs/" + runId + "/steps", step);
            assertThat(stale.status()).isEqualTo(409);
            assertThat(stale.error()).isEqualTo("stale_claim");
            assertThat(api.post("/v1/runs/" + runId + "/steps", step).status()).as("resumed afresh")
                    .isBetween(200, 201);
        }
    }
}
