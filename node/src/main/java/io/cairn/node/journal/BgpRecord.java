package io.cairn.node.journal;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.BgpProtocolException;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;

/**
 * One BGP journal record: something a session learned, in the order it learned it. Every record
 * names its peer by address: only configured peers are accepted, so the address identifies the
 * peer, and PEER_UP ties it to the configured name.
 */
public sealed interface BgpRecord permits BgpRecord.PeerUp, BgpRecord.Update, BgpRecord.PeerDown,
        BgpRecord.EndOfRib, BgpRecord.RouteRefresh, BgpRecord.StaleExpired {

    /** The journal record type (see {@link BgpRecordType}). */
    short type();

    InetAddress peer();

    /**
     * A session reached Established. Both OPEN messages, as wire bytes with their header, so that
     * the records that follow decode with what the session negotiated, and the local address of the
     * connection (the next hop Cairn's own routes get on it), or null when unknown.
     */
    record PeerUp(InetAddress peer, String name, byte[] localOpen, byte[] remoteOpen, InetAddress localAddress)
            implements BgpRecord {

        public static PeerUp of(InetAddress peer, String name, OpenMessage local, OpenMessage remote,
                                InetAddress localAddress) {
            return new PeerUp(peer, name, wire(local), wire(remote), localAddress);
        }

        @Override
        public short type() {
            return BgpRecordType.PEER_UP;
        }

        public OpenMessage localOpenMessage() {
            return open(localOpen);
        }

        public OpenMessage remoteOpenMessage() {
            return open(remoteOpen);
        }

        private static byte[] wire(OpenMessage open) {
            ByteBuf out = Unpooled.buffer(128);
            MessageCodec.encode(open, Negotiated.DEFAULT, out);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        }

        /** The OPENs were valid when journaled and the journal checksums them: a failure is a bug. */
        private static OpenMessage open(byte[] octets) {
            try {
                BgpMessage m = MessageCodec.decode(Unpooled.wrappedBuffer(octets), Negotiated.DEFAULT,
                        MalformedUpdateListener.IGNORE);
                if (m instanceof OpenMessage open) {
                    return open;
                }
                throw new IllegalStateException("journal PEER_UP holds a " + BgpMessage.typeName(m.type()) + ", not an OPEN");
            } catch (BgpProtocolException e) {
                throw new IllegalStateException("journal PEER_UP's OPEN does not decode: " + e.getMessage(), e);
            }
        }
    }

    /**
     * An UPDATE as learned: wire bytes with header, normalized (4-octet AS numbers, RFC 7606
     * already applied; see {@link NormalizedUpdate}).
     */
    record Update(InetAddress peer, byte[] message) implements BgpRecord {
        @Override
        public short type() {
            return BgpRecordType.UPDATE;
        }
    }

    /** What a session's end does to the paths it brought. */
    enum DownKind {
        /** A NOTIFICATION went either way: the paths go (RFC 4724 4.2 does not apply). */
        NOTIFIED,
        /** The connection dropped: paths of the families the peer preserves stay stale (RFC 4724 4.2). */
        CONNECTION_LOST,
        /**
         * Every path stays stale until the peer's End-of-RIB or its restart time: how a snapshot
         * records paths that were stale when it was taken.
         */
        KEEP_STALE
    }

    /** The session left Established, and why. */
    record PeerDown(InetAddress peer, String reason, DownKind kind) implements BgpRecord {
        @Override
        public short type() {
            return BgpRecordType.PEER_DOWN;
        }
    }

    /** The peer finished sending its routes of one family (RFC 4724 2). */
    record EndOfRib(InetAddress peer, AddressFamily family) implements BgpRecord {
        @Override
        public short type() {
            return BgpRecordType.END_OF_RIB;
        }
    }

    /**
     * The peer asked for our routes again (RFC 2918), or marked the start or end of its own resent
     * routes (RFC 7313 subtypes). Journaled so it reaches the RIB in order with the session's other
     * records; it changes no learned state, so replay and replicas pass over it.
     */
    record RouteRefresh(InetAddress peer, AddressFamily family, int subtype) implements BgpRecord {
        @Override
        public short type() {
            return BgpRecordType.ROUTE_REFRESH;
        }
    }

    /**
     * The time the peer's paths could stay stale ran out (RFC 4724 4.2) before it sent End-of-RIB:
     * what is still stale goes. The RIB's timer asks for this record rather than acting itself, so a
     * replay removes the same paths at the same point.
     */
    record StaleExpired(InetAddress peer) implements BgpRecord {
        @Override
        public short type() {
            return BgpRecordType.STALE_EXPIRED;
        }
    }
}
