package io.cairn.node.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ExaBGP 4.2 driven entirely through its process API. A helper script (api.py, written to the
 * temp dir) is ExaBGP's API process: it forwards every line appended to {@code commands.txt} to
 * ExaBGP (its stdout) and appends every JSON message ExaBGP sends it (its stdin: neighbor state
 * changes and parsed UPDATEs) to {@code received.jsonl}. The harness therefore never needs
 * ExaBGP's CLI named pipes (disabled with exabgp.api.cli=false).
 *
 * <p>Environment, not /etc: {@code exabgp.tcp.bind/port} (listen address and port; ExaBGP
 * listens there even for active neighbors), {@code exabgp.daemon.drop=false} (as root it would
 * otherwise switch to user 'exabgp', which cannot write the temp dir), log to stdout.
 *
 * <p>ExaBGP sends the AS_PATH exactly as given, without its own AS even on eBGP; to keep the
 * {@link Route} contract ("receiver sees localAs + asPath") the harness prepends the local AS
 * per eBGP neighbor. 4-octet AS off: {@code capability { asn4 disable; }}.
 */
public final class ExabgpDaemon extends AbstractDaemon {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String HELPER = """
            # ExaBGP API process for the Cairn interop harness (see ExabgpDaemon.java).
            import os, sys, threading, time
            d = sys.argv[1]
            def pump_in():
                with open(os.path.join(d, 'received.jsonl'), 'a') as out:
                    for line in sys.stdin:
                        out.write(line)
                        out.flush()
                os._exit(0)  # ExaBGP went away: do not linger as an orphan
            threading.Thread(target=pump_in, daemon=True).start()
            pos = 0
            while True:
                with open(os.path.join(d, 'commands.txt')) as f:
                    f.seek(pos)
                    for line in iter(f.readline, ''):
                        if not line.endswith('\\n'):
                            break  # partial line: re-read it when complete
                        pos = f.tell()
                        sys.stdout.write(line)
                        sys.stdout.flush()
                time.sleep(0.05)
            """;

    private final Path commands;
    private final Path received;

    public ExabgpDaemon(DaemonSpec spec) {
        super(spec, "exabgp");
        requireNoGracefulRestart();
        String exabgp = Tools.requireBinary("exabgp").toString();
        Path sysPython = Path.of("/usr/bin/python3");
        String python = Files.isExecutable(sysPython) ? sysPython.toString() : Tools.requireBinary("python3").toString();
        this.commands = dir.resolve("commands.txt");
        this.received = dir.resolve("received.jsonl");
        boot(() -> {
            writeFile("api.py", HELPER);
            writeFile("commands.txt", "");
            writeFile("received.jsonl", "");
            writeFile("exabgp.conf", config(python));
            Map<String, String> env = new HashMap<>();
            env.put("exabgp_tcp_bind", spec.localAddress());
            env.put("exabgp_tcp_port", String.valueOf(spec.listenPort()));
            env.put("exabgp_daemon_daemonize", "false");
            env.put("exabgp_daemon_drop", "false");
            // exabgp.daemon.pid and a log file path both made 4.2.21 exit (silently / "no right to
            // write") in a fresh temp dir; the Process object is the pid, stdout is the log.
            env.put("exabgp_log_destination", "stdout");
            // every message in and out, so a failing test shows which side lost a route
            env.put("exabgp_log_level", "DEBUG");
            env.put("exabgp_log_packets", "true");
            env.put("exabgp_api_cli", "false");
            env.put("exabgp_api_ack", "false");  // no "done" lines: the helper does not read acks
            env.put("exabgp_api_encoder", "json");
            startProcess(List.of(exabgp, dir.resolve("exabgp.conf").toString()), env);
        });
    }

    @Override
    public String name() {
        return "exabgp";
    }

