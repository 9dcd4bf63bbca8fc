package io.cairn.node.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * FRR's bgpd alone: no zebra, no watchfrr, no system frr service.
 *
 * <p>Flags: {@code -Z} (no zebra), {@code -n} (no kernel FIB), {@code -S} (skip the user/group
 * switch: with {@code -u root} bgpd refuses to start because root is not in the compiled-in
 * {@code frrvty} group), {@code -P 0} (no TCP vty), {@code --vty_socket <dir>} (vtysh talks to
 * {@code <dir>/bgpd.vty}), {@code -p/-l} (BGP port and listen address), {@code -i} (pid file).
 *
 * <p>Announcements are {@code network} statements plus one entry per prefix in the outbound
 * route-map CAIRN-OUT (prefix-list match + set statements); the route-map ends in a deny, so bgpd
 * never re-advertises learned routes. That is not cosmetic: FRR 8.4 resets a session that
 * receives a 127/8 next hop ("Martian nexthop", no knob to allow it), and a re-advertised
 * route would carry next-hop-self = 127.x back to the other FRR/GoBGP peers.
 *
 * <p>4-octet AS cannot be disabled per neighbor in FRR (only {@code dont-capability-negotiate},
 * which drops all capabilities including MP-BGP), so {@code disableAs4} is rejected.
 */
public final class FrrDaemon extends AbstractDaemon {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTE_MAP = "CAIRN-OUT";

    private final String vtysh;
    /** prefix -> route-map sequence number used for it. */
    private final Map<String, Integer> sequences = new HashMap<>();
    private int nextSequence = 10;

    public FrrDaemon(DaemonSpec spec) {
        super(spec, "frr");
        requireNoGracefulRestart();
        for (DaemonSpec.Neighbor n : spec.neighbors()) {
            if (n.disableAs4()) {
                throw new UnsupportedOperationException(
                        "FRR bgpd has no per-neighbor knob to disable the 4-octet AS capability");
            }
        }
        String bgpd = Tools.requireBinary("/usr/lib/frr/bgpd").toString();
        this.vtysh = Tools.requireBinary("vtysh").toString();
        Tools.requireRoot();
        boot(() -> {
            writeFile("bgpd.conf", config());
            startProcess(List.of(bgpd, "-f", dir.resolve("bgpd.conf").toString(),
                    "-i", dir.resolve("bgpd.pid").toString(), "--vty_socket", dir.toString(),
                    "-S", "-Z", "-n", "-P", "0", "-p", String.valueOf(spec.listenPort()),
                    "-l", spec.localAddress()), Map.of());
            await("vtysh to answer", Duration.ofSeconds(10),
                    () -> vty("show bgp summary").exitCode() == 0 ? Optional.of(true) : Optional.empty());
        });
    }

    @Override
    public String name() {
        return "frr";
    }

    @Override
    protected List<Path> logFiles() {
        return List.of(dir.resolve("stdout.log"), dir.resolve("bgpd.log"));
    }

    private String config() {
        StringBuilder c = new StringBuilder();
        c.append("frr defaults traditional\n");
        c.append("log file ").append(dir.resolve("bgpd.log")).append("\n");
        // every UPDATE in and out, with its prefixes: shows which side lost a route when a test fails
        c.append("debug bgp updates\n!\n");
        c.append("route-map ").append(ROUTE_MAP).append(" deny 65535\nexit\n!\n");
        c.append("router bgp ").append(spec.localAs()).append("\n");
        c.append(" bgp router-id ").append(spec.routerId()).append("\n");
        // A subgroup skips route changes while its coalesce timer runs (1.1 s after a session comes
        // up or a soft-out), then walks the table: FRR 8.4 re-announces what is there, but a
        // withdrawal made in that window is never sent (seen in bgpd.log at debug level; ExaBGP
        // kept 10.4.0.0/24 for good). 0 ms closes the window.
        c.append(" coalesce-time 0\n");
        c.append(" no bgp ebgp-requires-policy\n");      // we do use a route-map, but only outbound
        c.append(" no bgp network import-check\n");      // no zebra: nothing to check against
        c.append(" no bgp default ipv4-unicast\n");      // activate families explicitly below
        for (DaemonSpec.Neighbor n : spec.neighbors()) {
            String p = " neighbor " + n.address() + " ";
            c.append(p).append("remote-as ").append(n.peerAs()).append("\n");
            c.append(p).append("port ").append(n.port()).append("\n");
            c.append(p).append("update-source ").append(spec.localAddress()).append("\n");
            // without zebra bgpd knows no interfaces, so nothing counts as directly connected
            c.append(p).append("disable-connected-check\n");
            c.append(p).append("timers connect 1\n");
            if (n.passive()) {
                c.append(p).append("passive\n");
            }
            if (n.routeServer()) {
                // FRR enforces "first AS of an eBGP route = peer AS" by default; a transparent
                // route server (RFC 7947 2.2.2) sends the announcing client's AS first
                c.append(p).append("no enforce-first-as\n");
            }
            if (n.md5Password() != null) {
                c.append(p).append("password ").append(n.md5Password()).append("\n");
            }
        }
        for (String af : List.of("ipv4", "ipv6")) {
            c.append(" address-family ").append(af).append(" unicast\n");
            for (DaemonSpec.Neighbor n : spec.neighbors()) {
                c.append("  neighbor ").append(n.address()).append(" activate\n");
                c.append("  neighbor ").append(n.address()).append(" route-map ").append(ROUTE_MAP)
                        .append(" out\n");
            }
            c.append(" exit-address-family\n");
        }
        return c.append("exit\n!\n").toString();
    }

