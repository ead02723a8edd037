package dev.cairn.goals.internal;

import dev.cairn.InvalidInputException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Lexical path rules of the goal store (no file system access, so they hold for paths that do not exist yet and
 * give the same answer on every host): normalising, staying inside a directory, and overlap of reserved paths.
 */
final class Paths {
    /** The normal form of the whole project: it overlaps every path. */
    static final String ROOT = ".";

    private Paths() {}

    /**
     * Separators become {@code /}; empty and {@code .} segments go; {@code ..} removes the segment before it;
     * a trailing {@code /} goes. A path that climbs above its start keeps its leading {@code ..} segments.
     */
    static String normalise(String path) {
        String unified = path.strip().replace('\\', '/');
        boolean absolute = unified.startsWith("/");
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : unified.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..") && !segments.isEmpty() && !segments.peekLast().equals("..")) {
                segments.removeLast();
            } else if (!(segment.equals("..") && absolute)) {
                segments.addLast(segment);
            }
        }
        String joined = String.join("/", segments);
        if (absolute) {
            return "/" + joined;
        }
        return joined.isEmpty() ? ROOT : joined;
    }

    /**
     * The normal form of a path that must name something inside a project directory: relative, and not climbing out
     * of it. {@code what} names the path in the message.
     */
    static String inside(String path, String what) {
        if (path == null || path.isBlank()) {
            throw new InvalidInputException(what + " needs a path relative to the project directory");
        }
        String unified = path.strip().replace('\\', '/');
        boolean absolute = unified.startsWith("/") || unified.matches("^[A-Za-z]:.*");
        if (absolute || unified.equals("~") || unified.startsWith("~/")) {
            throw new InvalidInputException(what + ": path '" + path + "' is absolute; give it relative to the "
                    + "project directory");
        }
        String normal = normalise(unified);
        if (normal.equals("..") || normal.startsWith("../")) {
            throw new InvalidInputException(what + ": path '" + path + "' leads outside the project directory ("
                    + normal + "); give a path inside it");
        }
        if (normal.equals(ROOT)) {
            throw new InvalidInputException(what + ": path '" + path + "' names the project directory itself; "
                    + "give a file inside it");
        }
        return normal;
    }

    /** Whether two normalised paths overlap: equal, one the root, or one a directory prefix of the other. */
    static boolean overlap(String a, String b) {
        return a.equals(b) || a.equals(ROOT) || b.equals(ROOT) || b.startsWith(directory(a))
                || a.startsWith(directory(b));
    }

    private static String directory(String path) {
        return path.endsWith("/") ? path : path + "/";
    }

    /** The paths of {@code wanted} that overlap any of {@code held}. */
    static List<String> overlapping(List<String> wanted, List<String> held) {
        return wanted.stream().filter(w -> held.stream().anyMatch(h -> overlap(w, h))).toList();
    }
}
