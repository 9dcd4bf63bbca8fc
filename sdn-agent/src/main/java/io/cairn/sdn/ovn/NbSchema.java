package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.sdn.SdnException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of the OVN northbound schema (ovn-nb(5)) Cairn relies on, checked against what the
 * server actually serves so a wrong database fails with a message naming the table and column.
 */
final class NbSchema {

    static final String DB = "OVN_Northbound";
    static final String ROUTER = "Logical_Router";
    static final String ROUTE = "Logical_Router_Static_Route";

    private static final List<String> ROUTER_COLUMNS = List.of("name", "static_routes", "external_ids");
    private static final List<String> ROUTE_COLUMNS = List.of("ip_prefix", "nexthop", "external_ids");
    /**
     * Columns that change what a route means (newer schemas have more of them). A row of Cairn's
     * with any of them set was changed by hand and is not one Cairn would have written.
     */
    static final List<String> ROUTE_MODIFIERS = List.of("policy", "route_table", "output_port", "bfd", "options");

    final Map<String, ColumnKind> routerColumns;
    final Map<String, ColumnKind> routeColumns;

    private NbSchema(Map<String, ColumnKind> routerColumns, Map<String, ColumnKind> routeColumns) {
        this.routerColumns = routerColumns;
        this.routeColumns = routeColumns;
    }

    /** Checks a get_schema result (RFC 7047 4.1.2); every problem is a non-retryable error. */
    static NbSchema check(JsonNode schema, OvsdbRemote remote) throws SdnException {
        List<String> problems = new ArrayList<>();
        Map<String, ColumnKind> router = columns(schema, ROUTER, ROUTER_COLUMNS, List.of(), problems);
        Map<String, ColumnKind> route = columns(schema, ROUTE, ROUTE_COLUMNS, ROUTE_MODIFIERS, problems);
        if (!problems.isEmpty()) {
            throw new SdnException("database " + DB + " at " + remote + " (schema version "
                    + schema.path("version").asText("?") + ") is not usable: " + String.join("; ", problems), false);
        }
        return new NbSchema(router, route);
    }

    private static Map<String, ColumnKind> columns(JsonNode schema, String table, List<String> required,
            List<String> optional, List<String> problems) {
        Map<String, ColumnKind> out = new LinkedHashMap<>();
        JsonNode columns = schema.path("tables").path(table).path("columns");
        if (columns.isMissingNode()) {
            problems.add("no table " + table);
            return out;
        }
        for (String c : required) {
            if (columns.has(c)) {
                out.put(c, ColumnKind.of(columns.path(c).path("type")));
            } else {
                problems.add("table " + table + " has no column " + c);
            }
        }
        for (String c : optional) {
            if (columns.has(c)) {
                out.put(c, ColumnKind.of(columns.path(c).path("type")));
            }
        }
        return out;
    }
}
