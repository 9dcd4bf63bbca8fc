package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;

/**
 * One TCP connection of a peer. A peer may briefly hold two (one it opened, one it accepted)
 * until collision detection (RFC 4271 6.8) keeps one. Its FSM fields are touched only on the
 * peer's event loop; the channel handler forwards everything there.
 */
final class Connection {

    final boolean outgoing;
    final WireContext wire;
    final OpenMessage localOpen;
    Channel channel;
    SessionState state = SessionState.CONNECT;
    OpenMessage remoteOpen;
    long lastReceivedNanos = System.nanoTime();
    int holdTimeSeconds;
    private boolean closing;
    /** A NOTIFICATION went either way on this connection. */
    boolean notified;

    Connection(boolean outgoing, OpenMessage localOpen) {
        this.outgoing = outgoing;
        this.localOpen = localOpen;
        this.wire = new WireContext(localOpen);
    }

    /** Adds the codec and the handler that hands events to {@code peer}. */
    void attach(Channel ch, Peer peer) {
        this.channel = ch;
        ChannelPipeline p = ch.pipeline();
        p.addLast("decoder", new BgpFrameDecoder(wire, peer.malformedListener()));
        p.addLast("encoder", new BgpMessageEncoder(wire));
        p.addLast("fsm", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                peer.execute(() -> peer.onConnected(Connection.this));
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                peer.execute(() -> peer.onReceived(Connection.this, msg));
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                peer.execute(() -> peer.onClosed(Connection.this));
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                peer.execute(() -> peer.onTransportError(Connection.this, cause));
                ctx.close();
            }
        });
    }

    void send(BgpMessage message) {
        if (!closing) {
            channel.writeAndFlush(message, channel.voidPromise());
        }
    }

    /** Sends the NOTIFICATION, then closes once it is written (RFC 4271 6: NOTIFICATION then close). */
    void close(NotificationMessage notification) {
        if (closing) {
            return;
        }
        closing = true;
        notified |= notification != null;
        if (notification == null || channel == null || !channel.isActive()) {
            if (channel != null) {
                channel.close();
            }
            return;
        }
        channel.writeAndFlush(notification).addListener(ChannelFutureListener.CLOSE);
    }

    boolean isClosing() {
        return closing;
    }

    @Override
    public String toString() {
        return (outgoing ? "outgoing " : "incoming ")
                + (channel == null || channel.remoteAddress() == null ? "(unconnected)" : channel.remoteAddress())
                + " " + state.displayName();
    }
}
