package io.cairn.node.rib;

import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.VnetConfig;
import io.cairn.node.export.Advertisement;
import io.cairn.node.journal.BgpRecord;
import io.cairn.node.journal.BgpRecordType;
import io.cairn.node.journal.RecordView;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntToLongFunction;
import java.util.function.LongPredicate;

/**
 * All RIB state and what changes it, owned by the RIB thread (DESIGN.md, "keys, not
 * objects"): prefixes are {@code long} keys ({@link PrefixKeys}); attribute sets are interned
 * ({@link AttributeSets}); per prefix one {@link PrefixRecord} holds the candidates (peer slot,
 * attribute-set id), which are every peer's Adj-RIB-In, and what each peer was sent, its
 * Adj-RIB-Out: one array per prefix, no map per peer. Events mark prefixes changed; once per
 * duty cycle the decision runs for the changed prefixes only, the Loc-RIB publishes net
 * changes, and each peer's export drains its dirty keys, grouped by attribute set so that
 * prefixes sharing a set share UPDATEs. Export is RFC 7947: transparent, never back to the
 * source.
 */
final class RibState {

    private static final Logger log = LoggerFactory.getLogger(RibState.class);

    /** Schedules a task onto the RIB thread after a delay. */
    @FunctionalInterface
    interface Timers {
        ScheduledFuture<?> schedule(Runnable task, long seconds);
    }

    /**
     * Capacity past which a per-cycle structure is shrunk once the RIB has been idle for
     * {@link #SHRINK_AFTER_IDLE_NANOS}: a full table load must not leave megabytes of empty slots
     * behind (they counted ~50 B per path at 1M paths), but shrinking after every cycle of a load
     * made each cycle grow them again from nothing (a tenth of the RIB thread's time in w3).
     */
    static final int TRANSIENT_CAPACITY = 1 << 16;
    /** Below this many candidates a session's own decision is as cheap as the shared one's lookup. */
    private static final int SHARED_BEST_MIN = 3;
    private static final long NO_SHARED_BEST = -1;
    private static final long SHRINK_AFTER_IDLE_NANOS = 1_000_000_000L;

    /** Dirty keys a peer's export takes per duty cycle, so one peer cannot starve the rest. */
    static final int EXPORT_CHUNK = 32_768;

    private final long localAsn;
    private final int ownRestartSeconds;
    private final Consumer<InetAddress> staleExpired;
    private final Consumer<InetAddress> endedByRestart;
    /** Replaying the journal at start: sessions are not up, nothing is exported or enforced. */
    private boolean replaying = true;
    private final InetAddress vnetNextHop;
    private final InetAddress vnetNextHopV6;
    private final DecisionProcess decision;
    private final Timers timers;
    private final PrefixKeys keys = new PrefixKeys();
    private final AttributeSets sets = new AttributeSets();
    private final LocRib locRib;
    private final List<LocRib.Listener> locRibListeners = new CopyOnWriteArrayList<>();
    /** Per prefix key, its {@link PrefixRecord}; neighbouring prefixes in neighbouring slots. */
    private final PrefixTable paths = new PrefixTable();
    private final List<PeerSlot> slots = new ArrayList<>();
    private final Map<Peer, PeerSlot> byPeer = new HashMap<>();
    /** This node's sessions by the address its journal names them by, bound at their PEER_UP. */
    private final Map<InetAddress, PeerSlot> own = new HashMap<>();
    /** Journaled peers no longer configured (warned about once). */
    private final Set<InetAddress> unconfigured = new HashSet<>();
    private final Function<InetAddress, Peer> directory;
    /** Every peer that ever came up, by name: queries and stale paths outlive the session. */
    private final Map<String, PeerSlot> byName = new HashMap<>();
    /** Other members' sessions, by origin member id and NVA address. */
    private final Map<String, Map<InetAddress, PeerSlot>> remote = new HashMap<>();
    /** Members that left the cluster: their journals' last word on a session is not news any more. */
    private final Set<String> departed = new HashSet<>();
    /** Departed members some of whose sessions were dropped: rebuilt from their replica if they return. */
    private final Set<String> trimmed = new HashSet<>();
    private final List<ExportSession> sessions = new ArrayList<>();
    /** Sessions a duty cycle exports together (see {@link #exportInStep}); reused. */
    private final List<ExportSession> inStep = new ArrayList<>();
    /**
     * Keys whose selection is due. A set placed as {@link #paths} is, not a list: besides taking
     * each key once, it hands them out a block of neighbouring slots of {@link #paths} at a time,
     * which the decision's and export's lookups then walk nearly in sequence. Out of the table's
     * order each lookup is a cache miss: in arrival order, w3's RIB thread took 37 % more CPU.
     */
    private final PrefixSet changed = new PrefixSet();
    /** When a duty cycle last decided something, while the per-cycle structures may be large. */
    private long busySinceShrink = -1;
    /** The last {@link #decideAndExport} left an export due to a peer whose channel was full. */
    private boolean exportHeldBack;
    /** Sent entries a new record makes room for: the highest slot with an export session, plus one. */
    private int sentSlots;
    /** Prefixes whose selection has paths from more than one NVA (ECMP), for the counts. */
    private final PrefixSet ecmpKeys = new PrefixSet();
    /**
     * Keys whose selection was recomputed, in order, once per duty cycle each: sessions read it
     * through their own cursor, so a change costs one entry here, not one per session. When a
     * slow session lets it grow past {@link #changeLogLimit()}, its unread keys move to its own
     * dirty set (one entry per prefix, however often it changed) and the log starts over.
     */
    private final LongArrayList changeLog = new LongArrayList();

    /**
     * Per prefix with at least {@link #SHARED_BEST_MIN} candidates, its best candidate over all of
     * them, when that best is also the best of every subset that keeps it (see
     * {@link Candidates#medPruned}). Each session's export then takes it whenever it may have it,
     * instead of running the decision again over its own subset: with ten NVAs on a prefix that
     * was most of the RIB thread's time. Every change to a prefix's candidates is decided before
     * any export, and the decision puts or removes the prefix here, so an entry is always current.
     */
    private final Long2LongHashMap sharedBest = new Long2LongHashMap(NO_SHARED_BEST);

    private final UpdateReader reader = new UpdateReader();
    private final LongArrayList keyList = new LongArrayList();
    private byte[] keyScratch = new byte[4096];
    private final Candidates candidates = new Candidates();
    private long[] picked = new long[4];

