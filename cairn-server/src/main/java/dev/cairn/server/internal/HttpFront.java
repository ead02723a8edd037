package dev.cairn.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.cairn.BusyException;
import dev.cairn.CairnException;
import dev.cairn.ConflictException;
import dev.cairn.IllegalTransitionException;
import dev.cairn.InvalidInputException;
import dev.cairn.NotFoundException;
import dev.cairn.StaleClaimException;
import dev.cairn.StoreClosedException;
import dev.cairn.TransactionStateException;
import dev.cairn.WrongExpectedVersionException;
import dev.cairn.runs.Redactor;
import dev.cairn.server.internal.Wire.ErrorBody;
import dev.cairn.server.internal.console.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one handler of the HTTP server: authenticates, finds the route, reads and checks the body against the route's
 * request schema, calls the route, writes its result as JSON, and turns every refusal into
 * {@code {"error": kind, "message": ...}} with the status a client expects. A refused request wrote nothing: the
 * body is checked before the library is called, and the library rolls back whatever it refuses.
 */
public final class HttpFront implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger("dev.cairn.server");

    private final List<Route> routes;
    /** Each route's path template, split once, by the route's index. */
    private final PathTemplate[] templates;
    /** Each route's request body schema (null without a body), by the route's index. */
    private final JsonNode[] requestSchemas;
    private final SchemaCheck check;
    private final byte[] tokenDigest;
    private final int maxBodyBytes;
    private final String corsOrigin;
    private final Metrics metrics;
    private final EventTail tail;
    private Console console;
    /** The Host values a token-less server answers (its loopback names and bound address, with its port). */
    private volatile java.util.Set<String> hosts = java.util.Set.of();
    private final Object drained = new Object();
    private int inFlight;
    private volatile boolean closing;

    /** A front that also serves the read-only {@link Console} at {@code /} (set before the server starts). */
    public HttpFront(List<Route> routes, String token, int maxBodyBytes, String corsOrigin, Metrics metrics,
            EventTail tail, Console console) {
        this(routes, token, maxBodyBytes, corsOrigin, metrics, tail);
        this.console = console;
    }

    /** {@code token} null: no authentication (loopback only, which the server checks before it starts). */
    public HttpFront(List<Route> routes, String token, int maxBodyBytes, String corsOrigin, Metrics metrics,
            EventTail tail) {
        // The document is served by a route of its own, so it documents itself like every other operation.
        JsonNode[] served = new JsonNode[1];
        List<Route> all = new java.util.ArrayList<>(routes);
        all.add(new Route("GET", "/openapi.json", "openapi", "This document: every operation, with closed schemas.",
                null, JsonNode.class, 200, List.of(), Route.Kind.JSON, call -> served[0]));
        this.routes = List.copyOf(all);
        this.tokenDigest = token == null ? null : sha256(token);
        this.maxBodyBytes = maxBodyBytes;
        this.corsOrigin = corsOrigin;
        this.metrics = metrics;
        this.tail = tail;
        ObjectNode document = OpenApi.document(this.routes, token != null);
        served[0] = document;
        Map<String, JsonNode> named = new HashMap<>();
        document.path("components").path("schemas").fields().forEachRemaining(e -> named.put(e.getKey(),
                e.getValue()));
        this.check = new SchemaCheck(named);
        this.templates = new PathTemplate[this.routes.size()];
        this.requestSchemas = new JsonNode[this.routes.size()];
        for (int i = 0; i < this.routes.size(); i++) {
            Route route = this.routes.get(i);
            templates[i] = new PathTemplate(route.path());
            if (route.requestType() != null) {
                requestSchemas[i] = document.path("paths").path(route.path()).path(route.method()
                        .toLowerCase(java.util.Locale.ROOT)).path("requestBody").path("content")
                        .path("application/json").path("schema");
            }
        }
    }

    /**
     * Tells the front where the server listens (once it is bound, so a port 0 is known): without a token it then
     * answers only requests naming it as 127.0.0.1, localhost, [::1] or its bound address, with its port, so that a
     * web page cannot reach it under its own domain through DNS rebinding.
     */
    public void listening(java.net.InetSocketAddress bound) {
        int port = bound.getPort();
        java.util.Set<String> names = new java.util.HashSet<>();
        String address = bound.getAddress().getHostAddress();
        for (String name : List.of("127.0.0.1", "localhost", "[::1]",
                address.contains(":") ? "[" + address.replaceFirst("%.*", "") + "]" : address)) {
            names.add(name + ":" + port);
            if (port == 80) {
                names.add(name);
            }
        }
        this.hosts = java.util.Set.copyOf(names);
    }

    /**
     * Why a request must be refused as coming from another site (403), or null. A browser always says where a
     * cross-origin write comes from (Origin); a rebound domain shows in Host.
     */
    private String foreign(HttpExchange exchange) {
        Headers headers = exchange.getRequestHeaders();
        String host = headers.getFirst("Host");
        if (tokenDigest == null && (host == null || !hosts.contains(host.strip().toLowerCase(java.util.Locale.ROOT)))) {
            return "without a token this server answers only requests addressed to 127.0.0.1, localhost, [::1] or "
                    + "its bound address, on its port (Host was '" + host + "'); give it a token to reach it by "
                    + "another name";
        }
        String origin = headers.getFirst("Origin");
        if (origin != null && !origin.equals(corsOrigin) && (host == null
                || !(origin.equals("http://" + host.strip()) || origin.equals("https://" + host.strip())))) {
            return "requests from pages of another origin are refused; allow one origin with --cors-origin";
        }
        return null;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String operation = "unmatched";
        int status = 500;
        boolean later = false;
        synchronized (drained) {
            inFlight++;
        }
        try {
            if (closing) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                exchange.getResponseHeaders().set("Connection", "close");
                status = error(exchange, 503, "shutting_down", "the server is shutting down; retry against its "
                        + "successor", null);
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            String foreign = foreign(exchange);
            if (foreign != null) {
                status = error(exchange, 403, "forbidden", foreign, null);
                return;
            }
            if (corsOrigin != null && corsOrigin.equals(exchange.getRequestHeaders().getFirst("Origin"))) {
                Headers headers = exchange.getResponseHeaders();
                headers.set("Access-Control-Allow-Origin", corsOrigin);
                headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID");
                headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS");
                headers.set("Vary", "Origin");
                if (method.equals("OPTIONS")) {
                    status = 204;
                    exchange.sendResponseHeaders(204, -1);
                    return;
                }
            }
            if (console != null && console.serves(path)) {
                operation = "console";
                status = console.serve(exchange, authorized(exchange));
                return;
            }
            if (!path.equals("/health") && !authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                status = error(exchange, 401, "unauthorized", "a valid bearer token is required (Authorization: "
                        + "Bearer TOKEN, the token of the server's --token-file)", null);
                return;
            }
            boolean pathKnown = false;
            for (int i = 0; i < templates.length; i++) {
                Route route = routes.get(i);
                Map<String, String> parameters = templates[i].match(path);
                if (parameters == null) {
                    continue;
                }
                pathKnown = true;
                if (!route.method().equals(method)) {
                    continue;
                }
                operation = route.operationId();
                Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
                if (route.kind() == Route.Kind.STREAM) {
                    status = 200;
                    tail.serve(exchange, query.get("after"));
                    return;
                }
                Object body = null;
                if (route.requestType() != null || hasBody(exchange)) {
                    requireJson(exchange);
                }
                if (route.requestType() != null) {
                    JsonNode tree = Json.parse(readBody(exchange));
                    List<String> problems = check.problems(requestSchemas[i], tree);
                    if (!problems.isEmpty()) {
                        throw new BadRequest("the request body does not fit " + route.operationId() + ": "
                                + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
                    }
                    body = Json.bind(tree, (Class<?>) route.requestType());
                }
                Object result = route.handler().handle(new Call(parameters, query, body));
                if (result instanceof CompletionStage<?> stage) {
                    // Answered by whichever thread completes it (group commit's leader), perhaps already done.
                    later = true;
                    String answering = operation;
                    stage.whenComplete((value, failure) -> answerLater(exchange, route, answering, started, value,
                            failure));
                    return;
                }
                status = answer(exchange, route, result);
                return;
            }
            status = pathKnown ? error(exchange, 405, "method_not_allowed", method + " is not an operation of "
                    + path + "; see /openapi.json", null)
                    : error(exchange, 404, "not_found", "no operation at " + path + "; see /openapi.json", null);
        } catch (UnsupportedType e) {
            status = error(exchange, 415, "unsupported_media_type", e.getMessage(), null);
        } catch (TooLarge e) {
            status = error(exchange, 413, "too_large", e.getMessage(), null);
        } catch (Exception e) {
            status = refuse(exchange, e);
        } finally {
            if (!later) {
                finish(exchange, operation, status, started);
            }
        }
    }

    private static int answer(HttpExchange exchange, Route route, Object result) throws IOException {
        return route.kind() == Route.Kind.TEXT
                ? send(exchange, route.status(), "text/plain; version=0.0.4; charset=utf-8",
                        String.valueOf(result).getBytes(StandardCharsets.UTF_8))
                : send(exchange, route.status(), "application/json", Json.bytes(result));
    }

    /** Answers a request whose route's result came later: with the value, or as {@link #refuse} says. */
    private void answerLater(HttpExchange exchange, Route route, String operation, long started, Object value,
            Throwable failure) {
        int status = 500;
        try {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            status = cause == null ? answer(exchange, route, value) : refuse(exchange, cause);
        } catch (IOException | RuntimeException e) {
            LOG.debug("answering {} failed; the client went away", operation, e);
        } finally {
            finish(exchange, operation, status, started);
        }
    }

    /** Counts and logs the request, closes its exchange, and lets {@link #drain} know. */
    private void finish(HttpExchange exchange, String operation, int status, long started) {
        try {
            long nanos = System.nanoTime() - started;
            metrics.request(operation, exchange.getRequestMethod(), status, nanos);
            if (LOG.isDebugEnabled()) {
                // The path only: no query (it may hold data), no header (the token), no body.
                LOG.debug("{} {} {} {} us", exchange.getRequestMethod(),
                        Redactor.text(exchange.getRequestURI().getRawPath()), status, nanos / 1000);
            }
            exchange.close();
        } finally {
            synchronized (drained) {
                if (--inFlight == 0) {
                    drained.notifyAll();
                }
            }
        }
    }

    /**
     * Refuses new requests from now on (503, Retry-After) and waits until those in flight have answered, or the
     * deadline passed; returns whether they all answered. Live tails must have been ended first.
     */
    public boolean drain(java.time.Duration timeout) throws InterruptedException {
        closing = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                drained.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Answers a refusal with its kind and status; anything unforeseen (an Error too) is a logged 500. */
    private int refuse(HttpExchange exchange, Throwable e) throws IOException {
        if (e instanceof BadRequest) {
            return error(exchange, 400, "malformed", e.getMessage(), null);
        } else if (e instanceof VersionConflict conflict) {
            return error(exchange, 409, "wrong_expected_version", e.getMessage(), conflict.currentVersion());
        } else if (e instanceof WrongExpectedVersionException wrong) {
            return error(exchange, 409, "wrong_expected_version", e.getMessage(), wrong.actual());
        } else if (e instanceof StaleClaimException) {
            return error(exchange, 409, "stale_claim", e.getMessage(), null);
        } else if (e instanceof IllegalTransitionException) {
            return error(exchange, 409, "illegal_transition", e.getMessage(), null);
        } else if (e instanceof ConflictException) {
            return error(exchange, 409, "conflict", e.getMessage(), null);
        } else if (e instanceof NotFoundException) {
            return error(exchange, 404, "not_found", e.getMessage(), null);
        } else if (e instanceof InvalidInputException) {
            return error(exchange, 422, "invalid", e.getMessage(), null);
        } else if (e instanceof BusyException) {
            metrics.busy();
            exchange.getResponseHeaders().set("Retry-After", "1");
            return error(exchange, 503, "busy", e.getMessage(), null);
        } else if (e instanceof EventTail.Full) {
            exchange.getResponseHeaders().set("Retry-After", "5");
            return error(exchange, 503, "busy", e.getMessage(), null);
        } else if (e instanceof TransactionStateException && tail.closing()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            return error(exchange, 503, "shutting_down", "the server is shutting down; retry against its "
                    + "successor", null);
        } else if (e instanceof StoreClosedException) {
            // The embedding application closed the store under the server.
            exchange.getResponseHeaders().set("Retry-After", "5");
            return error(exchange, 503, "unavailable", e.getMessage(), null);
        } else if (e instanceof CairnException) {
            LOG.warn("storage failure: {}", Redactor.text(String.valueOf(e.getMessage())));
            return error(exchange, 500, "storage", e.getMessage(), null);
        } else if (e instanceof IOException io) {
            throw io; // the client went away: nothing to answer
        }
        LOG.error("internal error", e);
        return error(exchange, 500, "internal", "internal error (" + e.getClass().getSimpleName() + "); the "
                + "server's log has the details", null);
    }

    private boolean authorized(HttpExchange exchange) {
        if (tokenDigest == null) {
            return true;
        }
        if (console != null && exchange.getRequestMethod().equals("GET") && console.hasSession(exchange)) {
            return true; // the console's cookie reads (pages, JSON, the live tail) but never writes
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Digests of equal length compared in constant time: neither the token's content nor its length leaks.
        return MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).strip()));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private byte[] readBody(HttpExchange exchange) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.strip());
                if (length > maxBodyBytes) {
                    throw new TooLarge(declared.strip());
                }
            } catch (NumberFormatException e) {
                throw new BadRequest("Content-Length '" + declared + "' is not a number");
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            // A declared length is all the JDK's stream gives: read into an array of that size, not into 8 KiB
            // chunks copied together (the usual body is a few hundred bytes).
            byte[] body = in.readNBytes(length >= 0 ? (int) length : maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new TooLarge("more than " + maxBodyBytes);
            }
            return body;
        }
    }

    private static boolean hasBody(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        return exchange.getRequestHeaders().containsKey("Transfer-Encoding")
                || length != null && !length.strip().equals("0");
    }

    /** Only JSON: a text/plain or form body is what a web page may send another site without a preflight. */
    private static void requireJson(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!media.equals("application/json")) {
            throw new UnsupportedType("a request body must be sent as Content-Type: application/json, was "
                    + (type == null ? "none" : "'" + type + "'"));
        }
    }

    /** A body that is not declared JSON; answered 415 before it is read. */
    private static final class UnsupportedType extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedType(String message) {
            super(message);
        }
    }

    /** A request body over the limit; answered 413 before anything is parsed. */
    private final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String size) {
            super("the request body is " + size + " bytes, over the server's limit of " + maxBodyBytes
                    + " bytes; put large content in a file and send its path (an artifact)");
        }
    }

    /** The parameters of a raw query string, decoded; a name given twice is refused. */
    public static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = Decode.query(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : Decode.query(pair.substring(equals + 1));
            if (query.putIfAbsent(name, value) != null) {
                throw new BadRequest("query parameter " + name + " is given twice");
            }
        }
        return query;
    }

    private static int error(HttpExchange exchange, int status, String kind, String message, Long currentVersion)
            throws IOException {
        ErrorBody body = new ErrorBody(kind, Redactor.text(String.valueOf(message)), currentVersion);
        return send(exchange, status, "application/json", Json.bytes(body));
    }

    private static int send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return status;
    }
}
