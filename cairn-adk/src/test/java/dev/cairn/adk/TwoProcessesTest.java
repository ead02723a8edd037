package dev.cairn.adk;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.adk.events.Event;
import dev.cairn.Cairn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs append to one session through copies both read before either appends: in every round one append is
 * stored and the other is refused as stale, naming the versions; after its retry no event is lost or duplicated.
 * On SQLite here, on PostgreSQL in the subclass.
 */
class TwoProcessesTest {
    static final int ROUNDS = 5;

    @TempDir
    Path dir;

    String location() {
        return dir.resolve("adk.db").toString();
    }

    @Test
    void oneOfTwoStaleCopiesIsStoredAndTheOtherRefusedInEveryRound() throws Exception {
        try (Cairn db = Cairn.open(location())) {
            new CairnSessionService(db).createSession("shop", "alice", (Map<String, Object>) null, "s1").blockingGet();
        }
        Path signals = Files.createDirectory(dir.resolve("signals"));
        List<Process> children = new ArrayList<>();
        List<CompletableFuture<String>> outputs = new ArrayList<>();
        for (String writer : List.of("p", "q")) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AppenderMain.class.getName(), location(), writer,
                    Integer.toString(ROUNDS), signals.toString()).redirectErrorStream(true).start();
            children.add(child);
            outputs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(child.getInputStream().readAllBytes());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
        }
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Files.writeString(signals.resolve("start-" + round), "");
                for (String writer : List.of("p", "q")) {
                    AppenderMain.await(signals.resolve("ready-" + writer + "-" + round));
                }
                Files.writeString(signals.resolve("go-" + round), "");
                for (String writer : List.of("p", "q")) {
                    AppenderMain.await(signals.resolve("done-" + writer + "-" + round));
                }
            }
            for (Process child : children) {
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
        } catch (IllegalStateException stuck) {
            children.forEach(Process::destroyForcibly);
            StringBuilder said = new StringBuilder();
            for (CompletableFuture<String> output : outputs) {
                said.append(output.get(10, TimeUnit.SECONDS)).append("\n---\n");
            }
            throw new AssertionError(stuck.getMessage() + "; the children said:\n" + said, stuck);
        } finally {
            children.forEach(Process::destroyForcibly);
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            String output = outputs.get(i).get(10, TimeUnit.SECONDS);
            assertThat(children.get(i).exitValue()).as(output).isZero();
            output.lines().filter(l -> l.matches("(won|stale|retried) .*")).forEach(lines::add);
        }
        for (int round = 0; round < ROUNDS; round++) {
            String r = " " + round;
            assertThat(lines).as("round " + round + ": " + lines).filteredOn(l -> l.equals("won" + r)).hasSize(1);
            assertThat(lines).filteredOn(l -> l.equals("retried" + r)).hasSize(1);
            // The session's stream: version 0 is its creation, and each round adds two events.
            long seen = 2L * round;
            assertThat(lines).filteredOn(l -> l.startsWith("stale" + r + " ")).singleElement().asString()
                    .contains("session 's1' of user 'alice' in app 'shop' is stale")
                    .contains("up to version " + seen).contains("is at version " + (seen + 1));
        }
        try (Cairn db = Cairn.open(location())) {
            List<String> ids = new CairnSessionService(db).getSession("shop", "alice", "s1", Optional.empty())
                    .blockingGet().events().stream().map(Event::id).toList();
            assertThat(ids).hasSize(2 * ROUNDS).doesNotHaveDuplicates();
            for (int round = 0; round < ROUNDS; round++) {
                assertThat(ids).contains("p-" + round, "q-" + round);
            }
        }
    }
}