    /**
     * @param ownRestartSeconds how long paths replayed after this node's restart stay stale when
     *     their peer advertised no restart time of its own
     * @param staleExpired asks for a STALE_EXPIRED record for a peer whose stale time ran out
     * @param endedByRestart asks for a KEEP_STALE PEER_DOWN record for a peer whose session the
     *     journal left up and this node's restart ended: other members read it from their replicas
     * @param directory the configured peer at an address, or null
     */
    RibState(long localAsn, VnetConfig vnet, DecisionProcess decision, Timers timers, int ownRestartSeconds,
             Consumer<InetAddress> staleExpired, Consumer<InetAddress> endedByRestart,
             Function<InetAddress, Peer> directory) {
        this.directory = directory;
        this.ownRestartSeconds = ownRestartSeconds;
        this.staleExpired = staleExpired;
        this.endedByRestart = endedByRestart;
        this.localAsn = localAsn;
        this.vnetNextHop = vnet.nextHop();
        this.vnetNextHopV6 = vnet.nextHopV6();
        this.decision = decision;
        this.timers = timers;
        this.locRib = new LocRib(keys, vnet.prefixes());
        PeerSlot self = new PeerSlot(0, null, null, PathSource.LOCAL);
        slots.add(self);
        int own = sets.internWithoutNextHop(List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(localAsn)));
        for (Prefix p : vnet.prefixes()) {
            announce(self, keys.key(p), own);
        }
        sets.release(own);
    }

    private static long candidate(int slot, int set) {
        return (long) slot << 32 | set;
    }

    private static int slotOf(long candidate) {
        return PrefixRecord.slotOf(candidate);
    }

    private static int setOf(long candidate) {
        return PrefixRecord.setOf(candidate);
    }

    private long[] record(long key) {
        long[] r = paths.get(key);
        return r == null ? PrefixRecord.EMPTY : r;
    }

    /** Stores the record {@code r} that replaces {@code was}, or drops it once nothing is left in it. */
    private void store(long key, long[] was, long[] r) {
        if (PrefixRecord.isEmpty(r)) {
            paths.remove(key);
        } else if (r != was) {
            paths.put(key, r);
        }
    }

    /** Prefixes changed since the last decision, waiting for the next. */
    int undecided() {
        return changed.size();
    }

    /** Paths in every peer's Adj-RIB-In (Cairn's own routes not counted). */
    long pathCount() {
        long n = 0;
        for (PeerSlot slot : slots) {
            n += slot.isLocal() ? 0 : slot.prefixes;
        }
        return n;
    }

    boolean replaying() {
        return replaying;
    }

    /**
     * Adds a listener and tells it the Loc-RIB published so far, as changes from nothing: the drains
     * before it reported nothing (no one listened), and the replay starts with the RIB thread, so a
     * listener added once the journal's routes are in the Loc-RIB must still get them. Later changes,
     * pending ones included, reach it through {@link #decideAndExport}. On the RIB thread.
     */
    void addLocRibListener(LocRib.Listener listener) {
        locRibListeners.add(listener);
        Map<Prefix, Set<InetAddress>> table = new LinkedHashMap<>();
        paths.forEach((key, r) -> {
            if (PrefixRecord.published(r) != LocRib.NOTHING) {
                table.put(keys.prefix(key), locRib.hops(PrefixRecord.published(r)));
            }
        });
        if (!table.isEmpty()) {
            listener.changed(table);
        }
    }

    // ---- events ----

    /**
     * A record of this node's journal ({@code origin} null) or of another member's, read from its
     * replica. This node's sessions bind to the configured {@link Peer} at the record's address.
     * Another member's sessions become remote slots, one per NVA address, which feed the Loc-RIB like
     * this node's own: the same NVA heard by both nodes is then two candidates with the same source
     * (address and BGP Identifier); they tie through every step, and their next hops are one hop in
     * the ECMP set.
     */
    void apply(String origin, RecordView r) {
        Map<InetAddress, PeerSlot> sessions = origin == null ? own : remote.computeIfAbsent(origin, o -> new HashMap<>());
        if (r.type() == BgpRecordType.PEER_UP) {
            BgpRecord.PeerUp up = (BgpRecord.PeerUp) r.decode();
            if (origin == null) {
                onPeerUp(up);
            } else {
                onRemotePeerUp(origin, sessions, up);
            }
            return;
        }
        PeerSlot slot = sessions.get(r.peer());
        if (slot == null) {
            return; // not after a PEER_UP: nothing to attach it to
        }
        switch (r.type()) {
            case BgpRecordType.UPDATE:
                onUpdate(slot, r.messageArray(), r.messageOffset(), r.messageLength());
                break;
            case BgpRecordType.END_OF_RIB:
                onEndOfRib(slot, ((BgpRecord.EndOfRib) r.decode()).family());
                break;
            case BgpRecordType.STALE_EXPIRED:
                onStaleExpired(slot);
                break;
            case BgpRecordType.PEER_DOWN:
                BgpRecord.PeerDown down = (BgpRecord.PeerDown) r.decode();
                onPeerDown(slot, down.reason(), down.kind());
                break;
            case BgpRecordType.ROUTE_REFRESH:
                // Answered when it came: not in a replay, nor by a node that does not hold the session.
                if (origin == null && !replaying) {
                    BgpRecord.RouteRefresh rr = (BgpRecord.RouteRefresh) r.decode();
                    onRouteRefresh(slot, new RouteRefreshMessage(rr.family(), rr.subtype()));
                }
                break;
            default:
                throw new IllegalArgumentException("not a BGP record type: " + r.type());
        }
    }

    /**
     * Everything of {@code origin} goes: it left the cluster longer ago than the persist time, or
     * its replica started over and rebuilds it. What other nodes hear of the same NVAs stays.
     */
    void dropOrigin(String origin, String why) {
        Map<InetAddress, PeerSlot> ofOrigin = remote.remove(origin);
        if (ofOrigin == null) {
            return;
        }
        int gone = 0;
        for (PeerSlot slot : ofOrigin.values()) {
            gone += dropSession(slot);
        }
        log.info("origin {}: its {} paths removed ({})", origin, gone, why);
    }

    /**
     * {@code origin} left the cluster, and its sessions with it, though its journal could not say
     * so. Where another node still has a session with the same NVA (this node, or a member still
     * here), that session is the NVA's word: the departed copy goes now, so a route the NVA withdrew
     * meanwhile does not come back. What only the departed member heard stays, for the persist time.
     */
    void originLeft(String origin) {
        departed.add(origin);
        for (PeerSlot copy : remote.getOrDefault(origin, Map.of()).values()) {
            if (copy.up && heardElsewhere(copy)) {
                dropDepartedCopy(copy);
            }
        }
    }

    /** {@code origin} is a member again; true when it must be rebuilt (sessions of it were dropped). */
    boolean originBack(String origin) {
        departed.remove(origin);
        return trimmed.remove(origin);
    }

    /**
     * Another live session, here or at a member still present, with the NVA of {@code copy}, that has
     * sent its table (End-of-RIB): one just up has not said yet what holds, and what the copy keeps
     * would be withdrawn only to come back a moment later.
     */
    private boolean heardElsewhere(PeerSlot copy) {
        for (PeerSlot s : slots) {
            if (s != copy && s.up && s.saidWhatHolds && !s.isLocal() && s.source.address().equals(copy.source.address())
                    && !departed.contains(s.origin)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A live session with an NVA sent End-of-RIB: departed members' copies of that NVA, and other
     * members' copies kept stale, are superseded by what it says.
     */
    private void supersedeDepartedCopies(PeerSlot live) {
        if (departed.contains(live.origin)) {
            return;
        }
        remote.forEach((origin, ofOrigin) -> {
            PeerSlot copy = ofOrigin.get(live.source.address());
            if (copy == null || copy == live) {
                return;
            }
            if (departed.contains(origin) && copy.up) {
                dropDepartedCopy(copy);
            } else {
                supersedeStaleCopy(copy);
            }
        });
    }

    /**
     * Another member's copy of an NVA's session kept stale (that session went down, or the member
     * restarted) goes when another live session with the NVA, here or at a member still present,
     * says what holds: a route the NVA withdrew meanwhile must not come back from the stale copy.
     * With no such session, the stale paths stay for the NVA's restart time, as graceful restart keeps them.
     */
    private void supersedeStaleCopy(PeerSlot copy) {
        if (!copy.isRemote() || copy.stale.isEmpty() || !heardElsewhere(copy)) {
            return;
        }
        purgeStale(copy, AddressFamily.IPV4_UNICAST, "the NVA's live session elsewhere says what holds");
        purgeStale(copy, AddressFamily.IPV6_UNICAST, "the NVA's live session elsewhere says what holds");
    }

    private void dropDepartedCopy(PeerSlot copy) {
        int gone = dropSession(copy);
        trimmed.add(copy.origin);
        log.info("{}: {} paths removed: its member left, and the NVA's own session elsewhere says what holds",
                copy, gone);
    }

    /** Ends a remote session with all its paths; returns how many went. */
    private int dropSession(PeerSlot slot) {
        cancelStaleTimer(slot);
        int gone = withdrawWhere(slot, key -> true);
        slot.stale.clear();
        slot.up = false;
        return gone;
    }

    private void onRemotePeerUp(String origin, Map<InetAddress, PeerSlot> ofOrigin, BgpRecord.PeerUp up) {
        OpenMessage local = up.localOpenMessage();
        OpenMessage remoteOpen = up.remoteOpenMessage();
        PathSource source = source(up.name(), up.peer(), remoteOpen, Negotiated.of(local, remoteOpen));
        PeerSlot slot = ofOrigin.get(up.peer());
        if (slot == null) {
            slot = newSlot(null, origin, source);
            ofOrigin.put(up.peer(), slot);
        } else if (slot.up) {
            // The origin restarted: the session it had ended without a record. Its paths wait for
            // End-of-RIB (or its STALE_EXPIRED), as the origin itself keeps them (see endReplay).
            keepAllStale(slot, origin + " restarted");
        }
        sessionUp(slot, source, local, remoteOpen, up.localAddress());
    }

    private static PathSource source(String name, InetAddress address, OpenMessage remoteOpen, Negotiated negotiated) {
        return new PathSource(name, address, remoteOpen.autonomousSystem(), remoteOpen.bgpIdentifier(),
                negotiated.externalPeer());
    }

    private PeerSlot newSlot(Peer peer, String origin, PathSource source) {
        PeerSlot slot = new PeerSlot(slots.size(), peer, origin, source);
        slots.add(slot);
        return slot;
    }

    private void sessionUp(PeerSlot slot, PathSource source, OpenMessage localOpen, OpenMessage remoteOpen,
                           InetAddress localAddress) {
        slot.source(source);
        slot.up = true;
        slot.saidWhatHolds = false;
        slot.localOpen = localOpen;
        slot.remoteOpen = remoteOpen;
        slot.localAddress = localAddress;
        restarted(slot);
    }

    private void onEndOfRib(PeerSlot slot, AddressFamily family) {
        if (slot.up) {
            slot.saidWhatHolds = true;
            purgeStale(slot, family, "End-of-RIB");
            supersedeDepartedCopies(slot);
        }
    }

    private void onStaleExpired(PeerSlot slot) {
        purgeStale(slot, AddressFamily.IPV4_UNICAST, "restart time over");
        purgeStale(slot, AddressFamily.IPV6_UNICAST, "restart time over");
    }

    private void onPeerUp(BgpRecord.PeerUp up) {
        Peer peer = directory.apply(up.peer());
        if (peer == null) {
            own.remove(up.peer());
            if (unconfigured.add(up.peer())) {
                log.warn("journal: {} ({}) is no longer a configured peer; its journaled paths are not used",
                        up.peer().getHostAddress(), up.name());
            }
            return;
        }
        OpenMessage local = up.localOpenMessage();
        OpenMessage remoteOpen = up.remoteOpenMessage();
        Negotiated negotiated = Negotiated.of(local, remoteOpen);
        PathSource source = source(peer.name(), peer.address(), remoteOpen, negotiated);
        PeerSlot slot = byPeer.get(peer);
        if (slot == null) {
            slot = newSlot(peer, null, source);
            byPeer.put(peer, slot);
        }
        own.put(up.peer(), slot);
        byName.put(peer.name(), slot);
        sessionUp(slot, source, local, remoteOpen, up.localAddress());
        if (replaying) {
            return; // a session of the past: nothing to export to
        }
        ExportSession s = new ExportSession(slot, remoteOpen, negotiated, up.localAddress(),
                remoteOpen.has(Capability.EnhancedRouteRefresh.class));
        slot.session = s;
        s.logCursor = changeLog.size(); // it gets every key below anyway
        sessions.add(s);
        sentSlots = Math.max(sentSlots, slot.index + 1);
        paths.forEach((key, c) -> s.dirty.add(key));
    }

    /** The normalized UPDATE in {@code array[offset, offset+length)}. */
    private void onUpdate(PeerSlot slot, byte[] array, int offset, int length) {
        if (!slot.up) {
            return; // not after a PEER_UP: nothing to attach it to
        }
        reader.wrap(array, offset, length);
        keyList.clear();
        reader.withdrawn(keys, keyList);
        if (reader.unreachFamily() != null) {
            reader.mpWithdrawn(keys, keyList);
        }
        for (int i = 0; i < keyList.size(); i++) {
            withdraw(slot, keyList.getLong(i));
        }
        int announced = 0;
        AddressFamily family = AddressFamily.IPV4_UNICAST;
        keyList.clear();
        reader.nlri(keys, keyList);
        if (!keyList.isEmpty()) {
            announced += announceAll(slot, false);
        }
        if (reader.reachFamily() != null) {
            keyList.clear();
            reader.mpNlri(keys, keyList);
            if (!keyList.isEmpty()) {
                family = announced == 0 ? reader.reachFamily() : family;
                announced += announceAll(slot, true);
            }
        }
        if (slot.session != null) {
            enforceMaxPrefixes(slot, announced, family);
        }
    }

    /** Learns the keys in {@link #keyList} with the attribute set of the classic or the MP NLRI; returns how many. */
    private int announceAll(PeerSlot slot, boolean multiprotocol) {
        if (keyScratch.length < reader.maxKeyLength()) {
            keyScratch = new byte[reader.maxKeyLength()];
        }
        int id = sets.intern(keyScratch, reader.attributeKey(multiprotocol, keyScratch));
        // Our own AS in the path: the route has been through us already (RFC 4271 9.1.2).
        boolean loop = sets.get(id).facts.pathContains(localAsn);
        for (int i = 0; i < keyList.size(); i++) {
            long key = keyList.getLong(i);
            if (loop) {
                withdraw(slot, key);
            } else {
                announce(slot, key, id);
            }
        }
        sets.release(id);
        return keyList.size();
    }

    private void announce(PeerSlot slot, long key, int id) {
        slot.stale.remove(key); // refreshed: no longer stale
        long[] r = record(key);
        int at = PrefixRecord.indexOf(r, slot.index);
        if (at >= 0 && setOf(PrefixRecord.candidate(r, at)) == id) {
            return;
        }
        sets.retain(id);
        if (at >= 0) {
            sets.release(setOf(PrefixRecord.candidate(r, at)));
        } else {
            slot.prefixes++;
            slot.insideVnet += locRib.insideVnet(key) ? 1 : 0;
        }
        long[] updated = PrefixRecord.withCandidate(r, candidate(slot.index, id), sentSlots);
        store(key, r, updated);
        changed.add(key);
    }

    private void withdraw(PeerSlot slot, long key) {
        slot.stale.remove(key);
        long[] r = record(key);
        int at = PrefixRecord.indexOf(r, slot.index);
        if (at < 0) {
            return;
        }
        sets.release(setOf(PrefixRecord.candidate(r, at)));
        slot.prefixes--;
        slot.insideVnet -= locRib.insideVnet(key) ? 1 : 0;
        long[] updated = PrefixRecord.withoutCandidate(r, at);
        store(key, r, updated);
        changed.add(key);
    }

    /** The keys for which the slot has a path (its Adj-RIB-In) and {@code which} holds. */
    private LongArrayList learnedKeys(PeerSlot slot, LongPredicate which) {
        LongArrayList out = new LongArrayList();
        paths.forEach((key, r) -> {
            if (PrefixRecord.indexOf(r, slot.index) >= 0 && which.test(key)) {
                out.addLong(key);
            }
        });
        return out;
    }

    /** Withdraws the slot's paths whose keys match; returns how many went. */
    private int withdrawWhere(PeerSlot slot, LongPredicate which) {
        LongArrayList gone = learnedKeys(slot, which);
        for (int i = 0; i < gone.size(); i++) {
            withdraw(slot, gone.getLong(i));
        }
        return gone.size();
    }

    /**
     * Counts the Adj-RIB-In after the UPDATE is applied: over the limit, the session closes with
     * Cease / Maximum Number of Prefixes Reached (RFC 4486 4: data AFI, SAFI, upper bound) and
     * stays down for the peer's max-prefix-restart time. A warning comes first, at 90 %.
     */
    private void enforceMaxPrefixes(PeerSlot slot, int announced, AddressFamily family) {
        Peer peer = slot.peer;
        int limit = peer.config().maxPrefixes();
        int count = slot.prefixes;
        int warnAt = limit - limit / 10;
        if (count > limit) {
            byte[] data = {(byte) (family.afi() >> 8), (byte) family.afi(), (byte) family.safi(),
                (byte) (limit >>> 24), (byte) (limit >>> 16), (byte) (limit >>> 8), (byte) limit};
            log.warn("{}: {} prefixes exceed the limit of {}; closing for {} s", peer, count, limit,
                    peer.config().maxPrefixRestart());
            peer.shutDownFor(new NotificationMessage(NotificationCode.CEASE,
                    NotificationCode.CEASE_MAXIMUM_PREFIXES_REACHED, data),
                    Duration.ofSeconds(peer.config().maxPrefixRestart()));
        } else if (count >= warnAt && count - announced < warnAt) {
            log.warn("{}: {} prefixes, {} % of the limit of {}", peer, count, count * 100L / limit, limit);
        }
    }

    private void onRouteRefresh(PeerSlot slot, RouteRefreshMessage request) {
        ExportSession s = slot.session;
        if (s == null || request.subtype() != RouteRefreshMessage.NORMAL) {
            return; // BoRR/EoRR from the peer concern its own announcements, not ours
        }
        AddressFamily family = request.family();
        if (!s.negotiated.families().contains(family)) {
            return;
        }
        // RFC 7313 4: bracket the resent table with BoRR/EoRR when both sides support it.
        if (s.enhancedRefresh) {
            slot.peer.send(List.of(new RouteRefreshMessage(family, RouteRefreshMessage.BEGIN)));
        }
        Long2ObjectHashMap<LongArrayList> groups = new Long2ObjectHashMap<>();
        paths.forEach((key, r) -> {
            long id = PrefixRecord.sent(r, slot.index);
            if (id != PeerSlot.NONE && PrefixKeys.family(key).equals(family)) {
                group(groups, key, id);
            }
        });
        send(s, groups, new LongArrayList());
        if (s.enhancedRefresh) {
            slot.peer.send(List.of(new RouteRefreshMessage(family, RouteRefreshMessage.END)));
        }
    }

    private void onPeerDown(PeerSlot slot, String reason, BgpRecord.DownKind kind) {
        if (!slot.up) {
            return;
        }
        slot.up = false;
        ExportSession s = slot.session;
        if (s != null) {
            slot.session = null;
            sessions.remove(s);
            sentSlots = sessions.stream().mapToInt(x -> x.slot.index + 1).max().orElse(0);
            forgetSent(slot);
        }
        if (kind == BgpRecord.DownKind.KEEP_STALE) {
            keepAllStale(slot, reason);
            return;
        }
        Optional<Capability.GracefulRestart> gr = slot.remoteOpen.capability(Capability.GracefulRestart.class);
        if (kind == BgpRecord.DownKind.NOTIFIED || gr.isEmpty() || gr.get().restartTime() == 0
                || gr.get().families().isEmpty()) {
            cancelStaleTimer(slot);
            int gone = withdrawWhere(slot, key -> true);
            log.info("{}: {} learned prefixes withdrawn ({})", slot, gone, reason);
            return;
        }
        // RFC 4724 4.2: keep the paths of the families it preserves, stale, for its restart time.
        Set<AddressFamily> kept = new HashSet<>();
        gr.get().families().forEach(f -> kept.add(f.family()));
        withdrawWhere(slot, key -> !kept.contains(PrefixKeys.family(key)));
        markAllStale(slot);
        slot.keptForOwnRestart = false;
        restartStaleTimer(slot, gr.get().restartTime());
        log.info("{}: session down ({}); {} paths kept stale for {} s (graceful restart)", slot, reason,
                slot.stale.size(), gr.get().restartTime());
        supersedeStaleCopy(slot);
    }

    private void markAllStale(PeerSlot slot) {
        LongArrayList preserved = learnedKeys(slot, key -> true);
        for (int i = 0; i < preserved.size(); i++) {
            slot.stale.add(preserved.getLong(i));
        }
    }

    /**
     * Keeps every path of the slot, stale, until its End-of-RIB or its restart time (its own, else
     * this node's): paths replayed after this node restarted, or recorded stale in a snapshot.
     */
    private void keepAllStale(PeerSlot slot, String why) {
        markAllStale(slot);
        slot.keptForOwnRestart = true;
        int seconds = slot.remoteOpen.capability(Capability.GracefulRestart.class)
                .map(Capability.GracefulRestart::restartTime).filter(t -> t > 0).orElse(ownRestartSeconds);
        restartStaleTimer(slot, seconds);
        if (!slot.stale.isEmpty()) {
            log.info("{}: {} paths kept stale for {} s until it sends End-of-RIB ({})", slot, slot.stale.size(),
                    seconds, why);
        }
        supersedeStaleCopy(slot);
    }

    /**
     * The journal is replayed: from now on sessions are live. Sessions the journal left up ended
     * with this node's restart; their paths stay, stale, until each peer is back and has sent
     * End-of-RIB (the selection deferral of RFC 4724 4.1, per peer), so the SDN keeps them meanwhile.
     */
    void endReplay() {
        replaying = false;
        for (PeerSlot slot : slots) {
            if (slot.up && !slot.isRemote()) { // another member's sessions did not restart with this node
                slot.up = false;
                keepAllStale(slot, "this node restarted");
                // Journaled, so that other members, which read this journal, know the session ended too.
                endedByRestart.accept(slot.peer.address());
            }
        }
    }

    /** The session is gone, and with it what it was sent: its Adj-RIB-Out entries go. */
    private void forgetSent(PeerSlot slot) {
        LongArrayList had = new LongArrayList();
        paths.forEach((key, r) -> {
            if (PrefixRecord.sent(r, slot.index) != PeerSlot.NONE) {
                had.addLong(key);
            }
        });
        for (int i = 0; i < had.size(); i++) {
            long key = had.getLong(i);
            long[] r = paths.get(key);
            sets.release((int) PrefixRecord.sent(r, slot.index));
            store(key, r, PrefixRecord.withSent(r, slot.index, PeerSlot.NONE));
        }
        slot.advertised = 0;
    }

    /**
     * A peer came back: stale families it no longer preserves go now (RFC 4724 4.2), the rest await
     * End-of-RIB. Paths kept because this node restarted await End-of-RIB whatever the bits say: the
     * peer did not restart, so it has no forwarding state to report on.
     */
    private void restarted(PeerSlot slot) {
        if (slot.stale.isEmpty() || slot.keptForOwnRestart) {
            return;
        }
        Optional<Capability.GracefulRestart> gr = slot.remoteOpen.capability(Capability.GracefulRestart.class);
        for (AddressFamily f : List.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)) {
            boolean preserved = gr.isPresent() && gr.get().families().stream()
                    .anyMatch(x -> x.family().equals(f) && x.forwardingPreserved());
            if (!preserved) {
                purgeStale(slot, f, "restarted without preserving " + f);
            }
        }
        if (!slot.stale.isEmpty()) {
            // Bound the wait for End-of-RIB by the restart time again.
            restartStaleTimer(slot, gr.map(Capability.GracefulRestart::restartTime).orElse(0));
        }
    }

    private void restartStaleTimer(PeerSlot slot, int seconds) {
        cancelStaleTimer(slot);
        if (slot.isRemote()) {
            return; // its origin's timer journals the expiry, which arrives through the replica
        }
        int generation = slot.staleGeneration;
        // The timer only asks for a journal record: the purge happens when the RIB reads it, so a replay repeats it.
        slot.staleTimer = timers.schedule(() -> {
            if (slot.staleGeneration == generation && !slot.stale.isEmpty()) {
                staleExpired.accept(slot.peer.address());
            }
        }, seconds);
    }

    private void cancelStaleTimer(PeerSlot slot) {
        slot.staleGeneration++;
        if (slot.staleTimer != null) {
            slot.staleTimer.cancel(false);
            slot.staleTimer = null;
        }
    }

    /** Removes the paths of {@code family} still stale from the slot. */
    private void purgeStale(PeerSlot slot, AddressFamily family, String why) {
        LongArrayList gone = new LongArrayList();
        slot.stale.forEach(key -> {
            if (PrefixKeys.family(key).equals(family)) {
                gone.addLong(key);
            }
        });
        for (int i = 0; i < gone.size(); i++) {
            withdraw(slot, gone.getLong(i));
        }
        if (slot.stale.isEmpty()) {
            cancelStaleTimer(slot);
            slot.keptForOwnRestart = false;
        }
        if (!gone.isEmpty()) {
            log.info("{}: {} stale {} paths removed ({})", slot, gone.size(), family, why);
        }
    }

    /**
     * Every Adj-RIB-In as it is now, for a journal snapshot: the peers whose session is up or who
     * left stale paths, and their paths (see {@link RibSnapshot}).
     */
    RibSnapshot capture() {
        RibSnapshot snapshot = new RibSnapshot();
        RibSnapshot.PeerPart[] parts = new RibSnapshot.PeerPart[slots.size()];
        for (PeerSlot slot : slots) {
            if (slot.peer != null && slot.remoteOpen != null && (slot.up || !slot.stale.isEmpty())) {
                parts[slot.index] = snapshot.add(BgpRecord.PeerUp.of(slot.peer.address(), slot.peer.name(),
                        slot.localOpen, slot.remoteOpen, slot.localAddress), slot.up);
            }
        }
        paths.forEach((key, r) -> {
            for (int i = 0, n = PrefixRecord.candidates(r); i < n; i++) {
                long c = PrefixRecord.candidate(r, i);
                RibSnapshot.PeerPart part = parts[slotOf(c)];
                if (part != null) {
                    snapshot.path(part, slots.get(slotOf(c)).stale.contains(key), key,
                            PrefixKeys.isIpv4(key) ? null : keys.prefix(key), sets.get(setOf(c)));
                }
            }
        });
        return snapshot;
    }

    // ---- decision, Loc-RIB, export ----

    /** Runs the decision for the prefixes changed since the last call, then exports; returns the work done. */
    int decideAndExport() {
        int work = decide();
        exportHeldBack = false;
        inStep.clear();
        for (int i = 0; i < sessions.size(); i++) {
            ExportSession s = sessions.get(i);
            boolean due = !s.dirty.isEmpty() || s.logCursor < changeLog.size() || s.endOfRibDue;
            if (due && !s.slot.peer.isWritable()) {
                exportHeldBack = true;
            } else if (due && s.dirty.isEmpty() && s.logCursor < changeLog.size()
                    && (inStep.isEmpty() || inStep.get(0).logCursor == s.logCursor)) {
                inStep.add(s);
            } else if (due) {
                work += export(s) + 1;
            }
        }
        if (!inStep.isEmpty()) {
            work += exportInStep(inStep) + 1;
        }
        trimChangeLog();
        if (work == 0 && busySinceShrink >= 0 && System.nanoTime() - busySinceShrink > SHRINK_AFTER_IDLE_NANOS) {
            shrinkTransients();
        }
        return work;
    }

    /**
     * Runs the decision for the prefixes changed since the last call and publishes the Loc-RIB's
     * changes; returns the number of prefixes decided.
     */
    private int decide() {
        int work = changed.size();
        if (work > 0) {
            changed.forEach(key -> {
                long[] r = record(key);
                locRib.update(key, r, ecmpHopSet(key, r));
                store(key, r, r); // gone once it is neither learned nor sent nor published
                changeLog.addLong(key);
            });
            changed.clear();
            busySinceShrink = System.nanoTime();
            Map<Prefix, Set<InetAddress>> changes = locRib.drain(!locRibListeners.isEmpty());
            if (!changes.isEmpty()) {
                for (LocRib.Listener l : locRibListeners) {
                    l.changed(changes);
                }
            }
        }
        return work;
    }

    /** Gives back the room a burst of changes took in the per-cycle structures. */
    private void shrinkTransients() {
        if (changed.capacity() > TRANSIENT_CAPACITY) {
            changed.compact();
        }
        if (sharedBest.capacity() > TRANSIENT_CAPACITY) {
            sharedBest.clear(); // until decided again, a prefix is exported by each session's own decision
            sharedBest.compact();
        }
        locRib.shrink();
        if (changeLog.isEmpty()) {
            changeLog.trimToSize();
            busySinceShrink = -1;
        } // else a slow session still reads it: try again later
    }

    /**
     * True while the RIB has work only time can let it do: an export held back by a peer's full
     * channel (nothing signals the RIB thread when it drains) or transients to shrink once it has
     * been idle long enough. Its thread must then look again on a clock instead of waiting to be
     * woken. As of the last {@link #decideAndExport}.
     */
    boolean waitsOnClock() {
        return exportHeldBack || busySinceShrink >= 0;
    }

    private int changeLogLimit() {
        return Math.max(65_536, paths.size());
    }

    /** Starts the log over once every session has read it, or moves the laggards' share to their dirty sets. */
    private void trimChangeLog() {
        int size = changeLog.size();
        if (size == 0) {
            return;
        }
        boolean allRead = true;
        for (ExportSession s : sessions) {
            allRead &= s.logCursor == size;
        }
        if (!allRead && size < changeLogLimit()) {
            return;
        }
        for (ExportSession s : sessions) {
            for (int i = s.logCursor; i < size; i++) {
                s.dirty.add(changeLog.getLong(i));
            }
            s.logCursor = 0;
        }
        changeLog.clear();
    }

    /**
     * The Loc-RIB id of the ECMP set's next hops over all paths; NOTHING when Cairn's own route
     * wins. Keeps {@link #ecmpKeys} up to date on the way.
     */
    private int ecmpHopSet(long key, long[] r) {
        candidates.clear();
        for (int i = 0, n = PrefixRecord.candidates(r); i < n; i++) {
            addCandidate(PrefixRecord.candidate(r, i));
        }
        int n = decision.select(candidates);
        if (n > 0 && candidates.size() >= SHARED_BEST_MIN && !candidates.medPruned) {
            sharedBest.put(key, PrefixRecord.candidate(r, candidates.order[0]));
        } else if (!sharedBest.isEmpty()) {
            sharedBest.remove(key);
        }
        if (candidates.sources(n) > 1) {
            ecmpKeys.add(key);
        } else {
            ecmpKeys.remove(key);
        }
        if (n == 0 || candidates.local[candidates.order[0]]) {
            return LocRib.NOTHING;
        }
        if (n == 1) {
            AttributeSet only = sets.get(setOf(PrefixRecord.candidate(r, candidates.order[0])));
            if (only.nextHop == null) {
                return LocRib.NOTHING;
            }
            if (only.singleHopSet < 0) {
                only.singleHopSet = locRib.hopSet(List.of(only.nextHop));
            }
            return only.singleHopSet;
        }
        List<InetAddress> hops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            InetAddress hop = sets.get(setOf(PrefixRecord.candidate(r, candidates.order[i]))).nextHop;
            if (hop != null) {
                hops.add(hop);
            }
        }
        return locRib.hopSet(hops);
    }

    private void addCandidate(long entry) {
        PeerSlot from = slots.get(slotOf(entry));
        candidates.add(from.isLocal(), from.source.external(), from.source.bgpIdentifier(), from.address,
                sets.get(setOf(entry)).facts);
    }

    /**
     * Sends up to {@link #EXPORT_CHUNK} of the keys due to the session, its dirty set first, then
     * the change log from its cursor.
     */
    private int export(ExportSession s) {
        LongArrayList due = new LongArrayList();
        s.dirty.drainTo(due, EXPORT_CHUNK);
        if (s.dirty.isEmpty() && s.dirty.capacity() > TRANSIENT_CAPACITY) {
            s.dirty.compact();
        }
        while (s.logCursor < changeLog.size() && due.size() < EXPORT_CHUNK) {
            due.addLong(changeLog.getLong(s.logCursor++));
        }
        for (int i = 0; i < due.size(); i++) {
            long key = due.getLong(i);
            exportKey(s, key, record(key));
        }
        flush(s);
        return due.size();
    }

    /**
     * Sends up to {@link #EXPORT_CHUNK} keys of the change log to sessions that read it at the same
     * cursor, with nothing else due: each record is looked up once for all of them, not once per
     * session (at a million prefixes, a lookup is a cache miss).
     */
    private int exportInStep(List<ExportSession> group) {
        int from = group.get(0).logCursor;
        int to = Math.min(changeLog.size(), from + EXPORT_CHUNK);
        for (int i = from; i < to; i++) {
            long key = changeLog.getLong(i);
            long[] r = record(key);
            for (int j = 0; j < group.size(); j++) {
                r = exportKey(group.get(j), key, r);
            }
        }
        for (int j = 0; j < group.size(); j++) {
            ExportSession s = group.get(j);
            s.logCursor = to;
            flush(s);
        }
        return to - from;
    }

    /**
     * Brings session {@code s}'s Adj-RIB-Out for the prefix up to date in its record {@code r},
     * queueing the announcement or withdrawal in the session's pending batch; returns the record
     * to use from now on.
     */
    private long[] exportKey(ExportSession s, long key, long[] r) {
        long wanted = exportFor(s, key, r);
        long had = PrefixRecord.sent(r, s.slot.index);
        if (wanted == had) {
            return r;
        }
        if (wanted == PeerSlot.NONE) {
            s.withdrawn.addLong(key);
            s.slot.advertised--;
        } else {
            sets.retain((int) wanted);
            group(s.groups, key, wanted);
            s.slot.advertised += had == PeerSlot.NONE ? 1 : 0;
        }
        long[] updated = PrefixRecord.withSent(r, s.slot.index, wanted);
        store(key, r, updated);
        if (had != PeerSlot.NONE) {
            sets.release((int) had);
        }
        return updated;
    }

    /** Sends the session's pending batch; End-of-RIB once the first table is out. */
    private void flush(ExportSession s) {
        send(s, s.groups, s.withdrawn);
        s.groups.clear();
        s.withdrawn.clear();
        if (s.endOfRibDue && s.dirty.isEmpty() && s.logCursor == changeLog.size()) {
            s.endOfRibDue = false;
            for (AddressFamily f : families(s)) {
                s.slot.peer.send(List.of(UpdateMessage.endOfRib(f)));
            }
        }
    }

    /** Groups keys by attribute set and family: each group becomes as few UPDATEs as fit. */
    private static void group(Long2ObjectHashMap<LongArrayList> groups, long key, long setId) {
        long g = setId << 1 | (PrefixKeys.isIpv4(key) ? 0 : 1);
        LongArrayList list = groups.get(g);
        if (list == null) {
            list = new LongArrayList();
            groups.put(g, list);
        }
        list.addLong(key);
    }

    /**
     * Packs and sends a batch: withdrawals first, then the announcements by attribute set. IPv4
     * keys go to the packer as they are; only IPv6 keys become Prefix objects (see UpdatePacker).
     */
    private void send(ExportSession s, Long2ObjectHashMap<LongArrayList> groups, LongArrayList withdrawn) {
        List<BgpMessage> out = new ArrayList<>();
        if (allIpv4(withdrawn)) {
            s.packer.withdrawIpv4(withdrawn, out);
        } else {
            LongArrayList withdrawn4 = new LongArrayList();
            List<Prefix> withdrawn6 = new ArrayList<>();
            for (int i = 0; i < withdrawn.size(); i++) {
                long key = withdrawn.getLong(i);
                if (PrefixKeys.isIpv4(key)) {
                    withdrawn4.addLong(key);
                } else {
                    withdrawn6.add(keys.prefix(key));
                }
            }
            s.packer.withdrawIpv4(withdrawn4, out);
            out.addAll(s.packer.withdraw(AddressFamily.IPV6_UNICAST, withdrawn6));
        }
        groups.forEachLong((g, list) -> {
            AttributeSet set = sets.get((int) (g >>> 1));
            long first = list.getLong(0);
            Advertisement a = advertisement(s, first, set);
            if (PrefixKeys.isIpv4(first)) {
                s.packer.announceIpv4(a.attributes(), (Inet4Address) a.nextHop(), list, out);
            } else {
                out.addAll(s.packer.announce(AddressFamily.IPV6_UNICAST, a.attributes(), a.nextHop(), prefixes(list)));
            }
        });
        s.slot.peer.send(out);
    }

    private static boolean allIpv4(LongArrayList keys) {
        for (int i = 0; i < keys.size(); i++) {
            if (!PrefixKeys.isIpv4(keys.getLong(i))) {
                return false;
            }
        }
        return true;
    }

    /** The prefixes of {@code keys}. */
    private List<Prefix> prefixes(LongArrayList list) {
        List<Prefix> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(keys.prefix(list.getLong(i)));
        }
        return out;
    }

    /** The attribute-set id peer {@code s} should have for the prefix: its best exportable path's, or NONE. */
    private long exportFor(ExportSession s, long key, long[] r) {
        int n = PrefixRecord.candidates(r);
        if (n == 0 || !(PrefixKeys.isIpv4(key) ? s.ipv4 : s.ipv6)) {
            return PeerSlot.NONE;
        }
        long shared = n >= SHARED_BEST_MIN ? sharedBest.get(key) : NO_SHARED_BEST;
        if (shared != NO_SHARED_BEST && exportable(slots.get(slotOf(shared)), sets.get(setOf(shared)), s)) {
            // RFC 4271 9.1.2's steps pick the same best from any subset that keeps it
            return bestIfReachable(s, key, setOf(shared));
        }
        candidates.clear();
        if (picked.length < n) {
            picked = new long[n];
        }
        for (int i = 0; i < n; i++) {
            long entry = PrefixRecord.candidate(r, i);
            if (exportable(slots.get(slotOf(entry)), sets.get(setOf(entry)), s)) {
                picked[candidates.size()] = entry;
                addCandidate(entry);
            }
        }
        if (decision.select(candidates) == 0) {
            return PeerSlot.NONE;
        }
        return bestIfReachable(s, key, setOf(picked[candidates.order[0]]));
    }

    private long bestIfReachable(ExportSession s, long key, int best) {
        return nextHopTowards(s, key, sets.get(best)) == null ? PeerSlot.NONE : best;
    }

    private boolean exportable(PeerSlot from, AttributeSet set, ExportSession target) {
        if (from.isLocal()) {
            return true;
        }
        if (from == target.slot) {
            return false; // RFC 7947 2.2: never back to where it came from
        }
        if (from.isRemote()) {
            return false; // each node exports what it learned itself: its peers hear it from that node
        }
        if (!from.peer.config().reflect() || !target.slot.peer.config().reflect()) {
            return false;
        }
        RouteFacts f = set.facts;
        // RFC 1997: NO_ADVERTISE to no one, NO_EXPORT to no other AS (every NVA is one).
        if (f.noAdvertise() || target.negotiated.externalPeer() && f.noExport()) {
            return false;
        }
        // The target would drop a path holding its own AS (RFC 4271 9.1.2); do not send it.
        return !f.pathContains(target.slot.source.asn());
    }

    /** What {@code s} is sent for a prefix with attribute set {@code set}: RFC 7947 transparent. */
    private Advertisement advertisement(ExportSession s, long key, AttributeSet set) {
        List<PathAttribute> attributes = set.attributes;
        if (s.negotiated.externalPeer()) {
            attributes = new ArrayList<>(attributes);
            attributes.removeIf(a -> a instanceof PathAttribute.LocalPref); // RFC 4271 5.1.5
        }
        return new Advertisement(attributes, nextHopTowards(s, key, set));
    }

    /**
     * The next hop sent with a path: as received, or for a VNet prefix the configured one per
     * family, else the session's own address; in the prefix's family (IPv4-mapped IPv6 for an
     * IPv6 prefix over IPv4); null when there is none (IPv4 over IPv6).
     */
    private InetAddress nextHopTowards(ExportSession s, long key, AttributeSet set) {
        boolean ipv4 = PrefixKeys.isIpv4(key);
        InetAddress nextHop = set.nextHop;
        if (nextHop == null) {
            nextHop = !ipv4 && vnetNextHopV6 != null ? vnetNextHopV6 : vnetNextHop != null ? vnetNextHop : s.localAddress;
        }
        if (nextHop == null || ipv4) {
            return nextHop instanceof Inet4Address ? nextHop : null;
        }
        if (nextHop instanceof Inet6Address) {
            return nextHop;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(nextHop.getAddress(), 0, mapped, 12, 4);
        try {
            return Inet6Address.getByAddress(null, mapped, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<AddressFamily> families(ExportSession s) {
        return s.negotiated.families().stream().filter(AddressFamily::isUnicastIp)
                .sorted(Comparator.comparingInt(AddressFamily::afi)).toList();
    }

    // ---- queries (on the RIB thread) ----

    /**
     * Counts from the counters kept above: O(peers), whatever the number of paths. The ECMP count
     * is kept by the decision, so the changes applied since the last one are decided first: a
     * query that runs between the two sees the same Loc-RIB as {@link #best}.
     */
    RibCounts counts() {
        decide();
        long total = 0;
        for (PeerSlot slot : slots) {
            total += slot.prefixes;
        }
        Map<String, PrefixCounts> peers = new HashMap<>();
        byName.forEach((name, slot) -> peers.put(name, new PrefixCounts(slot.prefixes, slot.prefixes - slot.insideVnet,
                slot.advertised, slot.stale.size())));
        return new RibCounts(Map.copyOf(peers), paths.size(), total, ecmpKeys.size());
    }

    List<Path> learned(String peerName) {
        PeerSlot slot = byName.get(peerName);
        if (slot == null) {
            return List.of();
        }
        List<Path> out = new ArrayList<>(slot.prefixes);
        paths.forEach((key, r) -> {
            int at = PrefixRecord.indexOf(r, slot.index);
            if (at >= 0) {
                out.add(path(slot, key, setOf(PrefixRecord.candidate(r, at))));
            }
        });
        out.sort(Comparator.comparing(Path::prefix));
        return List.copyOf(out);
    }

    Set<Prefix> stale(String peerName) {
        PeerSlot slot = byName.get(peerName);
        Set<Prefix> out = new TreeSet<>();
        if (slot != null) {
            slot.stale.forEach(key -> out.add(keys.prefix(key)));
        }
        return out;
    }

    Map<Prefix, Advertisement> advertised(String peerName) {
        PeerSlot slot = byName.get(peerName);
        Map<Prefix, Advertisement> out = new TreeMap<>();
        if (slot != null && slot.session != null) {
            ExportSession s = slot.session;
            paths.forEach((key, r) -> {
                long id = PrefixRecord.sent(r, slot.index);
                if (id != PeerSlot.NONE) {
                    out.put(keys.prefix(key), advertisement(s, key, sets.get((int) id)));
                }
            });
        }
        return out;
    }

    Map<Prefix, DecisionProcess.Selection> best() {
        Map<Prefix, DecisionProcess.Selection> out = new TreeMap<>();
        paths.forEach((key, r) -> {
            int n = PrefixRecord.candidates(r);
            List<Path> all = new ArrayList<>(n);
            // Each NVA once, as an operator counts them: this node's own session's path first, then
            // the copies other members heard of NVAs this node does not hear itself.
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < n; i++) {
                    long entry = PrefixRecord.candidate(r, i);
                    PeerSlot from = slots.get(slotOf(entry));
                    if (from.isRemote() == (pass == 1) && (pass == 0 || !listsNva(all, from.source))) {
                        all.add(path(from, key, setOf(entry)));
                    }
                }
            }
            if (n > 0) {
                out.put(keys.prefix(key), decision.select(all));
            }
        });
        return out;
    }

    /** Whether {@code paths} holds one from the NVA {@code source} (address and BGP Identifier). */
    private static boolean listsNva(List<Path> paths, PathSource source) {
        for (Path p : paths) {
            if (!p.source().isLocal() && p.source().address().equals(source.address())
                    && p.source().bgpIdentifier() == source.bgpIdentifier()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The fingerprint of this node's peers' Adj-RIB-Ins and of the Loc-RIB (see {@link RibDigest}).
     * Other members' sessions are their Adj-RIB-Ins, not this node's: they feed the Loc-RIB only.
     * A Loc-RIB entry names its best path's NVA by address and BGP Identifier, not by the name
     * one node's configuration gives it, and counts each next hop once: the nodes of a converged
     * cluster have the same Loc-RIB digest whichever of them heard which copy of a path.
     */
    RibDigest digest() {
        RibDigest.Builder digest = new RibDigest.Builder();
        long[] peers = slots.stream().mapToLong(s -> RibDigest.of(s.source.name())).toArray();
        long[] nvas = slots.stream().mapToLong(s -> s.isLocal() ? RibDigest.of(s.source.name())
                : RibDigest.combine(RibDigest.of(s.address), s.source.bgpIdentifier())).toArray();
        // An attribute set is hashed once, by the normalized octets it is interned by (next hop included).
        Long2LongHashMap setHashes = new Long2LongHashMap(0);
        IntToLongFunction set = id -> setHashes.computeIfAbsent(id, i -> RibDigest.of(sets.get((int) i).key));
        List<InetAddress> hops = new ArrayList<>();
        paths.forEach((key, r) -> {
            long prefix = RibDigest.of(keys.prefix(key));
            candidates.clear();
            for (int i = 0, n = PrefixRecord.candidates(r); i < n; i++) {
                long c = PrefixRecord.candidate(r, i);
                PeerSlot from = slots.get(slotOf(c));
                if (!from.isLocal() && !from.isRemote()) {
                    digest.adjRibIn(peers[slotOf(c)], prefix, set.applyAsLong(setOf(c)));
                }
                addCandidate(c);
            }
            int n = decision.select(candidates);
            if (n > 0) {
                long best = PrefixRecord.candidate(r, candidates.order[0]);
                hops.clear();
                long hopHash = 0;
                for (int i = 0; i < n; i++) {
                    InetAddress hop = sets.get(setOf(PrefixRecord.candidate(r, candidates.order[i]))).nextHop;
                    if (hop != null && !hops.contains(hop)) {
                        hops.add(hop);
                        hopHash = RibDigest.combine(hopHash, RibDigest.of(hop.getAddress()));
                    }
                }
                digest.locRib(prefix, RibDigest.combine(nvas[slotOf(best)], set.applyAsLong(setOf(best))), hopHash);
            }
        });
        return digest.build();
    }

    private Path path(PeerSlot slot, long key, int setId) {
        AttributeSet set = sets.get(setId);
        return new Path(slot.source, keys.prefix(key), set.nextHop, set.attributes);
    }
}