    private String config(String python) {
        StringBuilder c = new StringBuilder();
        c.append("process cairn-api {\n  run ").append(python).append(' ').append(dir.resolve("api.py"))
                .append(' ').append(dir).append(";\n  encoder json;\n}\n");
        for (DaemonSpec.Neighbor n : spec.neighbors()) {
            c.append("neighbor ").append(n.address()).append(" {\n");
            c.append("  router-id ").append(spec.routerId()).append(";\n");
            c.append("  local-address ").append(spec.localAddress()).append(";\n");
            c.append("  local-as ").append(spec.localAs()).append(";\n");
            c.append("  peer-as ").append(n.peerAs()).append(";\n");
            c.append("  connect ").append(n.port()).append(";\n"); // the neighbor's port
            if (n.passive()) {
                c.append("  passive true;\n");
            }
            if (n.md5Password() != null) {
                c.append("  md5-password \"").append(n.md5Password()).append("\";\n");
            }
            if (n.disableAs4()) {
                c.append("  capability { asn4 disable; }\n");
            }
            c.append("  family { ipv4 unicast; ipv6 unicast; }\n");
            c.append("  api {\n    processes [ cairn-api ];\n    neighbor-changes;\n");
            // packets: every raw message too (hex "body"), for wireAsPath
            c.append("    receive { parsed; packets; update; }\n  }\n}\n");
        }
        return c.toString();
    }

