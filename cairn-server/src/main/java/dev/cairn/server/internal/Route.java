package dev.cairn.server.internal;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * One operation of the API, as data: the router dispatches on it and {@link OpenApi} documents it, so the document
 * is the routing table. {@code requestType} is null for an operation without a body; a {@link Kind#STREAM} route
 * answers with Server-Sent Events whose data is {@code responseType}.
 */
public record Route(String method, String path, String operationId, String summary, Type requestType,
        Type responseType, int status, List<Param> query, Kind kind, Handler handler) {
    /** How the route answers. */
    public enum Kind { JSON, STREAM, TEXT }

    /** A query parameter, documented; {@code type} is {@code string} or {@code integer}. */
    public record Param(String name, String type, String description) {}

    /** The work of a route: reads the call, uses the library, returns the response value. */
    @FunctionalInterface
    public interface Handler {
        Object handle(Call call) throws Exception;
    }

    public Route {
        query = List.copyOf(query);
    }

    /** The path parameters' names, in order. */
    public List<String> pathParameters() {
        List<String> names = new ArrayList<>();
        Matcher matcher = PathTemplate.PARAMETER.matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The path parameters of {@code requestPath} when it matches this route's template, else null. */
    public Map<String, String> match(String requestPath) {
        return new PathTemplate(path).match(requestPath);
    }
}
