package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.sdn.IpPrefix;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 */
final class RouteTransaction {

    /** Index of the "wait" in {@link #operations}: its failure means the epoch moved under us. */
    static final int FENCE = 0;

    final ArrayNode operations = Ovsdb.array();
    final Expectation expectation;
    final int inserts;
    final int deletes;

    RouteTransaction(String routerUuid, Map<String, String> routerExternalIds, String epochKey, String storedText,
            long stored, long epoch, String owner, List<String> deleteUuids, Map<IpPrefix, Set<InetAddress>> newRoutes) {
        ArrayNode whereRouter = Ovsdb.array(Ovsdb.condition("_uuid", "==", Ovsdb.uuid(routerUuid)));
        operations.add(fence(whereRouter, routerUuid, routerExternalIds, epochKey, storedText));

        List<JsonNode> named = new ArrayList<>();
        List<ObjectNode> insertedRows = new ArrayList<>();
        newRoutes.forEach((prefix, hops) -> hops.forEach(hop -> {
            String name = "route" + named.size();
            ObjectNode row = Ovsdb.object()
                    .put("ip_prefix", RouteText.prefix(prefix))
                    .put("nexthop", RouteText.address(hop));
            row.set("external_ids", Ovsdb.map(Map.of(RouterReplica.OWNER_KEY, owner)));
            operations.add(Ovsdb.insert(NbSchema.ROUTE, name, row));
            named.add(Ovsdb.namedUuid(name));
            insertedRows.add(row);
        }));

        ArrayNode mutations = Ovsdb.array();
        if (!deleteUuids.isEmpty()) {
            List<JsonNode> refs = new ArrayList<>();
            deleteUuids.forEach(u -> refs.add(Ovsdb.uuid(u)));
            mutations.add(Ovsdb.mutation("static_routes", "delete", Ovsdb.set(refs)));
        }
        if (!named.isEmpty()) {
            mutations.add(Ovsdb.mutation("static_routes", "insert", Ovsdb.set(named)));
        }
        String epochWritten = storedText == null || epoch > stored ? Long.toString(epoch) : null;
        if (epochWritten != null) {
            // RFC 7047 5.1: map "insert" leaves an existing key alone, so delete the key first.
            mutations.add(Ovsdb.mutation("external_ids", "delete", Ovsdb.stringSet(List.of(epochKey))));
            mutations.add(Ovsdb.mutation("external_ids", "insert", Ovsdb.map(Map.of(epochKey, epochWritten))));
        }
        if (!mutations.isEmpty()) {
            operations.add(Ovsdb.mutate(NbSchema.ROUTER, whereRouter, mutations));
        }
        operations.add(Ovsdb.comment("cairn " + owner + " epoch " + epoch + ": +" + named.size() + " -"
                + deleteUuids.size() + " static routes"));
        this.expectation = new Expectation(new HashSet<>(deleteUuids), insertedRows, epochWritten);
        this.inserts = named.size();
        this.deletes = deleteUuids.size();
    }

    /**
     * True when the reply (RFC 7047 4.1.3) says the transaction committed: a result for every
     * operation and none an error. (An aborted transaction's results before the failed operation
     * still name the uuids of inserts that were rolled back.)
     */
    boolean committed(JsonNode results) {
        if (results == null || !results.isArray() || results.size() < operations.size()) {
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
