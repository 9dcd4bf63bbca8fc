package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.journal.JournalOptions;
import io.cairn.cluster.journal.JournalRollCycle;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.JournalConfig;
import io.cairn.node.config.RibConfig;
import io.cairn.node.config.VnetConfig;
import io.cairn.testsupport.Await;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots and cycle deletion bound the journal (issue 5): a peer whose session flaps 100,000
 * times leaves a journal that holds a few snapshot intervals' worth of records, not 300,000, and
 * a restart on it still rebuilds the RIB. The flaps are driven through the sessions' listener
 * interface on the peer's own event loop, as a real session reports them, without TCP.
 */
class JournalBoundTest {

    private static final InetAddress NODE = Loopback.address(1);
    private static final InetAddress NVA = Loopback.address(2);
    private static final int FLAPS = 100_000;
    private static final int FLAPS_PER_SECOND = 1_000;
    private static final long SNAPSHOT_RECORDS = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir Path dir;

    @Test
    void aHundredThousandFlapsLeaveABoundedJournalThatStillReplays() throws Exception {
        AtomicLong clock = new AtomicLong(1_700_000_000_000L);
        JournalConfig config = new JournalConfig(dir.resolve("journal"), SNAPSHOT_RECORDS);
        JournalOptions options = CairnNode.journalOptions(config).withRollCycle(JournalRollCycle.SECONDLY_FOR_TESTS, clock::get);
        Prefix route = Prefix.parse("198.51.100.0/24");
        try (CairnNode node = node(config, options)) {
            Peer peer = node.peer("nva");
            SessionJournal journal = node.sessionJournal();
            OpenMessage local = OpenMessage.of(65515, 90, 0x7F000001L, List.of(
                    new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65515)));
            OpenMessage remote = OpenMessage.of(65001, 90, 0x7F000002L, List.of(
                    new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001)));
            Negotiated negotiated = Negotiated.of(local, remote);
            UpdateMessage announce = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                    PathAttribute.AsPath.sequence(65001),
                    new PathAttribute.NextHop((Inet4Address) InetAddress.getByName("192.0.2.1"))), List.of(route));
            long base = journal.appendedRecords();
            for (int done = 0; done < FLAPS; done += FLAPS_PER_SECOND) {
                peer.onEventLoop(() -> {
                    for (int i = 0; i < FLAPS_PER_SECOND; i++) {
                        journal.established(peer, local, remote, negotiated);
                        journal.update(peer, announce);
                        journal.down(peer, "flap", false);
                    }
                });
                long expected = base + 3L * (done + FLAPS_PER_SECOND);
                Await.until("the journal to take " + expected + " flap records", WAIT,
                        () -> journal.appendedRecords() - snapshotRecords(journal) >= expected);
                clock.addAndGet(1_000); // the next second: a new cycle file
            }
            peer.onEventLoop(() -> {
                journal.established(peer, local, remote, negotiated);
                journal.update(peer, announce);
            });
            Await.until("the last session's route", WAIT, () -> node.routeServer().learned("nva").join().size() == 1);

            long retained = retainedRecords(node);
            long cycleFiles = cycleFiles(config.dir());
            assertTrue(journal.snapshots() >= 3 * FLAPS / SNAPSHOT_RECORDS / 2, journal.snapshots() + " snapshots");
            assertTrue(retained <= 3 * SNAPSHOT_RECORDS, retained + " records retained of " + journal.appendedRecords());
            assertTrue(cycleFiles <= 3 * SNAPSHOT_RECORDS / (3 * FLAPS_PER_SECOND) + 2, cycleFiles + " cycle files");
        }
        try (CairnNode again = node(config, CairnNode.journalOptions(config)
                .withRollCycle(JournalRollCycle.SECONDLY_FOR_TESTS, clock::get))) {
            assertEquals(List.of(route), again.routeServer().learned("nva").join().stream().map(p -> p.prefix()).toList(),
                    "the last flap's route, replayed");
        }
    }

    /** Snapshot records are appended too; the flaps are what is left. */
    private static long snapshotRecords(SessionJournal journal) {
        return journal.snapshotRecordsAppended();
    }

    private static CairnNode node(JournalConfig config, JournalOptions options) throws Exception {
        return new CairnNode(65515, 0x7F000001L, new InetSocketAddress(NODE, 0), new VnetConfig(List.of(Prefix.parse("10.1.0.0/16")), null),
                List.of(Loopback.peer("nva", NVA, 65001, 179, true)), RibConfig.DEFAULT, config, options).start();
    }

    private static long retainedRecords(CairnNode node) {
        long n = 0;
        try (JournalTailer all = node.journal().tailerFromStart()) {
            int read;
            while ((read = all.poll((index, type, buffer, offset, length) -> { }, 10_000)) > 0) {
                n += read;
            }
        }
        return n;
    }

    private static long cycleFiles(Path journal) throws Exception {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).count();
        }
    }
}