    private CliResult vty(String... commands) {
        List<String> cmd = new ArrayList<>(List.of(vtysh, "--vty_socket", dir.toString()));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        return cli(cmd);
    }

    /** vtysh exits 0 even for some rejected config lines, so also look for its "% " errors. */
    private void configure(List<String> commands) {
        List<String> all = new ArrayList<>();
        all.add("configure terminal");
        all.addAll(commands);
        CliResult r = vty(all.toArray(String[]::new));
        if (r.exitCode() != 0 || r.output().contains("% ")) {
            throw new AssertionError("vtysh rejected " + all + ":\n" + r.output());
        }
    }

    @Override
    public synchronized void announce(Route route) {
        boolean v6 = route.isIpv6();
        String ip = v6 ? "ipv6" : "ip";
        Integer known = sequences.get(route.prefix());
        int seq = known != null ? known : nextSequence;
        if (known == null) {
            nextSequence += 10;
            sequences.put(route.prefix(), seq);
        }
        String list = "CAIRN-P" + seq;
        List<String> cmds = new ArrayList<>();
        if (known != null) { // replace: start the entry from scratch so no old "set" survives
            cmds.add("no route-map " + ROUTE_MAP + " permit " + seq);
        }
        cmds.add(ip + " prefix-list " + list + " seq 5 permit " + route.prefix());
        cmds.add("route-map " + ROUTE_MAP + " permit " + seq);
        cmds.add("match " + ip + " address prefix-list " + list);
        if (route.nextHop() != null) {
            cmds.add(v6 ? "set ipv6 next-hop global " + route.nextHop() : "set ip next-hop " + route.nextHop());
        }
        if (!route.asPath().isEmpty()) {
            // "prepend a b" yields "localAs a b" at the receiver: order is kept
            cmds.add("set as-path prepend " + join(route.asPath()));
        }
        if (route.med() != null) {
            cmds.add("set metric " + route.med());
        }
        if (!route.communities().isEmpty()) {
            cmds.add("set community " + String.join(" ", route.communities()));
        }
        if (!route.extCommunities().isEmpty()) {
            cmds.add("set extcommunity rt " + String.join(" ", extValues(route.extCommunities())));
        }
        if (!route.largeCommunities().isEmpty()) {
            cmds.add("set large-community " + String.join(" ", route.largeCommunities()));
        }
        cmds.add("exit");
        cmds.add("router bgp " + spec.localAs());
        cmds.add("address-family " + (v6 ? "ipv6" : "ipv4") + " unicast");
        cmds.add("network " + route.prefix());
        configure(cmds);
        softOut();
    }

    /** FRR only accepts "rt" values in "set extcommunity rt"; strip and check the type. */
    private static List<String> extValues(List<String> ext) {
        List<String> values = new ArrayList<>();
        for (String e : ext) {
            if (!e.startsWith("rt:")) {
                throw new UnsupportedOperationException("FrrDaemon only announces rt: ext communities: " + e);
            }
            values.add(e.substring(3));
        }
        return values;
    }

