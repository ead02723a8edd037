package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.Cairn;
import dev.cairn.server.ApiClient.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API's operations on both backends, each through a client that checks every response against /openapi.json:
 * what each answers, the errors a client branches on (400, 404, 409 with the current version, 422), and that a
 * refused request wrote nothing.
 */
class ServerApiTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<String> backends() {
        return TestStore.backends();
    }

    private interface Body {
        void run(Cairn db, ApiClient api) throws Exception;
    }

    private void serve(String backend, Body body) throws Exception {
        try (TestStore store = TestStore.create(backend, dir); Cairn db = store.open();
                CairnServer server = CairnServer.builder(db).port(0).start()) {
            ApiClient api = new ApiClient(server.uri(), null);
            body.run(db, api);
            assertThat(api.checked.get()).as("responses checked against the document").isPositive();
        }
    }

    static ObjectNode event(String type, String key, Object value) {
        ObjectNode event = ApiClient.object().put("type", type);
        event.putObject("payload").putPOJO(key, value);
        return event;
    }

    static ObjectNode append(Long expected, String commandId, ObjectNode... events) {
        ObjectNode body = ApiClient.object();
        if (expected != null) {
            body.put("expectedVersion", expected);
        }
        if (commandId != null) {
            body.put("commandId", commandId);
        }
        ArrayNode list = body.putArray("events");
        for (ObjectNode event : events) {
            list.add(event);
        }
        return body;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void eventsAppendReadAndRefuse(String backend) throws Exception {
        serve(backend, (db, api) -> {
            Response first = api.post("/v1/streams/order:1/events", append(-1L, null,
                    event("order.placed", "sku", "a-1"), event("order.paid", "cents", 1200)));
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body().path("streamVersion").asLong()).isEqualTo(1);
            assertThat(first.body().path("events").get(1).path("payload").path("cents").asInt()).isEqualTo(1200);

            Response stale = api.post("/v1/streams/order:1/events", append(0L, null, event("order.shipped", "by",
                    "post")));
            assertThat(stale.status()).isEqualTo(409);
            assertThat(stale.error()).isEqualTo("wrong_expected_version");
            assertThat(stale.body().path("currentVersion").asLong()).isEqualTo(1);

            Response once = api.post("/v1/streams/order:1/events", append(1L, "cmd-7", event("order.shipped", "by",
                    "post")));
            Response again = api.post("/v1/streams/order:1/events", append(1L, "cmd-7", event("order.shipped", "by",
                    "post")));
            assertThat(again.status()).as("a repeated command is answered with its first result").isEqualTo(200);
            assertThat(again.body().path("events")).isEqualTo(once.body().path("events"));
            assertThat(db.events().streamVersion("order:1")).isEqualTo(2);

            Response stream = api.get("/v1/streams/order:1/events?fromVersion=1");
            assertThat(stream.body().path("events")).hasSize(2);
            assertThat(stream.body().path("version").asLong()).isEqualTo(2);

            String afterFirst = first.body().path("events").get(0).path("position").asText();
            Response page = api.get("/v1/events?after=" + afterFirst + "&type=order.shipped");
            assertThat(page.body().path("events")).hasSize(1);
            assertThat(page.body().path("last").asText()).isEqualTo(once.body().path("events").get(0)
                    .path("position").asText());
            assertThat(api.get("/v1/events/head").body().path("position").asText())
                    .isEqualTo(db.events().lastPosition().toString());

            // 400: malformed JSON, an unknown field, a missing field, a wrong type, a malformed position
            assertThat(api.postRaw("/v1/streams/order:2/events", "{\"events\": [").status()).isEqualTo(400);
            ObjectNode unknown = append(null, null, event("order.placed", "sku", "b"));
            unknown.put("expectedVerison", 3);
            Response typo = api.post("/v1/streams/order:2/events", unknown);
            assertThat(typo.status()).isEqualTo(400);
            assertThat(typo.body().path("message").asText()).contains("expectedVerison");
            assertThat(api.post("/v1/streams/order:2/events", ApiClient.object()).status()).isEqualTo(400);
            assertThat(api.post("/v1/streams/order:2/events", append(null, null,
                    (ObjectNode) event("order.placed", "sku", "b").put("payload", "text"))).status()).isEqualTo(400);
            assertThat(api.get("/v1/events?after=x:y").status()).isEqualTo(400);
            // 422: well-formed, refused by the library
            Response badType = api.post("/v1/streams/order:2/events", append(null, null, event("9lives", "a", 1)));
            assertThat(badType.status()).isEqualTo(422);
            assertThat(badType.error()).isEqualTo("invalid");
            assertThat(api.post("/v1/streams/no-colon/events", append(null, null, event("a.b", "a", 1))).status())
                    .isEqualTo(422);
            assertThat(db.events().streamVersion("order:2")).as("nothing refused was written").isEqualTo(-1);
            // 404 and 405
            assertThat(api.get("/v1/nothing").status()).isEqualTo(404);
            assertThat(api.send("DELETE", "/v1/goals/g", null).status()).isEqualTo(405);
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void goalsTasksAndClaims(String backend) throws Exception {
        serve(backend, (db, api) -> {
            ObjectNode goal = ApiClient.object().put("id", "g1").put("text", "Ship it").put("projectDir", "/tmp/p");
            goal.putObject("budget").put("tokens", 1000);
            Response created = api.post("/v1/goals", goal);
            assertThat(created.status()).isEqualTo(201);
            assertThat(created.body().path("status").asText()).isEqualTo("not_ready");
            assertThat(api.post("/v1/goals", goal).status()).as("a second goal g1").isEqualTo(409);
            assertThat(api.get("/v1/goals/nope").status()).isEqualTo(404);
            assertThat(api.get("/v1/goals/nope").error()).isEqualTo("not_found");

            long version = created.body().path("version").asLong();
            ObjectNode move = ApiClient.object().put("expectedVersion", version).put("status", "running")
                    .put("phase", "execution");
            assertThat(api.post("/v1/goals/g1/status", move).status()).isEqualTo(200);
            Response stale = api.post("/v1/goals/g1/status", move);
            assertThat(stale.status()).isEqualTo(409);
            assertThat(stale.error()).isEqualTo("wrong_expected_version");
            assertThat(stale.body().path("currentVersion").asLong()).isEqualTo(db.goals().get("g1").version());
            Response badStatus = api.post("/v1/goals/g1/status", ApiClient.object().put("expectedVersion", 0)
                    .put("status", "done"));
            assertThat(badStatus.status()).as("a status the schema does not list").isEqualTo(400);

            ObjectNode plan = ApiClient.object();
            ArrayNode tasks = plan.putArray("tasks");
            tasks.addObject().put("id", "a");
            tasks.addObject().put("id", "b").putArray("dependsOn").add("a");
            assertThat(api.post("/v1/goals/g1/tasks", plan).body().path("tasks")).hasSize(2);
            ObjectNode cycle = ApiClient.object();
            cycle.putArray("tasks").addObject().put("id", "c").putArray("dependsOn").add("c");
            assertThat(api.post("/v1/goals/g1/tasks", cycle).status()).isEqualTo(422);
            assertThat(db.goals().tasks().byGoal("g1")).hasSize(2);
            assertThat(api.get("/v1/goals/g1/tasks/ready").body().path("tasks")).hasSize(1);

            Response claim = api.post("/v1/goals/g1/tasks/claim", ApiClient.object().put("owner", "w1")
                    .put("leaseMs", 60_000));
            JsonNode held = claim.body().path("claim");
            assertThat(held.path("task").path("id").asText()).isEqualTo("a");
            String token = held.path("token").asText();
            assertThat(api.post("/v1/goals/g1/tasks/claim", ApiClient.object().put("owner", "w2")
                    .put("leaseMs", 60_000)).body().path("claim").isNull()).as("b waits for a").isTrue();
            assertThat(api.post("/v1/goals/g1/tasks/a/heartbeat", ApiClient.object().put("owner", "w1")
                    .put("token", token).put("leaseMs", 60_000)).status()).isEqualTo(200);
            Response forged = api.post("/v1/goals/g1/tasks/a/complete", ApiClient.object().put("owner", "w1")
                    .put("token", "not-the-token"));
            assertThat(forged.status()).isEqualTo(409);
            assertThat(forged.error()).isEqualTo("stale_claim");
            assertThat(db.goals().tasks().get("g1", "a").status().toString()).isEqualTo("running");
            ObjectNode done = ApiClient.object().put("owner", "w1").put("token", token);
            done.putArray("evidence").add("tests pass");
            Response completed = api.post("/v1/goals/g1/tasks/a/complete", done);
            assertThat(completed.body().path("status").asText()).isEqualTo("done");
            assertThat(api.post("/v1/goals/g1/tasks/a/complete", done).error()).as("a claim ends once")
                    .isEqualTo("stale_claim");

            ObjectNode owner = ApiClient.object().put("id", "ctl-1").put("host", "h").put("pid", 7);
            ObjectNode controller = ApiClient.object();
            controller.set("owner", owner);
            Response control = api.post("/v1/goals/g1/controller", controller);
            String controlToken = control.body().path("claim").path("token").asText();
            assertThat(controlToken).isNotEmpty();
            ObjectNode other = ApiClient.object();
            other.putObject("owner").put("id", "ctl-2").put("host", "h").put("pid", 8);
            Response refused = api.post("/v1/goals/g1/controller", other);
            assertThat(refused.body().path("claim").isNull()).isTrue();
            assertThat(refused.body().path("heldBy").path("id").asText()).isEqualTo("ctl-1");
            ObjectNode beat = ApiClient.object().put("token", controlToken);
            beat.set("owner", owner);
            assertThat(api.post("/v1/goals/g1/controller/heartbeat", beat).status()).isEqualTo(200);

            Response list = api.get("/v1/goals?status=running&limit=1");
            assertThat(list.body().path("goals")).hasSize(1);
            assertThat(list.body().path("goals").get(0).path("taskCounts").path("done").asInt()).isEqualTo(1);
            assertThat(api.get("/v1/goals?status=nonsense").status()).isEqualTo(422);
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void proofsBudgetsArtifactsDecisionsAndLeases(String backend) throws Exception {
        serve(backend, (db, api) -> {
            ObjectNode goal = ApiClient.object().put("id", "g2").put("text", "Prove it").put("projectDir", "/tmp/p");
            goal.putObject("budget").put("tokens", 100);
            api.post("/v1/goals", goal);
            ObjectNode proof = ApiClient.object().put("status", "passed").put("readiness", "ready")
                    .put("summary", "all green");
            proof.putArray("gates").addObject().put("name", "unit").put("command", "mvn test").put("passed", true)
                    .put("summary", "ok");
            proof.putObject("details").put("branch", "main");
            assertThat(api.put("/v1/goals/g2/proof", proof).body().path("version").asLong()).isEqualTo(1);
            assertThat(api.get("/v1/goals/g2/proof").body().path("gates").get(0).path("passed").asBoolean()).isTrue();
            assertThat(api.get("/v1/goals/nope/proof").status()).isEqualTo(404);

            Response checkpoint = api.post("/v1/goals/g2/budget-checkpoints", ApiClient.object()
                    .put("label", "after-plan").put("elapsedSeconds", 5).put("tokensUsed", 150)
                    .put("moveGoalWhenExhausted", true));
            assertThat(checkpoint.body().path("tokensUsed").asLong()).isEqualTo(150);
            assertThat(db.goals().get("g2").status().toString()).isEqualTo("needs_more_budget");
            assertThat(api.get("/v1/goals/g2/budget-checkpoints").body().path("checkpoints")).hasSize(1);

            assertThat(api.post("/v1/goals/g2/artifacts", ApiClient.object().put("kind", "report")
                    .put("path", "out/report.md")).status()).isEqualTo(200);
            assertThat(api.post("/v1/goals/g2/artifacts", ApiClient.object().put("kind", "report")
                    .put("path", "../etc/passwd")).status()).as("a path outside the project").isEqualTo(422);
            assertThat(api.get("/v1/goals/g2/artifacts").body().path("artifacts")).hasSize(1);

            assertThat(api.post("/v1/goals/g2/decisions", ApiClient.object().put("actor", "planner")
                    .put("decision", "use sqlite").put("phase", "planning")).status()).isEqualTo(200);
            assertThat(api.get("/v1/goals/g2/decisions").body().path("decisions")).hasSize(1);

            ObjectNode lease = ApiClient.object().put("sliceId", "s1").put("ownerRole", "worker");
            lease.putObject("owner").put("id", "w-1").put("host", "h").put("pid", 1);
            lease.putArray("writeSet").add("src/a");
            Response claimed = api.post("/v1/goals/g2/leases", lease);
            assertThat(claimed.body().path("outcome").asText()).isEqualTo("claimed");
            long leaseId = claimed.body().path("lease").path("id").asLong();
            ObjectNode overlapping = lease.deepCopy().put("sliceId", "s2");
            assertThat(api.post("/v1/goals/g2/leases", overlapping).body().path("outcome").asText())
                    .isEqualTo("write_set_overlap");
            assertThat(api.post("/v1/leases/" + leaseId + "/heartbeat", null).status()).isEqualTo(200);
            assertThat(api.post("/v1/leases/" + leaseId + "/release", null).body().path("released").asBoolean())
                    .isTrue();
            assertThat(api.post("/v1/leases/" + leaseId + "/heartbeat", null).error()).isEqualTo("stale_claim");
            assertThat(api.get("/v1/goals/g2/leases").body().path("leases")).isEmpty();
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void runsStepsAndAuditAcrossRequests(String backend) throws Exception {
        serve(backend, (db, api) -> {
            ObjectNode begin = ApiClient.object().put("gitSha", "abc123");
            begin.putObject("config").put("model", "m1").put("apiKey", "sk-abcdefghijklmnopqrstuvwxyz");
            Response run = api.post("/v1/runs", begin);
            assertThat(run.status()).isEqualTo(201);
            String runId = run.body().path("id").asText();
            assertThat(run.body().path("config").path("apiKey").asText()).isEqualTo("***REDACTED***");
            ObjectNode step = ApiClient.object().put("name", "plan").put("outcome", "success");
            step.putObject("stats").put("pages", 3).put("password", "hunter2");
            Response recorded = api.post("/v1/runs/" + runId + "/steps", step);
            assertThat(recorded.body().path("status").asText()).isEqualTo("success");
            assertThat(recorded.body().path("stats").path("password").asText()).isEqualTo("***REDACTED***");
            api.post("/v1/runs/" + runId + "/steps", ApiClient.object().put("name", "fetch").put("outcome", "failed")
                    .put("message", "timeout"));
            assertThat(api.get("/v1/runs/" + runId + "/steps").body().path("steps")).hasSize(2);
            Response finished = api.post("/v1/runs/" + runId + "/finish", null);
            assertThat(finished.body().path("status").asText()).isEqualTo("failed");
            assertThat(finished.body().path("finishedAt").isNull()).isFalse();
            assertThat(api.get("/v1/runs/nope").status()).isEqualTo(404);
            assertThat(api.get("/v1/runs?limit=5").body().path("runs")).hasSize(1);

            Response audit = api.post("/v1/audit", ApiClient.object().put("runId", runId).put("level", "warn")
                    .put("scope", "worker").put("event", "worker.slow").put("message", "slow"));
            assertThat(audit.status()).isEqualTo(200);
            assertThat(api.get("/v1/audit?runId=" + runId + "&level=warn&event=worker.*").body().path("entries"))
                    .hasSize(1);

            Response metrics = api.get("/health");
            assertThat(metrics.body().path("status").asText()).isEqualTo("ok");
        });
    }

    @ParameterizedTest
    @MethodSource("backends")
    void metricsCountRequestsAppendsAndLatencies(String backend) throws Exception {
        try (TestStore store = TestStore.create(backend, dir); Cairn db = store.open();
                CairnServer server = CairnServer.builder(db).port(0).start()) {
            ApiClient api = new ApiClient(server.uri(), null);
            for (int i = 0; i < 3; i++) {
                api.post("/v1/streams/m:1/events", append(null, null, event("m.x", "i", i)));
            }
            api.post("/v1/streams/m:1/events", append(99L, null, event("m.x", "i", 9)));
            String text = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    server.uri().resolve("/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(text).contains("cairn_http_requests_total{operation=\"appendEvents\",method=\"POST\","
                    + "status=\"200\"} 3");
            assertThat(text).contains("cairn_http_requests_total{operation=\"appendEvents\",method=\"POST\","
                    + "status=\"409\"} 1");
            assertThat(text).contains("cairn_events_appended_total 3");
            assertThat(text).contains("cairn_http_request_duration_seconds_count{operation=\"appendEvents\"} 4");
            assertThat(text).contains("cairn_http_request_duration_seconds_bucket{operation=\"appendEvents\","
                    + "le=\"+Inf\"} 4");
            assertThat(text).contains("cairn_sse_subscribers 0");
        }
    }

    /** Every object schema of the document is closed, and the check refuses a response that breaks it. */
    @ParameterizedTest
    @MethodSource("backends")
    void theDocumentIsClosedAndTheCheckCatchesAMalformedResponse(String backend) throws Exception {
        serve(backend, (db, api) -> {
            List<String> open = new ArrayList<>();
            api.openApi.path("components").path("schemas").fields().forEachRemaining(entry -> {
                JsonNode schema = entry.getValue();
                if (!schema.path("additionalProperties").isBoolean() || schema.path("additionalProperties")
                        .asBoolean() || !schema.has("required")) {
                    open.add(entry.getKey());
                }
            });
            assertThat(api.openApi.path("components").path("schemas").size()).isGreaterThan(20);
            assertThat(open).as("schemas that are not closed").isEmpty();
            assertThat(api.openApi.path("openapi").asText()).isEqualTo("3.1.0");
            assertThat(api.openApi.path("paths").has("/v1/events/stream")).isTrue();

            ObjectNode goal = ApiClient.object().put("id", "g3").put("text", "t").put("projectDir", "/p");
            JsonNode valid = api.post("/v1/goals", goal).body();
            assertThat(api.problems("GET", "/v1/goals/g3", 200, valid)).isEmpty();
            ObjectNode extra = valid.deepCopy();
            extra.put("surprise", 1);
            assertThat(api.problems("GET", "/v1/goals/g3", 200, extra)).singleElement().asString()
                    .contains("surprise");
            ObjectNode missing = valid.deepCopy();
            missing.remove("version");
            assertThat(api.problems("GET", "/v1/goals/g3", 200, missing)).singleElement().asString()
                    .contains("version");
            ObjectNode wrongType = valid.deepCopy();
            wrongType.put("version", "seven");
            assertThat(api.problems("GET", "/v1/goals/g3", 200, wrongType)).isNotEmpty();
            ObjectNode wrongEnum = valid.deepCopy();
            wrongEnum.put("status", "finished");
            assertThat(api.problems("GET", "/v1/goals/g3", 200, wrongEnum)).isNotEmpty();
            assertThat(api.problems("GET", "/v1/goals/g3", 404, ApiClient.JSON.valueToTree(Map.of("error",
                    "not_found")))).as("an error without its message").isNotEmpty();
        });
    }
}
