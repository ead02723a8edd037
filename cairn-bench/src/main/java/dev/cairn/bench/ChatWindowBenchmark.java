package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.conversations.ConversationMessage;
import dev.cairn.conversations.Conversations;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A chat memory's read: the 20-message window of a conversation with 10,000 messages of history, through a kept
 * {@link Conversations} instance (as the adapters keep theirs), which checks the stream for news and returns its
 * cached window. The "raw" side reads the same conversation's window with a new instance each time: the first read
 * in a new process, which replays the whole stream.
 */
@State(Scope.Benchmark)
public class ChatWindowBenchmark {
    static final int HISTORY = 10_000;

    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;

    Cairn db;
    Conversations conversations;

    @Setup
    public void open() {
        db = Workloads.openFresh(backend, "chat-window.db");
        conversations = db.conversations();
        List<ConversationMessage> window = new ArrayList<>();
        long seen = -1;
        for (int i = 0; i < HISTORY; i++) {
            window.add(ChatSyncBenchmark.message(i));
            if (window.size() > ChatSyncBenchmark.WINDOW) {
                window.remove(0);
            }
            seen = conversations.sync("user-42", window, seen).version();
        }
        if (conversations.window("user-42").messages().size() != ChatSyncBenchmark.WINDOW
                || conversations.history("user-42").size() != HISTORY) {
            throw new IllegalStateException("the fixture conversation is not 20 visible of 10,000");
        }
    }

    @Benchmark
    public Object cairn() {
        return conversations.window("user-42");
    }

    @Benchmark
    public Object raw() {
        return db.conversations().window("user-42");
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db);
    }
}
