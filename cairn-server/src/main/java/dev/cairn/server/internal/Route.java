package dev.cairn.server.internal;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the API, as data: the router dispatches on it and {@link OpenApi} documents it, so the document
 * is the routing table. {@code requestType} is null for an operation without a body; a {@link Kind#STREAM} route
 * answers with Server-Sent Events whose data is {@code responseType}.
 */
public record Route(String method, String path, String operationId, String summary, Type requestType,
        Type responseType, int status, List<Param> query, Kind kind, Handler handler) {
    /** Template segments such as {@code {goalId}} match one path segment. */
    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z]+)}");

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
        Matcher matcher = PARAMETER.matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** The path parameters of {@code requestPath} when it matches this route's template, else null. */
    public Map<String, String> match(String requestPath) {
        String[] template = path.split("/", -1);
        String[] actual = requestPath.split("/", -1);
        if (template.length != actual.length) {
            return null;
        }
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            Matcher matcher = PARAMETER.matcher(template[i]);
            if (matcher.matches()) {
                if (actual[i].isEmpty()) {
                    return null;
                }
                parameters.put(matcher.group(1), Decode.segment(actual[i]));
            } else if (!template[i].equals(actual[i])) {
                return null;
            }
        }
        return parameters;
    }
}
