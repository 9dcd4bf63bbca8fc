package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Test helpers: hex, hand-built messages, decode/encode of whole messages. */
public final class Wire {

    private Wire() {
    }

    public static final Set<AddressFamily> UNICAST = Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST);
    /** An eBGP session with 4-octet ASNs and extended messages, as Cairn's usually are. */
    public static final Negotiated EXTERNAL_AS4 = new Negotiated(true, true, true, UNICAST);
    public static final Negotiated INTERNAL_AS4 = new Negotiated(true, true, false, UNICAST);
    /** A peer without the 4-octet AS capability (RFC 6793 "OLD" speaker). */
    public static final Negotiated EXTERNAL_AS2 = new Negotiated(false, true, true, UNICAST);
    public static final Negotiated INTERNAL_AS2 = new Negotiated(false, true, false, UNICAST);

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** Octets from ints, so tests can write 0xFF without casts. */
    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A whole message: marker, the right length, type, body. */
    public static byte[] message(int type, byte[] body) {
        byte[] m = new byte[MessageHeader.LENGTH + body.length];
        for (int i = 0; i < MessageHeader.MARKER_LENGTH; i++) {
            m[i] = (byte) 0xFF;
        }
        m[16] = (byte) (m.length >> 8);
        m[17] = (byte) m.length;
        m[18] = (byte) type;
        System.arraycopy(body, 0, m, MessageHeader.LENGTH, body.length);
        return m;
    }

    /** An UPDATE from its three fields, lengths computed. */
    public static byte[] update(byte[] withdrawn, byte[] attributes, byte[] nlri) {
        return message(BgpMessage.UPDATE, concat(
                bytes(withdrawn.length >> 8, withdrawn.length), withdrawn,
                bytes(attributes.length >> 8, attributes.length), attributes, nlri));
    }

    public static byte[] update(byte[] attributes, byte[] nlri) {
        return update(new byte[0], attributes, nlri);
    }

    /** One path attribute with a 1-octet length (or 2 when flags ask for it). */
    public static byte[] attribute(int flags, int type, byte[] value) {
        boolean extended = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0;
        byte[] header = extended
                ? bytes(flags, type, value.length >> 8, value.length)
                : bytes(flags, type, value.length);
        return concat(header, value);
    }

    public static byte[] attribute(int flags, int type, int... value) {
        return attribute(flags, type, bytes(value));
    }

    /** ORIGIN IGP, empty AS_PATH, NEXT_HOP 192.0.2.1: what an UPDATE with NLRI needs. */
    public static byte[] mandatory() {
        return concat(attribute(0x40, 1, 0), attribute(0x40, 2), attribute(0x40, 3, 192, 0, 2, 1));
    }

    public static byte[] encode(BgpMessage message, Negotiated negotiated) {
        ByteBuf out = Unpooled.buffer();
        MessageCodec.encode(message, negotiated, out);
        return ByteBufUtil.getBytes(out);
    }

    public static BgpMessage decode(byte[] message, Negotiated negotiated, MalformedUpdateListener listener)
            throws BgpProtocolException {
        return MessageCodec.decode(Unpooled.wrappedBuffer(message), negotiated, listener);
    }

    public static BgpMessage decode(byte[] message, Negotiated negotiated) throws BgpProtocolException {
        return decode(message, negotiated, Reports.failOnAny());
    }

    /** Records RFC 7606 reports as "ACTION type". */
    public static final class Reports implements MalformedUpdateListener {
        final List<String> seen = new ArrayList<>();
        final List<String> reasons = new ArrayList<>();

        @Override
        public void onMalformed(Action action, int attributeType, String reason) {
            seen.add(action + " " + attributeType);
            reasons.add(reason);
        }

        static MalformedUpdateListener failOnAny() {
            return (action, type, reason) -> {
                throw new AssertionError("unexpected " + action + " of attribute " + type + ": " + reason);
            };
        }
    }
}
