package io.cairn.sdn.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.sdn.FencedException;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnDriver;
import io.cairn.sdn.SdnException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cairn's routes in a Linux routing table, optionally inside a named network namespace.
 *
 * <p>Ownership is the route's protocol number: Cairn writes every route with its own
 * ({@link #DEFAULT_PROTOCOL}, 250, unused by iproute2's /etc/iproute2/rt_protos and FRR's
 * rt_protos.d; name it with a line "250 cairn" in /etc/iproute2/rt_protos.d/cairn.conf so
 * {@code ip route} shows "proto cairn"). Routes of any other protocol are never changed or
 * deleted, and a prefix already held by another protocol's route at the same metric is left to
 * it and reported as a conflict, because the kernel keys routes by prefix and metric, not
 * protocol: {@code ip route replace} would silently take it over. ECMP sets are multipath
 * routes ({@code nexthop via A nexthop via B}), for IPv4 and IPv6 alike. Next hops must be on a
 * connected subnet of the namespace; link-local ones (which need an interface) are not supported.
 *
 * <p>There is no maintained Java rtnetlink library (the JDK has no AF_NETLINK sockets), so the
 * driver drives iproute2: {@code ip -N -json route show table T} to read (both families, every
 * protocol, numbers not names), {@code ip -force -batch -} to write ({@code route replace} and
 * {@code route del ... proto P}), with {@code ip -n NETNS} when a namespace is configured.
 *
 * <p>Fencing: the kernel has no compare-and-set, so the stored epoch lives in the table itself,
 * as a blackhole route with Cairn's protocol for {@code 100::E/128}, E being the epoch in the low
 * 64 bits, inside the IPv6 discard-only prefix 100::/64 (RFC 6666), which no real traffic may use.
 * A marker in the table rather than a file under a state directory is seen by every writer of the
 * table (another Cairn node on the same host, or a container sharing the namespace), lives and
 * dies with the namespace and its routes, and needs no separate storage. Every write first reads
 * the table: a lower epoch than the marker's is refused with {@link FencedException}; a higher
 * one first moves the marker up (its own small batch, so routes are never written under an epoch
 * that could not be stored). The window between that read and the write is not atomic: an old
 * leader that read the marker just before the new one raised it may finish one batch, which the
 * new leader's next sync (a change, or the drift repair) puts right. The namespace must have IPv6
 * enabled for the marker.
 *
 * <p>Errors: a missing namespace (the test and the operator see "Cannot open network namespace"),
 * permission problems, an invalid table and a conflict with another protocol's route need the
 * operator and are not retryable; the reconciler tries again at its next drift repair, so a
 * namespace that comes back is programmed again with no restart. A next hop that is not reachable
 * yet and a busy kernel are retryable. A table that does not exist yet is simply empty.
 */
public final class LinuxRouteDriver implements SdnDriver {

    /** Not used by iproute2, FRR (186-197) or the other daemons in rt_protos; up to 255. */
    public static final int DEFAULT_PROTOCOL = 250;
    /** Most errors listed in one failure message; the count says how many more there were. */
    private static final int MAX_ERRORS_SHOWN = 5;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IpPrefix MARKER_RANGE = IpPrefix.parse("100::/64");

    private final long table;
    private final int protocol;
    private final IpCommand ip;
    private final String target;

    /**
     * @param table    the routing table id (254 is "main")
     * @param netns    a named network namespace, or null for the namespace Cairn runs in
     * @param protocol Cairn's route protocol number, 1..255
     */
    public LinuxRouteDriver(long table, String netns, int protocol, Duration timeout) {
        if (table < 1 || table > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("table " + table + " out of range 1..4294967295");
        }
        if (protocol < 1 || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol + " out of range 1..255");
        }
        this.table = table;
        this.protocol = protocol;
        this.ip = new IpCommand(netns, timeout);
        this.target = "table " + table + ip.where();
    }

    public LinuxRouteDriver(long table, String netns) {
        this(table, netns, DEFAULT_PROTOCOL, Duration.ofSeconds(30));
    }

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public RouteTable read() throws SdnException {
        return snapshot().ours();
    }

    @Override
    public void apply(long epoch, RouteDiff diff) throws SdnException {
        Snapshot now = snapshot();
        if (epoch < now.epoch()) {
            throw new FencedException(epoch, now.epoch());
        }
        if (epoch > now.epoch()) {
            raiseMarker(epoch, now);
        }
        List<String> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        diff.upserts().forEach((prefix, hops) -> {
            Integer other = now.foreign().get(prefix);
            if (other != null) {
                problems.add(prefix + ": the table holds a route of protocol " + other
                        + " for it, which Cairn leaves alone");
            } else {
                lines.add("route replace " + prefix + " table " + table + " proto " + protocol + via(prefix, hops));
            }
        });
        for (IpPrefix prefix : diff.removals()) {
            if (now.ours().routes().containsKey(prefix)) {
                lines.add("route del " + prefix + " table " + table + " proto " + protocol);
            }
        }
        boolean conflicts = !problems.isEmpty(); // only the operator can settle who owns a prefix
        boolean retryable = batch(lines, problems) && !conflicts;
        if (!problems.isEmpty()) {
            throw new SdnException(target + ": " + problems.size() + " of " + diff.size() + " writes failed: "
                    + String.join("; ", problems.subList(0, Math.min(MAX_ERRORS_SHOWN, problems.size())))
                    + (problems.size() > MAX_ERRORS_SHOWN ? "; ..." : ""), retryable);
        }
    }

    @Override
    public void close() {
        // Every call is its own ip process; nothing is held open.
    }

    /** " via A" or " nexthop via A nexthop via B"; "via inet6 A" for an IPv6 hop of an IPv4 prefix. */
    private static String via(IpPrefix prefix, Set<InetAddress> hops) {
        StringBuilder s = new StringBuilder();
        List<InetAddress> sorted = hops.stream()
                .sorted((a, b) -> java.util.Arrays.compare(a.getAddress(), b.getAddress())).toList();
        for (InetAddress hop : sorted) {
            s.append(hops.size() > 1 ? " nexthop via " : " via ");
            if (prefix.isIpv4() != (hop instanceof Inet4Address)) {
                s.append(hop instanceof Inet6Address ? "inet6 " : "inet ");
            }
            s.append(hop.getHostAddress());
        }
        return s.toString();
    }

    /** Stores the new epoch: adds its marker, then deletes the older ones. */
    private void raiseMarker(long epoch, Snapshot now) throws SdnException {
        List<String> lines = new ArrayList<>();
        lines.add("route add blackhole " + marker(epoch) + " table " + table + " proto " + protocol);
        for (long old : now.markers()) {
            lines.add("route del blackhole " + marker(old) + " table " + table + " proto " + protocol);
        }
        List<String> problems = new ArrayList<>();
        boolean retryable = batch(lines, problems);
        if (!problems.isEmpty()) {
            throw new SdnException(target + ": cannot store epoch " + epoch + " in the marker route "
                    + marker(epoch) + ": " + String.join("; ", problems), retryable);
        }
    }

    /**
     * Runs {@code lines} with {@code ip -force -batch -} (each line is tried even if an earlier
     * one failed), adding each failure to {@code problems}; true when all of them may pass.
     */
    private boolean batch(List<String> lines, List<String> problems) throws SdnException {
        if (lines.isEmpty()) {
            return true;
        }
        IpCommand.Result r = ip.run(List.of("-force", "-batch", "-"), String.join("\n", lines) + "\n");
        if (r.exitCode() == 0) {
            return true;
        }
        boolean retryable = true;
        int before = problems.size();
        // ip prints the error, then "Command failed -:N" naming the input line.
        StringBuilder message = new StringBuilder();
        for (String line : r.stderr().split("\n")) {
            if (line.startsWith("Command failed -:")) {
                int n = Integer.parseInt(line.substring("Command failed -:".length()).trim());
                String error = message.toString().trim();
                message.setLength(0);
                String command = n >= 1 && n <= lines.size() ? lines.get(n - 1) : "line " + n;
                if (command.startsWith("route del") && IpErrors.alreadyGone(error)) {
                    continue;
                }
                retryable &= IpErrors.retryable(error);
                problems.add(command.replace(" table " + table + " proto " + protocol, "") + ": " + error);
            } else if (!line.isBlank()) {
                message.append(line).append(' ');
            }
        }
        if (problems.size() == before && message.length() > 0) {
            // Failed before any line ran: a missing namespace, no permission, a bad table.
            String error = message.toString().trim();
            problems.add(error);
            retryable = IpErrors.retryable(error);
        }
        return retryable;
    }

    /** The whole table, both families, every protocol: Cairn's routes, the others', the marker. */
    private Snapshot snapshot() throws SdnException {
        Map<IpPrefix, Set<InetAddress>> ours = new HashMap<>();
        Map<IpPrefix, Integer> foreign = new HashMap<>();
        List<Long> markers = new ArrayList<>();
        for (boolean ipv6 : new boolean[] {false, true}) {
            for (KernelRoute route : dump(ipv6)) {
                if (route.protocol() != protocol) {
                    if (route.metric() == defaultMetric(ipv6)) {
                        foreign.put(route.dst(), route.protocol());
                    }
                } else if (route.type() == KernelRoute.RTN_BLACKHOLE && route.dst().length() == 128
                        && MARKER_RANGE.equals(new IpPrefix(route.dst().address(), 64))) {
                    markers.add(ByteBuffer.wrap(route.dst().address().getAddress()).getLong(8));
                } else if (route.type() == KernelRoute.RTN_UNICAST && !route.gateways().isEmpty()) {
                    ours.computeIfAbsent(route.dst(), p -> new HashSet<>()).addAll(route.gateways());
                }
            }
        }
        return new Snapshot(new RouteTable(ours), foreign, markers);
    }

    /** The metric the kernel gives a route written without one (IPv6: IP6_RT_PRIO_USER). */
    private static long defaultMetric(boolean ipv6) {
        return ipv6 ? 1024 : 0;
    }

    private List<KernelRoute> dump(boolean ipv6) throws SdnException {
        IpCommand.Result r = ip.run(List.of("-json", ipv6 ? "-6" : "-4", "route", "show", "table",
                Long.toString(table)), "");
        if (r.exitCode() != 0) {
            if (IpErrors.emptyTable(r.stderr())) {
                return List.of();
            }
            String error = r.stderr().trim();
            throw new SdnException(target + ": cannot read routes: " + error, IpErrors.retryable(error));
        }
        try {
            List<KernelRoute> routes = new ArrayList<>();
            JsonNode array = JSON.readTree(r.stdout());
            for (JsonNode route : array) {
                routes.add(KernelRoute.parse(route, ipv6));
            }
            return routes;
        } catch (IOException | IllegalArgumentException e) {
            throw new SdnException(target + ": cannot parse ip -json output: " + e.getMessage(), false, e);
        }
    }

    static String marker(long epoch) {
        byte[] b = MARKER_RANGE.address().getAddress();
        ByteBuffer.wrap(b).putLong(8, epoch);
        try {
            return InetAddress.getByAddress(b).getHostAddress() + "/128";
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * @param foreign prefixes held by another protocol's route at the default metric, with that protocol
     * @param markers epochs of Cairn's marker routes (normally one)
     */
    private record Snapshot(RouteTable ours, Map<IpPrefix, Integer> foreign, List<Long> markers) {
        long epoch() {
            return markers.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }
}
