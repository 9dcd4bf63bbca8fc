package io.cairn.node.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GoBGP: {@code gobgpd -f gobgpd.toml --api-hosts unix://<dir>/api.sock}; the {@code gobgp} CLI
 * reaches it with {@code --target unix://...}, so no gRPC TCP port has to be allocated.
 *
 * <p>Announcements go through {@code gobgp global rib add}. The export policy accepts only
 * locally originated routes (route-type local), so learned routes are never re-advertised.
 *
 * <p>Limits found by running it: GoBGP treats an UPDATE whose IPv4 next hop is loopback as a
 * withdraw ("invalid nexthop address"), so peers must send a non-127/8 next hop; GoBGP has no
 * knob to disable the 4-octet AS capability ({@code disableAs4} is rejected); the CLI can only
 * add route-target ext communities ({@code rt a:b}).
 */
public final class GobgpDaemon extends AbstractDaemon {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** gobgp's JSON uses the BGP FSM numbering: 6 = Established. */
    private static final int ESTABLISHED = 6;

    private final String gobgp;
    private final String target;

    public GobgpDaemon(DaemonSpec spec) {
        super(spec, "gobgp");
        requireNoGracefulRestart();
        for (DaemonSpec.Neighbor n : spec.neighbors()) {
            if (n.disableAs4()) {
                throw new UnsupportedOperationException("GoBGP has no knob to disable the 4-octet AS capability");
            }
        }
        String gobgpd = Tools.requireBinary("gobgpd").toString();
        this.gobgp = Tools.requireBinary("gobgp").toString();
        this.target = "unix://" + dir.resolve("api.sock");
        boot(() -> {
            writeFile("gobgpd.toml", config());
            startProcess(List.of(gobgpd, "-f", dir.resolve("gobgpd.toml").toString(), "--api-hosts", target,
                    "-p", "--pprof-disable"), Map.of());
            await("gobgp API to answer", Duration.ofSeconds(10),
                    () -> cli(List.of(gobgp, "--target", target, "global")).exitCode() == 0
                            ? Optional.of(true) : Optional.empty());
        });
    }

    @Override
    public String name() {
        return "gobgp";
    }

    private String config() {
        StringBuilder c = new StringBuilder();
        c.append("[global.config]\n");
        c.append("  as = ").append(spec.localAs()).append("\n");
        c.append("  router-id = \"").append(spec.routerId()).append("\"\n");
        c.append("  port = ").append(spec.listenPort()).append("\n");
        c.append("  local-address-list = [\"").append(spec.localAddress()).append("\"]\n");
        c.append("[global.apply-policy.config]\n");
        c.append("  export-policy-list = [\"only-local\"]\n");
        c.append("  default-export-policy = \"reject-route\"\n");
        for (DaemonSpec.Neighbor n : spec.neighbors()) {
            c.append("[[neighbors]]\n  [neighbors.config]\n");
            c.append("    neighbor-address = \"").append(n.address()).append("\"\n");
            c.append("    peer-as = ").append(n.peerAs()).append("\n");
            if (n.md5Password() != null) {
                c.append("    auth-password = \"").append(n.md5Password()).append("\"\n");
            }
            c.append("  [neighbors.transport.config]\n");
            c.append("    local-address = \"").append(spec.localAddress()).append("\"\n");
            c.append("    remote-port = ").append(n.port()).append("\n");
            c.append("    passive-mode = ").append(n.passive()).append("\n");
            // default connect-retry is 120 s; the first attempt still takes a few seconds
            c.append("  [neighbors.timers.config]\n    connect-retry = 1\n");
            for (String af : List.of("ipv4-unicast", "ipv6-unicast")) {
                c.append("  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n");
                c.append("      afi-safi-name = \"").append(af).append("\"\n");
            }
        }
        c.append("[[policy-definitions]]\n  name = \"only-local\"\n");
        c.append("  [[policy-definitions.statements]]\n    name = \"local\"\n");
        c.append("    [policy-definitions.statements.conditions.bgp-conditions]\n");
        c.append("      route-type = \"local\"\n");
        c.append("    [policy-definitions.statements.actions]\n");
        c.append("      route-disposition = \"accept-route\"\n");
        return c.toString();
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(gobgp, "--target", target));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Override
    public void announce(Route route) {
        String family = route.isIpv6() ? "ipv6" : "ipv4";
        List<String> cmd = command("global", "rib", "add", "-a", family, route.prefix(), "origin", "igp");
        // no next hop: 0.0.0.0 / :: asks gobgpd for next-hop-self
        cmd.addAll(List.of("nexthop", route.nextHop() != null ? route.nextHop() : route.isIpv6() ? "::" : "0.0.0.0"));
        if (!route.asPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            route.asPath().forEach(as -> path.append(path.length() == 0 ? "" : ",").append(as));
            cmd.addAll(List.of("aspath", path.toString()));
        }
        if (route.med() != null) {
            cmd.addAll(List.of("med", route.med().toString()));
        }
        if (!route.communities().isEmpty()) {
            cmd.addAll(List.of("community", String.join(",", route.communities())));
        }
        if (!route.largeCommunities().isEmpty()) {
            cmd.addAll(List.of("large-community", String.join(",", route.largeCommunities())));
        }
        if (!route.extCommunities().isEmpty()) {
            cmd.add("rt"); // "rt v1 v2 ..." (a comma list does not parse)
            for (String e : route.extCommunities()) {
                if (!e.startsWith("rt:")) {
                    throw new UnsupportedOperationException("GobgpDaemon only announces rt: ext communities: " + e);
                }
                cmd.add(e.substring(3));
            }
        }
        // "rib add" for an existing prefix replaces our own path: that is the "replace" semantics
        cliOk(cmd);
    }

    @Override
    public void withdraw(String prefix) {
        cliOk(command("global", "rib", "del", "-a", isIpv6(prefix) ? "ipv6" : "ipv4", prefix));
    }

    @Override
    public boolean isEstablished(String neighborAddress) {
        for (JsonNode n : json("neighbor", "-j")) {
            JsonNode state = n.path("state");
            if (neighborAddress.equals(state.path("neighbor_address").asText())) {
                return state.path("session_state").asInt() == ESTABLISHED;
            }
        }
        return false;
    }

    /** Whether the neighbor's OPEN carried the 4-octet AS capability (RFC 6793). */
    public boolean peerAdvertisedAs4(String neighborAddress) {
        for (JsonNode n : json("neighbor", "-j")) {
            if (neighborAddress.equals(n.path("state").path("neighbor_address").asText())) {
                for (JsonNode cap : n.path("state").path("remote_cap")) {
                    if (cap.path("type_url").asText().endsWith("FourOctetASNCapability")) {
                        return true;
                    }
                }
                return false;
            }
        }
        throw new AssertionError("gobgp has no neighbor " + neighborAddress);
    }

    private JsonNode json(String... args) {
        CliResult r = cli(command(args));
        if (r.exitCode() != 0 || r.output().isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(r.output());
        } catch (IOException e) {
            throw new UncheckedIOException("gobgp " + List.of(args) + " gave no JSON: " + r.output(), e);
        }
    }

    /** Parses {@code gobgp global rib -a <af> -j}; paths with a "neighbor-ip" were learned. */
    @Override
    public List<LearnedRoute> routes() {
        List<LearnedRoute> result = new ArrayList<>();
        for (String af : List.of("ipv4", "ipv6")) {
            json("global", "rib", "-a", af, "-j").fields().forEachRemaining(e -> {
                for (JsonNode path : e.getValue()) {
                    if (path.hasNonNull("neighbor-ip")) {
                        result.add(toRoute(e.getKey(), path));
                    }
                }
            });
        }
        return result;
    }

    private static LearnedRoute toRoute(String prefix, JsonNode path) {
        String nextHop = null;
        Long med = null;
        List<Long> asPath = new ArrayList<>();
        List<String> communities = new ArrayList<>();
        List<String> ext = new ArrayList<>();
        List<String> large = new ArrayList<>();
        for (JsonNode a : path.path("attrs")) {
            switch (a.path("type").asInt()) {
                case 2 -> a.path("as_paths").forEach(seg -> seg.path("asns").forEach(as -> asPath.add(as.asLong())));
                case 3, 14 -> nextHop = a.path("nexthop").asText(); // NEXT_HOP or MP_REACH_NLRI
                case 4 -> med = a.path("metric").asLong();
                case 8 -> a.path("communities").forEach(c -> communities.add(community(c.asLong())));
                case 16 -> a.path("value").forEach(x -> ext.add(extCommunity(x)));
                case 32 -> a.path("value").forEach(x -> large.add(x.path("ASN").asLong() + ":"
                        + x.path("LocalData1").asLong() + ":" + x.path("LocalData2").asLong()));
                default -> {
                }
            }
        }
        return new LearnedRoute(prefix, nextHop, asPath, med, communities, ext, large,
                path.path("neighbor-ip").asText());
    }

    /** {"type":0,"subtype":2,"value":"65001:100"} -> "rt:65001:100" (types 0/1/2: AS2, IPv4, AS4). */
    private static String extCommunity(JsonNode x) {
        int type = x.path("type").asInt();
        int subtype = x.path("subtype").asInt();
        String value = x.path("value").asText();
        if (type <= 2 && subtype == 2) {
            return "rt:" + value;
        }
        if (type <= 2 && subtype == 3) {
            return "soo:" + value;
        }
        return type + "." + subtype + ":" + value;
    }
}
