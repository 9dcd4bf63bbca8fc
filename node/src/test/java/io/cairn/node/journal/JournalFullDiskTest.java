package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.cluster.journal.JournalOptions;
import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.session.SessionState;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.JournalConfig;
import io.cairn.node.config.RibConfig;
import io.cairn.node.config.VnetConfig;
import io.cairn.testsupport.Await;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal that cannot take records (issue 5): the node takes in no new route, drops none it has,
 * keeps the NVA's session (it only stops reading it: backpressure through the bounded inbox),
 * says why in its health; when space comes back, every UPDATE held back is applied, in order.
 */
class JournalFullDiskTest {

    private static final InetAddress NODE = Loopback.address(1);
    private static final InetAddress NVA = Loopback.address(2);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int HELD = 3_000;

    @TempDir Path dir;

    @Test
    void aFullDiskHoldsNewRoutesBackLosesNothingAndResumesInOrder() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        Path mount = Files.createDirectory(dir.resolve("small-disk"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount.toString()) == 0,
                "cannot mount a tmpfs here (container without CAP_SYS_ADMIN?)");
        try {
            JournalConfig config = new JournalConfig(mount.resolve("journal"), JournalConfig.DEFAULT_SNAPSHOT_RECORDS);
            JournalOptions options = CairnNode.journalOptions(config).withBlockSize(1 << 20).withMinFreeBytes(8L << 20);
            int port = Loopback.freePort(NODE);
            try (CairnNode node = new CairnNode(65515, 0x7F000001L, new InetSocketAddress(NODE, port),
                    new VnetConfig(List.of(Prefix.parse("10.1.0.0/16")), null),
                    List.of(Loopback.peer("nva", NVA, 65001, 179, true)), RibConfig.DEFAULT, config, options).start();
                 RawPeer nva = new RawPeer(NVA, new InetSocketAddress(NODE, port))) {
                nva.establish(OpenMessage.of(65001, 90, 0x7F000002L, List.of(
                        new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
                nva.send(announce(0));
                Await.until("the first route", WAIT, () -> learned(node) == 1);

                SessionJournal journal = node.sessionJournal();
                long before = journal.appendedRecords();
                Path filler = mount.resolve("filler");
                fill(filler, mount, 7L << 20); // below the 8 MiB reserve
                for (int i = 1; i <= HELD; i++) {
                    nva.send(announce(i));
                }
                nva.send(new UpdateMessage(List.of(prefix(HELD)), List.of(), List.of())); // the last one withdrawn again
                Await.until("the journal to say it is unavailable", WAIT, () -> node.journalProblem() != null);
                assertTrue(node.journalProblem().startsWith("journal unavailable"), node.journalProblem());
                // The free-space check runs every 100 ms of appends: a few UPDATEs may be journaled
                // before it refuses. Those, and only those, take effect.
                long journaled = journal.appendedRecords() - before;
                assertTrue(journaled < HELD, journaled + " records journaled on a full disk");
                Await.until("the RIB to apply what was journaled", WAIT, () -> learned(node) == 1 + journaled);
                Await.never("a route taken in while the journal cannot take it", Duration.ofSeconds(2),
                        () -> learned(node) != 1 + journaled || journal.appendedRecords() - before != journaled);
                assertEquals(SessionState.ESTABLISHED, node.peer("nva").state(), "the session is held, not dropped");

                Files.delete(filler);
                Await.until("every held UPDATE applied once space is back", WAIT, () -> learned(node) == HELD);
                assertEquals(null, node.journalProblem());
                assertTrue(node.routeServer().learned("nva").join().stream().noneMatch(p -> p.prefix().equals(prefix(HELD))),
                        "the withdrawal sent last was applied last");
            }
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static long learned(CairnNode node) {
        return node.routeServer().learned("nva").join().size();
    }

    private static Prefix prefix(int i) {
        return Prefix.parse("100." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + ".0/24");
    }

    private static UpdateMessage announce(int i) throws Exception {
        return new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(65001),
                new PathAttribute.NextHop((Inet4Address) InetAddress.getByName("192.0.2.1"))), List.of(prefix(i)));
    }

    /** Writes {@code file} until the file system has less than {@code leaveFree} bytes free. */
    private static void fill(Path file, Path mount, long leaveFree) throws IOException {
        long usable = Files.getFileStore(mount).getUsableSpace();
        Files.write(file, new byte[(int) Math.max(0, usable - leaveFree)]);
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
