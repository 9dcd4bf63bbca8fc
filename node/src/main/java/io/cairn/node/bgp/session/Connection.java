package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection of a peer. A peer may briefly hold two (one it opened, one it accepted)
 * until collision detection (RFC 4271 6.8) keeps one. Its FSM fields are touched only on the
 * peer's event loop; the channel handler forwards everything there.
 */
final class Connection {

    /** How long a peer gets to close its side after our NOTIFICATION before we close anyway. */
    private static final long NOTIFICATION_LINGER_MILLIS = 1_000;

    final boolean outgoing;
    final WireContext wire;
    final OpenMessage localOpen;
    Channel channel;
    SessionState state = SessionState.CONNECT;
    OpenMessage remoteOpen;
    long lastReceivedNanos = System.nanoTime();
    int holdTimeSeconds;
    /** Written on the event loop, read by {@link Peer#state} from any thread. */
    private volatile boolean closing;
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

    /**
     * Sends the NOTIFICATION, then closes once it is written (RFC 4271 6: NOTIFICATION then close).
     * Completes when the NOTIFICATION is on the wire, or at once when there is none to send.
     */
    CompletableFuture<Void> close(NotificationMessage notification) {
        if (closing) {
            return CompletableFuture.completedFuture(null);
        }
        closing = true;
        notified |= notification != null;
        if (notification == null || channel == null || !channel.isActive()) {
            if (channel != null) {
                channel.close();
            }
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        // NOTIFICATION, then FIN, then close when the peer closes (or after a linger): closing a
        // socket that still has unread input sends an RST, and an RST can make the peer's kernel
        // discard the NOTIFICATION before the peer has read it. Input that still arrives is read
        // and ignored (the connection is closing), so it cannot turn the close into an RST.
        channel.config().setAutoRead(true);
        channel.writeAndFlush(notification).addListener(write -> {
            if (write.isSuccess() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), NOTIFICATION_LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
            written.complete(null);
        });
        return written;
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
