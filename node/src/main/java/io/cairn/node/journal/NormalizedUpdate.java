package io.cairn.node.journal;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.BgpProtocolException;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Set;

/**
 * The one form UPDATEs take in the journal and in the RIB: encoded by the wire codec as for a
 * session that negotiated 4-octet AS numbers (RFC 6793: AS_PATH carries 4-octet ASNs, no AS4_PATH)
 * and extended messages (RFC 8654: converting 2-octet ASNs can make an UPDATE outgrow 4,096
 * octets), both unicast families, LOCAL_PREF kept as the session's decoder left it (it already
 * ignored it from external peers).
 */
public final class NormalizedUpdate {

    public static final Negotiated FORM = new Negotiated(true, true, false,
            Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST));

    private static final MalformedUpdateListener NO_REPORTS = (action, attribute, reason) -> { };

    private NormalizedUpdate() {
    }

    /** The normalized octets (header included) of {@code update}, already decoded and RFC 7606-treated. */
    public static byte[] encode(UpdateMessage update) {
        ByteBuf out = Unpooled.buffer(256);
        MessageCodec.encode(update, FORM, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /**
     * Reads normalized octets back. They were valid when written and the journal checksums them,
     * so a failure here is a bug or a codec change, reported as such.
     */
    public static UpdateMessage decode(byte[] message) {
        try {
            BgpMessage decoded = MessageCodec.decode(Unpooled.wrappedBuffer(message), FORM, NO_REPORTS);
            if (!(decoded instanceof UpdateMessage update)) {
                throw new IllegalStateException("journal UPDATE holds a " + BgpMessage.typeName(decoded.type()));
            }
            return update;
        } catch (BgpProtocolException e) {
            throw new IllegalStateException("journal UPDATE does not decode: " + e.getMessage(), e);
        }
    }
}