    /**
     * Only removes the {@code network}; the route-map entry stays (it matches nothing we originate
     * and is reused on re-announce). Removing it and soft-refreshing right after {@code no network}
     * sometimes lost the IPv4 withdraw entirely (seen against ExaBGP with FRR 8.4).
     */
    @Override
    public synchronized void withdraw(String prefix) {
        if (!sequences.containsKey(prefix)) {
            return;
        }
        configure(List.of("router bgp " + spec.localAs(),
                "address-family " + (isIpv6(prefix) ? "ipv6" : "ipv4") + " unicast", "no network " + prefix));
    }

    /**
     * Route-map edits only reach peers after bgpd's route-map delay timer (5 s by default); a soft
     * outbound refresh re-evaluates the policy now.
     */
    private void softOut() {
        CliResult r = vty("clear bgp ipv4 unicast * soft out", "clear bgp ipv6 unicast * soft out");
        if (r.exitCode() != 0) {
            throw new AssertionError("vtysh soft out failed: " + r.output());
        }
    }

    @Override
    public boolean isEstablished(String neighborAddress) {
        JsonNode n = json("show bgp neighbors " + neighborAddress + " json").path(neighborAddress);
        return "Established".equals(n.path("bgpState").asText());
    }

    /** Whether the neighbor's OPEN carried the 4-octet AS capability (RFC 6793). */
    public boolean peerAdvertisedAs4(String neighborAddress) {
        JsonNode caps = json("show bgp neighbors " + neighborAddress + " json").path(neighborAddress)
                .path("neighborCapabilities");
        if (caps.isMissingNode()) {
            throw new AssertionError("frr has no capabilities for neighbor " + neighborAddress);
        }
        return caps.path("4byteAs").asText("").contains("Received");
    }

    private JsonNode json(String command) {
        CliResult r = vty(command);
        try {
            return r.exitCode() == 0 ? JSON.readTree(r.output()) : JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException("vtysh '" + command + "' gave no JSON: " + r.output(), e);
        }
    }

    /**
     * Parses {@code show bgp <af> unicast json detail}: "routes" maps prefix to an array whose first
     * element is {prefix, version} and whose other elements are full paths.
     */
    @Override
    public List<LearnedRoute> routes() {
        List<LearnedRoute> result = new ArrayList<>();
        for (String af : List.of("ipv4", "ipv6")) {
            JsonNode routes = json("show bgp " + af + " unicast json detail").path("routes");
            routes.fields().forEachRemaining(e -> {
                for (JsonNode path : e.getValue()) {
                    String peer = path.path("peer").path("peerId").asText("");
                    // locally originated paths: peerId "(unspec)", or "0.0.0.0" / "::" (8.4)
                    if (path.has("aspath") && !peer.isEmpty() && !peer.startsWith("(")
                            && !peer.equals("0.0.0.0") && !peer.equals("::")) {
                        result.add(toRoute(e.getKey(), path, peer));
                    }
                }
            });
        }
        return result;
    }

    private static LearnedRoute toRoute(String prefix, JsonNode path, String peer) {
        List<Long> asPath = new ArrayList<>();
        for (JsonNode seg : path.path("aspath").path("segments")) {
            seg.path("list").forEach(as -> asPath.add(as.asLong()));
        }
        List<String> communities = new ArrayList<>();
        path.path("community").path("list").forEach(c -> communities.add(c.asText()));
        List<String> large = new ArrayList<>();
        path.path("largeCommunity").path("list").forEach(c -> large.add(c.asText()));
        List<String> ext = new ArrayList<>();
        String extString = path.path("extendedCommunity").path("string").asText("");
        for (String e : extString.split(" ")) {
            if (!e.isEmpty()) {
                ext.add(e.toLowerCase()); // "RT:65001:100" -> "rt:65001:100", "SoO:.." -> "soo:.."
            }
        }
        JsonNode nh = path.path("nexthops").path(0);
        Long med = path.has("metric") ? path.get("metric").asLong() : null;
        return new LearnedRoute(prefix, nh.path("ip").asText(null), asPath, med, communities, ext, large, peer);
    }

    private static String join(List<Long> values) {
        StringBuilder sb = new StringBuilder();
        for (Long v : values) {
            sb.append(sb.length() == 0 ? "" : " ").append(v);
        }
        return sb.toString();
    }
}
