package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * What one of Cairn's transactions in flight changes, so that the monitor updates reporting it
 * are not mistaken for someone else's edits, and the rows it inserts (which the monitor does not
 * send back) can be learned from its reply. Anything an update changes beyond this is drift.
 */
final class Expectation {

    private final Set<String> deletes;
    private final List<RouteTransaction.NewRoute> insertedRows;
    private final String epoch;

    /**
     * @param insertedRows the routes of the transaction's "insert" operations, which are its
     *                     operations 1 to n (operation 0 is the fence)
     * @param epoch        the value this transaction writes to the epoch key, or null if it leaves it
     */
    Expectation(Set<String> deletes, List<RouteTransaction.NewRoute> insertedRows, String epoch) {
        this.deletes = deletes;
        this.insertedRows = insertedRows;
        this.epoch = epoch;
    }

    boolean deletes(String uuid) {
        return deletes.contains(uuid);
    }

    boolean writesEpoch(String value) {
        return value != null && value.equals(epoch);
    }

    boolean writesEpoch() {
        return epoch != null;
    }

    List<RouteTransaction.NewRoute> insertedRows() {
        return insertedRows;
    }

    /** The uuid the reply (RFC 7047 4.1.3: an insert's result is {"uuid": uuid}) gives the i-th inserted row. */
    static String insertedUuid(JsonNode results, int i) {
        return Ovsdb.atom(results.path(1 + i).path("uuid"));
    }
}
