package io.cairn.node.bgp.session;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.VnetConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each node originates its VNet prefixes with AS_PATH [own AS] and the configured next hop per family. */
class VnetOriginationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void ipv4FromTheSessionAddressIpv6FromNextHopV6() throws Exception {
        InetAddress node = Loopback.address(1);
        InetAddress nva = Loopback.address(2);
        int port = Loopback.freePort(node);
        Prefix v4 = Prefix.parse("10.1.0.0/16");
        Prefix v6 = Prefix.parse("2001:db8:100::/48");
        InetAddress v6NextHop = InetAddress.getByName("2001:db8::254");
        try (CairnNode cairn = new CairnNode(65515, 0x7F000001L, new InetSocketAddress(node, port),
                     new VnetConfig(List.of(v4, v6), null, v6NextHop), List.of(Loopback.peer("nva", nva, 65001, 179, true))).start();
             RawPeer raw = new RawPeer(nva, new InetSocketAddress(node, port))) {
            raw.establish(OpenMessage.of(65001, 0, 0x7F000002L, List.of(
                    new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
                    new Capability.Multiprotocol(AddressFamily.IPV6_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
            Map<Prefix, InetAddress> nextHops = new HashMap<>();
            while (nextHops.size() < 2) {
                BgpMessage m = raw.read(WAIT);
                if (m instanceof UpdateMessage u && !u.allAnnounced().isEmpty()) {
                    assertEquals(PathAttribute.AsPath.sequence(65515), u.attribute(PathAttribute.AsPath.class).orElseThrow());
                    u.attribute(PathAttribute.NextHop.class).ifPresent(nh -> u.nlri().forEach(p -> nextHops.put(p, nh.address())));
                    u.attribute(PathAttribute.MpReachNlri.class).ifPresent(mp -> mp.nlri().forEach(p -> nextHops.put(p, mp.nextHops().get(0))));
                }
            }
            assertEquals(Map.of(v4, node, v6, v6NextHop), nextHops);
        }
    }
}
