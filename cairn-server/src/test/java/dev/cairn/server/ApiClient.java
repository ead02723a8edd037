package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.server.internal.SchemaCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of a running server for the tests: every JSON response it receives is checked against the schema
 * /openapi.json gives for that operation and status, so a test that sees a response also proves the document.
 */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;
    final JsonNode openApi;
    private final SchemaCheck check;
    /** How many responses were checked against the document: a test asserts it is not zero. */
    final AtomicInteger checked = new AtomicInteger();

    record Response(int status, JsonNode body, java.net.http.HttpHeaders headers) {
        String error() {
            return body.path("error").asText();
        }
    }

    ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/openapi.json"));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            this.openApi = JSON.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot read " + base + "/openapi.json", e);
        }
        Map<String, JsonNode> named = new HashMap<>();
        openApi.path("components").path("schemas").fields().forEachRemaining(e -> named.put(e.getKey(),
                e.getValue()));
        this.check = new SchemaCheck(named);
    }

    SchemaCheck check() {
        return check;
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, Object body) {
        return send("POST", path, body);
    }

    Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    /** Sends raw text as the body (for malformed JSON). */
    Response postRaw(String path, String text) {
        return exchange("POST", path, HttpRequest.BodyPublishers.ofString(text));
    }

    Response send(String method, String path, Object body) {
        try {
            return exchange(method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Response exchange(String method, String path, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).method(method, body)
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            List<String> problems = problems(method, URI.create(path).getPath(), response.statusCode(), json);
            assertThat(problems).as("%s %s answered %s: %s", method, path, response.statusCode(), json).isEmpty();
            checked.incrementAndGet();
            return new Response(response.statusCode(), json, response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What is wrong with a response body for its operation and status, according to the document. */
    List<String> problems(String method, String path, int status, JsonNode body) {
        JsonNode operation = operation(method, path);
        if (operation == null) {
            // No such operation: the answer must still be the document's error body.
            return status >= 400 ? check.problems(JSON.createObjectNode().put("$ref",
                    "#/components/schemas/ErrorBody"), body)
                    : List.of("no operation " + method + " " + path + " in /openapi.json");
        }
        JsonNode response = operation.path("responses").has(Integer.toString(status))
                ? operation.path("responses").path(Integer.toString(status))
                : operation.path("responses").path("default");
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return List.of("no JSON schema for " + method + " " + path + " " + status);
        }
        return check.problems(schema, body);
    }

    private JsonNode operation(String method, String path) {
        String[] actual = path.split("/", -1);
        var paths = openApi.path("paths").fields();
        while (paths.hasNext()) {
            var entry = paths.next();
            String[] template = entry.getKey().split("/", -1);
            if (template.length != actual.length) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                matches = template[i].startsWith("{") || template[i].equals(actual[i]);
            }
            // A literal segment beats a parameter (/v1/events/head over /v1/events/{x}); the paths here do not clash.
            if (matches && entry.getValue().has(method.toLowerCase())) {
                return entry.getValue().path(method.toLowerCase());
            }
        }
        return null;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }
}
