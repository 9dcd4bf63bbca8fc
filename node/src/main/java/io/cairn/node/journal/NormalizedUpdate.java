package io.cairn.node.journal;

import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.BgpProtocolException;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The one form UPDATEs take in the journal: encoded by the wire codec as for a session that
 * negotiated 4-octet AS numbers (RFC 6793: AS_PATH carries 4-octet ASNs, no AS4_PATH) and extended
 * messages (RFC 8654: converting 2-octet ASNs can make an UPDATE outgrow 4,096 octets). Everything
 * else (families, internal or external peer) is what the session's two OPENs negotiated, which
 * PEER_UP keeps.
 */
public final class NormalizedUpdate {
    private NormalizedUpdate() {
    }

    /** How journal UPDATEs of a session whose OPENs were {@code local} and {@code remote} are read. */
    public static Negotiated negotiated(OpenMessage local, OpenMessage remote) {
        Negotiated session = Negotiated.of(local, remote);
        return new Negotiated(true, true, session.externalPeer(), session.families());
    }

    /** The journal bytes of {@code update}, already decoded (and RFC 7606-treated) from the peer. */
    public static byte[] encode(UpdateMessage update, Negotiated journal) {
        ByteBuf out = Unpooled.buffer();
        MessageCodec.encode(update, journal, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /**
     * Reads journal UPDATE bytes back. They were valid when written and the journal checksums
     * them, so a failure here is a bug or a codec change, reported as such.
     */
    public static UpdateMessage decode(byte[] message, Negotiated journal) {
        try {
            BgpMessage decoded = MessageCodec.decode(Unpooled.wrappedBuffer(message), journal, NO_REPORTS);
            if (!(decoded instanceof UpdateMessage update)) {
                throw new IllegalStateException("journal UPDATE holds a " + BgpMessage.typeName(decoded.type()));
            }
            return update;
        } catch (BgpProtocolException e) {
            throw new IllegalStateException("journal UPDATE does not decode: " + e.getMessage(), e);
        }
    }

    private static final MalformedUpdateListener NO_REPORTS = (action, attribute, reason) -> { };
}
