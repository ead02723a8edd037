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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims raced by real JVM processes on one database file: exactly one winner each time. */
class GoalProcessTest {
    private static final int PROCESSES = 3;

    @TempDir
    Path dir;

    /** Starts the children, lets them all go at once, and returns each one's output lines up to "done". */
    private List<List<String>> race(List<String[]> commands) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        try {
            for (String[] command : commands) {
                Process p = Jvm.start(GoalProcessMain.class, command);
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
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            commands.add(new String[] {"slice", db, "g", "slice-1", "own/path" + i});
        }
        List<List<String>> results = race(commands);
        assertThat(count(results, "claimed")).isEqualTo(1);
        assertThat(count(results, "held")).isEqualTo(PROCESSES - 1);
    }

    @Test
    void processesClaimingOverlappingWriteSetsHaveExactlyOneWinner() throws Exception {
        String db = store("g");
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            commands.add(new String[] {"slice", db, "g", "slice-" + i, "src/shared/file" + i,
                    i == 0 ? "src/shared" : "src/shared/other"});
        }
        List<List<String>> results = race(commands);
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
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            commands.add(new String[] {"tasks", db, "g", "worker-" + i});
        }
        List<String> claimed = race(commands).stream().flatMap(List::stream).toList();
        assertThat(claimed).doesNotHaveDuplicates().hasSize(30);
        try (Cairn cairn = Cairn.open(db)) {
            assertThat(cairn.goals().tasks().byGoal("g")).allMatch(t -> t.status() == TaskStatus.RUNNING);
        }
    }

    @Test
    void processesClaimingOneGoalsControllerHaveExactlyOneWinner() throws Exception {
        String db = store("g");
        List<String[]> commands = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            commands.add(new String[] {"controller", db, "g"});
        }
        List<List<String>> results = race(commands);
        assertThat(count(results, "won")).isEqualTo(1);
        assertThat(count(results, "lost")).isEqualTo(PROCESSES - 1);
    }
}
