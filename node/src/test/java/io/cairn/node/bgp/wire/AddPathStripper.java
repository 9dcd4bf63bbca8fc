package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * Rewrites an UPDATE recorded on an ADD-PATH session (RFC 7911 3: a 4-octet Path Identifier
 * before each prefix) into what the same routes look like without ADD-PATH. Cairn refuses
 * ADD-PATH, so this lives with the tests; it trusts its input (the corpus) to be well formed.
 */
public final class AddPathStripper {

    private AddPathStripper() {
    }

    public static byte[] strip(byte[] message) {
        ByteBuf in = Unpooled.wrappedBuffer(message);
        in.skipBytes(MessageHeader.LENGTH);
        byte[] withdrawn = prefixes(in.readSlice(in.readUnsignedShort()));
        ByteBuf attributes = in.readSlice(in.readUnsignedShort());
        ByteBuf rewritten = Unpooled.buffer();
        while (attributes.isReadable()) {
            int flags = attributes.readUnsignedByte();
            int type = attributes.readUnsignedByte();
            int length = (flags & PathAttribute.FLAG_EXTENDED_LENGTH) != 0
                    ? attributes.readUnsignedShort() : attributes.readUnsignedByte();
            ByteBuf value = attributes.readSlice(length);
            byte[] v = switch (type) {
                case PathAttribute.MP_REACH_NLRI -> {
                    int head = 3 + 1 + value.getUnsignedByte(value.readerIndex() + 3) + 1;
                    yield Wire.concat(ByteBufUtil.getBytes(value.readSlice(head)), prefixes(value));
                }
                case PathAttribute.MP_UNREACH_NLRI -> Wire.concat(ByteBufUtil.getBytes(value.readSlice(3)), prefixes(value));
                default -> ByteBufUtil.getBytes(value);
            };
            rewritten.writeBytes(Wire.attribute(flags, type, v));
        }
        byte[] nlri = prefixes(in);
        return Wire.update(withdrawn, ByteBufUtil.getBytes(rewritten), nlri);
    }

    private static byte[] prefixes(ByteBuf in) {
        ByteBuf out = Unpooled.buffer();
        while (in.isReadable()) {
            in.skipBytes(4); // Path Identifier
            int length = in.readUnsignedByte();
            out.writeByte(length).writeBytes(in, (length + 7) / 8);
        }
        return ByteBufUtil.getBytes(out);
    }
}
