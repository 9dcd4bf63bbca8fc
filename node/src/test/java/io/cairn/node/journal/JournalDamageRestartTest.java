package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cluster.journal.Journal;
import io.cairn.cluster.journal.JournalTailer;
import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.JournalConfig;
import io.cairn.testsupport.Await;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 5's damage test through the node: a {@code cairn run} learns a table, one prefix per
 * UPDATE, and is SIGKILLed; its journal is then damaged the way crashes and disks do. The node
 * started on it starts, has exactly the paths of the records before the damage, says at ERROR what
 * it dropped, and keeps the damaged part in {@code quarantine/}.
 */
class JournalDamageRestartTest {

    private static final InetAddress NVA = Loopback.address(2);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int UPDATES = 40;
    private static final int MIDDLE = UPDATES / 2;
    /** A record: Chronicle's 4-byte excerpt header, the journal's 16-byte header ending in the 8-byte index, the payload. */
    private static final int CHRONICLE_HEADER = 4;
    private static final int RECORD_HEADER = 16;

    /** What is done to the journal, and how many of the UPDATEs survive it. */
    enum Damage {
        CUT_INSIDE_THE_LAST_PAYLOAD(UPDATES - 1),
        CUT_EXACTLY_BEFORE_A_RECORD(MIDDLE),
        CUT_INSIDE_A_RECORD_HEADER(MIDDLE),
        BYTES_FLIPPED_IN_THE_LAST_PAYLOAD(UPDATES - 1),
        GARBAGE_APPENDED(UPDATES);

        final int kept;

        Damage(int kept) {
            this.kept = kept;
        }
    }

    @TempDir
    Path dir;
    private final List<CairnProcess> cairns = new ArrayList<>();

