package dev.cairn.internal.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a migration file into statements, so that each runs on its own and a failure can name the one that failed.
 *
 * <p>Written by hand because JDBC has no portable multi-statement execute and the migration libraries that have a
 * parser (Flyway) are too heavy to load on every open. It knows what our migration files use: {@code --} and
 * {@code /* *}{@code /} comments, quoted strings and identifiers, PostgreSQL dollar quotes, and SQLite's
 * {@code CREATE TRIGGER ... BEGIN ... END;} bodies, whose inner semicolons do not end the statement.
 */
public final class SqlScript {
    /** One statement and the line of the file it starts on. */
    public record Statement(int line, String sql) {}

    private SqlScript() {}

    public static List<Statement> split(String script) {
        List<Statement> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = -1;
        int i = 0;
        int n = script.length();
        while (i < n) {
            char c = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : '\0';
            if (c == '-' && next == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end;
                continue;
            }
            if (c == '/' && next == '*') {
                int end = script.indexOf("*/", i + 2);
                int stop = end < 0 ? n : end + 2;
                line += count(script, i, stop, '\n');
                current.append(' ');
                i = stop;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                int stop = endOfQuoted(script, i, c);
                if (startLine < 0) {
                    startLine = line;
                }
                line += count(script, i, stop, '\n');
                current.append(script, i, stop);
                i = stop;
                continue;
            }
            if (c == '$') {
                int tagEnd = script.indexOf('$', i + 1);
                if (tagEnd > 0 && script.substring(i + 1, tagEnd).matches("[A-Za-z0-9_]*")) {
                    String tag = script.substring(i, tagEnd + 1);
                    int close = script.indexOf(tag, tagEnd + 1);
                    int stop = close < 0 ? n : close + tag.length();
                    line += count(script, i, stop, '\n');
                    current.append(script, i, stop);
                    i = stop;
                    continue;
                }
            }
            if (c == ';' && !insideTriggerBody(current)) {
                add(statements, current, startLine);
                current.setLength(0);
                startLine = -1;
                i++;
                continue;
            }
            if (c == '\n') {
                line++;
            } else if (!Character.isWhitespace(c) && startLine < 0) {
                startLine = line;
            }
            current.append(c);
            i++;
        }
        add(statements, current, startLine);
        return statements;
    }

    private static void add(List<Statement> statements, StringBuilder current, int startLine) {
        String sql = current.toString().strip();
        if (!sql.isEmpty()) {
            statements.add(new Statement(startLine, sql));
        }
    }

    private static int endOfQuoted(String script, int start, char quote) {
        int i = start + 1;
        while (i < script.length()) {
            if (script.charAt(i) == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2; // doubled quote inside the literal
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return script.length();
    }

    private static boolean insideTriggerBody(StringBuilder current) {
        String upper = current.toString().strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (!upper.matches("^CREATE (TEMP |TEMPORARY )?TRIGGER .*")) {
            return false;
        }
        return upper.contains(" BEGIN") && !upper.matches(".*\\bEND$");
    }

    private static int count(String s, int from, int to, char c) {
        int count = 0;
        for (int i = from; i < to && i < s.length(); i++) {
            if (s.charAt(i) == c) {
                count++;
            }
        }
        return count;
    }
}
