package io.cairn.node.bgp.wire;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.cairn.node.bgp.wire.PathAttribute.Segment;

/**
 * Seeded generator of valid messages of every type, such that decode(encode(x)) must equal x
 * on the session it is generated for: LOCAL_PREF only towards internal peers, confederation
 * segments only internally and in front (RFC 5065), and, for 2-octet sessions, only mappable
 * ASNs inside confederation segments (RFC 6793 4.2.2 keeps those out of AS4_PATH).
 */
final class RandomMessages {

    /** Type codes Cairn does not interpret (RFC 4271 5: passed on when optional transitive). */
    private static final int[] UNKNOWN_TYPES = {11, 12, 13, 19, 20, 21, 22, 23, 25, 26, 29, 33, 40, 128, 255};
    private static final int[] UNKNOWN_CAPABILITIES = {0, 3, 5, 67, 71, 73, 128, 255};

    private final Random random;
    private final Negotiated negotiated;

    RandomMessages(long seed, Negotiated negotiated) {
        this.random = new Random(seed);
        this.negotiated = negotiated;
    }

    BgpMessage any() {
        return switch (random.nextInt(5)) {
            case 0 -> open();
            case 1 -> notification();
            case 2 -> KeepaliveMessage.INSTANCE;
            case 3 -> routeRefresh();
            default -> update();
        };
    }

