package io.cairn.node.admin;

import io.cairn.node.config.AdminConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin HTTP/1.1 API on its own Netty thread, so that a busy BGP side never delays an
 * operator and a slow HTTP client never delays a session. With a token file configured every
 * request must carry the token, whatever the listen address.
 */
public final class AdminServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    /** Bodies are small JSON objects; anything bigger is refused with 413 by the aggregator. */
    private static final int MAX_BODY = 64 * 1024;

    private final EventLoopGroup group;
    private final Channel channel;

    private AdminServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds {@code config.listen()} and serves {@code router}.
     *
     * @throws IOException when the token file cannot be read or is empty, or the address cannot be bound
     */
    public static AdminServer start(AdminConfig config, Router router) throws IOException {
        BearerToken token = config.tokenFile() == null ? null : BearerToken.read(config.tokenFile());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("admin", true),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                new HttpDispatcher(router, token));
                    }
                });
        try {
            Channel channel = b.bind(config.listen()).syncUninterruptibly().channel();
            log.info("admin API listening on http://{}{}", format(channel), token == null ? "" : " (bearer token required)");
            return new AdminServer(group, channel);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("admin API: cannot listen on " + config.listen() + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress boundAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    private static String format(Channel ch) {
        return NetUtil.toSocketAddressString((InetSocketAddress) ch.localAddress());
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
