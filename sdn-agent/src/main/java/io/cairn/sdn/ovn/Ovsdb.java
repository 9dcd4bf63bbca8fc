package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OVSDB's JSON notation (RFC 7047 section 5.1) for the atoms Cairn uses (strings and uuids), and
 * the operations of section 5.2 it sends.
 */
final class Ovsdb {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Ovsdb() {
    }

    static ArrayNode uuid(String uuid) {
        return NODES.arrayNode().add("uuid").add(uuid);
    }

    static ArrayNode namedUuid(String name) {
        return NODES.arrayNode().add("named-uuid").add(name);
    }

    static ArrayNode set(Collection<? extends JsonNode> atoms) {
        ArrayNode elements = NODES.arrayNode();
        elements.addAll(atoms);
        return NODES.arrayNode().add("set").add(elements);
    }

    static ArrayNode stringSet(Collection<String> atoms) {
        ArrayNode elements = NODES.arrayNode();
        atoms.forEach(elements::add);
        return NODES.arrayNode().add("set").add(elements);
    }

    static ArrayNode map(Map<String, String> pairs) {
        ArrayNode elements = NODES.arrayNode();
        pairs.forEach((k, v) -> elements.add(NODES.arrayNode().add(k).add(v)));
        return NODES.arrayNode().add("map").add(elements);
    }

    /** An atom as text: a string, a number, or the id of a ["uuid", id]. */
    static String atom(JsonNode json) {
        return json.isArray() ? json.path(1).asText() : json.asText();
    }

    /** The elements of a set; a one-element set may be sent as the bare atom (5.1). */
    static List<String> setElements(JsonNode json) {
        List<String> out = new ArrayList<>();
        if (json.isArray() && "set".equals(json.path(0).asText())) {
            json.path(1).forEach(e -> out.add(atom(e)));
        } else {
            out.add(atom(json));
        }
        return out;
    }

    static Map<String, String> mapPairs(JsonNode json) {
        Map<String, String> out = new LinkedHashMap<>();
        json.path(1).forEach(pair -> out.put(atom(pair.path(0)), atom(pair.path(1))));
        return out;
    }

    /** ["col", "==", value] and friends (5.1 condition). */
    static ArrayNode condition(String column, String function, JsonNode value) {
        return NODES.arrayNode().add(column).add(function).add(value);
    }

    static ArrayNode mutation(String column, String mutator, JsonNode value) {
        return condition(column, mutator, value);
    }

    static ObjectNode insert(String table, String uuidName, ObjectNode row) {
        ObjectNode op = NODES.objectNode().put("op", "insert").put("table", table).put("uuid-name", uuidName);
        op.set("row", row);
        return op;
    }

    static ObjectNode mutate(String table, ArrayNode where, ArrayNode mutations) {
        ObjectNode op = NODES.objectNode().put("op", "mutate").put("table", table);
        op.set("where", where);
        op.set("mutations", mutations);
        return op;
    }

    /** RFC 7047 5.2.2. */
    static ObjectNode select(String table, ArrayNode where, Collection<String> columns) {
        ObjectNode op = NODES.objectNode().put("op", "select").put("table", table);
        op.set("where", where);
        op.set("columns", stringArray(columns));
        return op;
    }

    /**
     * RFC 7047 5.2.6 with timeout 0: the transaction aborts at once unless the rows {@code where}
     * selects, projected onto {@code columns}, are exactly {@code rows}.
     */
    static ObjectNode waitUntilEqual(String table, ArrayNode where, List<String> columns, ArrayNode rows) {
        ObjectNode op = NODES.objectNode().put("op", "wait").put("table", table).put("timeout", 0);
        op.set("where", where);
        op.set("columns", stringArray(columns));
        op.put("until", "==");
        op.set("rows", rows);
        return op;
    }

    static ObjectNode comment(String text) {
        return NODES.objectNode().put("op", "comment").put("comment", text);
    }

    static ArrayNode array(JsonNode... elements) {
        ArrayNode a = NODES.arrayNode();
        for (JsonNode e : elements) {
            a.add(e);
        }
        return a;
    }

    static ArrayNode stringArray(Collection<String> elements) {
        ArrayNode a = NODES.arrayNode();
        elements.forEach(a::add);
        return a;
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }
}
