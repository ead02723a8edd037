package dev.cairn.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one table printer of the text outputs: a header row (or none), columns as wide as their widest cell, two spaces
 * between them, numbers right-aligned, the last column not padded. A missing value prints as {@code -}.
 *
 * <pre>{@code
 * Table.of("RUN", "STATUS", "STEPS").row(run.id(), run.status(), run.stepCount()).print(out);
 * }</pre>
 */
final class Table {
    private final String[] headers;
    private final List<Object[]> rows = new ArrayList<>();
    private String indent = "";

    private Table(String[] headers) {
        this.headers = headers;
    }

    /** A table with a header row naming its columns. */
    static Table of(String... headers) {
        return new Table(headers);
    }

    /** A table without a header row (an indented section of a view). */
    static Table headless() {
        return new Table(null);
    }

    /** Prefixes every line with {@code indent}. */
    Table indent(String indent) {
        this.indent = indent;
        return this;
    }

    Table row(Object... cells) {
        if (headers != null && cells.length != headers.length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + headers.length
                    + " columns");
        }
        rows.add(cells.clone());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    void print(PrintWriter out) {
        int columns = headers != null ? headers.length : rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] widths = new int[columns];
        boolean[] numeric = new boolean[columns];
        Arrays.fill(numeric, !rows.isEmpty());
        if (headers != null) {
            for (int c = 0; c < columns; c++) {
                widths[c] = headers[c].length();
            }
        }
        for (Object[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], text(row[c]).length());
                numeric[c] &= row[c] == null || row[c] instanceof Number;
            }
        }
        if (headers != null) {
            line(out, headers, widths, new boolean[columns]);
        }
        for (Object[] row : rows) {
            line(out, row, widths, numeric);
        }
        out.flush();
    }

    private void line(PrintWriter out, Object[] cells, int[] widths, boolean[] right) {
        StringBuilder line = new StringBuilder(indent);
        for (int c = 0; c < cells.length; c++) {
            String text = text(cells[c]);
            boolean last = c == cells.length - 1;
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[c] - text.length());
            if (right[c]) {
                line.append(pad).append(text);
            } else {
                line.append(text);
                if (!last) {
                    line.append(pad);
                }
            }
        }
        out.println(line.toString().stripTrailing());
    }

    /** Text cut to at most {@code max} characters on one line, ending in "..." when cut. */
    static String shorten(String text, int max) {
        String line = text.replace('\n', ' ');
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }

    /** An instant to the second, as the tables show times. */
    static String time(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String text(Object cell) {
        return cell == null ? "-" : cell.toString();
    }
}
