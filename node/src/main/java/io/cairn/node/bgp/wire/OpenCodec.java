package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;

import static io.cairn.node.bgp.wire.NotificationCode.BAD_BGP_IDENTIFIER;
import static io.cairn.node.bgp.wire.NotificationCode.OPEN_MESSAGE_ERROR;
import static io.cairn.node.bgp.wire.NotificationCode.UNACCEPTABLE_HOLD_TIME;
import static io.cairn.node.bgp.wire.NotificationCode.UNSUPPORTED_OPTIONAL_PARAMETER;
import static io.cairn.node.bgp.wire.NotificationCode.UNSUPPORTED_VERSION_NUMBER;

/** OPEN body (RFC 4271 4.2) with capabilities (RFC 5492) and extended parameters (RFC 9072). */
final class OpenCodec {

    private static final int PARAM_CAPABILITIES = 2;
    /** RFC 9072 2: Non-Ext OP Type 255 marks the extended optional parameters form. */
    private static final int PARAM_EXTENDED_LENGTH = 255;

    private OpenCodec() {
    }

    static OpenMessage decode(ByteBuf body) throws BgpProtocolException {
        int version = body.readUnsignedByte();
        if (version != OpenMessage.VERSION) {
            // RFC 4271 6.2: the data is the largest version we support, in 2 octets.
            throw new BgpProtocolException(OPEN_MESSAGE_ERROR, UNSUPPORTED_VERSION_NUMBER,
                    new byte[] {0, OpenMessage.VERSION}, "BGP version " + version);
        }
        int myAs = body.readUnsignedShort();
        int holdTime = body.readUnsignedShort();
        if (holdTime == 1 || holdTime == 2) {
            throw new BgpProtocolException(OPEN_MESSAGE_ERROR, UNACCEPTABLE_HOLD_TIME,
                    "hold time " + holdTime + " (must be 0 or at least 3)");
        }
        long bgpId = body.readUnsignedInt();
        if (bgpId == 0) {
            throw new BgpProtocolException(OPEN_MESSAGE_ERROR, BAD_BGP_IDENTIFIER, "BGP Identifier 0.0.0.0");
        }
        int paramsLength = body.readUnsignedByte();
        boolean extended = false;
        if (paramsLength > 0 && body.isReadable() && body.getUnsignedByte(body.readerIndex()) == PARAM_EXTENDED_LENGTH) {
            body.skipBytes(1);
            paramsLength = readLength(body, 2, "extended optional parameters length");
            extended = true;
        }
        if (paramsLength != body.readableBytes()) {
            throw malformed("optional parameters length " + paramsLength + " but "
                    + body.readableBytes() + " octets follow");
        }
        List<Capability> caps = new ArrayList<>();
        while (body.isReadable()) {
            int type = readLength(body, 1, "optional parameter type");
            int length = readLength(body, extended ? 2 : 1, "optional parameter length");
            if (length > body.readableBytes()) {
                throw malformed("optional parameter of " + length + " octets overruns the OPEN");
            }
            ByteBuf value = body.readSlice(length);
            if (type != PARAM_CAPABILITIES) {
                throw new BgpProtocolException(OPEN_MESSAGE_ERROR, UNSUPPORTED_OPTIONAL_PARAMETER,
                        "optional parameter type " + type);
            }
            while (value.isReadable()) {
                caps.add(CapabilityCodec.decode(value));
            }
        }
        return new OpenMessage(version, myAs, holdTime, bgpId, caps);
    }

    static void encode(OpenMessage open, ByteBuf out) {
        out.writeByte(open.version());
        out.writeShort(open.myAutonomousSystem());
        out.writeShort(open.holdTime());
        out.writeInt((int) open.bgpIdentifier());
        if (open.capabilities().isEmpty()) {
            out.writeByte(0);
            return;
        }
        int lengthAt = out.writerIndex();
        out.writeByte(0); // optional parameters length, patched below
        out.writeByte(PARAM_CAPABILITIES);
        out.writeByte(0); // parameter length, patched below
        int capsStart = out.writerIndex();
        for (Capability c : open.capabilities()) {
            CapabilityCodec.encode(c, out);
        }
        int capsLength = out.writerIndex() - capsStart;
        if (capsLength <= 253) {
            out.setByte(lengthAt, capsLength + 2);
            out.setByte(lengthAt + 2, capsLength);
            return;
        }
        // RFC 9072: too long for one octet. Rewrite as 255, 255, 2-octet length, type, 2-octet length.
        byte[] caps = new byte[capsLength];
        out.getBytes(capsStart, caps);
        out.writerIndex(lengthAt);
        out.writeByte(PARAM_EXTENDED_LENGTH).writeByte(PARAM_EXTENDED_LENGTH);
        out.writeShort(capsLength + 3);
        out.writeByte(PARAM_CAPABILITIES).writeShort(capsLength).writeBytes(caps);
    }

    private static int readLength(ByteBuf in, int octets, String what) throws BgpProtocolException {
        if (in.readableBytes() < octets) {
            throw malformed(what + " is cut short");
        }
        return octets == 1 ? in.readUnsignedByte() : in.readUnsignedShort();
    }

    /** RFC 4271 gives no subcode for a garbled parameter list; FRR and BIRD send Unspecific too. */
    static BgpProtocolException malformed(String detail) {
        return new BgpProtocolException(OPEN_MESSAGE_ERROR, 0, detail);
    }
}
