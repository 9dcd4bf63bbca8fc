package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.sdn.FencedException;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnException;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The local copy, kept by a conditional monitor, of the configured Logical_Router (name,
 * static_routes, external_ids) and of the Logical_Router_Static_Route rows tagged as this
 * owner's. Reads and transaction planning work on it, so neither costs a round trip. Updates
 * arrive on the event loop; readers take the same lock.
 *
 * <p>The monitor does not send inserted route rows back (its "select" has insert false): for
 * 100k routes that echo was tens of MB that ovsdb-server had to build and Cairn to parse. Cairn's
 * own inserts are learned from the transaction's reply instead, which names each new row's uuid.
 * A row someone else inserts shows as a uuid the router's static_routes gains that the replica
 * does not know; once no transaction of Cairn's is in flight (so the uuid cannot be one of its
 * own inserts still unanswered), such uuids are handed out by {@link #takeUnknownReferences()}
 * to be looked up, and {@link #found} adds those tagged as this owner's. (A row that is tagged as
 * Cairn's only after it was inserted is not learned this way; the next reconnect's full
 * monitor reply has it.)
 */
final class RouterReplica {

    static final String OWNER_KEY = "cairn-owner";

    private final String routerName;
    private final String owner;
    private final String epochKey;
    private NbSchema schema;
    /** The route columns kept per row: those that say what a route means (not external_ids). */
    private Map<String, ColumnKind> routeColumns;
    private final Map<String, OvsdbRow> routers = new HashMap<>();
    private final OwnedRoutes owned = new OwnedRoutes();
    /**
     * The columns of Cairn's rows that {@link StaticRoute#columns} would not rebuild (edited by
     * hand, or written by someone else in another form), to apply "modify" diffs to. Rows as
     * Cairn writes them, nearly all, are kept as their {@link StaticRoute} alone: 100k rows of
     * column maps were a good part of the heap the collector copied during a full sync.
     */
    private final Map<String, OvsdbRow> irregular = new HashMap<>();
    /** Cairn's transactions sent and not yet answered, oldest first. */
    private final List<Expectation> inFlight = new ArrayList<>();
    /** uuids the router's static_routes gained that are not (yet) known rows of Cairn's. */
    private final Set<String> unknownReferences = new HashSet<>();
    /**
     * Rows deleted while a transaction was in flight that the replica did not know: one of its
     * inserts, deleted again before its reply arrived (only possible where other transactions
     * commit between Cairn's commit and its reply, as in a clustered database).
     */
    private final Set<String> deletedUnknown = new HashSet<>();
    /** What table() last built; dropped by every update, so a converged reconcile reads in O(1). */
    private RouteTable table;

    RouterReplica(String routerName, String owner) {
        this.routerName = routerName;
        this.owner = owner;
        this.epochKey = "cairn-epoch:" + owner;
    }

    String epochKey() {
        return epochKey;
    }

    /** Starts over for a new connection, before its monitor's initial rows arrive. */
    synchronized void reset(NbSchema schema) {
        this.schema = schema;
        this.routeColumns = new LinkedHashMap<>(schema.routeColumns);
        routeColumns.remove("external_ids"); // the monitor's condition selects by it; nothing reads it
        routers.clear();
        irregular.clear();
        owned.clear();
        inFlight.clear();
        unknownReferences.clear();
        deletedUnknown.clear();
        table = null;
    }

    /** Marks the changes a transaction about to be sent will make. */
    synchronized void expect(Expectation expectation) {
        inFlight.add(expectation);
    }

    /**
     * The transaction's reply arrived ({@code committedResults} its results if it committed, else
     * null): its inserted rows join the replica under the uuids the reply gives them.
     */
    synchronized void answered(Expectation expectation, JsonNode committedResults) {
        inFlight.remove(expectation);
        if (committedResults != null) {
            table = null;
            List<RouteTransaction.NewRoute> inserted = expectation.insertedRows();
            for (int i = 0; i < inserted.size(); i++) {
                String uuid = Expectation.insertedUuid(committedResults, i);
                unknownReferences.remove(uuid);
                if (!deletedUnknown.contains(uuid)) {
                    StaticRoute route = StaticRoute.inserted(uuid, inserted.get(i));
                    keep(route, route.insertedRow(routeColumns, inserted.get(i)));
                }
            }
        }
        if (inFlight.isEmpty()) {
            deletedUnknown.clear();
        }
    }

    /**
     * The uuids to look up (see the class comment), now that none can be an insert of Cairn's
     * awaiting its reply; empty while a transaction is in flight. Each is handed out once.
     */
    synchronized List<String> takeUnknownReferences() {
        if (!inFlight.isEmpty() || unknownReferences.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(unknownReferences);
        unknownReferences.clear();
        return out;
    }

    /**
     * The look-up of {@code uuid} answered with {@code rows} (a "select" result's rows, at most
     * one, only if tagged as this owner's). Returns true when it found a row of Cairn's that
     * Cairn did not write: drift.
     */
    synchronized boolean found(String uuid, JsonNode rows) {
        if (rows.size() == 0) {
            return false;
        }
        table = null;
        learn(uuid, rows.get(0));
        return true;
    }

    private void learn(String uuid, JsonNode columns) {
        OvsdbRow row = new OvsdbRow(routeColumns);
        row.apply(columns, false);
        store(uuid, row);
    }

    /** Adds or replaces the row {@code uuid} of Cairn's with these columns. */
    private void store(String uuid, OvsdbRow row) {
        StaticRoute route = StaticRoute.of(uuid, row);
        keep(route, route.rebuilds(row) ? null : row);
    }

    /** Adds or replaces a row of Cairn's; {@code columns} null when the route rebuilds them. */
    private void keep(StaticRoute route, OvsdbRow columns) {
        owned.put(route);
        if (columns == null) {
            irregular.remove(route.uuid());
        } else {
            irregular.put(route.uuid(), columns);
        }
    }

    /** The columns of a known row of Cairn's, or null. */
    private OvsdbRow columns(String uuid) {
        OvsdbRow row = irregular.get(uuid);
        if (row != null) {
            return row;
        }
        StaticRoute route = owned.get(uuid);
        return route == null ? null : route.columns(routeColumns);
    }

    private boolean expectedDelete(String uuid) {
        for (Expectation e : inFlight) {
            if (e.deletes(uuid)) {
                return true;
            }
        }
        return false;
    }

    private boolean expectedEpoch(String value) {
        for (Expectation e : inFlight) {
            if (e.writesEpoch(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies table-updates2 (ovsdb-server(7) 4.1.14). Returns true when Cairn's entries or the
     * stored epoch changed in a way the transaction in flight does not explain: drift.
     */
    synchronized boolean apply(JsonNode updates) {
        table = null;
        boolean drift = false;
        Set<String> goneNow = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = updates.path(NbSchema.ROUTE).fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String uuid = e.getKey();
            JsonNode update = e.getValue();
            if (update.has("delete")) {
                irregular.remove(uuid);
                if (!owned.remove(uuid) && !inFlight.isEmpty()) {
                    deletedUnknown.add(uuid);
                }
                goneNow.add(uuid);
                drift |= !expectedDelete(uuid);
                continue;
            }
            boolean fresh = !update.has("modify");
            OvsdbRow row = fresh ? new OvsdbRow(routeColumns) : columns(uuid);
            if (row == null) {
                continue; // a row not learned yet: its look-up or its transaction's reply has it as it is now
            }
            row.apply(fresh ? update.path(update.has("insert") ? "insert" : "initial") : update.path("modify"), !fresh);
            store(uuid, row);
            // Cairn never modifies its rows, and its inserts are not sent: either is someone else's
            drift |= update.has("modify") || update.has("insert");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = updates.path(NbSchema.ROUTER).fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode update = e.getValue();
            if (update.has("modify")) {
                drift |= applyRouterModify(e.getKey(), update.path("modify"), goneNow);
            } else if (update.has("delete")) {
                routers.remove(e.getKey());
                owned.routerChanged();
                drift = true;
            } else {
                OvsdbRow row = new OvsdbRow(schema.routerColumns);
                row.apply(update.path(update.has("insert") ? "insert" : "initial"), false);
                routers.put(e.getKey(), row);
                owned.routerChanged();
                drift |= update.has("insert");
            }
        }
        return drift;
    }

    private boolean applyRouterModify(String uuid, JsonNode modify, Set<String> goneNow) {
        OvsdbRow router = routers.get(uuid);
        if (router == null) {
            return false;
        }
        String epochBefore = router.map("external_ids").get(epochKey);
        router.apply(modify, true);
        String epochAfter = router.map("external_ids").get(epochKey);
        boolean drift = epochAfter != null && !epochAfter.equals(epochBefore) && !expectedEpoch(epochAfter);
        if (modify.has("static_routes")) {
            Set<String> referenced = router.set("static_routes");
            for (String ref : Ovsdb.setElements(modify.path("static_routes"))) {
                owned.referenceChanged(ref);
                boolean ours = owned.contains(ref) || goneNow.contains(ref);
                drift |= ours && !expectedDelete(ref);
                if (ours || !referenced.contains(ref)) {
                    unknownReferences.remove(ref);
                } else {
                    unknownReferences.add(ref);
                }
            }
        }
        return drift;
    }

    /** Cairn's routes on the router: the exact rows it references, grouped by prefix. */
    synchronized RouteTable table() throws SdnException {
        Set<String> referenced = router().set("static_routes");
        if (table != null) {
            return table;
        }
        table = new RouteTable(owned.installed(referenced)); // a sorted map: copied without comparisons
        return table;
    }

    /**
     * The fenced transaction that applies {@code diff}: rows to delete are Cairn's rows of the
     * prefixes concerned that are not exactly wanted; rows to insert are the next hops missing.
     *
     * @throws FencedException when the stored epoch is already higher than {@code epoch}
     */
    synchronized RouteTransaction plan(long epoch, RouteDiff diff) throws SdnException {
        Map.Entry<String, OvsdbRow> router = routerEntry();
        Map<String, String> externalIds = router.getValue().map("external_ids");
        String storedText = externalIds.get(epochKey);
        long stored = parseEpoch(storedText);
        if (stored > epoch) {
            throw new FencedException(epoch, stored);
        }
        Set<String> referenced = router.getValue().set("static_routes");
        List<String> deletes = new ArrayList<>(owned.referencedUnparsable(referenced));
        diff.removals().forEach(p -> owned.referenced(p, referenced).forEach(r -> deletes.add(r.uuid())));
        Map<IpPrefix, Set<InetAddress>> inserts = new TreeMap<>();
        diff.upserts().forEach((prefix, hops) -> {
            Set<InetAddress> missing = new LinkedHashSet<>(hops);
            for (StaticRoute r : owned.referenced(prefix, referenced)) {
                if (!(r.exact() && missing.remove(r.nexthop()))) {
                    deletes.add(r.uuid()); // a duplicate, a next hop no longer wanted, or edited by hand
                }
            }
            if (!missing.isEmpty()) {
                inserts.put(prefix, missing);
            }
        });
        return new RouteTransaction(router.getKey(), externalIds, epochKey, storedText, stored, epoch, owner,
                deletes, inserts);
    }

    private OvsdbRow router() throws SdnException {
        return routerEntry().getValue();
    }

    private Map.Entry<String, OvsdbRow> routerEntry() throws SdnException {
        if (routers.size() == 1) {
            return routers.entrySet().iterator().next();
        }
        throw new SdnException(routers.isEmpty()
                ? "logical router '" + routerName + "' not found in " + NbSchema.DB + " (table " + NbSchema.ROUTER
                        + "); create it, e.g. ovn-nbctl lr-add " + routerName
                : routers.size() + " logical routers are named '" + routerName + "' in " + NbSchema.DB
                        + "; Cairn needs the name to be unique", false);
    }

    private long parseEpoch(String text) throws SdnException {
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SdnException("logical router '" + routerName + "' has external_ids:" + epochKey + "=\"" + text
                    + "\", not an epoch number; remove the key to let Cairn write again", false);
        }
    }
}
