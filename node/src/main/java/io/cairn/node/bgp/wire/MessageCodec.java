package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

import static io.cairn.node.bgp.wire.NotificationCode.BAD_MESSAGE_LENGTH;
import static io.cairn.node.bgp.wire.NotificationCode.BAD_MESSAGE_TYPE;
import static io.cairn.node.bgp.wire.NotificationCode.CONNECTION_NOT_SYNCHRONIZED;
import static io.cairn.node.bgp.wire.NotificationCode.INVALID_MESSAGE_LENGTH;
import static io.cairn.node.bgp.wire.NotificationCode.MESSAGE_HEADER_ERROR;
import static io.cairn.node.bgp.wire.NotificationCode.ROUTE_REFRESH_MESSAGE_ERROR;

/**
 * Whole messages to and from bytes: the header (RFC 4271 4.1, 6.1) here, the bodies in one
 * codec per message type. One codec serves the wire, the journal and replication.
 */
public final class MessageCodec {

    private MessageCodec() {
    }

    /**
     * Checks the header at the reader index without consuming it and returns the message length,
     * or -1 when fewer than 19 octets are there. A bad marker, length or type is thrown at once
     * (RFC 4271 6.1), so garbage never makes us wait for the rest of a bogus length.
     */
    public static int checkHeader(ByteBuf in, Negotiated negotiated) throws BgpProtocolException {
        if (in.readableBytes() < MessageHeader.LENGTH) {
            return -1;
        }
        int at = in.readerIndex();
        for (int i = 0; i < MessageHeader.MARKER_LENGTH; i++) {
            if (in.getByte(at + i) != (byte) 0xFF) {
                throw new BgpProtocolException(MESSAGE_HEADER_ERROR, CONNECTION_NOT_SYNCHRONIZED,
                        "marker is not all ones");
            }
        }
        int length = in.getUnsignedShort(at + 16);
        int type = in.getUnsignedByte(at + 18);
        if (type < BgpMessage.OPEN || type > BgpMessage.ROUTE_REFRESH) {
            throw new BgpProtocolException(MESSAGE_HEADER_ERROR, BAD_MESSAGE_TYPE, new byte[] {(byte) type},
                    "unknown message type " + type);
        }
        boolean badLength = length < MessageHeader.minLength(type)
                || length > negotiated.maxMessageLength(type)
                || (type == BgpMessage.KEEPALIVE && length != MessageHeader.LENGTH);
        // RFC 7313 5: a ROUTE-REFRESH of the wrong length has its own error, sent once it is whole.
        if (badLength && type != BgpMessage.ROUTE_REFRESH) {
            throw new BgpProtocolException(MESSAGE_HEADER_ERROR, BAD_MESSAGE_LENGTH,
                    new byte[] {(byte) (length >> 8), (byte) length},
                    BgpMessage.typeName(type) + " of length " + length);
        }
        if (length < MessageHeader.LENGTH || length > negotiated.maxMessageLength(type)) {
            throw new BgpProtocolException(MESSAGE_HEADER_ERROR, BAD_MESSAGE_LENGTH,
                    new byte[] {(byte) (length >> 8), (byte) length}, "ROUTE-REFRESH of length " + length);
        }
        return length;
    }

    /**
     * Decodes one whole message: {@code frame} holds exactly one message, header included, and
     * is consumed.
     */
    public static BgpMessage decode(ByteBuf frame, Negotiated negotiated, MalformedUpdateListener listener)
            throws BgpProtocolException {
        int length = checkHeader(frame, negotiated);
        if (length != frame.readableBytes()) {
            throw new BgpProtocolException(MESSAGE_HEADER_ERROR, BAD_MESSAGE_LENGTH,
                    new byte[] {(byte) (length >> 8), (byte) length},
                    "length field " + length + " but frame of " + frame.readableBytes());
        }
        int type = frame.getUnsignedByte(frame.readerIndex() + 18);
        if (type == BgpMessage.ROUTE_REFRESH && length != 23) {
            byte[] whole = new byte[length];
            frame.readBytes(whole);
            throw new BgpProtocolException(ROUTE_REFRESH_MESSAGE_ERROR, INVALID_MESSAGE_LENGTH, whole,
                    "ROUTE-REFRESH of length " + length);
        }
        frame.skipBytes(MessageHeader.LENGTH);
        return switch (type) {
            case BgpMessage.OPEN -> OpenCodec.decode(frame);
            case BgpMessage.UPDATE -> UpdateCodec.decode(frame, negotiated, listener);
            case BgpMessage.NOTIFICATION -> decodeNotification(frame);
            case BgpMessage.KEEPALIVE -> KeepaliveMessage.INSTANCE;
            case BgpMessage.ROUTE_REFRESH -> decodeRouteRefresh(frame);
            default -> throw new AssertionError("checkHeader admits types 1 to 5");
        };
    }

    /**
     * Appends {@code message}, header included, to {@code out}.
     *
     * @throws IllegalArgumentException when it does not fit the negotiated maximum length;
     *         the export side packs UPDATEs so that this never happens
     */
    public static void encode(BgpMessage message, Negotiated negotiated, ByteBuf out) {
        int start = out.writerIndex();
        for (int i = 0; i < MessageHeader.MARKER_LENGTH; i++) {
            out.writeByte(0xFF);
        }
        out.writeShort(0); // length, set below
        out.writeByte(message.type());
        // Java 17 has no pattern switch; the sealed interface keeps this chain complete.
        if (message instanceof OpenMessage open) {
            OpenCodec.encode(open, out);
        } else if (message instanceof UpdateMessage update) {
            UpdateCodec.encode(update, negotiated, out);
        } else if (message instanceof EncodedUpdate e) {
            if (e.fourOctetAs() != negotiated.fourOctetAs()) {
                out.writerIndex(start);
                throw new IllegalArgumentException("UPDATE encoded with " + (e.fourOctetAs() ? 4 : 2)
                        + "-octet AS numbers for a session that negotiated the other (RFC 6793)");
            }
            out.writeBytes(e.body());
        } else if (message instanceof NotificationMessage n) {
            out.writeByte(n.code()).writeByte(n.subcode()).writeBytes(n.data());
        } else if (message instanceof RouteRefreshMessage r) {
            out.writeShort(r.family().afi()).writeByte(r.subtype()).writeByte(r.family().safi());
        }
        int length = out.writerIndex() - start;
        if (length > negotiated.maxMessageLength(message.type())) {
            out.writerIndex(start);
            throw new IllegalArgumentException(BgpMessage.typeName(message.type()) + " of " + length
                    + " octets exceeds the maximum of " + negotiated.maxMessageLength(message.type()));
        }
        out.setShort(start + MessageHeader.MARKER_LENGTH, length);
    }

    private static NotificationMessage decodeNotification(ByteBuf body) {
        int code = body.readUnsignedByte();
        int subcode = body.readUnsignedByte();
        byte[] data = new byte[body.readableBytes()];
        body.readBytes(data);
        return new NotificationMessage(code, subcode, data);
    }

    private static RouteRefreshMessage decodeRouteRefresh(ByteBuf body) {
        int afi = body.readUnsignedShort();
        int subtype = body.readUnsignedByte();
        int safi = body.readUnsignedByte();
        return new RouteRefreshMessage(new AddressFamily(afi, safi), subtype);
    }
}
