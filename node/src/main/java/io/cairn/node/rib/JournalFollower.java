package io.cairn.node.rib;

import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalRecordHandler;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.cluster.journal.RecordTypes;
import io.cairn.cluster.journal.SnapshotPosition;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.journal.BgpRecord;
import io.cairn.node.journal.BgpRecordCodec;
import io.cairn.node.journal.SessionJournal;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RIB thread's reader of the journal (DESIGN.md, data flow: "tail -> RIB thread"). It starts at
 * the newest complete snapshot, whose records rebuild every Adj-RIB-In, then applies what follows.
 * Later snapshots are passed over (the RIB already holds their state); a SNAPSHOT_BEGIN read live
 * makes the RIB capture its state, which is exactly the journal up to that marker, for the writer.
 * Records name peers by address; a PEER_UP binds the address to the configured {@link Peer}, and
 * the peer's later records go to that binding.
 */
final class JournalFollower implements JournalRecordHandler {

    private static final Logger log = LoggerFactory.getLogger(JournalFollower.class);

    private final Journal journal;
    private JournalTailer tailer;
    private long rebuildFrom = -1;
    private final Function<InetAddress, Peer> directory;
    private final RibState rib;
    private final SessionJournal writer;
    private final Map<InetAddress, Peer> bound = new HashMap<>();
    private final Set<InetAddress> unconfigured = new HashSet<>();
    private boolean skipping;
    private long records;

    /** @param directory the configured peer at an address, or null */
    JournalFollower(Journal journal, Function<InetAddress, Peer> directory, RibState rib, SessionJournal writer) {
        this.journal = journal;
        this.directory = directory;
        this.rib = rib;
        this.writer = writer;
    }

    /** Applies up to {@code limit} records; returns how many were read. On the RIB thread only. */
    int poll(int limit) {
        if (tailer == null) {
            // Made here, on the thread that reads: Chronicle tailers are bound to their first thread.
            rebuildFrom = journal.newestSnapshot().map(SnapshotPosition::id).orElse(-1L);
            tailer = journal.tailerFromSnapshot();
        }
        return tailer.poll(this, limit);
    }

    void close() {
        if (tailer != null) {
            tailer.close();
        }
    }

    /** Records read so far, markers included. */
    long records() {
        return records;
    }

    @Override
    public void onRecord(long index, short type, DirectBuffer buffer, int offset, int length) {
        records++;
        if (type == RecordTypes.SNAPSHOT_BEGIN) {
            if (index != rebuildFrom) {
                skipping = true;
                if (!rib.replaying()) {
                    writer.snapshotCaptured(index, rib.capture());
                }
            }
            return;
        }
        if (RecordTypes.isMarker(type)) {
            skipping = false; // SNAPSHOT_END or SNAPSHOT_ABORTED
            return;
        }
        if (skipping) {
            return;
        }
        // The tailer hands a record over again if this throws: a record that cannot be applied is
        // reported and passed over, never retried forever.
        try {
            RibEvent e = event(BgpRecordCodec.decode(type, buffer, offset, length));
            if (e != null) {
                rib.apply(e);
            }
        } catch (RuntimeException e) {
            log.error("journal record {} ({}) passed over: {}", Long.toHexString(index), type, e.toString(), e);
        }
    }

    private RibEvent event(BgpRecord r) {
        InetAddress address = r.peer();
        if (r instanceof BgpRecord.PeerUp up) {
            Peer peer = directory.apply(address);
            if (peer == null) {
                bound.remove(address);
                if (unconfigured.add(address)) {
                    log.warn("journal: {} ({}) is no longer a configured peer; its journaled paths are not used",
                            address.getHostAddress(), up.name());
                }
                return null;
            }
            bound.put(address, peer);
            OpenMessage local = up.localOpenMessage();
            OpenMessage remote = up.remoteOpenMessage();
            return new RibEvent.PeerUp(peer, local, remote, Negotiated.of(local, remote), up.localAddress());
        }
        Peer peer = bound.get(address);
        if (peer == null) {
            return null;
        }
        if (r instanceof BgpRecord.Update u) {
            return new RibEvent.Update(peer, u.message());
        } else if (r instanceof BgpRecord.EndOfRib eor) {
            return new RibEvent.EndOfRib(peer, eor.family());
        } else if (r instanceof BgpRecord.PeerDown down) {
            return new RibEvent.PeerDown(peer, down.reason(), down.kind());
        } else if (r instanceof BgpRecord.StaleExpired) {
            return new RibEvent.StaleExpired(peer);
        } else if (r instanceof BgpRecord.RouteRefresh rr && !rib.replaying()) {
            return new RibEvent.RouteRefresh(peer, new RouteRefreshMessage(rr.family(), rr.subtype()));
        }
        return null; // a route refresh of the past: answered back then
    }
}
