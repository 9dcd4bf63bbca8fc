package io.cairn.node.bgp.session;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Epoll where the native library loads (Linux), NIO elsewhere. Only epoll can set TCP_MD5SIG
 * (RFC 2385), so MD5 passwords need it.
 */
public final class Transport {

    private final boolean epoll;

    private Transport(boolean epoll) {
        this.epoll = epoll;
    }

    public static Transport best() {
        return new Transport(Epoll.isAvailable());
    }

    public boolean supportsMd5() {
        return epoll;
    }

    /** Why MD5 is unavailable, for the error an operator sees. */
    public static String md5UnavailableReason() {
        Throwable cause = Epoll.unavailabilityCause();
        return "TCP MD5 needs Netty's epoll transport, which is unavailable: "
                + (cause == null ? "unknown reason" : cause.toString());
    }

    EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends Channel> channel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