    private synchronized void send(String line) {
        checkAlive();
        try {
            Files.writeString(commands, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One command per neighbor, because the AS_PATH we send depends on eBGP vs iBGP. */
    @Override
    public void announce(Route route) {
        for (DaemonSpec.Neighbor n : spec.neighbors()) {
            List<Long> path = new ArrayList<>(route.asPath());
            if (n.peerAs() != spec.localAs()) {
                path.add(0, spec.localAs());
            }
            StringBuilder cmd = new StringBuilder("neighbor ").append(n.address()).append(" announce route ")
                    .append(route.prefix()).append(" next-hop ")
                    .append(route.nextHop() != null ? route.nextHop() : "self").append(" origin igp");
            cmd.append(" as-path [ ");
            path.forEach(as -> cmd.append(as).append(' '));
            cmd.append(']');
            if (route.med() != null) {
                cmd.append(" med ").append(route.med());
            }
            list(cmd, "community", route.communities());
            List<String> ext = new ArrayList<>();
            for (String e : route.extCommunities()) {  // rt:a:b -> target:a:b, soo:a:b -> origin:a:b
                ext.add(e.replaceFirst("^rt:", "target:").replaceFirst("^soo:", "origin:"));
            }
            list(cmd, "extended-community", ext);
            list(cmd, "large-community", route.largeCommunities());
            send(cmd.toString());
        }
    }

    private static void list(StringBuilder cmd, String keyword, List<String> values) {
        if (!values.isEmpty()) {
            cmd.append(' ').append(keyword).append(" [ ").append(String.join(" ", values)).append(" ]");
        }
    }

    @Override
    public void withdraw(String prefix) {
        for (DaemonSpec.Neighbor n : spec.neighbors()) {
            send("neighbor " + n.address() + " withdraw route " + prefix);
        }
    }

    private List<JsonNode> messages() {
        List<JsonNode> result = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(received, StandardCharsets.UTF_8)) {
                if (line.startsWith("{")) {
                    try {
                        result.add(JSON.readTree(line));
                    } catch (IOException e) {
                        // the last line may still be being written; it is complete next poll
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    @Override
    public boolean isEstablished(String neighborAddress) {
        String state = "";
        for (JsonNode m : messages()) {
            JsonNode n = m.path("neighbor");
            if ("state".equals(m.path("type").asText())
                    && neighborAddress.equals(n.path("address").path("peer").asText())) {
                state = n.path("state").asText();
            }
        }
        return "up".equals(state);
    }

    /**
     * Folds the received JSON messages into the current Adj-RIB-In: an announce replaces the
     * (neighbor, prefix) entry, a withdraw removes it, a session going down clears the neighbor.
     */
    @Override
    public List<LearnedRoute> routes() {
        Map<String, LearnedRoute> rib = new LinkedHashMap<>();
        for (JsonNode m : messages()) {
            JsonNode n = m.path("neighbor");
            String peer = n.path("address").path("peer").asText();
            if ("state".equals(m.path("type").asText()) && !"up".equals(n.path("state").asText())) {
                rib.keySet().removeIf(k -> k.startsWith(peer + " "));
            }
            JsonNode update = n.path("message").path("update");
            update.path("withdraw").forEach(nlris -> nlris.forEach(
                    x -> rib.remove(peer + " " + x.path("nlri").asText())));
            JsonNode attrs = update.path("attribute");
            update.path("announce").forEach(byNextHop -> byNextHop.fields().forEachRemaining(e -> {
                for (JsonNode x : e.getValue()) {
                    String prefix = x.path("nlri").asText();
                    rib.put(peer + " " + prefix, toRoute(prefix, e.getKey(), attrs, peer));
                }
            }));
        }
        return new ArrayList<>(rib.values());
    }

    /**
     * The AS_PATH of the last UPDATE announcing {@code prefix}, decoded from the raw UPDATE
     * ("body" hex) exactly as it was on the wire, before ExaBGP rebuilt it from AS4_PATH: ASNs
     * are 2 octets on a session without the 4-octet AS capability, else 4.
     */
    public Optional<List<Long>> wireAsPath(String prefix) {
        Map<String, String> lastRaw = new HashMap<>();
        List<Long> found = null;
        for (JsonNode m : messages()) {
            JsonNode message = m.path("neighbor").path("message");
            String peer = m.path("neighbor").path("address").path("peer").asText();
            // "packets" arrive as their own message ({category, header, body}) just before the
            // parsed one, so the parsed UPDATE belongs to the last raw UPDATE of that peer
            if (message.path("category").asInt() == 2 && message.has("body")) {
                lastRaw.put(peer, message.path("body").asText());
                continue;
            }
            boolean announces = false;
            for (JsonNode byNextHop : message.path("update").path("announce")) {
                for (JsonNode nlris : byNextHop) {
                    for (JsonNode x : nlris) {
                        announces |= prefix.equals(x.path("nlri").asText());
                    }
                }
            }
            if (announces && lastRaw.containsKey(peer)) {
                boolean as4 = spec.neighbors().stream().noneMatch(n -> n.address().equals(peer) && n.disableAs4());
                found = asPathOf(HexFormat.of().parseHex(lastRaw.get(peer).replaceFirst("^0x", "")), as4 ? 4 : 2);
            }
        }
        return Optional.ofNullable(found);
    }

    /** RFC 4271 4.3: withdrawn routes, then path attributes; AS_PATH is type 2. */
    private static List<Long> asPathOf(byte[] update, int asnOctets) {
        ByteBuffer b = ByteBuffer.wrap(update);
        b.position(2 + Short.toUnsignedInt(b.getShort()));
        int end = Short.toUnsignedInt(b.getShort()) + b.position();
        List<Long> path = new ArrayList<>();
        while (b.position() < end) {
            int flags = Byte.toUnsignedInt(b.get());
            int type = Byte.toUnsignedInt(b.get());
            int length = (flags & 0x10) != 0 ? Short.toUnsignedInt(b.getShort()) : Byte.toUnsignedInt(b.get());
            int next = b.position() + length;
            if (type == 2) {
                while (b.position() < next) {
                    b.get(); // segment type
                    int count = Byte.toUnsignedInt(b.get());
                    for (int i = 0; i < count; i++) {
                        path.add(asnOctets == 2 ? (long) Short.toUnsignedInt(b.getShort())
                                : Integer.toUnsignedLong(b.getInt()));
                    }
                }
            }
            b.position(next);
        }
        return path;
    }

    private static LearnedRoute toRoute(String prefix, String nextHop, JsonNode attrs, String peer) {
        List<Long> asPath = new ArrayList<>();
        attrs.path("as-path").forEach(as -> {
            if (as.isNumber()) {
                asPath.add(as.asLong());
            }
        });
        List<String> communities = new ArrayList<>();
        attrs.path("community").forEach(c -> communities.add(c.path(0).asLong() + ":" + c.path(1).asLong()));
        List<String> ext = new ArrayList<>();
        attrs.path("extended-community").forEach(c -> ext.add(c.path("string").asText()
                .replaceFirst("^target:", "rt:").replaceFirst("^origin:", "soo:")));
        List<String> large = new ArrayList<>();
        attrs.path("large-community").forEach(c -> large.add(
                c.path(0).asLong() + ":" + c.path(1).asLong() + ":" + c.path(2).asLong()));
        Long med = attrs.has("med") ? attrs.get("med").asLong() : null;
        return new LearnedRoute(prefix, nextHop, asPath, med, communities, ext, large, peer);
    }
}
