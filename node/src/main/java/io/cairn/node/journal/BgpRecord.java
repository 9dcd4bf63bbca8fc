package io.cairn.node.journal;

import io.cairn.node.bgp.wire.AddressFamily;
import java.net.InetAddress;

/**
 * One BGP journal record. Every record names its peer by address: only configured peers are
 * accepted, so the address identifies the peer, and PEER_UP ties it to the configured name.
 */
public sealed interface BgpRecord permits BgpRecord.PeerUp, BgpRecord.Update, BgpRecord.PeerDown,
        BgpRecord.EndOfRib, BgpRecord.AdjRibInEntry {

    /** The journal record type (see {@link BgpRecordType}). */
    short type();

    InetAddress peer();

    /**
     * A session reached Established. Both OPEN messages, as wire bytes with their header, so that
     * the records that follow decode with what the session negotiated.
     */
    record PeerUp(InetAddress peer, String name, byte[] localOpen, byte[] remoteOpen) implements BgpRecord {
        @Override
        public short type() {
            return BgpRecordType.PEER_UP;
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

    /** The session left Established, and why. */
    record PeerDown(InetAddress peer, String reason) implements BgpRecord {
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
     * One path of a peer's Adj-RIB-In, inside a snapshot: the prefix in NLRI encoding (length in
     * bits, then the significant octets: RFC 4271 4.3, RFC 4760 5) of {@code family}, and the
     * path's attributes as the path-attribute field of a normalized UPDATE (RFC 4271 4.3).
     */
    record AdjRibInEntry(InetAddress peer, AddressFamily family, byte[] prefix, byte[] attributes)
            implements BgpRecord {
        @Override
        public short type() {
            return BgpRecordType.ADJ_RIB_IN;
        }
    }
}
