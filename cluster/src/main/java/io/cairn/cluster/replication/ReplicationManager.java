package io.cairn.cluster.replication;

import io.cairn.cluster.membership.Member;
import io.cairn.cluster.membership.MembershipListener;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ReplicationClient} per other member, following the member set: a member that joins
 * starts being pulled, one that leaves stops (its replica stays, for the RIB to age out).
 */
public final class ReplicationManager implements MembershipListener, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationManager.class);

    private final String self;
    private final RecordSinks replicaOf;
    private final SslContext ssl;
    private final EventLoopGroup group;
    private final Map<String, ReplicationClient> clients = new ConcurrentHashMap<>();
    /** Each origin's event loop, kept across leave and join: its replica has one writer thread. */
    private final Map<String, EventLoop> loops = new HashMap<>();

    /**
     * @param self      this node's id: never pulled from
     * @param replicaOf the local replica of an origin, by origin id
     * @param ssl       a client context from {@link ReplicationTls}, or null for plain TCP
     * @param threads   event loop threads, which also run the replicas' appends
     */
    public ReplicationManager(String self, RecordSinks replicaOf, SslContext ssl, int threads) {
        this.self = self;
        this.replicaOf = replicaOf;
        this.ssl = ssl;
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("cairn-replication-client", true),
                NioIoHandler.newFactory());
    }

    @Override
    public synchronized void joined(Member member) {
        if (member.id().equals(self)) {
            return;
        }
        Endpoint endpoint;
        try {
            endpoint = Endpoint.parse(member.endpoint());
        } catch (IllegalArgumentException e) {
            LOG.error("replication: not pulling {}: its endpoint {}", member.id(), e.getMessage());
            return;
        }
        ReplicationClient old = clients.get(member.id());
        if (old != null && old.endpoint().equals(endpoint)) {
            return;
        }
        stop(member.id());
        RecordSink replica;
        try {
            replica = replicaOf.of(member.id());
        } catch (IOException | RuntimeException e) {
            LOG.error("replication: not pulling {}: its replica cannot be opened: {}", member.id(), e.getMessage());
            return;
        }
        EventLoop loop = loops.computeIfAbsent(member.id(), origin -> group.next());
        ReplicationClient client = new ReplicationClient(self, member.id(), endpoint, replica, ssl, loop);
        clients.put(member.id(), client);
        client.start();
    }

    @Override
    public synchronized void left(Member member) {
        stop(member.id());
    }

    private void stop(String origin) {
        ReplicationClient client = clients.remove(origin);
        if (client != null) {
            LOG.info("replication: no longer pulling {}", origin);
            client.close();
        }
    }

    /** Replication lag per origin currently pulled, by origin id. */
    public Map<String, OriginLag> lag() {
        Map<String, OriginLag> lag = new TreeMap<>();
        clients.forEach((origin, client) -> lag.put(origin, client.lag()));
        return lag;
    }

    @Override
    public synchronized void close() {
        clients.keySet().forEach(this::stop);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