    OpenMessage open() {
        int holdTime = random.nextBoolean() ? 0 : 3 + random.nextInt(0xFFFF - 2);
        // Many capabilities push the parameters past 255 octets: RFC 9072's extended form.
        int count = random.nextInt(10) == 0 ? 40 + random.nextInt(40) : random.nextInt(8);
        List<Capability> caps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            caps.add(capability());
        }
        return new OpenMessage(OpenMessage.VERSION, random.nextInt(0x10000), holdTime,
                1 + (random.nextLong() & 0xFFFF_FFFEL), caps);
    }

    private Capability capability() {
        return switch (random.nextInt(8)) {
            case 0 -> new Capability.Multiprotocol(family());
            case 1 -> new Capability.RouteRefresh();
            case 2 -> new Capability.EnhancedRouteRefresh();
            case 3 -> new Capability.ExtendedMessage();
            case 4 -> new Capability.FourOctetAs(asn());
            case 5 -> {
                List<Capability.GracefulRestart.Family> fs = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    fs.add(new Capability.GracefulRestart.Family(family(), random.nextBoolean()));
                }
                yield new Capability.GracefulRestart(random.nextBoolean(), random.nextBoolean(), random.nextInt(0x1000), fs);
            }
            case 6 -> {
                List<Capability.AddPath.Entry> es = new ArrayList<>();
                for (int i = 1 + random.nextInt(3); i > 0; i--) {
                    es.add(new Capability.AddPath.Entry(family(), 1 + random.nextInt(3)));
                }
                yield new Capability.AddPath(es);
            }
            default -> new Capability.Unknown(UNKNOWN_CAPABILITIES[random.nextInt(UNKNOWN_CAPABILITIES.length)],
                    randomBytes(random.nextInt(12)));
        };
    }

    NotificationMessage notification() {
        if (random.nextInt(3) == 0) {
            // RFC 9003 shutdown communication, multi-byte characters included.
            String[] words = {"maintenance", "überprüfung", "維護", "🚧", "ticket #4711", ""};
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            int subcode = random.nextBoolean() ? NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN
                    : NotificationCode.CEASE_ADMINISTRATIVE_RESET;
            return NotificationMessage.cease(subcode, text.toString());
        }
        return new NotificationMessage(random.nextInt(256), random.nextInt(256), randomBytes(random.nextInt(40)));
    }

    RouteRefreshMessage routeRefresh() {
        return new RouteRefreshMessage(new AddressFamily(random.nextInt(0x10000), random.nextInt(256)),
                random.nextInt(3) == 0 ? random.nextInt(256) : random.nextInt(3));
    }

    UpdateMessage update() {
        List<Prefix> withdrawn = prefixes(AddressFamily.IPV4_UNICAST, random.nextInt(4) == 0 ? 1 + random.nextInt(6) : 0);
        List<Prefix> nlri = prefixes(AddressFamily.IPV4_UNICAST, random.nextBoolean() ? 1 + random.nextInt(6) : 0);
        List<PathAttribute> attributes = new ArrayList<>();
        PathAttribute.MpReachNlri reach = null;
        if (random.nextInt(3) == 0) {
            reach = mpReach();
            attributes.add(reach);
        }
        if (random.nextInt(4) == 0) {
            AddressFamily f = random.nextBoolean() ? AddressFamily.IPV6_UNICAST : AddressFamily.IPV4_UNICAST;
            attributes.add(new PathAttribute.MpUnreachNlri(f, prefixes(f, random.nextInt(5))));
        }
        boolean reachable = !nlri.isEmpty() || (reach != null && !reach.nlri().isEmpty());
        // Well-known mandatory attributes wherever routes are announced (RFC 4271 5, RFC 7606 3.d).
        if (reachable || random.nextBoolean()) {
            attributes.add(new PathAttribute.Origin(random.nextInt(3)));
            attributes.add(asPath());
        }
        if (!nlri.isEmpty() || random.nextInt(4) == 0) {
            attributes.add(new PathAttribute.NextHop(hostAddress()));
        }
        if (random.nextBoolean()) {
            attributes.add(new PathAttribute.MultiExitDisc(u32()));
        }
        if (!negotiated.externalPeer() && random.nextBoolean()) {
            attributes.add(new PathAttribute.LocalPref(u32()));
        }
        if (random.nextInt(4) == 0) {
            attributes.add(new PathAttribute.AtomicAggregate());
        }
        if (random.nextInt(3) == 0) {
            attributes.add(new PathAttribute.Aggregator(asn(), ipv4()));
        }
        if (random.nextBoolean()) {
            List<Integer> cs = new ArrayList<>();
            for (int i = 1 + random.nextInt(random.nextInt(10) == 0 ? 150 : 5); i > 0; i--) {
                cs.add(random.nextInt());
            }
            attributes.add(new PathAttribute.Communities(cs));
        }
        if (random.nextInt(3) == 0) {
            List<Long> cs = new ArrayList<>();
            for (int i = 1 + random.nextInt(5); i > 0; i--) {
                cs.add(random.nextLong());
            }
            attributes.add(new PathAttribute.ExtendedCommunities(cs));
        }
        if (random.nextInt(3) == 0) {
            List<PathAttribute.LargeCommunity> cs = new ArrayList<>();
            for (int i = 1 + random.nextInt(5); i > 0; i--) {
                cs.add(new PathAttribute.LargeCommunity(u32(), u32(), u32()));
            }
            attributes.add(new PathAttribute.LargeCommunities(cs));
        }
        if (random.nextInt(4) == 0) {
            int type = UNKNOWN_TYPES[random.nextInt(UNKNOWN_TYPES.length)];
            int length = random.nextInt(8) == 0 ? 256 + random.nextInt(300) : random.nextInt(20);
            attributes.add(new PathAttribute.Unknown(PathAttribute.FLAG_OPTIONAL | PathAttribute.FLAG_TRANSITIVE
                    | PathAttribute.FLAG_PARTIAL, type, randomBytes(length)));
        }
        return new UpdateMessage(withdrawn, attributes, nlri);
    }

    private PathAttribute.MpReachNlri mpReach() {
        AddressFamily f = random.nextInt(3) == 0 ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
        List<InetAddress> nextHops = new ArrayList<>();
        if (f.equals(AddressFamily.IPV4_UNICAST)) {
            nextHops.add(hostAddress());
        } else {
            nextHops.add(ipv6(randomBytes(16)));
            if (random.nextBoolean()) {
                byte[] linkLocal = randomBytes(16);
                linkLocal[0] = (byte) 0xFE;
                linkLocal[1] = (byte) 0x80;
                nextHops.add(ipv6(linkLocal));
            }
        }
        return new PathAttribute.MpReachNlri(f, nextHops, prefixes(f, random.nextInt(8)));
    }

    private PathAttribute.AsPath asPath() {
        List<Segment> segments = new ArrayList<>();
        if (!negotiated.externalPeer() && random.nextInt(5) == 0) {
            int type = random.nextBoolean() ? Segment.AS_CONFED_SEQUENCE : Segment.AS_CONFED_SET;
            segments.add(new Segment(type, asns(1 + random.nextInt(3), negotiated.fourOctetAs() ? 0xFFFF_FFFFL : 0xFFFF)));
        }
        for (int i = random.nextInt(4); i > 0; i--) {
            int type = random.nextInt(4) == 0 ? Segment.AS_SET : Segment.AS_SEQUENCE;
            int size = random.nextInt(20) == 0 ? 255 : 1 + random.nextInt(6);
            segments.add(new Segment(type, asns(size, 0xFFFF_FFFFL)));
        }
        return new PathAttribute.AsPath(segments);
    }

    private long[] asns(int n, long max) {
        long[] asns = new long[n];
        for (int i = 0; i < n; i++) {
            asns[i] = Math.min(asn(), max);
        }
        return asns;
    }

    /** Small, 2-octet and 4-octet ASNs alike, AS_TRANS now and then. */
    private long asn() {
        return switch (random.nextInt(4)) {
            case 0 -> 64512 + random.nextInt(1024);
            case 1 -> random.nextInt(0x10000);
            case 2 -> random.nextInt(10) == 0 ? OpenMessage.AS_TRANS : 65536 + random.nextInt(1_000_000);
            default -> u32();
        };
    }

    private List<Prefix> prefixes(AddressFamily f, int n) {
        List<Prefix> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int octets = f.addressLength();
            ps.add(Prefix.of(randomBytes(octets), random.nextInt(octets * 8 + 1)));
        }
        return ps;
    }

    private AddressFamily family() {
        return switch (random.nextInt(4)) {
            case 0 -> AddressFamily.IPV4_UNICAST;
            case 1 -> AddressFamily.IPV6_UNICAST;
            default -> new AddressFamily(random.nextInt(0x10000), random.nextInt(256));
        };
    }

    private Inet4Address hostAddress() {
        byte[] a = randomBytes(4);
        a[0] = (byte) (1 + random.nextInt(223));
        return (Inet4Address) address(a);
    }

    private Inet4Address ipv4() {
        return (Inet4Address) address(randomBytes(4));
    }

    private static InetAddress ipv6(byte[] a) {
        try {
            return Inet6Address.getByAddress(null, a, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress address(byte[] a) {
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private long u32() {
        return random.nextLong() & 0xFFFF_FFFFL;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
