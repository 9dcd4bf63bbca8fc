package io.cairn.node.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Problems found in one config, each a line "key.path: what is wrong". Validation goes on after
 * a problem so the operator sees every mistake in one run, not one per edit.
 */
final class Problems {

    private final List<String> lines = new ArrayList<>();

    void add(String path, String message) {
        lines.add(path + ": " + message);
    }

    /** A position to ask {@link #noneSince} about, to tell whether one part was valid. */
    int mark() {
        return lines.size();
    }

    boolean noneSince(int mark) {
        return lines.size() == mark;
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }
}
