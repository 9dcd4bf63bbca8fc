package io.cairn.bench;

import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the injectors send and what the monitor must end up holding.
 *
 * <p>Prefixes are /24s counted up from {@link #BASE} (20.0.0.0): prefix index i is
 * {@code BASE + (i << 8)}. Distinct workloads give peer p the indexes [p*M, (p+1)*M); the churn
 * workload gives every peer [0, M) with an AS path of length {@code peers - p} (its own AS,
 * prepended), so the last peer's one-AS path is the best and every arrival of a shorter path
 * changes the best path.
 *
 * <p>Injector p is 127.0.0.(10+p), AS 65101+p, next hop 10.0.(p+1).1 (not 127/8: FRR calls that
 * martian and GoBGP drops it). The monitor is 127.0.0.2, AS 64999.
 */
final class Workload {

    static final int BASE = 20 << 24;
    static final int NLRI_PER_UPDATE = 1000;
    /** UPDATEs per socket write: whole messages only, so a keepalive can go between two writes. */
    private static final int MESSAGES_PER_WRITE = 64;

    final String name;
    final int peers;
    final int prefixesPerPeer;
    final boolean churn;

    Workload(String name, int peers, int prefixesPerPeer, boolean churn) {
        this.name = name;
        this.peers = peers;
        this.prefixesPerPeer = prefixesPerPeer;
        this.churn = churn;
    }

    String describe() {
        return peers + " peers x " + prefixesPerPeer + (churn ? " identical prefixes, AS-path lengths 1.." + peers
                : " distinct prefixes");
    }

    /** Distinct prefixes the monitor must hold. */
    int expectedPrefixes() {
        return churn ? prefixesPerPeer : peers * prefixesPerPeer;
    }

    static String peerAddress(int p) {
        return "127.0.0." + (10 + p);
    }

    static long peerAs(int p) {
        return 65101 + p;
    }

    static int nextHop(int p) {
        return (10 << 24) | ((p + 1) << 8) | 1;
    }

    int asPathLength(int p) {
        return churn ? peers - p : 1;
    }

    /** The peer whose path must be best for prefix index {@code i}. */
    int expectedPeer(int i) {
        return churn ? peers - 1 : i / prefixesPerPeer;
    }

    /**
     * Peer p's announcements followed by an End-of-RIB, as socket-write-sized chunks of whole
     * messages; encoded with Cairn's codec for a session with 4-octet AS numbers.
     */
    List<byte[]> encode(int p, Negotiated negotiated) {
        long[] path = new long[asPathLength(p)];
        java.util.Arrays.fill(path, peerAs(p));
        List<PathAttribute> attrs = List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(path), new PathAttribute.NextHop(inet4(nextHop(p))));
        int first = churn ? 0 : p * prefixesPerPeer;
        List<byte[]> chunks = new ArrayList<>();
        ByteBuf buf = Unpooled.buffer(MESSAGES_PER_WRITE * 4096);
        int inBuf = 0;
        for (int start = 0; start < prefixesPerPeer; start += NLRI_PER_UPDATE) {
            int end = Math.min(prefixesPerPeer, start + NLRI_PER_UPDATE);
            List<Prefix> nlri = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                nlri.add(prefix(first + i));
            }
            MessageCodec.encode(new UpdateMessage(List.of(), attrs, nlri), negotiated, buf);
            if (++inBuf == MESSAGES_PER_WRITE) {
                chunks.add(drain(buf));
                inBuf = 0;
            }
        }
        MessageCodec.encode(UpdateMessage.endOfRib(io.cairn.node.bgp.wire.AddressFamily.IPV4_UNICAST), negotiated,
                buf);
        chunks.add(drain(buf));
        return chunks;
    }

    private static byte[] drain(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.clear();
        return b;
    }

    static Prefix prefix(int index) {
        int a = BASE + (index << 8);
        return Prefix.of(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), 0}, 24);
    }

    /** Prefix index of a /24 inside the workload's range, or -1. */
    int indexOf(Prefix prefix) {
        if (!prefix.isIpv4() || prefix.length() != 24) {
            return -1;
        }
        long key = prefix.ipv4Key() >>> 8;
        long index = (key - (BASE & 0xFFFFFFFFL)) >> 8;
        return index >= 0 && index < expectedPrefixes() ? (int) index : -1;
    }

    static Inet4Address inet4(int a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(
                    new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
