package io.cairn.cluster.replication;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.Closeable;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one origin's journal into its local replica, for as long as the origin is a member.
 *
 * <p>Each connection starts with HELLO carrying the last index the replica holds, so the replica
 * itself is the only bookkeeping: a dropped connection, a corrupt frame or a restarted origin
 * all end the same way, in a reconnect (100 ms doubling to 5 s) that resumes exactly after the
 * last record stored, with no gap and no duplicate.
 *
 * <p>Flow control is TCP's, not acknowledgements: records are appended to the sink on the event
 * loop as they are decoded, so a slow sink stops the socket being read, the receive window
 * closes and the origin's channel turns unwritable, which stops its journal reader. Acks would
 * add a round trip per window and state on both sides while buying nothing, since the resume
 * point is what the sink holds, not what was acknowledged.
 */
public final class ReplicationClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationClient.class);

    private final String subscriber;
    private final String origin;
    private final Endpoint endpoint;
    private final RecordSink sink;
    private final SslContext ssl;
    private final EventLoop loop;
    private final Backoff backoff = new Backoff();
    private volatile boolean closed;
    private volatile boolean streaming;
    private volatile long originLastIndex = RecordSource.NONE;
    /** What the origin's last WELCOME or PROGRESS said it had still to send (-1: it did not say). */
    private volatile long unsentAtProgress = -1;
    /** Records stored since that message; they were among its unsent ones. */
    private volatile long storedSinceProgress;
    private volatile int sessions;
    private volatile String lastFailure = "";
    private volatile Channel channel;

    /**
     * @param subscriber this node's id, shown in the origin's logs
     * @param ssl        a client context from {@link ReplicationTls}, or null for plain TCP
     * @param group      event loops: the client keeps to one of them, whose thread alone runs
     *                   {@code sink}'s appends (a journal has one writer thread); pass the same
     *                   {@link EventLoop} to every client of one sink
     */
    public ReplicationClient(String subscriber, String origin, Endpoint endpoint, RecordSink sink, SslContext ssl,
            EventLoopGroup group) {
        this.subscriber = Objects.requireNonNull(subscriber, "subscriber");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.ssl = ssl;
        this.loop = Objects.requireNonNull(group, "group").next();
    }

    public void start() {
        connect();
    }

    public String origin() {
        return origin;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public OriginLag lag() {
        long last = originLastIndex;
        long held = sink.lastIndex();
        return new OriginLag(origin, last, held, behind(last, held), streaming);
    }

    private long behind(long last, long held) {
        long unsent = unsentAtProgress;
        if (unsent >= 0) {
            return Math.max(0, unsent - storedSinceProgress);
        }
        // An origin that does not count: index distance, exact within a cycle of its journal.
        return Math.max(0, last - held);
    }

    /** Why the last connection attempt or stream failed; empty if none has. */
    public String lastFailure() {
        return lastFailure;
    }

    /** How many subscriptions the origin has accepted so far: 1 + reconnects that succeeded. */
    public int sessions() {
        return sessions;
    }

    private void connect() {
        if (closed) {
            return;
        }
        ChannelFuture f = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), endpoint.host(), endpoint.port()));
                        }
                        ch.pipeline().addLast(
                                new IdleStateHandler(Protocol.SILENCE_MILLIS, 0, 0, TimeUnit.MILLISECONDS),
                                new Frames.Decoder(),
                                new Stream());
                    }
                })
                .connect(endpoint.host(), endpoint.port());
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                lastFailure = describe(done.cause());
                LOG.warn("replication: cannot reach {} at {}: {}", origin, endpoint, lastFailure);
                reconnectLater();
            }
        });
    }

    private void reconnectLater() {
        streaming = false;
        if (!closed) {
            loop.schedule(this::connect, backoff.nextDelayMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        closed = true;
        Channel ch = channel;
        if (ch != null) {
            ch.close().syncUninterruptibly();
        }
    }

    /** A failure with its root cause, often the only part that says what went wrong (TLS names it there). */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? failure.toString() : failure + " (cause: " + root + ")";
    }

    /** One connection's handler: HELLO, then WELCOME, then records and progress. */
    private final class Stream extends ChannelInboundHandlerAdapter {
        private boolean welcomed;
        private long lastStored;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            lastStored = sink.lastIndex();
            ByteBuf hello = ctx.alloc().buffer();
            Protocol.writeHello(hello, subscriber, lastStored, sink.heldIncarnation());
            ctx.writeAndFlush(hello);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf body = (ByteBuf) msg;
            try {
                byte kind = body.readByte();
                if (!welcomed && kind != Protocol.WELCOME && kind != Protocol.REFUSED) {
                    throw new CorruptedFrameException("message " + kind + " before WELCOME");
                }
                switch (kind) {
                    case Protocol.WELCOME -> welcome(ctx, Protocol.readWelcome(body));
                    case Protocol.REFUSED -> {
                        lastFailure = "refused: " + Protocol.readString(body);
                        LOG.error("replication: {} at {} {}", origin, endpoint, lastFailure);
                        ctx.close();
                    }
                    case Protocol.RECORD -> record(body);
                    case Protocol.PROGRESS -> progress(body);
                    default -> throw new CorruptedFrameException("unknown message " + kind);
                }
            } finally {
                body.release();
            }
        }

        private void welcome(ChannelHandlerContext ctx, Protocol.Welcome w) {
            if (!w.origin().equals(origin)) {
                // The endpoint was taken over by another node (e.g. an address reused).
                LOG.error("replication: {} serves the journal of '{}', expected '{}'; closing", endpoint, w.origin(), origin);
                ctx.close();
                return;
            }
            if (w.fromSnapshot()) {
                sink.startOver(w.incarnation());
                lastStored = RecordSource.NONE;
            } else if (w.incarnation() != sink.heldIncarnation()) {
                throw new CorruptedFrameException("resuming in incarnation " + Long.toHexString(w.incarnation())
                        + " of the journal, but the records held are of " + Long.toHexString(sink.heldIncarnation()));
            }
            countFrom(w.unsent());
            welcomed = true;
            streaming = true;
            sessions++;
            backoff.reset();
            LOG.info("replication: pulling {} from {} after index {}{}", origin, endpoint, lastStored,
                    w.fromSnapshot() ? ", which it no longer keeps: from its latest snapshot" : "");
        }

        private void progress(ByteBuf body) {
            originLastIndex = Math.max(originLastIndex, body.readLong());
            countFrom(Protocol.readUnsent(body));
        }

        /** Frames arrive in order, so every record sent before the message that said it is stored. */
        private void countFrom(long unsent) {
            storedSinceProgress = 0;
            unsentAtProgress = unsent;
        }

        private void record(ByteBuf body) {
            long index = body.readLong();
            short type = body.readShort();
            if (index <= lastStored) {
                throw new CorruptedFrameException("record index " + index + " does not follow " + lastStored);
            }
            sink.append(index, type, body.nioBuffer());
            lastStored = index;
            storedSinceProgress++;
            if (index > originLastIndex) {
                originLastIndex = index;
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                LOG.warn("replication: nothing from {} at {} for {} ms; reconnecting", origin, endpoint,
                        Protocol.SILENCE_MILLIS);
                ctx.close();
            } else {
                ctx.fireUserEventTriggered(evt);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lastFailure = describe(cause);
            LOG.warn("replication: stream from {} at {} failed, reconnecting after index {}: {}", origin, endpoint,
                    lastStored, lastFailure);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closed) {
                LOG.info("replication: connection to {} at {} closed", origin, endpoint);
            }
            reconnectLater();
            ctx.fireChannelInactive();
        }
    }
}
