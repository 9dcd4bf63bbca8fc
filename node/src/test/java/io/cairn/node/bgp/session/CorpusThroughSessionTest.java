package io.cairn.node.bgp.session;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.wire.AddPathStripper;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateCorpus;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.bgp.wire.Wire;
import io.cairn.node.interop.Tools;
import io.cairn.node.rib.Path;
import io.cairn.testsupport.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 152 real-world UPDATEs of the shared corpus, sent on a live session to a Cairn node, come
 * out at another NVA exactly as a transparent route server (RFC 7947) must pass them on. Under
 * tshark, the captured sessions decode without a single malformed packet.
 */
class CorpusThroughSessionTest {

    private static final InetAddress NODE = Loopback.address(1);
    private static final InetAddress INJECTOR = Loopback.address(2);
    private static final InetAddress RECEIVER = Loopback.address(3);
    private static final long NODE_AS = 65515;
    private static final long INJECTOR_AS = 65001;
    private static final long RECEIVER_AS = 65002;
    private static final Prefix VNET = Prefix.parse("10.1.0.0/16");
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** What the injector and the node agree on: 4-octet AS, both unicast families. */
    private static final Negotiated SESSION =
            new Negotiated(true, false, true, Set.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST));

    @TempDir
    java.nio.file.Path dir;

    /** What the receiver should hold for a prefix: next hop, AS path, MED, communities as sent. */
    private record Seen(InetAddress nextHop, List<PathAttribute> attributes) {
    }

    @Test
    void corpusReachesTheOtherNvaUnchanged() throws Exception {
        int port = Loopback.freePort(NODE);
        Map<Prefix, Seen> expected = runScenario(port);
        assertTrue(expected.size() > 100, "the corpus should leave well over 100 prefixes, not " + expected.size());
    }

    @Test
    void capturedSessionsDecodeWithoutMalformedPackets() throws Exception {
        Tools.requireRoot();
        java.nio.file.Path tshark = Tools.requireBinary("tshark");
        int port = Loopback.freePort(NODE);
        java.nio.file.Path pcap = dir.resolve("sessions.pcapng");
        java.nio.file.Path log = dir.resolve("tshark.log");
        Process capture = new ProcessBuilder(tshark.toString(), "-i", "lo", "-f", "tcp port " + port, "-w", pcap.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Await.until("tshark capturing", Duration.ofSeconds(20),
                    () -> read(log).contains("Capturing on") || !capture.isAlive());
            assertTrue(capture.isAlive(), "tshark did not start: " + read(log));
            awaitCaptureLive(pcap, port);
            runScenario(port);
        } finally {
            capture.destroy(); // SIGTERM: tshark finishes the file
            if (!capture.waitFor(10, TimeUnit.SECONDS)) {
                capture.destroyForcibly();
            }
        }
        String decodeAs = "tcp.port==" + port + ",bgp";
        List<String> types = tshark(tshark, "-r", pcap.toString(), "-d", decodeAs, "-Y", "bgp", "-T", "fields", "-e", "bgp.type");
        String all = String.join(",", types);
        for (int type : new int[] {BgpMessage.OPEN, BgpMessage.UPDATE, BgpMessage.KEEPALIVE}) {
            assertTrue(all.matches("(?s).*\\b" + type + "\\b.*"), "no BGP message of type " + type + " captured: " + all);
        }
        long updates = all.chars().filter(c -> c == '2').count();
        assertTrue(updates > 100, "too few UPDATEs captured to mean anything: " + updates);
        List<String> malformed = tshark(tshark, "-r", pcap.toString(), "-d", decodeAs, "-Y", "_ws.malformed",
                "-T", "fields", "-e", "frame.number");
        assertEquals(List.of(), malformed, "frames tshark calls malformed");
    }

    /**
     * tshark says "Capturing on" a moment before packets really reach the file: knock on the
     * (still closed) port until the refused connections show up in the capture.
     */
    private static void awaitCaptureLive(java.nio.file.Path pcap, int port) {
        long before = pcap.toFile().length();
        Await.until("the capture file to grow", Duration.ofSeconds(20), () -> {
            try (java.net.Socket knock = new java.net.Socket()) {
                knock.connect(new InetSocketAddress(NODE, port), 200);
            } catch (IOException refused) {
                // expected: nothing listens yet
            }
            return pcap.toFile().length() > before;
        });
    }

    /** Runs the node, the injector and the receiver; returns the table the receiver ended with. */
    private Map<Prefix, Seen> runScenario(int port) throws Exception {
        try (CairnNode node = new CairnNode(NODE_AS, 0x7F000001L, new InetSocketAddress(NODE, port), List.of(VNET),
                     List.of(Loopback.peer("injector", INJECTOR, INJECTOR_AS, 179, true),
                             Loopback.peer("receiver", RECEIVER, RECEIVER_AS, 179, true))).start();
             CairnNode receiver = new CairnNode(RECEIVER_AS, 0x7F000003L, new InetSocketAddress(RECEIVER, 0), List.of(),
                     List.of(Loopback.peer("node", NODE, NODE_AS, port, false))).start();
             RawPeer injector = new RawPeer(INJECTOR, new InetSocketAddress(NODE, port))) {
            injector.establish(OpenMessage.of(INJECTOR_AS, 0, 0x7F000002L, List.of(
                    new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
                    new Capability.Multiprotocol(AddressFamily.IPV6_UNICAST),
                    new Capability.FourOctetAs(INJECTOR_AS))), WAIT);

            Map<Prefix, Seen> expected = new TreeMap<>();
            for (UpdateCorpus entry : UpdateCorpus.load()) {
                byte[] bytes = onThisSession(entry);
                injector.sendRaw(bytes);
                apply((UpdateMessage) Wire.decode(bytes, SESSION, MalformedUpdateListener.IGNORE), expected);
            }
            Peer fromInjector = node.peers().stream().filter(p -> p.name().equals("injector")).findFirst().orElseThrow();
            Await.until("the receiver's table to match the corpus", WAIT, () -> expected.equals(table(receiver)));
            assertEquals(0, fromInjector.flaps(), "the corpus reset the injector's session: " + fromInjector.lastError());
            return expected;
        }
    }

    /** The corpus message as an injector on a 4-octet session without ADD-PATH sends it. */
    private static byte[] onThisSession(UpdateCorpus entry) throws Exception {
        byte[] bytes = entry.message();
        if (entry.has("addpath")) {
            bytes = AddPathStripper.strip(bytes);
        }
        if (entry.has("as2")) {
            // RFC 6793 4.2.3: what a 4-octet speaker would send after merging AS4_PATH.
            Negotiated as2 = new Negotiated(false, false, true, SESSION.families());
            bytes = Wire.encode(Wire.decode(bytes, as2, MalformedUpdateListener.IGNORE), SESSION);
        }
        return bytes;
    }

    /** Applies one UPDATE to what the receiver should see, with the export rules of a route server. */
    private static void apply(UpdateMessage u, Map<Prefix, Seen> table) {
        u.allWithdrawn().forEach(table::remove);
        List<PathAttribute> kept = new ArrayList<>();
        for (PathAttribute a : u.attributes()) {
            if (a instanceof PathAttribute.AsPath || a instanceof PathAttribute.MultiExitDisc
                    || a instanceof PathAttribute.Communities || a instanceof PathAttribute.LargeCommunities
                    || a instanceof PathAttribute.ExtendedCommunities) {
                kept.add(a);
            }
        }
        for (Prefix p : u.allAnnounced()) {
            table.remove(p);
            InetAddress nextHop = p.isIpv4() && u.nlri().contains(p)
                    ? u.attribute(PathAttribute.NextHop.class).map(PathAttribute.NextHop::address).orElse(null)
                    : u.attribute(PathAttribute.MpReachNlri.class).map(mp -> mp.nextHops().get(0)).orElse(null);
            if (exported(p, nextHop, u)) {
                table.put(p, new Seen(nextHop, kept));
            }
        }
    }

    /** RFC 1997 communities, AS-path loops at either end, and next hops of the wrong family stop a route. */
    private static boolean exported(Prefix p, InetAddress nextHop, UpdateMessage u) {
        PathAttribute.AsPath path = u.attribute(PathAttribute.AsPath.class).orElse(PathAttribute.AsPath.EMPTY);
        List<Integer> communities = u.attribute(PathAttribute.Communities.class)
                .map(PathAttribute.Communities::values).orElse(List.of());
        return !p.equals(VNET) && nextHop != null && (!p.isIpv4() || nextHop instanceof Inet4Address)
                && !path.contains(NODE_AS) && !path.contains(RECEIVER_AS)
                && !communities.contains(PathAttribute.Communities.NO_ADVERTISE)
                && !communities.contains(PathAttribute.Communities.NO_EXPORT);
    }

    private static Map<Prefix, Seen> table(CairnNode receiver) {
        try {
            Map<Prefix, Seen> t = new TreeMap<>();
            for (Path p : receiver.routeServer().learned("node").get(5, TimeUnit.SECONDS)) {
                if (!p.prefix().equals(VNET)) {
                    List<PathAttribute> kept = new ArrayList<>(p.attributes());
                    kept.removeIf(a -> a instanceof PathAttribute.Origin || a instanceof PathAttribute.AtomicAggregate
                            || a instanceof PathAttribute.Aggregator || a instanceof PathAttribute.Unknown);
                    t.put(p.prefix(), new Seen(p.nextHop(), kept));
                }
            }
            return t;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> tshark(java.nio.file.Path tshark, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(tshark.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish reading the capture");
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
