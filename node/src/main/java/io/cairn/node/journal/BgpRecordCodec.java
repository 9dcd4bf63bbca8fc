package io.cairn.node.journal;

import io.cairn.node.bgp.wire.AddressFamily;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * Journal payloads of {@link BgpRecord}s (big endian, like BGP). Every payload starts with its
 * layout version, so a later layout can still read this one:
 *
 * <pre>
 *   u8 layout version (1)
 *   u8 address length (4 or 16), address       the peer
 *   PEER_UP        u16 length, UTF-8 name; u16 length, local OPEN; u16 length, remote OPEN;
 *                  u8 length (0, 4 or 16), local address
 *   UPDATE         i32 length, UPDATE message (normalized, header included)
 *   PEER_DOWN      u8 kind (0 notified, 1 connection lost, 2 keep stale); u16 length, UTF-8 reason
 *   END_OF_RIB     u16 AFI, u8 SAFI
 *   ROUTE_REFRESH  u16 AFI, u8 SAFI, u8 subtype (RFC 7313)
 *   STALE_EXPIRED  nothing more
 * </pre>
 */
public final class BgpRecordCodec {
    public static final int LAYOUT_VERSION = 1;
    private static final int MAX_TEXT = 0xFFFF;

    private BgpRecordCodec() {
    }

