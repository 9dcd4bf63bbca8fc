package io.cairn.cluster.replication;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.Closeable;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves this node's journal to the other members: each connection is one {@link Subscription}.
 * With TLS, a subscriber must present a certificate signed by the configured CA.
 */
public final class ReplicationServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationServer.class);
    /** Per subscriber: reading the journal pauses above 1 MiB queued and resumes below 256 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private final String origin;
    private final RecordSource source;
    private final SslContext ssl;
    private final EventLoopGroup group;
    private final ChannelGroup subscribers = new DefaultChannelGroup("replication-subscribers", GlobalEventExecutor.INSTANCE);
    private volatile Subscription.FrameTap tap = Subscription.FrameTap.NONE;
    private Channel listener;

    /** {@code ssl}: a server context from {@link ReplicationTls}, or null for plain TCP. */
    public ReplicationServer(String origin, RecordSource source, SslContext ssl) {
        this.origin = Objects.requireNonNull(origin, "origin");
        this.source = Objects.requireNonNull(source, "source");
        this.ssl = ssl;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("cairn-replication-server", true),
                NioIoHandler.newFactory());
    }

    /** Binds and returns the address actually bound (port 0 picks a free one). */
    public InetSocketAddress start(InetSocketAddress listen) throws InterruptedException {
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        subscribers.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc()));
                        }
                        p.addLast(new Frames.Decoder(), new Subscription(origin, source, tap));
                    }
                })
                .bind(listen).sync().channel();
        InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
        LOG.info("replication: serving the journal of {} on {}{}", origin, bound, ssl == null ? "" : " (TLS)");
        return bound;
    }

    /** Bytes queued in Netty for all subscribers, not yet handed to the kernel. */
    public long pendingOutboundBytes() {
        long total = 0;
        for (Channel ch : subscribers) {
            ChannelOutboundBuffer buffer = ch.unsafe().outboundBuffer();
            total += buffer == null ? 0 : buffer.totalPendingWriteBytes();
        }
        return total;
    }

    /** Test hook: {@code tap} sees each record frame of connections opened from now on. */
    void tapFrames(Subscription.FrameTap tap) {
        this.tap = tap;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        subscribers.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
