package io.cairn.sdn.ovn;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What Cairn's own transaction in flight will change, so that the monitor update reporting it
 * is not mistaken for someone else's edit. Anything an update changes beyond this is drift.
 */
final class Expectation {

    private final Set<String> deletes;
    private final Map<String, Integer> inserts = new HashMap<>();
    private final Set<String> inserted = new HashSet<>();
    private final String epoch;

    /** {@code epoch}: the value this transaction writes to the epoch key, or null if it leaves it. */
    Expectation(Set<String> deletes, Iterable<String> insertKeys, String epoch) {
        this.deletes = deletes;
        insertKeys.forEach(k -> inserts.merge(k, 1, Integer::sum));
        this.epoch = epoch;
    }

    /** Whether a newly inserted row is one of ours; if so it is remembered by uuid. */
    boolean claimInsert(StaticRoute row) {
        Integer left = inserts.get(row.insertKey());
        if (left == null) {
            return false;
        }
        if (left == 1) {
            inserts.remove(row.insertKey());
        } else {
            inserts.put(row.insertKey(), left - 1);
        }
        inserted.add(row.uuid());
        return true;
    }

    boolean deletes(String uuid) {
        return deletes.contains(uuid);
    }

    /** Whether a change of the router's static_routes set by this uuid is ours. */
    boolean changesReference(String uuid) {
        return deletes.contains(uuid) || inserted.contains(uuid);
    }

    boolean writesEpoch(String value) {
        return value != null && value.equals(epoch);
    }
}
