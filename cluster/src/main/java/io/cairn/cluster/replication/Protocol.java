package io.cairn.cluster.replication;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * The replication protocol's messages, one per frame (see {@link Frames}); the first byte of a
 * body says which. Numbers are big-endian.
 *
 * <pre>
 * HELLO    (subscriber -> origin) magic:int32 "CRNR", version:int16, lastHeld:int64, subscriber:str,
 *          incarnation:int64 (of the origin's journal that lastHeld is an index of; 0: unknown)
 * WELCOME  (origin -> subscriber) version:int16, origin:str, fromSnapshot:bool, incarnation:int64,
 *          unsent:int64
 * REFUSED  (origin -> subscriber) reason:str, then the origin closes
 * RECORD   (origin -> subscriber) index:int64, type:int16, payload: the rest
 * PROGRESS (origin -> subscriber) lastIndex:int64, unsent:int64, every PROGRESS_MILLIS, also a heartbeat;
 * unsent counts the records still to send after what precedes the message on the stream (-1: they
 * cannot be counted now). Indexes jump at every cycle roll, so only the origin can say how many
 * records lie between two.
 * str = length:int16 + UTF-8
 * </pre>
 *
 * The origin streams after lastHeld only when the subscriber's incarnation is its journal's own:
 * a repaired journal reuses indices for other records, so after a repair every subscriber starts
 * over from the latest snapshot (version 2; version 1 had no incarnation). A WELCOME or PROGRESS
 * without unsent comes from a version-2 origin built before it was added; the subscriber then
 * falls back to the index distance, right within a cycle.
 */
final class Protocol {

    static final int MAGIC = 0x43524E52;
    static final short VERSION = 2;
    static final long PROGRESS_MILLIS = 500;
    /** A subscriber that hears nothing (not even PROGRESS) for this long reconnects. */
    static final long SILENCE_MILLIS = 5_000;

    static final byte HELLO = 1;
    static final byte WELCOME = 2;
    static final byte REFUSED = 3;
    static final byte RECORD = 4;
    static final byte PROGRESS = 5;

    private Protocol() {
    }

    record Hello(int magic, short version, long lastHeld, String subscriber, long incarnation) {
    }

    record Welcome(short version, String origin, boolean fromSnapshot, long incarnation, long unsent) {
    }

    static void writeHello(ByteBuf out, String subscriber, long lastHeld, long incarnation) {
        int start = Frames.begin(out);
        out.writeByte(HELLO).writeInt(MAGIC).writeShort(VERSION).writeLong(lastHeld);
        writeString(out, subscriber);
        out.writeLong(incarnation);
        Frames.finish(out, start);
    }

    static void writeWelcome(ByteBuf out, String origin, boolean fromSnapshot, long incarnation, long unsent) {
        int start = Frames.begin(out);
        out.writeByte(WELCOME).writeShort(VERSION);
        writeString(out, origin);
        out.writeBoolean(fromSnapshot).writeLong(incarnation).writeLong(unsent);
        Frames.finish(out, start);
    }

    static void writeRefused(ByteBuf out, String reason) {
        int start = Frames.begin(out);
        out.writeByte(REFUSED);
        writeString(out, reason);
        Frames.finish(out, start);
    }

    static void writeRecord(ByteBuf out, long index, short type, ByteBuffer payload) {
        int start = Frames.begin(out);
        out.writeByte(RECORD).writeLong(index).writeShort(type).writeBytes(payload.duplicate());
        Frames.finish(out, start);
    }

    static void writeProgress(ByteBuf out, long lastIndex, long unsent) {
        int start = Frames.begin(out);
        out.writeByte(PROGRESS).writeLong(lastIndex).writeLong(unsent);
        Frames.finish(out, start);
    }

    /** The unsent count ending a WELCOME or PROGRESS, or -1 if the origin sent none. */
    static long readUnsent(ByteBuf body) {
        return body.readableBytes() >= 8 ? body.readLong() : -1;
    }

    /** A HELLO; its incarnation is 0 when a version-1 subscriber sent none (it is refused for its version). */
    static Hello readHello(ByteBuf body) {
        int magic = body.readInt();
        short version = body.readShort();
        long lastHeld = body.readLong();
        String subscriber = readString(body);
        return new Hello(magic, version, lastHeld, subscriber, body.readableBytes() >= 8 ? body.readLong() : 0);
    }

    static Welcome readWelcome(ByteBuf body) {
        return new Welcome(body.readShort(), readString(body), body.readBoolean(), body.readLong(), readUnsent(body));
    }

    static String readString(ByteBuf body) {
        int length = body.readUnsignedShort();
        if (length > body.readableBytes()) {
            throw new CorruptedFrameException("string of " + length + " bytes in a frame with " + body.readableBytes() + " left");
        }
        return body.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    private static void writeString(ByteBuf out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length).writeBytes(bytes);
    }
}
