package dev.cairn.server.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.Cairn;
import dev.cairn.server.internal.Shapes.Direction;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3.1 document of the API, written from the routes that dispatch requests and the schemas {@link Shapes}
 * derives from their records: there is no second copy to keep in step.
 */
public final class OpenApi {
    private OpenApi() {}

    /** The document, and the named schemas its {@code $ref}s point to (the same objects as in the document). */
    public static ObjectNode document(List<Route> routes, boolean bearer) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Shapes shapes = new Shapes();
        ObjectNode doc = nodes.objectNode().put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Cairn").put("version", Cairn.version())
                .put("description", "The durable state store of agent runtimes over HTTP: an event log with a live "
                        + "tail, goals with task graphs and claims, proofs, budgets, and a run ledger. Log positions "
                        + "are written SEQUENCE, or TRANSACTION:SEQUENCE when the transaction order is not 0.");
        ObjectNode paths = doc.putObject("paths");
        for (Route route : routes) {
            ObjectNode item = paths.has(route.path()) ? (ObjectNode) paths.get(route.path())
                    : paths.putObject(route.path());
            ObjectNode operation = item.putObject(route.method().toLowerCase(Locale.ROOT));
            operation.put("operationId", route.operationId()).put("summary", route.summary());
            ArrayNode parameters = nodes.arrayNode();
            for (String name : route.pathParameters()) {
                ObjectNode parameter = parameters.addObject().put("name", name).put("in", "path")
                        .put("required", true);
                parameter.putObject("schema").put("type", "string");
            }
            for (Route.Param param : route.query()) {
                ObjectNode parameter = parameters.addObject().put("name", param.name()).put("in", "query")
                        .put("required", false).put("description", param.description());
                parameter.putObject("schema").put("type", param.type());
            }
            if (!parameters.isEmpty()) {
                operation.set("parameters", parameters);
            }
            if (route.requestType() != null) {
                ObjectNode body = operation.putObject("requestBody").put("required", true);
                body.putObject("content").putObject("application/json")
                        .set("schema", shapes.schema(route.requestType(), Direction.REQUEST));
            }
            ObjectNode responses = operation.putObject("responses");
            ObjectNode ok = responses.putObject(Integer.toString(route.status()))
                    .put("description", route.summary());
            switch (route.kind()) {
                case JSON -> ok.putObject("content").putObject("application/json")
                        .set("schema", shapes.schema(route.responseType(), Direction.RESPONSE));
                case STREAM -> {
                    ObjectNode media = ok.putObject("content").putObject("text/event-stream");
                    media.putObject("schema").put("type", "string");
                    // Each event's data line is one JSON document of this schema; its id line is its position.
                    media.set("x-event-data", shapes.schema(route.responseType(), Direction.RESPONSE));
                }
                case TEXT -> ok.putObject("content").putObject("text/plain").putObject("schema")
                        .put("type", "string");
            }
            responses.putObject("default").put("description", "A refusal: 400 malformed, 401 unauthorized, 403 "
                    + "forbidden (another origin or host), 404 not found, 409 conflict, 413 too large, 415 a body not "
                    + "sent as application/json, 422 refused, 503 busy (with Retry-After).")
                    .putObject("content").putObject("application/json")
                    .set("schema", shapes.schema(Wire.ErrorBody.class, Direction.RESPONSE));
            if (bearer && !route.path().equals("/health")) {
                operation.putArray("security").addObject().putArray("bearer");
            }
        }
        ObjectNode components = doc.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        for (Map.Entry<String, ObjectNode> entry : shapes.components().entrySet()) {
            schemas.set(entry.getKey(), entry.getValue());
        }
        if (bearer) {
            components.putObject("securitySchemes").putObject("bearer").put("type", "http")
                    .put("scheme", "bearer");
        }
        return doc;
    }
}
