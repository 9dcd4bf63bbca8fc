package io.cairn.cluster.replication;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's stream, on the server side. Runs on its channel's event loop only.
 *
 * <p>Backpressure: records are read from the journal only while the channel is writable, so at
 * most the high water mark plus one batch sits in memory per subscriber; a slow subscriber
 * makes the socket unwritable (its TCP window closes) and reading stops until it drains.
 */
final class Subscription extends ChannelInboundHandlerAdapter implements RecordHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
    /** Records are packed into buffers of about this size, one write (and syscall) each. */
    static final int BATCH_BYTES = 64 * 1024;
    /** How long an idle cursor waits before looking for new records again. */
    private static final long IDLE_POLL_MICROS = 1000;
    private static final long HELLO_TIMEOUT_MILLIS = 10_000;

    /** Test hook: sees every record frame after its checksum is computed. */
    interface FrameTap {
        FrameTap NONE = (frame, start, index) -> { };

        void recordFrame(ByteBuf frame, int frameStart, long index);
    }

    private final String origin;
    private final RecordSource source;
    private final FrameTap tap;
    private Channel channel;
    private String subscriber = "(before HELLO)";
    private RecordSource.Cursor cursor;
    private ByteBuf batch;
    private boolean pumpScheduled;
    private ScheduledFuture<?> progress;
    private ChannelFuture progressInFlight;
    private ScheduledFuture<?> helloTimeout;

    Subscription(String origin, RecordSource source, FrameTap tap) {
        this.origin = origin;
        this.source = source;
        this.tap = tap;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        helloTimeout = ctx.executor().schedule(() -> {
            LOG.warn("replication: {} sent no HELLO within {} ms; closing", channel.remoteAddress(), HELLO_TIMEOUT_MILLIS);
            channel.close();
        }, HELLO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf body = (ByteBuf) msg;
        try {
            if (cursor != null || body.readByte() != Protocol.HELLO) {
                LOG.warn("replication: {} ({}) sent something other than one HELLO; closing",
                        subscriber, channel.remoteAddress());
                channel.close();
                return;
            }
            hello(ctx, Protocol.readHello(body));
        } finally {
            body.release();
        }
    }

    private void hello(ChannelHandlerContext ctx, Protocol.Hello hello) {
        helloTimeout.cancel(false);
        if (hello.magic() != Protocol.MAGIC) {
            LOG.warn("replication: {} is not a Cairn replication client; closing", channel.remoteAddress());
            channel.close();
            return;
        }
        subscriber = hello.subscriber();
        if (hello.version() != Protocol.VERSION) {
            refuse(ctx, "protocol version " + hello.version() + " is not supported; " + origin + " speaks "
                    + Protocol.VERSION);
            return;
        }
        // An index of another incarnation of the journal names another record: start over.
        boolean sameHistory = hello.lastHeld() != RecordSource.NONE && hello.incarnation() == source.incarnation();
        cursor = sameHistory ? source.readAfter(hello.lastHeld()) : null;
        boolean fromSnapshot = cursor == null;
        if (fromSnapshot) {
            cursor = source.readFromLatestSnapshot();
            LOG.info("replication: {} holds {}; streaming from the latest snapshot", subscriber,
                    hello.lastHeld() == RecordSource.NONE ? "nothing"
                            : sameHistory ? "up to " + hello.lastHeld() + ", which is no longer kept"
                            : "records of another incarnation of this journal (" + Long.toHexString(hello.incarnation())
                                    + ", now " + Long.toHexString(source.incarnation()) + ": it was repaired or replaced)");
        } else {
            LOG.info("replication: {} subscribed after index {}", subscriber, hello.lastHeld());
        }
        ByteBuf welcome = ctx.alloc().buffer();
        Protocol.writeWelcome(welcome, origin, fromSnapshot, source.incarnation(), cursor.remaining(source.lastIndex()));
        ctx.write(welcome);
        progress = ctx.executor().scheduleAtFixedRate(this::sendProgress, 0, Protocol.PROGRESS_MILLIS,
                TimeUnit.MILLISECONDS);
        pump();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        LOG.warn("replication: refusing {} ({}): {}", subscriber, channel.remoteAddress(), reason);
        ByteBuf refused = ctx.alloc().buffer();
        Protocol.writeRefused(refused, reason);
        ctx.writeAndFlush(refused).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Queued even behind a full channel, so a subscriber that is behind learns by how much; one at a
     * time, so a subscriber that reads nothing does not make them pile up.
     */
    private void sendProgress() {
        if (progressInFlight != null && !progressInFlight.isDone()) {
            return;
        }
        ByteBuf frame = channel.alloc().buffer(32);
        // Every record polled so far went out before this frame (pump ends each turn with a full or
        // final batch written), so what the cursor has left is what the subscriber lacks.
        long last = source.lastIndex();
        Protocol.writeProgress(frame, last, cursor.remaining(last));
        progressInFlight = channel.writeAndFlush(frame);
    }

    /** Sends records while the channel takes them; comes back when there are none yet. */
    private void pump() {
        pumpScheduled = false;
        if (cursor == null || !channel.isActive()) {
            return;
        }
        boolean more = true;
        while (channel.isWritable() && more) {
            if (batch == null) {
                batch = channel.alloc().directBuffer(BATCH_BYTES + 1024);
            }
            more = cursor.poll(this);
            if (!more || batch.readableBytes() >= BATCH_BYTES) {
                sendBatch();
            }
        }
        channel.flush();
        if (!more) {
            pumpScheduled = true;
            channel.eventLoop().schedule(this::pump, IDLE_POLL_MICROS, TimeUnit.MICROSECONDS);
        }
        // Otherwise the channel is full: channelWritabilityChanged resumes.
    }

    private void sendBatch() {
        if (batch.isReadable()) {
            channel.write(batch, channel.voidPromise());
        } else {
            batch.release();
        }
        batch = null;
    }

    @Override
    public void onRecord(long index, short type, ByteBuffer payload) {
        int start = batch.writerIndex();
        Protocol.writeRecord(batch, index, type, payload);
        tap.recordFrame(batch, start, index);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && !pumpScheduled) {
            pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!channel.isActive()) {
            return; // writes failing after the close that channelInactive reports
        }
        LOG.warn("replication: stream to {} ({}) failed, closing: {}", subscriber, channel.remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        if (progress != null) {
            progress.cancel(false);
        }
        if (batch != null) {
            batch.release();
            batch = null;
        }
        if (cursor != null) {
            cursor.close();
        }
        LOG.info("replication: {} disconnected", subscriber);
        ctx.fireChannelInactive();
    }
}
