package io.cairn.node.rib;

import io.cairn.cluster.journal.JournalCorruptException;
import io.cairn.cluster.replica.ReplicaJournal;
import io.cairn.cluster.replica.Replicas;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ReplicaFollower} per other member whose replica this node holds. Replicas appear
 * while the node runs (a member joins) and {@link Replicas} tells no one, so the set is looked at
 * again every second. An origin that is gone is not read until it comes back. On the RIB thread.
 */
final class ReplicaFollowers {

    private static final Logger log = LoggerFactory.getLogger(ReplicaFollowers.class);
    private static final long LOOK_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Replicas replicas;
    private final RibState rib;
    private final Map<String, ReplicaFollower> following = new TreeMap<>();
    /** Gone (their paths dropped) or unreadable: not followed until they come back. */
    private final Set<String> notFollowed = new HashSet<>();
    private long lookedAt;
    private boolean looked;

    ReplicaFollowers(Replicas replicas, RibState rib) {
        this.replicas = replicas;
        this.rib = rib;
    }

    /** Applies up to {@code limit} records of each origin; returns how many were read. */
    int poll(int limit) {
        long now = System.nanoTime();
        if (!looked || now - lookedAt >= LOOK_EVERY_NANOS) {
            looked = true;
            lookedAt = now;
            replicas.all().forEach((origin, replica) -> {
                if (!following.containsKey(origin) && !notFollowed.contains(origin)) {
                    following.put(origin, new ReplicaFollower(origin, replica, rib));
                }
            });
        }
        int work = 0;
        for (Iterator<Map.Entry<String, ReplicaFollower>> it = following.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, ReplicaFollower> e = it.next();
            try {
                work += e.getValue().poll(limit);
            } catch (JournalCorruptException damaged) {
                // Fail static: what was read stays; the rest waits for the origin to come back.
                log.error("replica of {}: record {} is damaged ({}); its paths stay as they are and it is read no"
                        + " further until it rejoins", e.getKey(), Long.toHexString(damaged.index()), damaged.getMessage());
                e.getValue().close();
                it.remove();
                notFollowed.add(e.getKey());
            }
        }
        return work;
    }

    /** The origin is gone: its paths go, and it is read no more until {@link #back}. */
    void gone(String origin, String why) {
        ReplicaFollower f = following.remove(origin);
        if (f != null) {
            f.close();
        }
        notFollowed.add(origin);
        rib.dropOrigin(origin, why);
    }

    /**
     * The origin is a member again: read from its replica's latest snapshot if it was not read, or
     * if sessions of it were dropped while it was away. The rebuild replaces its paths in one go
     * (see {@link ReplicaFollower#rebuilding}): those that come back unchanged are no change.
     */
    void back(String origin) {
        boolean trimmed = rib.originBack(origin);
        if (notFollowed.remove(origin) || trimmed) {
            ReplicaFollower f = following.remove(origin);
            if (f != null) {
                f.close();
            }
            ReplicaJournal replica = replicas.all().get(origin);
            String why = "it rejoined: rebuilt from its latest snapshot";
            if (replica == null) {
                rib.dropOrigin(origin, why);
                looked = false;
            } else {
                following.put(origin, ReplicaFollower.rebuilding(origin, replica, rib, why));
            }
        }
    }

    void close() {
        following.values().forEach(ReplicaFollower::close);
        following.clear();
    }
}
