package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.Cairn;
import dev.cairn.goals.GoalSpec;
import dev.cairn.goals.TaskSpec;
import dev.cairn.server.ApiClient.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Exactly one winner over HTTP: 16 clients, each with its own connection, claim the same task at once. */
class ClaimRaceTest {
    private static final int CLIENTS = 16;
    private static final int ROUNDS = 5;

    @TempDir
    Path dir;

    static Stream<String> backends() {
        return TestStore.backends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sixteenClientsClaimOneTaskAndOneWins(String backend) throws Exception {
        try (TestStore store = TestStore.create(backend, dir); Cairn db = store.open();
                CairnServer server = CairnServer.builder(db).port(0).start()) {
            db.goals().create(GoalSpec.of("race", "race for tasks", "/tmp/race"));
            List<ApiClient> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new ApiClient(server.uri(), null));
            }
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                for (int round = 0; round < ROUNDS; round++) {
                    String taskId = "t" + round;
                    db.goals().tasks().createBatch("race", List.of(TaskSpec.of("race", taskId, "contested")));
                    CyclicBarrier start = new CyclicBarrier(CLIENTS);
                    List<Future<Response>> answers = new ArrayList<>();
                    for (int i = 0; i < CLIENTS; i++) {
                        ApiClient client = clients.get(i);
                        ObjectNode claim = ApiClient.object().put("owner", "worker-" + i).put("leaseMs", 60_000)
                                .put("taskId", taskId);
                        answers.add(pool.submit(() -> {
                            start.await();
                            return client.post("/v1/goals/race/tasks/claim", claim);
                        }));
                    }
                    List<String> winners = new ArrayList<>();
                    int answered = 0;
                    for (Future<Response> answer : answers) {
                        Response response = answer.get();
                        assertThat(response.status()).isEqualTo(200);
                        answered++;
                        if (!response.body().path("claim").isNull()) {
                            winners.add(response.body().path("claim").path("task").path("owner").asText());
                        }
                    }
                    assertThat(answered).isEqualTo(CLIENTS);
                    assertThat(winners).as("round %d", round).hasSize(1);
                    assertThat(db.goals().tasks().get("race", taskId).owner()).isEqualTo(winners.get(0));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
