package io.cairn.sdn.ovn;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.sdn.IpPrefix;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * One OVSDB transaction (RFC 7047 4.1.3) applying a batch, fenced by the epoch:
 * <ol>
 * <li>"wait" (5.2.6, timeout 0) that the router's epoch key still holds the value read before,
 * so a transaction planned on a stale view, or racing another writer, aborts whole;</li>
 * <li>one "insert" per new row, with a uuid-name;</li>
 * <li>one "mutate" of the router: static_routes loses the deleted rows (which, not being a root
 * table's, the server then garbage-collects) and gains the named new ones, and the epoch key is
 * raised to this writer's epoch if that is higher;</li>
 * <li>a "comment" naming the writer, kept in the database log.</li>
 * </ol>
 * The inserts and the two static_routes sets, thousands of elements in a batch, are written
 * straight to the wire by {@link #write} rather than built as a JSON tree first: for 100k routes
 * that tree was 150k operations of a dozen nodes each, built, serialized and dropped.
 */
final class RouteTransaction implements OvsdbConnection.Operations {

    /** Index of the "wait" in the operations: its failure means the epoch moved under us. */
    static final int FENCE = 0;
    private static final String NAME_PREFIX = "route";

    final Expectation expectation;
    final int inserts;
    final int deletes;
    private final String owner;
    private final ObjectNode fence;
    private final ArrayNode whereRouter;
    private final List<String> deleteUuids;
    private final List<NewRoute> newRoutes;
    /** The epoch key's mutations (delete, then insert of the new value), or null to leave it alone. */
    private final List<ArrayNode> epochMutations;
    private final ObjectNode comment;

    /** A row to insert: the route, and its ip_prefix and nexthop as written (see {@link RouteText}). */
    record NewRoute(IpPrefix prefix, InetAddress nexthop, String prefixText, String nexthopText) {
    }

    RouteTransaction(String routerUuid, Map<String, String> routerExternalIds, String epochKey, String storedText,
            long stored, long epoch, String owner, List<String> deleteUuids, Map<IpPrefix, Set<InetAddress>> newRoutes) {
        this.owner = owner;
        this.whereRouter = Ovsdb.array(Ovsdb.condition("_uuid", "==", Ovsdb.uuid(routerUuid)));
        this.fence = fence(whereRouter, routerUuid, routerExternalIds, epochKey, storedText);
        this.deleteUuids = deleteUuids;
        this.newRoutes = new ArrayList<>();
        newRoutes.forEach((prefix, hops) -> {
            String prefixText = RouteText.prefix(prefix);
            hops.forEach(hop -> this.newRoutes.add(new NewRoute(prefix, hop, prefixText, RouteText.address(hop))));
        });
        String epochWritten = storedText == null || epoch > stored ? Long.toString(epoch) : null;
        // RFC 7047 5.1: map "insert" leaves an existing key alone, so delete the key first.
        this.epochMutations = epochWritten == null ? null
                : List.of(Ovsdb.mutation("external_ids", "delete", Ovsdb.stringSet(List.of(epochKey))),
                        Ovsdb.mutation("external_ids", "insert", Ovsdb.map(Map.of(epochKey, epochWritten))));
        this.comment = Ovsdb.comment("cairn " + owner + " epoch " + epoch + ": +" + this.newRoutes.size() + " -"
                + deleteUuids.size() + " static routes");
        this.expectation = new Expectation(new HashSet<>(deleteUuids), this.newRoutes, epochWritten);
        this.inserts = this.newRoutes.size();
        this.deletes = deleteUuids.size();
    }

    private boolean mutates() {
        return !deleteUuids.isEmpty() || !newRoutes.isEmpty() || epochMutations != null;
    }

    /** How many operations the transaction has: the reply has a result for each. */
    int operationCount() {
        return 1 + newRoutes.size() + (mutates() ? 1 : 0) + 1;
    }

    /** Operation {@code i} as "op on table", for error messages. */
    String describe(int i) {
        if (i == FENCE) {
            return "wait on " + NbSchema.ROUTER;
        }
        if (i <= newRoutes.size()) {
            return "insert on " + NbSchema.ROUTE;
        }
        return i == newRoutes.size() + 1 && mutates() ? "mutate on " + NbSchema.ROUTER : "comment";
    }

    @Override
    public void write(JsonGenerator g) throws IOException {
        g.writeTree(fence);
        for (int i = 0; i < newRoutes.size(); i++) {
            writeInsert(g, i, newRoutes.get(i));
        }
        if (mutates()) {
            g.writeStartObject();
            g.writeStringField("op", "mutate");
            g.writeStringField("table", NbSchema.ROUTER);
            g.writeFieldName("where");
            g.writeTree(whereRouter);
            g.writeArrayFieldStart("mutations");
            if (!deleteUuids.isEmpty()) {
                writeStaticRoutesMutation(g, "delete", "uuid", deleteUuids.size(), deleteUuids::get);
            }
            if (!newRoutes.isEmpty()) {
                writeStaticRoutesMutation(g, "insert", "named-uuid", newRoutes.size(), i -> NAME_PREFIX + i);
            }
            if (epochMutations != null) {
                for (ArrayNode m : epochMutations) {
                    g.writeTree(m);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeTree(comment);
    }

    /** {"op": "insert", "table": ..., "uuid-name": "routeI", "row": {ip_prefix, nexthop, external_ids}}. */
    private void writeInsert(JsonGenerator g, int i, NewRoute route) throws IOException {
        g.writeStartObject();
        g.writeStringField("op", "insert");
        g.writeStringField("table", NbSchema.ROUTE);
        g.writeStringField("uuid-name", NAME_PREFIX + i);
        g.writeObjectFieldStart("row");
        g.writeStringField("ip_prefix", route.prefixText());
        g.writeStringField("nexthop", route.nexthopText());
        g.writeFieldName("external_ids");
        g.writeStartArray(); // ["map", [[OWNER_KEY, owner]]]
        g.writeString("map");
        g.writeStartArray();
        g.writeStartArray();
        g.writeString(RouterReplica.OWNER_KEY);
        g.writeString(owner);
        g.writeEndArray();
        g.writeEndArray();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** ["static_routes", mutator, ["set", [[kind, id], ...]]] (RFC 7047 5.1 mutation, set of uuids). */
    private static void writeStaticRoutesMutation(JsonGenerator g, String mutator, String kind, int n,
            IntFunction<String> id) throws IOException {
        g.writeStartArray();
        g.writeString("static_routes");
        g.writeString(mutator);
        g.writeStartArray();
        g.writeString("set");
        g.writeStartArray();
        for (int i = 0; i < n; i++) {
            g.writeStartArray();
            g.writeString(kind);
            g.writeString(id.apply(i));
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndArray();
        g.writeEndArray();
    }

    /**
     * True when the reply (RFC 7047 4.1.3) says the transaction committed: a result for every
     * operation and none an error. (An aborted transaction's results before the failed operation
     * still name the uuids of inserts that were rolled back.)
     */
    boolean committed(JsonNode results) {
        if (results == null || !results.isArray() || results.size() < operationCount()) {
            return false;
        }
        for (JsonNode r : results) {
            JsonNode error = r.path("error");
            if (!error.isMissingNode() && !error.isNull()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The epoch check. With the key present: the router still has exactly that pair among its
     * external_ids (other keys, such as a CMS's own, may change freely). With the key absent
     * (nobody has written yet): the router's whole external_ids is still what was read.
     */
    private static ObjectNode fence(ArrayNode whereRouter, String routerUuid, Map<String, String> externalIds,
            String epochKey, String storedText) {
        if (storedText == null) {
            ObjectNode expected = Ovsdb.object();
            expected.set("external_ids", Ovsdb.map(externalIds));
            return Ovsdb.waitUntilEqual(NbSchema.ROUTER, whereRouter, List.of("external_ids"), Ovsdb.array(expected));
        }
        ArrayNode where = whereRouter.deepCopy();
        where.add(Ovsdb.condition("external_ids", "includes", Ovsdb.map(Map.of(epochKey, storedText))));
        ObjectNode expected = Ovsdb.object();
        expected.set("_uuid", Ovsdb.uuid(routerUuid));
        return Ovsdb.waitUntilEqual(NbSchema.ROUTER, where, List.of("_uuid"), Ovsdb.array(expected));
    }
}
