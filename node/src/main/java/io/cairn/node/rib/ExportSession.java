package io.cairn.node.rib;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.export.UpdatePacker;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.net.InetAddress;

/**
 * One established peer as export sees it (its Adj-RIB-Out is in the {@link PrefixRecord}s, under
 * its slot) and the keys whose export is due (its dirty set and its place in the RIB's change log).
 * They are drained only while the peer's channel is writable, so a slow peer costs at most one
 * key per changed prefix, never a queue of messages. Owned by the RIB thread.
 */
final class ExportSession {

    final PeerSlot slot;
    final OpenMessage remoteOpen;
    final Negotiated negotiated;
    final InetAddress localAddress;
    final boolean enhancedRefresh;
    final boolean ipv4;
    final boolean ipv6;
    final UpdatePacker packer;
    /** Keys due regardless of the change log: the whole table at first, and what it fell behind on. */
    final PrefixSet dirty = new PrefixSet();
    /** How far it has read the RIB's change log. */
    int logCursor;
    /** The batch being exported: keys to announce by attribute set and family, keys to withdraw. */
    final Long2ObjectHashMap<LongArrayList> groups = new Long2ObjectHashMap<>();
    final LongArrayList withdrawn = new LongArrayList();
    /** End-of-RIB goes once the initial table is out (RFC 4724 2). */
    boolean endOfRibDue = true;

    ExportSession(PeerSlot slot, OpenMessage remoteOpen, Negotiated negotiated, InetAddress localAddress,
                  boolean enhancedRefresh) {
        this.slot = slot;
        this.remoteOpen = remoteOpen;
        this.negotiated = negotiated;
        this.localAddress = localAddress;
        this.enhancedRefresh = enhancedRefresh;
        this.packer = new UpdatePacker(negotiated);
        this.ipv4 = negotiated.families().contains(AddressFamily.IPV4_UNICAST);
        this.ipv6 = negotiated.families().contains(AddressFamily.IPV6_UNICAST);
    }
}
