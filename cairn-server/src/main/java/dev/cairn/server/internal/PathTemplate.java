package dev.cairn.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's path template split once into its segments, each a literal or a parameter's name, so that matching a
 * request walks strings instead of running a regular expression per segment of every route tried.
 */
final class PathTemplate {
    /** Template segments such as {@code {goalId}} match one path segment. */
    static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z]+)}");

    private final String[] literals;
    /** The parameter's name where the segment is one, else null. */
    private final String[] names;

    PathTemplate(String template) {
        literals = template.split("/", -1);
        names = new String[literals.length];
        for (int i = 0; i < literals.length; i++) {
            Matcher matcher = PARAMETER.matcher(literals[i]);
            if (matcher.matches()) {
                names[i] = matcher.group(1);
            }
        }
    }

    /** The decoded path parameters of {@code requestPath} when it matches, else null. */
    Map<String, String> match(String requestPath) {
        int segments = 1;
        for (int i = 0; i < requestPath.length(); i++) {
            if (requestPath.charAt(i) == '/') {
                segments++;
            }
        }
        if (segments != literals.length) {
            return null;
        }
        Map<String, String> parameters = null;
        int start = 0;
        for (int i = 0; i < literals.length; i++) {
            int end = requestPath.indexOf('/', start);
            if (end < 0) {
                end = requestPath.length();
            }
            if (names[i] != null) {
                if (end == start) {
                    return null;
                }
                if (parameters == null) {
                    parameters = new LinkedHashMap<>(4);
                }
                parameters.put(names[i], Decode.segment(requestPath.substring(start, end)));
            } else if (!requestPath.regionMatches(start, literals[i], 0, literals[i].length())
                    || end - start != literals[i].length()) {
                return null;
            }
            start = end + 1;
        }
        return parameters == null ? Map.of() : parameters;
    }
}