    @AfterEach
    void stopCairns() {
        cairns.forEach(CairnProcess::close);
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void theNodeStartsWithEverythingBeforeTheDamage(Damage damage) throws Exception {
        int bgpPort = Loopback.freePort(Loopback.address(1));
        int adminPort = Loopback.freePort(Loopback.address(1));
        Path journal = dir.resolve("journal");
        Path config = Files.writeString(dir.resolve("cairn.yaml"), """
                node: {id: a, router-id: 10.1.0.4, listen: "127.0.0.1:%d"}
                vnet: {prefixes: [10.1.0.0/16], next-hop: 192.0.2.254}
                admin: {listen: "127.0.0.1:%d"}
                journal: {dir: %s}
                peers:
                  - {name: nva, address: %s, asn: 65001, passive: true}
                """.formatted(bgpPort, adminPort, journal, NVA.getHostAddress()));
        CairnProcess first = started(CairnProcess.start(config, dir.resolve("first.log"), adminPort)).awaitReady(WAIT);
        try (RawPeer nva = new RawPeer(NVA, new InetSocketAddress(Loopback.address(1), bgpPort))) {
            nva.establish(OpenMessage.of(65001, 90, 0x7F000002L, List.of(
                    new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
            for (int i = 0; i < UPDATES; i++) {
                nva.send(update(i));
            }
            Await.until("the node to learn every UPDATE", WAIT,
                    () -> first.getOk("/api/v1/peers/nva").json().path("prefixes_accepted").asInt() == UPDATES);
            first.kill();
        }

        List<Long> indices = updateIndices(journal);
        damage(damage, journal, indices);

        CairnProcess second = started(CairnProcess.start(config, dir.resolve("second.log"), adminPort)).awaitReady(WAIT);
        List<String> learned = new ArrayList<>();
        for (JsonNode r : second.getOk("/api/v1/peers/nva/routes/learned").json().path("routes")) {
            learned.add(r.path("prefix").asText());
            assertTrue(r.path("stale").asBoolean(), "replayed, kept stale until the NVA is back: " + r);
        }
        assertEquals(IntStream.range(0, damage.kept).mapToObj(i -> prefix(i).toString()).sorted().toList(),
                learned.stream().sorted().toList(), "exactly the paths journaled before the damage");
        String error = second.logText().lines().filter(l -> l.contains(" ERROR ") && l.contains("dropped journal records"))
                .findFirst().orElseThrow(() -> new AssertionError("no ERROR naming what was dropped in " + second.log));
        Path quarantine = journal.resolve("quarantine");
        assertTrue(error.contains(quarantine.toString()), "the log names where the originals went: " + error);
        try (Stream<Path> kept = Files.walk(quarantine)) {
            assertTrue(kept.anyMatch(f -> f.getFileName().toString().endsWith(".cq4")), "the damaged cycle file is kept aside");
        }
    }

    private CairnProcess started(CairnProcess cairn) {
        cairns.add(cairn);
        return cairn;
    }

    /** UPDATE number {@code i}: 100.64.0.i/32 alone, so each journal record holds one known path. */
    private static UpdateMessage update(int i) {
        return new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(65001), new PathAttribute.NextHop((Inet4Address) NVA)), List.of(prefix(i)));
    }

    private static Prefix prefix(int i) {
        return Prefix.parse("100.64.0." + i + "/32");
    }

    /** The journal index of each UPDATE record, in order; they are the journal's last records. */
    private static List<Long> updateIndices(Path journal) throws Exception {
        List<Long> indices = new ArrayList<>();
        List<Short> types = new ArrayList<>();
        try (Journal j = Journal.open(journal, CairnNode.journalOptions(new JournalConfig(journal, JournalConfig.DEFAULT_SNAPSHOT_RECORDS)));
             JournalTailer tailer = j.tailerFromStart()) {
            while (tailer.poll((index, type, buffer, offset, length) -> {
                types.add(type);
                if (type == BgpRecordType.UPDATE) {
                    indices.add(index);
                }
            }, 1000) > 0) {
                // until the end
            }
        }
        assertEquals(UPDATES, indices.size(), "one UPDATE record per UPDATE sent: " + types);
        assertEquals(BgpRecordType.UPDATE, types.get(types.size() - 1), "the last record is the last UPDATE: " + types);
        return indices;
    }

    private static void damage(Damage damage, Path journal, List<Long> indices) throws IOException {
        Location last = locate(journal, indices.get(UPDATES - 1));
        Location middle = locate(journal, indices.get(MIDDLE));
        switch (damage) {
            case CUT_INSIDE_THE_LAST_PAYLOAD -> truncate(last.file, last.payload + 3);
            case CUT_EXACTLY_BEFORE_A_RECORD -> truncate(middle.file, middle.payload - RECORD_HEADER - CHRONICLE_HEADER);
            case CUT_INSIDE_A_RECORD_HEADER -> truncate(middle.file, middle.payload - RECORD_HEADER - CHRONICLE_HEADER + 6);
            case BYTES_FLIPPED_IN_THE_LAST_PAYLOAD -> write(last.file, last.payload + 5, new byte[] {0x5A, (byte) 0xA5});
            case GARBAGE_APPENDED -> {
                byte[] garbage = new byte[100];
                new Random(5).nextBytes(garbage);
                write(last.file, last.end(), garbage);
            }
        }
    }

    /** Where a record's payload starts in its cycle file, and the payload's length. */
    private record Location(Path file, long payload, int length) {
        /** Where the next excerpt would go: Chronicle aligns excerpts to 4 bytes. */
        long end() {
            return (payload + length + 3) & ~3L;
        }
    }

    /** Finds the record by the index stamped in its header (the 8 bytes before the payload). */
    private static Location locate(Path journal, long index) throws IOException {
        byte[] stamp = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(index).array();
        List<Path> cycles;
        try (Stream<Path> files = Files.list(journal)) {
            cycles = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
        for (Path f : cycles) {
            byte[] content = Files.readAllBytes(f);
            for (int i = 0; i + 8 <= content.length; i++) {
                if (Arrays.equals(content, i, i + 8, stamp, 0, 8)) {
                    int header = i + 8 - RECORD_HEADER - CHRONICLE_HEADER;
                    // Chronicle's header: the excerpt length (header and payload) in its low 30 bits.
                    int excerpt = ByteBuffer.wrap(content, header, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0x3FFFFFFF;
                    return new Location(f, i + 8, excerpt - RECORD_HEADER);
                }
            }
        }
        throw new AssertionError("record " + Long.toHexString(index) + " not found in " + cycles);
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void write(Path file, long at, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), at);
        }
    }
}
