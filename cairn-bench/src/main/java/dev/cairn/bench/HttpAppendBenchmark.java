package dev.cairn.bench;

import dev.cairn.Cairn;
import dev.cairn.server.CairnServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
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

    static {
        // HttpURLConnection keeps at most 5 idle connections per server unless told otherwise: 16 clients would open
        // a new connection for most requests instead of keeping their own alive.
        System.setProperty("http.maxConnections", "64");
    }

    Cairn db;
    CairnServer server;
    final AtomicInteger clients = new AtomicInteger();

    /**
     * One client and its own stream, so versions never conflict. {@link HttpURLConnection} keeps each thread's
     * connection alive between requests and is synchronous: no selector thread per client competing for the cores.
     */
    @State(Scope.Thread)
    public static class Client {
        URL append;
        String stream;
        long version = -1;

        @Setup(Level.Trial)
        public void open(HttpAppendBenchmark shared) throws Exception {
            int n = shared.clients.incrementAndGet();
            stream = "thread:client-" + n;
            append = shared.server.uri().resolve("/v1/streams/" + stream + "/events").toURL();
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
        HttpURLConnection connection = (HttpURLConnection) client.append.openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        // No streaming mode: HttpURLConnection then buffers the body and sends it with the headers in one segment.
        // Streamed, the body is a second small write that Nagle's algorithm holds until the server acknowledges the
        // headers, which its delayed ACK postpones: milliseconds per request charged to the server.
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        byte[] answer;
        // Reading the whole answer and closing its stream hands the connection back for the next request.
        try (InputStream in = status == 200 ? connection.getInputStream() : connection.getErrorStream()) {
            answer = in.readAllBytes();
        }
        if (status != 200) {
            throw new IllegalStateException("append answered " + status + ": " + new String(answer,
                    StandardCharsets.UTF_8));
        }
        client.version++;
        return answer;
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
