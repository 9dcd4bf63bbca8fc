package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a column's value is shaped and how a "modify" diff of update2 (ovsdb-server(7) 4.1.14)
 * changes it: a scalar is replaced, a set toggles each element in the diff, a map adds, removes
 * or replaces each pair.
 */
enum ColumnKind {
    SCALAR, SET, MAP;

    /** From a column's "type" in the schema (RFC 7047 3.2, <type>). */
    static ColumnKind of(JsonNode type) {
        if (type.isTextual()) {
            return SCALAR;
        }
        if (type.has("value")) {
            return MAP;
        }
        int min = type.path("min").asInt(1);
        JsonNode max = type.path("max");
        boolean single = max.isMissingNode() || (max.isInt() && max.asInt() == 1);
        return single && min == 1 ? SCALAR : SET;
    }
}
