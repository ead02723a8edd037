package dev.cairn.server.internal;

import java.util.Map;

/**
 * One request as a route's handler sees it: path parameters, query parameters, and the body already checked against
 * the route's request schema and bound to its request record.
 */
public record Call(Map<String, String> pathParameters, Map<String, String> query, Object body) {
    public String path(String name) {
        return pathParameters.get(name);
    }

    /** A query parameter, or null when absent. */
    public String query(String name) {
        return query.get(name);
    }

    /** An integer query parameter, or {@code otherwise} when absent; malformed is a {@link BadRequest}. */
    public long longQuery(String name, long otherwise) {
        String text = query.get(name);
        if (text == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadRequest("query parameter " + name + " must be an integer, was '" + text + "'");
        }
    }

    @SuppressWarnings("unchecked")
    public <T> T body(Class<T> type) {
        return (T) body;
    }
}
