package io.cairn.node.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Columns aligned on the widest cell, two spaces apart, as birdc and gobgp print them. */
final class Table {

    /** Shown for a value that is absent (no MED, a session that is not up). */
    static final String NONE = "-";

    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> c == null || c.toString().isEmpty() ? NONE : c.toString())
                .toArray(String[]::new));
        return this;
    }

    /** True when only the header is there. */
    boolean isEmpty() {
        return rows.size() == 1;
    }

    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
