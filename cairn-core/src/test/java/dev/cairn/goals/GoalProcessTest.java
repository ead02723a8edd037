package dev.cairn.goals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.Cairn;
import dev.cairn.Jvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims raced by real JVM processes on one database file: exactly one winner each time. */
class GoalProcessTest {
    private static final int PROCESSES = 3;

    @TempDir
    Path dir;

    /**
     * Starts {@link #PROCESSES} children (child {@code i} gets {@code args.apply(i)}), lets them all go at once, and
     * returns each one's output lines up to "done".
     */
    private List<List<String>> race(IntFunction<String[]> args) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                Process p = Jvm.start(GoalProcessMain.class, args.apply(i));
                processes.add(p);
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader out : outputs) {
                assertThat(protocolLine(out)).isEqualTo("ready");
            }
            for (Process p : processes) {
                OutputStream in = p.getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            List<List<String>> results = new ArrayList<>();
            for (BufferedReader out : outputs) {
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = protocolLine(out)) != null && !line.equals("done")) {
                    lines.add(line);
                }
                assertThat(line).as("child output " + lines).isEqualTo("done");
                results.add(lines);
            }
            return results;
        } finally {
            for (Process p : processes) {
                closeQuietly(p.getOutputStream());
                if (!p.waitFor(1, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** The child's next line of the protocol, past log lines (its stderr is merged into stdout). */
    private static String protocolLine(BufferedReader out) throws IOException {
        String line;
        do {
            line = out.readLine();
        } while (line != null && line.startsWith("["));
        return line;
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // the child is gone already
        }
    }

    /** Where the store under test lives (a file, or a JDBC URL in the PostgreSQL variant, see PostgresGoalTests). */
    String location() {
        return dir.resolve("race.db").toString();
    }

    private String store(String goal) {
        try (Cairn db = Cairn.open(location())) {
            db.goals().create(GoalSpec.of(goal, "race", dir.toString()));
        }
        return location();
    }

    private static long count(List<List<String>> results, String word) {
        return results.stream().filter(lines -> lines.equals(List.of(word))).count();
    }

    @Test
    void processesClaimingOneSliceHaveExactlyOneWinner() throws Exception {
        String db = store("g");
        List<List<String>> results = race(i -> new String[] {"slice", db, "g", "slice-1", "own/path" + i});
        assertThat(count(results, "claimed")).isEqualTo(1);
        assertThat(count(results, "held")).isEqualTo(PROCESSES - 1);
    }

    @Test
    void processesClaimingOverlappingWriteSetsHaveExactlyOneWinner() throws Exception {
        String db = store("g");
        List<List<String>> results = race(i -> new String[] {"slice", db, "g", "slice-" + i, "src/shared/file" + i,
                i == 0 ? "src/shared" : "src/shared/other"});
        assertThat(count(results, "claimed")).isEqualTo(1);
        assertThat(count(results, "overlap")).isEqualTo(PROCESSES - 1);
    }

    @Test
    void processesClaimingTasksNeverGetTheSameOne() throws Exception {
        String db = store("g");
        try (Cairn cairn = Cairn.open(db)) {
            cairn.goals().tasks().createBatch("g", IntStream.range(0, 30)
                    .mapToObj(i -> TaskSpec.of("g", "t" + i, "task " + i)).toList());
        }
        List<String> claimed = race(i -> new String[] {"tasks", db, "g", "worker-" + i}).stream()
                .flatMap(List::stream).toList();
        assertThat(claimed).doesNotHaveDuplicates().hasSize(30);
        try (Cairn cairn = Cairn.open(db)) {
            assertThat(cairn.goals().tasks().byGoal("g")).allMatch(t -> t.status() == TaskStatus.RUNNING);
        }
    }

    @Test
    void processesCompletingOneClaimHaveExactlyOneWinner() throws Exception {
        String db = store("g");
        TaskClaim claim;
        try (Cairn cairn = Cairn.open(db)) {
            cairn.goals().tasks().createBatch("g", List.of(TaskSpec.of("g", "a", "contested")));
            claim = cairn.goals().tasks().claimTask("g", "worker", java.time.Duration.ofMinutes(5)).orElseThrow();
        }
        List<List<String>> results = race(i -> new String[] {"complete", db, "g", "a", claim.token()});
        assertThat(count(results, "completed")).isEqualTo(1);
        assertThat(count(results, "conflict")).isEqualTo(PROCESSES - 1);
        try (Cairn cairn = Cairn.open(db)) {
            assertThat(cairn.goals().tasks().get("g", "a").status()).isEqualTo(TaskStatus.DONE);
            assertThat(cairn.goals().tasks().get("g", "a").evidence()).hasSize(1);
            assertThat(cairn.events().readStream(Goal.streamId("g"), 0).filter(e -> e.type()
                    .equals("goal.task-completed")).count()).isEqualTo(1);
        }
    }

    @Test
    void processesClaimingOneGoalsControllerHaveExactlyOneWinner() throws Exception {
        String db = store("g");
        List<List<String>> results = race(i -> new String[] {"controller", db, "g"});
        assertThat(count(results, "won")).isEqualTo(1);
        assertThat(count(results, "lost")).isEqualTo(PROCESSES - 1);
    }
}
