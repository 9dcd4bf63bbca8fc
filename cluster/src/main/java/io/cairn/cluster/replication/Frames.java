package io.cairn.cluster.replication;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.util.zip.CRC32C;

/**
 * Framing of the replication stream: each frame is {@code length:int32, crc32c:int32, body},
 * where length counts the checksum and the body, and the CRC-32C (RFC 3720 B.4, Castagnoli)
 * covers the body. TCP already checksums segments, but only with 16 bits, and TLS is optional:
 * a flipped bit must drop the connection, not enter a replica.
 */
final class Frames {

    static final int HEADER_BYTES = 8;
    /** Above any journal record (an UPDATE is at most 64 KiB) with room to spare. */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private Frames() {
    }

    /** Reserves the header of a frame at the writer index; the body is written next. */
    static int begin(ByteBuf out) {
        int start = out.writerIndex();
        out.writeZero(HEADER_BYTES);
        return start;
    }

    /** Fills in the header of the frame begun at {@code start}, now that its body is written. */
    static void finish(ByteBuf out, int start) {
        int bodyStart = start + HEADER_BYTES;
        int bodyLength = out.writerIndex() - bodyStart;
        out.setInt(start, bodyLength + 4);
        out.setInt(start + 4, crc(out, bodyStart, bodyLength));
    }

    private static int crc(ByteBuf buf, int index, int length) {
        CRC32C crc = new CRC32C();
        crc.update(buf.nioBuffer(index, length));
        return (int) crc.getValue();
    }

    /**
     * Splits the stream into frames and checks each one's CRC; yields the body. After one bad
     * frame nothing more is decoded: the frames behind it may be intact, but delivering them
     * would skip the bad one, a gap the subscriber could not see.
     */
    static final class Decoder extends LengthFieldBasedFrameDecoder {

        private boolean broken;

        Decoder() {
            super(MAX_FRAME_BYTES, 0, 4, 0, 4);
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            if (broken) {
                in.skipBytes(in.readableBytes());
                return null;
            }
            try {
                return checked((ByteBuf) super.decode(ctx, in));
            } catch (CorruptedFrameException | TooLongFrameException e) {
                broken = true;
                in.skipBytes(in.readableBytes());
                throw e;
            }
        }

        private static ByteBuf checked(ByteBuf frame) {
            if (frame == null) {
                return null;
            }
            if (frame.readableBytes() < 4) {
                frame.release();
                throw new CorruptedFrameException("replication frame of " + frame.readableBytes() + " bytes has no checksum");
            }
            int expected = frame.readInt();
            int actual = crc(frame, frame.readerIndex(), frame.readableBytes());
            if (expected != actual) {
                int length = frame.readableBytes();
                frame.release();
                throw new CorruptedFrameException(String.format(
                        "replication frame of %d bytes fails its CRC-32C (sent %08x, computed %08x)", length, expected, actual));
            }
            return frame;
        }
    }
}
