package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.config.PeerConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * The BGP listener and the configured peers. A connection from an address that is not a
 * configured peer is closed as soon as it is accepted, before any OPEN is read.
 */
public final class BgpServer implements AutoCloseable {

    /** How long closing waits for the Cease NOTIFICATIONs to be written. */
    private static final long NOTIFICATIONS_MILLIS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(BgpServer.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final LocalSpeaker local;
    private final InetSocketAddress listen;
    private final SessionListener listener;
    private final Transport transport;
    private final EventLoopGroup group;
    private final Map<InetAddress, Peer> peers = new ConcurrentHashMap<>();
    private volatile Channel serverChannel;

    /**
     * @param listen where to accept connections; its address (unless a wildcard) is also the
     *               source of outgoing connections, so peers see one address for this node
     */
    public BgpServer(LocalSpeaker local, InetSocketAddress listen, SessionListener listener, int threads) {
        this.local = local;
        this.listen = listen;
        this.listener = listener;
        this.transport = Transport.best();
        this.group = transport.newGroup(threads, "bgp");
    }

    /** Creates the configured peers, without starting them (the RIB replays its journal first). */
    public void configure(List<PeerConfig> configs) {
        for (PeerConfig pc : configs) {
            peers.put(pc.address(), newPeer(pc));
        }
    }

    /** Binds the listener and starts every configured peer. */
    public void start() throws InterruptedException {
        // Peers start first: each one's start runs on its event loop before any connection the
        // listener accepts for it, which would otherwise be refused as from a stopped peer (Cease
        // Connection Rejected; seen when an NVA connected the moment the node listened).
        peers.values().forEach(Peer::start);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        onAccepted(ch);
                    }
                });
        serverChannel = b.bind(listen).sync().channel();
        updateMd5Keys();
        log.info("BGP listening on {} ({} peers, {} transport)", serverChannel.localAddress(), peers.size(),
                transport.supportsMd5() ? "epoll" : "nio");
    }

    private Peer newPeer(PeerConfig pc) {
        if (pc.password() != null && !transport.supportsMd5()) {
            throw new IllegalStateException("peer " + pc.name() + ": " + Transport.md5UnavailableReason());
        }
        return new Peer(pc, local, group.next(), this::connect, listener);
    }

    /** Adds and starts a peer on the running server (config reload); the others are not touched. */
    public Peer addPeer(PeerConfig pc) {
        Peer peer = newPeer(pc);
        if (peers.putIfAbsent(pc.address(), peer) != null) {
            throw new IllegalStateException("peer " + pc.name() + ": address " + pc.address().getHostAddress()
                    + " is already a peer");
        }
        updateMd5Keys();
        peer.start();
        return peer;
    }

    /** Stops a peer with Cease / Peer De-configured (RFC 4486) and forgets it; connections from it are refused. */
    public void removePeer(Peer peer) {
        if (peers.remove(peer.address(), peer)) {
            peer.stop(new NotificationMessage(NotificationCode.CEASE, NotificationCode.CEASE_PEER_DECONFIGURED));
            updateMd5Keys();
        }
    }

    /** The bound address (the port is the real one when 0 was configured). */
    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public Collection<Peer> peers() {
        return peers.values();
    }

    public Peer peer(InetAddress address) {
        return peers.get(address);
    }

    /** The peer configured under {@code name}, or null. */
    public Peer peer(String name) {
        for (Peer p : peers.values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** True while the listener is bound and accepting connections. */
    public boolean listening() {
        Channel ch = serverChannel;
        return ch != null && ch.isActive();
    }

    private void onAccepted(Channel ch) {
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        Peer peer = peers.get(remote.getAddress());
        if (peer == null) {
            log.warn("refused BGP connection from {}: not a configured peer", remote);
            ch.close();
            return;
        }
        peer.accept(ch);
    }

    private void connect(Peer peer, Connection connection) {
        PeerConfig pc = peer.config();
        Bootstrap b = new Bootstrap()
                .group(group.next())
                .channel(transport.channel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connection.attach(ch, peer);
                    }
                });
        if (pc.password() != null) {
            b.option(EpollChannelOption.TCP_MD5SIG, Map.of(pc.address(), md5Key(pc)));
        }
        InetSocketAddress remote = new InetSocketAddress(pc.address(), pc.port());
        InetSocketAddress source = sourceFor(pc.address());
        ChannelFuture f = source == null ? b.connect(remote) : b.connect(remote, source);
        f.addListener(done -> {
            if (!done.isSuccess()) {
                peer.execute(() -> peer.onConnectFailed(connection, done.cause()));
            }
        });
    }

    /** The listen address as source when it is a specific address of the peer's family; else the kernel chooses. */
    private InetSocketAddress sourceFor(InetAddress peer) {
        InetAddress l = listen.getAddress();
        boolean sameFamily = (l instanceof Inet4Address) == (peer instanceof Inet4Address);
        return l.isAnyLocalAddress() || !sameFamily ? null : new InetSocketAddress(l, 0);
    }

    private void updateMd5Keys() {
        Map<InetAddress, byte[]> keys = new HashMap<>();
        for (Peer p : peers.values()) {
            if (p.config().password() != null) {
                keys.put(p.address(), md5Key(p.config()));
            }
        }
        // Also when empty on epoll, so that a removed peer's key is taken off the listener.
        if (transport.supportsMd5()) {
            serverChannel.config().setOption(EpollChannelOption.TCP_MD5SIG, keys);
        }
    }

    private static byte[] md5Key(PeerConfig pc) {
        return pc.password().getBytes(StandardCharsets.US_ASCII);
    }

    /** Cease / Administrative Shutdown to every peer (RFC 9003), then stops the I/O threads. */
    @Override
    public void close() {
        NotificationMessage bye = NotificationMessage.cease(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN,
                "cairn is shutting down");
        // An accepted connection may live on another I/O thread than its peer: wait (bounded) for
        // every NOTIFICATION to be written before the threads stop, or a Cease queued on a thread
        // that is already shutting down is lost and the peer sees only the connection drop.
        CompletableFuture<?>[] said = peers.values().stream().map(p -> p.stop(bye)).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(said).get(NOTIFICATIONS_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("not every peer's Cease was written within {} ms", NOTIFICATIONS_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        // Quiet period lets the NOTIFICATIONs above reach the wire before sockets close.
        group.shutdownGracefully(200, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
