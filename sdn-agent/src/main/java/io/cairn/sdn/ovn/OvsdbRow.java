package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One monitored row of the local replica, columns as plain Java values: a String for a scalar,
 * a Set of atoms for a set, a Map for a map. Columns absent from an update hold their type's
 * default, since update2 omits columns equal to it (ovsdb-server(7) 4.1.14).
 */
final class OvsdbRow {

    private final Map<String, ColumnKind> kinds;
    private final Map<String, Object> values = new HashMap<>();

    OvsdbRow(Map<String, ColumnKind> kinds) {
        this.kinds = kinds;
    }

    /** Applies a row of "initial"/"insert" ({@code diff} false) or of "modify" ({@code diff} true). */
    void apply(JsonNode row, boolean diff) {
        Iterator<Map.Entry<String, JsonNode>> it = row.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> column = it.next();
            ColumnKind kind = kinds.get(column.getKey());
            if (kind == null) {
                continue;
            }
            JsonNode json = column.getValue();
            switch (kind) {
                case SCALAR:
                    values.put(column.getKey(), Ovsdb.atom(json));
                    break;
                case SET:
                    Set<String> set = diff ? set(column.getKey()) : new LinkedHashSet<>();
                    for (String e : Ovsdb.setElements(json)) {
                        if (!(diff && set.remove(e))) {
                            set.add(e);
                        }
                    }
                    values.put(column.getKey(), set);
                    break;
                default:
                    Map<String, String> map = diff ? map(column.getKey()) : new LinkedHashMap<>();
                    Ovsdb.mapPairs(json).forEach((k, v) -> {
                        if (diff && v.equals(map.get(k))) {
                            map.remove(k);
                        } else {
                            map.put(k, v);
                        }
                    });
                    values.put(column.getKey(), map);
            }
        }
    }

    /** Sets a scalar column; returns this row. */
    OvsdbRow scalar(String column, String value) {
        values.put(column, value);
        return this;
    }

    String scalar(String column) {
        Object v = values.get(column);
        return v == null ? "" : (String) v;
    }

    @SuppressWarnings("unchecked")
    Set<String> set(String column) {
        return (Set<String>) values.computeIfAbsent(column, c -> new LinkedHashSet<String>());
    }

    @SuppressWarnings("unchecked")
    Map<String, String> map(String column) {
        return (Map<String, String>) values.computeIfAbsent(column, c -> new LinkedHashMap<String, String>());
    }

    /** True when every one of these set or map columns is empty (or not in the schema at all). */
    boolean allEmpty(Collection<String> columns) {
        for (String c : columns) {
            Object v = values.get(c);
            if (v instanceof Collection<?> s ? !s.isEmpty() : v instanceof Map<?, ?> m && !m.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
