package io.cairn.node.interop;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test fixture started, closed in reverse order of starting. A failing close is reported
 * and does not stop the others, so no daemon outlives a failed test.
 */
final class Parts implements AutoCloseable {

    private final List<AutoCloseable> started = new ArrayList<>();

    <T extends AutoCloseable> T add(T part) {
        started.add(part);
        return part;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            AutoCloseable c = started.get(i);
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("interop: closing " + c + ": " + e);
            }
        }
        started.clear();
    }
}
