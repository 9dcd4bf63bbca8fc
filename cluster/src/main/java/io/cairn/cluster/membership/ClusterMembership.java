package io.cairn.cluster.membership;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's entry among the cluster's members, and the live member set.
 *
 * <p>The entry is an ephemeral znode held by a {@link PersistentNode}, which creates it again
 * after the session expires: a node that was cut off rejoins as soon as ZooKeeper is back. The
 * member set comes from a {@link CuratorCache} of the members path; an entry vanishes when its
 * owner closes its session or the session expires, and listeners hear {@code left}.
 */
public final class ClusterMembership implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

    private final ClusterPaths paths;
    private final Member self;
    private final PersistentNode entry;
    private final CuratorCache cache;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();

    public ClusterMembership(CuratorFramework client, ClusterPaths paths, Member self) {
        this.paths = Objects.requireNonNull(paths, "paths");
        this.self = Objects.requireNonNull(self, "self");
        this.entry = new PersistentNode(client, CreateMode.EPHEMERAL, false, paths.member(self.id()), self.encode());
        this.cache = CuratorCache.build(client, paths.members());
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(this::created)
                .forChanges(this::changed)
                .forDeletes(this::deleted)
                .build());
    }

    /** Listeners added before {@link #start} hear every member, the present ones included. */
    public void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    public void start() {
        entry.start();
        cache.start();
    }

    public Member self() {
        return self;
    }

    /** Waits (bounded) until this node's own entry exists in ZooKeeper. */
    public boolean awaitRegistered(long timeout, TimeUnit unit) throws InterruptedException {
        return entry.waitForInitialCreate(timeout, unit);
    }

    /** The members the cache holds now, this node included once registered. */
    public List<Member> members() {
        return cache.stream().filter(this::isMemberEntry).map(this::member)
                .filter(Objects::nonNull).toList();
    }

    private boolean isMemberEntry(ChildData data) {
        return data.getPath().startsWith(paths.members() + "/") && data.getData() != null;
    }

    /** The member of an entry, or null (logged) when the entry is not a valid member. */
    private Member member(ChildData data) {
        try {
            return Member.decode(data.getData());
        } catch (IllegalArgumentException e) {
            LOG.error("ignoring member entry {}: {}", data.getPath(), e.getMessage());
            return null;
        }
    }

    private void created(ChildData data) {
        Member m = isMemberEntry(data) ? member(data) : null;
        if (m != null) {
            LOG.info("cluster member joined: {} (replication {})", m.id(), m.endpoint());
            listeners.forEach(l -> l.joined(m));
        }
    }

    private void changed(ChildData before, ChildData after) {
        if (Arrays.equals(before.getData(), after.getData())) {
            return; // rewritten as it was, e.g. by PersistentNode after a session expiry
        }
        // An entry rewritten in place means the member now serves elsewhere: leave, then join.
        deleted(before);
        created(after);
    }

    private void deleted(ChildData data) {
        Member m = isMemberEntry(data) ? member(data) : null;
        if (m != null) {
            LOG.info("cluster member left: {}", m.id());
            listeners.forEach(l -> l.left(m));
        }
    }

    @Override
    public void close() throws IOException {
        cache.close();
        entry.close();
    }
}
