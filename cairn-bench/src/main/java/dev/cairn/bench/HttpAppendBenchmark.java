package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.server.CairnServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Single-event appends through {@code cairn serve}'s API ({@code cairn}: a server in this JVM over a fresh store, each
 * JMH thread one client with its own keep-alive connection and stream, an exact expected version per append) against
 * the library's in-process appends ({@code raw}: the same call the server makes, on a store of the same durability).
 * The harness compares 1 and 16 HTTP clients with the library on one thread.
 */
@State(Scope.Benchmark)
public class HttpAppendBenchmark {
    /** "sqlite", or "postgres". */
    @Param("sqlite")
    public String backend;

    Cairn db;
    CairnServer server;
    final AtomicInteger clients = new AtomicInteger();

    /**
     * One client and its own stream, so versions never conflict: a plain HTTP/1.1 client on one kept-alive socket
     * (see {@link KeptAliveClient}), synchronous, so no selector thread per client competes for the cores.
     */
    @State(Scope.Thread)
    public static class Client {
        KeptAliveClient http;
        String path;
        String stream;
        long version = -1;

        @Setup(Level.Trial)
        public void open(HttpAppendBenchmark shared) throws Exception {
            int n = shared.clients.incrementAndGet();
            stream = "thread:client-" + n;
            path = "/v1/streams/" + stream + "/events";
            http = new KeptAliveClient(shared.server.uri());
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            http.close();
        }
    }

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) {
        db = Workloads.openFresh(backend, "http-" + Workloads.side(params) + ".db");
        server = CairnServer.builder(db).port(0).start();
    }

    @Benchmark
    public Object cairn(Client client) throws Exception {
        byte[] body = ("{\"expectedVersion\":" + client.version + ",\"events\":[{\"type\":\"" + Workloads.TYPE
                + "\",\"payload\":" + Workloads.PAYLOAD + "}]}").getBytes(StandardCharsets.UTF_8);
        KeptAliveClient.Response answer = client.http.post(client.path, body);
        if (answer.status() != 200) {
            throw new IllegalStateException("append answered " + answer.status() + ": " + new String(answer.body(),
                    StandardCharsets.UTF_8));
        }
        client.version++;
        return answer.body();
    }

    @Benchmark
    public Object raw(Client client) {
        var stored = db.events().append(client.stream, Workloads.expect(client.version), List.of(Workloads.event()));
        client.version++;
        return stored;
    }

    @TearDown(Level.Trial)
    public void close(BenchmarkParams params) throws Exception {
        server.close();
        Workloads.finish(params, db);
    }
}