    public static byte[] encode(BgpRecord record) {
        ByteBuf out = Unpooled.buffer();
        encode(record, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /** Appends {@code record}'s payload to {@code out}; the journal type is {@link BgpRecord#type()}. */
    public static void encode(BgpRecord record, ByteBuf out) {
        // Java 17 has no pattern switch; the sealed interface keeps this chain complete.
        if (record instanceof BgpRecord.Update update) {
            encodeUpdateHead(update, out);
            out.writeBytes(update.message());
            return;
        }
        writePeer(record, out);
        if (record instanceof BgpRecord.PeerUp up) {
            writeShortBytes(out, up.name().getBytes(StandardCharsets.UTF_8), "peer name");
            writeShortBytes(out, up.localOpen(), "local OPEN");
            writeShortBytes(out, up.remoteOpen(), "remote OPEN");
            byte[] local = up.localAddress() == null ? new byte[0] : up.localAddress().getAddress();
            out.writeByte(local.length).writeBytes(local);
        } else if (record instanceof BgpRecord.PeerDown down) {
            out.writeByte(down.kind().ordinal());
            writeShortBytes(out, truncated(down.reason()), "reason");
        } else if (record instanceof BgpRecord.EndOfRib eor) {
            writeFamily(out, eor.family());
        } else if (record instanceof BgpRecord.RouteRefresh rr) {
            writeFamily(out, rr.family());
            out.writeByte(rr.subtype());
        }
    }

    /**
     * Appends the octets of an UPDATE's payload that come before its message, so that a writer can
     * put the message it was handed right after them without copying it here first.
     */
    public static void encodeUpdateHead(BgpRecord.Update update, ByteBuf out) {
        writePeer(update, out);
        out.writeInt(update.message().length);
    }

    private static void writePeer(BgpRecord record, ByteBuf out) {
        out.writeByte(LAYOUT_VERSION);
        byte[] address = record.peer().getAddress();
        out.writeByte(address.length).writeBytes(address);
    }

    /** Decodes a payload handed over by a journal tailer. */
    public static BgpRecord decode(short type, DirectBuffer buffer, int offset, int length) {
        return decode(type, wrap(buffer, offset, length));
    }

    /** {@code buffer[offset, offset+length)} as a ByteBuf, without a copy when it lives in an array. */
    static ByteBuf wrap(DirectBuffer buffer, int offset, int length) {
        if (buffer.byteArray() != null) {
            return Unpooled.wrappedBuffer(buffer.byteArray(), buffer.wrapAdjustment() + offset, length);
        }
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        return Unpooled.wrappedBuffer(copy);
    }

    /**
     * Decodes one payload, all of {@code in}.
     *
     * @throws IllegalArgumentException it is not a well-formed payload of {@code type}
     */
    public static BgpRecord decode(short type, ByteBuf in) {
        try {
            InetAddress peer = readPeer(in);
            BgpRecord record = switch (type) {
                case BgpRecordType.PEER_UP -> new BgpRecord.PeerUp(peer,
                        new String(readShortBytes(in), StandardCharsets.UTF_8), readShortBytes(in), readShortBytes(in),
                        readOptionalAddress(in));
                case BgpRecordType.UPDATE -> new BgpRecord.Update(peer, readIntBytes(in));
                case BgpRecordType.PEER_DOWN -> {
                    BgpRecord.DownKind kind = readKind(in);
                    yield new BgpRecord.PeerDown(peer, new String(readShortBytes(in), StandardCharsets.UTF_8), kind);
                }
                case BgpRecordType.END_OF_RIB -> new BgpRecord.EndOfRib(peer, readFamily(in));
                case BgpRecordType.ROUTE_REFRESH -> new BgpRecord.RouteRefresh(peer, readFamily(in), in.readUnsignedByte());
                case BgpRecordType.STALE_EXPIRED -> new BgpRecord.StaleExpired(peer);
                default -> throw new IllegalArgumentException("not a BGP record type");
            };
            if (in.isReadable()) {
                throw new IllegalArgumentException(in.readableBytes() + " octets left over");
            }
            return record;
        } catch (IndexOutOfBoundsException e) {
            throw malformed(type, "truncated");
        } catch (IllegalArgumentException e) {
            throw malformed(type, e.getMessage());
        }
    }

    /** Reads the layout version and the peer, the start of every payload. */
    static InetAddress readPeer(ByteBuf in) {
        int version = in.readUnsignedByte();
        if (version != LAYOUT_VERSION) {
            throw new IllegalArgumentException("layout version " + version + " (this code reads " + LAYOUT_VERSION + ")");
        }
        return readAddress(in);
    }

    /** Reads an UPDATE's message length and checks the message is all that is left. */
    static int readMessageLength(ByteBuf in) {
        int length = in.readInt();
        if (length < 0 || length > in.readableBytes()) {
            throw new IndexOutOfBoundsException();
        }
        if (length < in.readableBytes()) {
            throw new IllegalArgumentException(in.readableBytes() - length + " octets left over");
        }
        return length;
    }

    static IllegalArgumentException malformed(short type, String problem) {
        return new IllegalArgumentException("malformed " + BgpRecordType.name(type) + " journal record: " + problem);
    }

    private static byte[] truncated(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_TEXT ? bytes : java.util.Arrays.copyOf(bytes, MAX_TEXT);
    }

    private static void writeShortBytes(ByteBuf out, byte[] bytes, String what) {
        if (bytes.length > MAX_TEXT) {
            throw new IllegalArgumentException(what + " of " + bytes.length + " octets does not fit a journal record");
        }
        out.writeShort(bytes.length).writeBytes(bytes);
    }

    private static void writeFamily(ByteBuf out, AddressFamily family) {
        out.writeShort(family.afi()).writeByte(family.safi());
    }

    private static AddressFamily readFamily(ByteBuf in) {
        return new AddressFamily(in.readUnsignedShort(), in.readUnsignedByte());
    }

    private static BgpRecord.DownKind readKind(ByteBuf in) {
        int kind = in.readUnsignedByte();
        BgpRecord.DownKind[] kinds = BgpRecord.DownKind.values();
        if (kind >= kinds.length) {
            throw new IllegalArgumentException("unknown session-end kind " + kind);
        }
        return kinds[kind];
    }

    private static InetAddress readOptionalAddress(ByteBuf in) {
        if (in.getUnsignedByte(in.readerIndex()) == 0) {
            in.skipBytes(1);
            return null;
        }
        return readAddress(in, "local address");
    }

    private static InetAddress readAddress(ByteBuf in) {
        return readAddress(in, "peer address");
    }

    private static InetAddress readAddress(ByteBuf in, String what) {
        int length = in.readUnsignedByte();
        if (length != 4 && length != 16) {
            throw new IllegalArgumentException(what + " of " + length + " octets");
        }
        try {
            return InetAddress.getByAddress(readBytes(in, length));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static byte[] readShortBytes(ByteBuf in) {
        return readBytes(in, in.readUnsignedShort());
    }

    private static byte[] readIntBytes(ByteBuf in) {
        return readBytes(in, readMessageLength(in));
    }

    private static byte[] readBytes(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        return bytes;
    }
}
