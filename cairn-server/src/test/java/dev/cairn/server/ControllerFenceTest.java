package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.Cairn;
import dev.cairn.goals.Goal;
import dev.cairn.server.ApiClient.Response;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal moves fenced by a controller claim over HTTP, on both backends: a status or phase move that carries the claim
 * it was handed ({@code controller: {owner, token}}) goes through while that claim controls the goal, and once another
 * owner took the goal over it is a 409 {@code stale_claim} naming the new controller that changed nothing.
 */
class ControllerFenceTest {
    @TempDir
    Path dir;

    static java.util.stream.Stream<String> backends() {
        return TestStore.backends();
    }

    static ObjectNode owner(String id) {
        return ApiClient.object().put("id", id).put("host", "elsewhere").put("pid", 7);
    }

    /** The claim as a client sends it back: its owner and token. */
    static ObjectNode controller(ObjectNode owner, String token) {
        ObjectNode claim = ApiClient.object().put("token", token);
        claim.set("owner", owner);
        return claim;
    }

    static String claim(ApiClient api, ObjectNode owner, long staleAfterMs) {
        ObjectNode body = ApiClient.object().put("staleAfterMs", staleAfterMs);
        body.set("owner", owner);
        Response claimed = api.post("/v1/goals/g/controller", body);
        assertThat(claimed.status()).isEqualTo(200);
        return claimed.body().path("claim").path("token").asText();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aMoveCarryingATakenOverClaimIsRefusedAndChangesNothing(String backend) throws Exception {
        try (TestStore store = TestStore.create(backend, dir); Cairn db = store.open();
                CairnServer server = CairnServer.builder(db).port(0).start()) {
            ApiClient api = new ApiClient(server.uri(), null);
            for (String in : new String[] {"GoalStatusIn", "GoalPhaseIn"}) {
                assertThat(api.openApi.path("components").path("schemas").path(in).path("properties")
                        .has("controller")).as(in + " in /openapi.json").isTrue();
            }
            api.post("/v1/goals", ApiClient.object().put("id", "g").put("text", "fenced").put("projectDir", "/p"));
            // Without a claim a move is not fenced, as before.
            assertThat(api.post("/v1/goals/g/phase", ApiClient.object().put("phase", "intake")).status())
                    .isEqualTo(200);
            ObjectNode first = owner("ctl-1");
            String firstToken = claim(api, first, 60_000);

            ObjectNode phase = ApiClient.object().put("phase", "planning");
            phase.set("controller", controller(first, firstToken));
            assertThat(api.post("/v1/goals/g/phase", phase).body().path("phase").asText()).isEqualTo("planning");
            ObjectNode start = ApiClient.object().put("expectedVersion", db.goals().get("g").version())
                    .put("status", "running");
            start.set("controller", controller(first, firstToken));
            assertThat(api.post("/v1/goals/g/status", start).body().path("status").asText()).isEqualTo("running");

            // ctl-2 takes the goal over: with a stale window of 1 ms, ctl-1's last heartbeat is stale by now.
            Thread.sleep(20);
            ObjectNode second = owner("ctl-2");
            String secondToken = claim(api, second, 1);
            assertThat(secondToken).isNotEqualTo(firstToken);

            Goal before = db.goals().get("g");
            long history = db.events().streamVersion(Goal.streamId("g"));
            ObjectNode latePhase = ApiClient.object().put("phase", "execution");
            latePhase.set("controller", controller(first, firstToken));
            ObjectNode lateDelivery = ApiClient.object().put("expectedVersion", before.version())
                    .put("status", "ready");
            lateDelivery.set("controller", controller(first, firstToken));
            for (Response refused : new Response[] {api.post("/v1/goals/g/phase", latePhase),
                    api.post("/v1/goals/g/status", lateDelivery)}) {
                assertThat(refused.status()).isEqualTo(409);
                assertThat(refused.error()).isEqualTo("stale_claim");
                assertThat(refused.body().path("message").asText()).contains("goal g").contains(firstToken)
                        .contains("ctl-1").contains("ctl-2");
            }
            assertThat(db.goals().get("g")).isEqualTo(before);
            assertThat(db.events().streamVersion(Goal.streamId("g"))).isEqualTo(history);

            // The current claim moves it; a forged token is refused as a taken-over one is.
            ObjectNode forged = ApiClient.object().put("phase", "execution");
            forged.set("controller", controller(second, "not-the-token"));
            assertThat(api.post("/v1/goals/g/phase", forged).error()).isEqualTo("stale_claim");
            ObjectNode delivery = ApiClient.object().put("expectedVersion", before.version()).put("status", "ready");
            delivery.set("controller", controller(second, secondToken));
            Response delivered = api.post("/v1/goals/g/status", delivery);
            assertThat(delivered.status()).isEqualTo(200);
            JsonNode goal = delivered.body();
            assertThat(goal.path("status").asText()).isEqualTo("ready");
            assertThat(goal.path("controller").path("id").asText()).isEqualTo("ctl-2");
            assertThat(api.checked.get()).as("responses checked against the document").isPositive();
        }
    }
}
