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
 * A chat memory's save: the whole 20-message window handed to {@link Conversations#sync} with one new message (so one
 * message appended and, once the window is full, one evicted), against one bare single-event append on the same
 * store kind in the same run (the "raw" side of this row). Messages are the size of a serialized LangChain4j user
 * message; the frameworks' own serialization is not in the figure.
 */
@State(Scope.Benchmark)
public class ChatSyncBenchmark {
    static final int WINDOW = 20;

    /** "sqlite", or "postgres" for the PostgreSQL rows (BenchMain --postgres). */
    @Param("sqlite")
    public String backend;

    Cairn db;
    Cairn bare;
    Conversations conversations;
    final List<ConversationMessage> window = new ArrayList<>();
    long seen = -1;
    long said;
    long bareVersion = -1;

    @Setup
    public void open() {
        db = Workloads.openFresh(backend, "chat-sync-cairn.db");
        bare = Workloads.openFresh(backend, "chat-sync-bare.db");
        conversations = db.conversations();
    }

    static ConversationMessage message(long n) {
        String text = "Message " + n + ": what is the weather like in Paris this afternoon, and should I take an "
                + "umbrella to the meeting?";
        return new ConversationMessage("user", "{\"contents\":[{\"text\":\"" + text + "\",\"type\":\"TEXT\"}],"
                + "\"type\":\"USER\"}", text);
    }

    @Benchmark
    public Object cairn() {
        window.add(message(said++));
        if (window.size() > WINDOW) {
            window.remove(0);
        }
        var stored = conversations.sync("user-42", window, seen);
        seen = stored.version();
        return stored;
    }

    @Benchmark
    public Object raw() {
        // The bare append: one event of the same size to one stream, with an exact expected version.
        var stored = bare.events().append("chat:bare", Workloads.expect(bareVersion),
                List.of(dev.cairn.events.EventData.of("chat.message-added", "{\"role\":\"user\",\"content\":"
                        + "\"{\\\"contents\\\":[{\\\"text\\\":\\\"Message 1: what is the weather like in Paris this "
                        + "afternoon, and should I take an umbrella to the meeting?\\\",\\\"type\\\":\\\"TEXT\\\"}],"
                        + "\\\"type\\\":\\\"USER\\\"}\"}")));
        bareVersion++;
        return stored;
    }

    @TearDown
    public void close(BenchmarkParams params) throws Exception {
        Workloads.finish(params, db, bare);
    }
}
