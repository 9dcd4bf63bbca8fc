package io.cairn.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * One YAML mapping of the config, at a key path such as {@code peers[1]}. Creating it reports
 * unknown keys; its getters read values and report problems under the full key path, returning
 * null for anything invalid so reading can go on and find the next problem.
 * A key whose value is null counts as absent, so {@code password: null} means "no password".
 */
final class Mapping {

    private final JsonNode node;
    private final String path;
    private final Problems problems;

    private Mapping(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /**
     * The mapping {@code node} at {@code path}; absent or null is an empty mapping, whose reads
     * give defaults or report "required". Anything else is reported, and null returned: its keys
     * cannot be read, and reporting each as missing would bury the one real problem.
     */
    static Mapping of(JsonNode node, String path, Problems problems, List<String> knownKeys) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Mapping(MissingNode.getInstance(), path, problems);
        }
        if (!node.isObject()) {
            problems.add(path, "must be a mapping of keys to values, not " + Values.describe(node));
            return null;
        }
        Mapping m = new Mapping(node, path, problems);
        m.reportUnknownKeys(knownKeys);
        return m;
    }

    private void reportUnknownKeys(List<String> knownKeys) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!knownKeys.contains(key)) {
                problems.add(pathOf(key), unknownKeyMessage(key, knownKeys));
            }
        }
    }

    /** Suggests the kebab-case key for "holdTime" or "hold_time", else lists the known ones. */
    private static String unknownKeyMessage(String key, List<String> knownKeys) {
        for (String known : knownKeys) {
            if (squash(known).equals(squash(key))) {
                return "unknown key; did you mean " + known + "?";
            }
        }
        return "unknown key (known: " + String.join(", ", knownKeys) + ")";
    }

    private static String squash(String key) {
        return key.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean isSet(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** The value of {@code key}, or null after reporting it as missing or invalid. */
    <T> T required(String key, Values.Reader<T> reader) {
        if (!isSet(key)) {
            problems.add(pathOf(key), "required");
            return null;
        }
        return read(key, reader);
    }

    /** The value of {@code key}, its default when absent, or null after reporting it invalid. */
    <T> T optional(String key, Values.Reader<T> reader, T defaultValue) {
        return isSet(key) ? read(key, reader) : defaultValue;
    }

    private <T> T read(String key, Values.Reader<T> reader) {
        try {
            return reader.read(node.get(key));
        } catch (Values.Invalid e) {
            problems.add(pathOf(key), e.getMessage());
            return null;
        }
    }

    /** A nested mapping; null (after reporting) if it is required but absent, or not a mapping. */
    Mapping section(String key, boolean required, List<String> knownKeys) {
        if (required && !isSet(key)) {
            problems.add(pathOf(key), "required");
            return null;
        }
        return of(node.get(key), pathOf(key), problems, knownKeys);
    }

    /** One element of a list, with its key path, e.g. {@code peers[2]}. */
    record Element(JsonNode value, String path) {
    }

    /** The elements of the list at {@code key}; empty if absent, or after reporting a non-list. */
    List<Element> list(String key) {
        List<Element> elements = new ArrayList<>();
        if (!isSet(key)) {
            return elements;
        }
        JsonNode v = node.get(key);
        if (!v.isArray()) {
            problems.add(pathOf(key), "must be a list, not " + Values.describe(v));
            return elements;
        }
        for (int i = 0; i < v.size(); i++) {
            elements.add(new Element(v.get(i), pathOf(key) + "[" + i + "]"));
        }
        return elements;
    }

    /** Reads one list element as a scalar, reporting under its own path. */
    <T> T read(Element element, Values.Reader<T> reader) {
        if (element.value().isNull()) {
            problems.add(element.path(), "must not be null");
            return null;
        }
        try {
            return reader.read(element.value());
        } catch (Values.Invalid e) {
            problems.add(element.path(), e.getMessage());
            return null;
        }
    }
}
