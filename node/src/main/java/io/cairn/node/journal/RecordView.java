package io.cairn.node.journal;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import org.agrona.DirectBuffer;

/**
 * One journal record read where the tailer holds it (a flyweight, valid during the tailer's call):
 * its type, its peer, and an UPDATE's normalized message in place, so the RIB walks the message
 * without a copy. The other types, a handful per session, decode into a {@link BgpRecord}.
 * Reused for every record; owned by the reading thread.
 */
public final class RecordView {

    private short type;
    private DirectBuffer buffer;
    private int offset;
    private int length;
    private InetAddress peer;
    private ByteBuf in;
    private int messageLength;

    /**
     * Points at the payload {@code buffer[offset, offset+length)} of a record of {@code type}.
     *
     * @throws IllegalArgumentException its layout version, peer or UPDATE length is malformed
     */
    public RecordView wrap(short type, DirectBuffer buffer, int offset, int length) {
        this.type = type;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        try {
            in = BgpRecordCodec.wrap(buffer, offset, length);
            peer = BgpRecordCodec.readPeer(in);
            messageLength = type == BgpRecordType.UPDATE ? BgpRecordCodec.readMessageLength(in) : -1;
        } catch (IndexOutOfBoundsException e) {
            throw BgpRecordCodec.malformed(type, "truncated");
        } catch (IllegalArgumentException e) {
            throw BgpRecordCodec.malformed(type, e.getMessage());
        }
        return this;
    }

    public short type() {
        return type;
    }

    public InetAddress peer() {
        return peer;
    }

    /** An UPDATE's message octets (header included) lie in {@link #messageArray()} from here. */
    public int messageOffset() {
        return in.arrayOffset() + in.readerIndex();
    }

    public int messageLength() {
        return messageLength;
    }

    /** The array holding an UPDATE's message: the tailer's own buffer, not a copy of the message. */
    public byte[] messageArray() {
        return in.array();
    }

    /** The whole record as an object: for the types other than UPDATE. */
    public BgpRecord decode() {
        return BgpRecordCodec.decode(type, buffer, offset, length);
    }
}
