package io.cairn.node.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BIRD 2 ({@code bird -f}), one {@code protocol bgp} per neighbor.
 *
 * <p>Announcements are static blackhole routes (protocols {@code originate4}/{@code originate6});
 * their BGP attributes are set in the per-session export filter, because BIRD only keeps an
 * explicit {@code bgp_next_hop} on eBGP when it was set in the export filter itself. A change
 * rewrites bird.conf and runs {@code birdc configure}, which BIRD applies without dropping
 * sessions. The export filter rejects everything else, so BIRD never re-advertises what it
 * learned (a test peer, not a transit router).
 *
 * <p>A neighbor with a graceful restart time gets {@code graceful restart on} and that
 * {@code graceful restart time}; after {@link #kill()}, {@link #restart()} starts BIRD with
 * {@code -R}, so its OPEN sets the restart and forwarding state bits as after a real crash.
 */
public final class BirdDaemon extends AbstractDaemon {

    private final String bird;
    private final String birdc;
    private final Path socket;
    private final Map<String, Route> announced = new LinkedHashMap<>();

    public BirdDaemon(DaemonSpec spec) {
        super(spec, "bird");
        this.bird = Tools.requireBinary("bird").toString();
        this.birdc = Tools.requireBinary("birdc").toString();
        this.socket = dir.resolve("bird.ctl");
        boot(() -> launch(false));
    }

    /**
     * {@code recovery}: start with {@code -R} (graceful restart recovery) when graceful restart is
     * on, so BIRD's OPEN carries the restart state and forwarding state bits (RFC 4724 3) like a
     * router coming back from a crash with its forwarding intact.
     */
    @Override
    protected void launch(boolean recovery) {
        writeFile("bird.conf", config());
        List<String> command = new ArrayList<>(List.of(bird, "-f", "-c", dir.resolve("bird.conf").toString(),
                "-s", socket.toString(), "-P", dir.resolve("bird.pid").toString()));
        if (recovery && spec.neighbors().stream().anyMatch(n -> n.gracefulRestartTime() > 0)) {
            command.add("-R");
        }
        startProcess(command, Map.of());
        await("birdc to answer", Duration.ofSeconds(10),
                () -> cli(List.of(birdc, "-s", socket.toString(), "show status")).exitCode() == 0
                        ? Optional.of(true) : Optional.empty());
    }

    @Override
    public String name() {
        return "bird";
    }

    private static String protocolName(DaemonSpec.Neighbor n) {
        return "peer_" + n.address().replace('.', '_');
    }

    private String config() {
        StringBuilder c = new StringBuilder();
        c.append("log \"").append(dir.resolve("bird.log")).append("\" all;\n");
        c.append("router id ").append(spec.routerId()).append(";\n");
        // Blackhole statics need no interface; they only exist to be exported.
        c.append("protocol static originate4 { ipv4;\n");
        announced.values().stream().filter(r -> !r.isIpv6())
                .forEach(r -> c.append("  route ").append(r.prefix()).append(" blackhole;\n"));
        c.append("}\nprotocol static originate6 { ipv6;\n");
        announced.values().stream().filter(Route::isIpv6)
                .forEach(r -> c.append("  route ").append(r.prefix()).append(" blackhole;\n"));
        c.append("}\n");
        c.append("filter cairn_out {\n");
        announced.values().forEach(r -> c.append(exportClause(r)));
        c.append("  reject;\n}\n");
        for (DaemonSpec.Neighbor n : spec.neighbors()) {
            c.append("protocol bgp ").append(protocolName(n)).append(" {\n");
            // 'strict bind' makes BIRD listen on localAddress:listenPort only, not 0.0.0.0.
            c.append("  local ").append(spec.localAddress()).append(" port ").append(spec.listenPort())
                    .append(" as ").append(spec.localAs()).append(";\n  strict bind on;\n");
            c.append("  neighbor ").append(n.address()).append(" port ").append(n.port())
                    .append(" as ").append(n.peerAs()).append(";\n");
            // All peers share lo but are not "directly connected" in BIRD's sense; multihop
            // accepts them and keeps routes with unresolvable next hops (as 'unreachable').
            c.append("  multihop;\n");
            c.append("  connect retry time 1;\n  error wait time 1, 5;\n");
            if (n.passive()) {
                c.append("  passive on;\n");
            }
            if (n.routeServer()) {
                // off is BIRD's default; said explicitly because a route server's routes do not
                // start with its own AS (RFC 7947 2.2.2)
                c.append("  enforce first as off;\n");
            }
            if (n.gracefulRestartTime() > 0) {
                c.append("  graceful restart on;\n  graceful restart time ").append(n.gracefulRestartTime())
                        .append(";\n");
            }
            if (n.md5Password() != null) {
                c.append("  password \"").append(n.md5Password()).append("\";\n");
            }
            if (n.disableAs4()) {
                c.append("  enable as4 off;\n");
            }
            c.append("  ipv4 { import all; export filter cairn_out; };\n");
            // A route server may give IPv6 routes an IPv4 next hop, sent IPv4-mapped (::ffff:a.b.c.d,
            // RFC 4291 2.5.5.2): Cairn does for its VNet prefixes when vnet.next-hop is IPv4. BIRD
            // rejects those ("mismatched address family") unless the channel allows them.
            c.append("  ipv6 { import all; export filter cairn_out;")
                    .append(n.routeServer() ? " extended next hop on;" : "").append(" };\n");
            c.append("}\n");
        }
        return c.toString();
    }

    private static String exportClause(Route r) {
        StringBuilder s = new StringBuilder("  if net = ").append(r.prefix()).append(" then {\n");
        if (r.nextHop() != null) {
            s.append("    bgp_next_hop = ").append(r.nextHop()).append(";\n");
        }
        // prepend() puts each AS in front, so walk the path backwards; BIRD adds its own AS last.
        for (int i = r.asPath().size() - 1; i >= 0; i--) {
            s.append("    bgp_path.prepend(").append(r.asPath().get(i)).append(");\n");
        }
        if (r.med() != null) {
            s.append("    bgp_med = ").append(r.med()).append(";\n");
        }
        for (String c : r.communities()) {
            String[] p = Route.parts(c);
            s.append("    bgp_community.add((").append(p[0]).append(", ").append(p[1]).append("));\n");
        }
        for (String c : r.extCommunities()) {
            String[] p = Route.parts(c); // rt:65001:100 -> (rt, 65001, 100)
            s.append("    bgp_ext_community.add((").append(p[0]).append(", ").append(p[1]).append(", ")
                    .append(p[2]).append("));\n");
        }
        for (String c : r.largeCommunities()) {
            String[] p = Route.parts(c);
            s.append("    bgp_large_community.add((").append(p[0]).append(", ").append(p[1]).append(", ")
                    .append(p[2]).append("));\n");
        }
        return s.append("    accept;\n  }\n").toString();
    }

    /** Applies the changed config; while BIRD is {@link #kill() down} it only takes effect at restart. */
    private void reconfigure() {
        writeFile("bird.conf", config());
        if (!running()) {
            return;
        }
        String out = cliOk(List.of(birdc, "-s", socket.toString(), "configure"));
        if (!out.contains("Reconfigured") && !out.contains("Reconfiguration in progress")) {
            throw new AssertionError("bird configure failed:\n" + out);
        }
    }

    @Override
    public synchronized void announce(Route route) {
        announced.put(route.prefix(), route);
        reconfigure();
    }

    @Override
    public synchronized void withdraw(String prefix) {
        announced.remove(prefix);
        reconfigure();
    }

    @Override
    public boolean isEstablished(String neighborAddress) {
        CliResult r = protocolStatus(neighborAddress);
        return r.exitCode() == 0 && Pattern.compile("BGP state:\\s+Established").matcher(r.output()).find();
    }

    private static final Pattern LAST_ERROR = Pattern.compile("Last error:\\s+(.*)");

    /**
     * BIRD's "Last error" of the session with {@code neighborAddress} (e.g. "Received: Maximum
     * number of prefixes reached" after a NOTIFICATION from the neighbor), or "" when there is none.
     */
    public String lastError(String neighborAddress) {
        CliResult r = protocolStatus(neighborAddress);
        if (r.exitCode() != 0) {
            throw new AssertionError("birdc show protocols failed:\n" + r.output());
        }
        Matcher m = LAST_ERROR.matcher(r.output());
        return m.find() ? m.group(1).trim() : "";
    }

    /** {@code birdc show protocols all} for the session with {@code neighborAddress}. */
    private CliResult protocolStatus(String neighborAddress) {
        DaemonSpec.Neighbor n = spec.neighbors().stream().filter(x -> x.address().equals(neighborAddress))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no neighbor " + neighborAddress));
        return cli(List.of(birdc, "-s", socket.toString(), "show protocols all " + protocolName(n)));
    }

    // "10.20.0.0/24  unreachable [peer_127_0_0_3 23:09:52.614 from 127.0.0.3] * (100) [AS65021i]"
    // (continuation routes for the same prefix start with whitespace instead of the prefix)
    private static final Pattern ROUTE_LINE =
            Pattern.compile("^(\\S+)?\\s+\\S+.*\\[\\S+ [^\\]]*?from (\\S+)\\].*$");
    private static final Pattern ATTR_LINE = Pattern.compile("^\\s+(BGP\\.[a-z_0-9]+):\\s*(.*)$");
    private static final Pattern TUPLE = Pattern.compile("\\(([^)]*)\\)");

    /** Parses {@code birdc show route all} (BIRD has no JSON output). Only BGP-learned routes. */
    @Override
    public List<LearnedRoute> routes() {
        String out = cliOk(List.of(birdc, "-s", socket.toString(), "show route all"));
        List<LearnedRoute> routes = new ArrayList<>();
        RouteBuilder current = null;
        String lastPrefix = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("\t")) { // attribute line of the current route
                Matcher a = ATTR_LINE.matcher(line);
                if (current != null && a.matches()) {
                    current.attribute(a.group(1), a.group(2).trim());
                }
                continue;
            }
            // Any other line ends the current route: a new route, a static one, "Table ...:".
            if (current != null) {
                routes.add(current.build());
                current = null;
            }
            Matcher m = ROUTE_LINE.matcher(line);
            if (line.isEmpty() || line.startsWith("Table ") || line.startsWith("BIRD ")) {
                lastPrefix = null;
            } else if (m.matches()) {
                lastPrefix = m.group(1) != null ? m.group(1) : lastPrefix;
                current = new RouteBuilder(lastPrefix, m.group(2));
            } else if (!Character.isWhitespace(line.charAt(0))) {
                lastPrefix = line.split("\\s+")[0]; // a non-BGP route still names the prefix
            }
        }
        if (current != null) {
            routes.add(current.build());
        }
        return routes;
    }

    /** Accumulates the attribute lines of one route. */
    private static final class RouteBuilder {
        final String prefix;
        final String from;
        String nextHop;
        final List<Long> path = new ArrayList<>();
        Long med;
        final List<String> communities = new ArrayList<>();
        final List<String> ext = new ArrayList<>();
        final List<String> large = new ArrayList<>();

        RouteBuilder(String prefix, String from) {
            this.prefix = prefix;
            this.from = from;
        }

        void attribute(String key, String value) {
            switch (key) {
                case "BGP.next_hop" -> nextHop = value.split("\\s+")[0]; // v6 may add a link-local
                case "BGP.as_path" -> {
                    for (String as : value.split("\\s+")) {
                        if (as.matches("\\d+")) {  // AS_SET members come as { .. }: skip braces
                            path.add(Long.parseLong(as));
                        }
                    }
                }
                case "BGP.med" -> med = Long.parseLong(value);
                case "BGP.community" -> tuples(value).forEach(t -> communities.add(String.join(":", t)));
                case "BGP.ext_community" -> tuples(value).forEach(t -> ext.add(String.join(":", t)));
                case "BGP.large_community" -> tuples(value).forEach(t -> large.add(String.join(":", t)));
                default -> {
                }
            }
        }

        /** "(65001,100) (65001,101)" / "(rt, 65001, 100)" -> [[65001,100],[65001,101]] / [[rt,65001,100]] */
        private static List<List<String>> tuples(String value) {
            List<List<String>> result = new ArrayList<>();
            Matcher m = TUPLE.matcher(value);
            while (m.find()) {
                List<String> parts = new ArrayList<>();
                for (String p : m.group(1).split(",")) {
                    parts.add(p.trim());
                }
                result.add(parts);
            }
            return result;
        }

        LearnedRoute build() {
            return new LearnedRoute(prefix, nextHop, path, med, communities, ext, large, from);
        }
    }
}
