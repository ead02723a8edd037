package dev.cairn.cli;

import dev.cairn.Cairn;
import dev.cairn.InvalidInputException;
import dev.cairn.server.CairnServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cairn serve}. */
@Command(name = "serve", description = {
    "Serve the store as a JSON HTTP API (see docs/server.md; the OpenAPI document is at /openapi.json), so that "
            + "runtimes in any language share it with the library's guarantees.",
    "Binds 127.0.0.1 unless told otherwise; any other address needs --token-file. SIGTERM (or Ctrl-C) stops it "
            + "gracefully: requests in flight finish and the store is closed."})
final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    CairnCommand root;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "7878",
            description = "The port (default: ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the bearer token every request but /health must carry (at least 16 "
                    + "characters); required to bind anything but loopback.")
    Path tokenFile;

    @Option(names = "--cors-origin", paramLabel = "ORIGIN",
            description = "Allow browsers on this one origin (e.g. http://localhost:3000) to call the API; none "
                    + "unless given.")
    String corsOrigin;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "4194304",
            description = "The largest request body accepted (default: ${DEFAULT-VALUE}).")
    int maxBody;

    @Override
    public Integer call() throws Exception {
        String token = tokenFile == null ? null : readToken(tokenFile);
        Cairn db = OpenStore.forWriting(root);
        CairnServer server;
        try {
            server = CairnServer.builder(db).bind(bind).port(port).token(token).corsOrigin(corsOrigin)
                    .maxBodyBytes(maxBody).closeStoreOnClose(true).start();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        Thread stop = new Thread(server::close, "cairn-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(stop);
        root.out().println("serving " + root.database() + " on " + server.uri()
                + (token == null ? " (loopback, no token)" : " (bearer token required)")
                + "; the API is described at " + server.uri() + "/openapi.json");
        root.out().println("cairn: the console: " + server.uri() + "/"
                + (token == null ? "" : " (sign in with the token)"));
        root.out().flush();
        server.awaitClose();
        return ExitCodes.OK;
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new InvalidInputException("the token file " + file + " is empty; write a random token of "
                        + "at least 16 characters into it (e.g. openssl rand -hex 32)");
            }
            return token;
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the token file " + file + ": " + e.getMessage());
        }
    }
}
