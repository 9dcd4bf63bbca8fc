package io.cairn.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.cluster.replication.Endpoint;
import io.cairn.node.bgp.wire.Prefix;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readers for the scalar values of the config. Each turns a YAML node into a typed value or
 * throws {@link Invalid} whose message is what the operator reads after the key path.
 * Types are strict (a quoted "65001" is not an AS) so a typo never changes meaning silently.
 */
final class Values {

    private Values() {
    }

    /** A value that cannot be used; the message completes "key.path: ". */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(JsonNode value) throws Invalid;
    }

    /** BGP AS numbers are 4 octets (RFC 6793); 0 is reserved (RFC 7607). */
    static final long MAX_ASN = 0xFFFF_FFFFL;
    /** RFC 6793 AS_TRANS: stands in for a 4-octet AS on 2-octet sessions, never a real AS. */
    static final long AS_TRANS = 23456;
    /** Linux TCP_MD5SIG_MAXKEYLEN; the kernel refuses longer keys. */
    static final int MAX_PASSWORD_LENGTH = 80;

    /** Names end up in URLs, CLI arguments and JMX object names; keep them plain. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,12})(ms|s|m|h)");
    /** A DNS name or IPv4 literal, or a bracketed IPv6 literal, then the port. */
    private static final Pattern ZK_SERVER = Pattern.compile("(?:[A-Za-z0-9][A-Za-z0-9.-]*|\\[[0-9A-Fa-f:.]+])"
            + ":([0-9]{1,5})");

    static String string(JsonNode v) throws Invalid {
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isValueNode()) {
            throw new Invalid("must be a string, not " + describe(v) + "; quote it: \"" + v.asText() + "\"");
        }
        throw new Invalid("must be a string, not " + describe(v));
    }

    /** A node id or peer name. */
    static String name(JsonNode v) throws Invalid {
        String s = string(v);
        if (s.isEmpty()) {
            throw new Invalid("must not be empty");
        }
        if (!NAME.matcher(s).matches()) {
            throw new Invalid("'" + s + "' is not a valid name: use up to 63 letters, digits, '.', '_' or '-',"
                    + " starting with a letter or digit");
        }
        return s;
    }

    static Reader<Long> integer(long min, long max) {
        return v -> {
            if (!v.isIntegralNumber()) {
                throw new Invalid("must be an integer, not " + describe(v));
            }
            BigInteger n = v.bigIntegerValue();
            if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
                throw new Invalid(n + " is out of range " + min + ".." + max);
            }
            return n.longValueExact();
        };
    }

    static Reader<Integer> intInRange(int min, int max) {
        Reader<Long> r = integer(min, max);
        return v -> r.read(v).intValue();
    }

    static long asn(JsonNode v) throws Invalid {
        long asn = integer(1, MAX_ASN).read(v);
        if (asn == AS_TRANS) {
            throw new Invalid("23456 is AS_TRANS (RFC 6793), a placeholder for 4-octet ASes, never a real AS");
        }
        return asn;
    }

    /** RFC 4271 4.2: the hold time is zero or at least three seconds. */
    static int holdTime(JsonNode v) throws Invalid {
        int t = intInRange(0, 65535).read(v);
        if (t == 1 || t == 2) {
            throw new Invalid(t + " is not allowed: use 0 (no keepalives) or 3..65535 (RFC 4271 4.2)");
        }
        return t;
    }

    static int port(JsonNode v) throws Invalid {
        return intInRange(1, 65535).read(v);
    }

    static boolean bool(JsonNode v) throws Invalid {
        if (!v.isBoolean()) {
            throw new Invalid("must be true or false, not " + describe(v));
        }
        return v.booleanValue();
    }

    static InetAddress ipLiteral(String text) throws Invalid {
        InetAddress a = IpText.parse(text);
        if (a == null) {
            throw new Invalid("'" + text + "' is not an IP address (names are not resolved)");
        }
        return a;
    }

    /** A peer's address: an IP literal that can be the far end of a TCP connection. */
    static InetAddress peerAddress(JsonNode v) throws Invalid {
        return unicast(v, "a peer");
    }

    /** A next hop: an IP literal that workloads can forward to. */
    static InetAddress nextHop(JsonNode v) throws Invalid {
        return unicast(v, "a next hop");
    }

    /** An IPv6 next hop, for the IPv6 VNet prefixes. */
    static InetAddress nextHopV6(JsonNode v) throws Invalid {
        InetAddress a = nextHop(v);
        if (!(a instanceof java.net.Inet6Address)) {
            throw new Invalid(IpText.format(a) + " is not an IPv6 address");
        }
        return a;
    }

    private static InetAddress unicast(JsonNode v, String role) throws Invalid {
        InetAddress a = ipLiteral(string(v));
        if (a.isAnyLocalAddress()) {
            throw new Invalid(IpText.format(a) + " is the unspecified address, not " + role);
        }
        if (a.isMulticastAddress()) {
            throw new Invalid(IpText.format(a) + " is a multicast address, not " + role);
        }
        return a;
    }

    /** A BGP identifier: a non-zero 32-bit number written as an IPv4 address (RFC 6286). */
    static Inet4Address routerId(JsonNode v) throws Invalid {
        String s = string(v);
        if (!(IpText.parse(s) instanceof Inet4Address a)) {
            throw new Invalid("'" + s + "' is not an IPv4 address (a BGP identifier is 32 bits)");
        }
        if (a.isAnyLocalAddress()) {
            throw new Invalid("0.0.0.0 is not a valid BGP identifier (RFC 6286: must be non-zero)");
        }
        return a;
    }

    /** "host:port" with an IP literal host; IPv6 in brackets, e.g. "[::]:179". */
    static InetSocketAddress listen(JsonNode v) throws Invalid {
        String s = string(v);
        int colon = s.lastIndexOf(':');
        if (colon < 0) {
            throw new Invalid("'" + s + "' has no port; write host:port, e.g. 0.0.0.0:179 or [::]:179");
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new Invalid("'" + s + "': put an IPv6 address in brackets, e.g. [::]:179");
        }
        InetAddress address = ipLiteral(host);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new Invalid("'" + s + "': port '" + port + "' is not a number in 1..65535");
        }
        return new InetSocketAddress(address, Integer.parseInt(port));
    }

    static Prefix prefix(JsonNode v) throws Invalid {
        String s = string(v);
        int slash = s.indexOf('/');
        // Prefix.parse hands the address to InetAddress.getByName; make sure that never means DNS.
        if (slash >= 0 && IpText.parse(s.substring(0, slash)) == null) {
            throw new Invalid("'" + s + "' is not a prefix: '" + s.substring(0, slash) + "' is not an IP address");
        }
        try {
            return Prefix.parse(s);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    /** A TCP MD5 key. Never echoed in messages: the config may be shared, the key must not. */
    static String password(JsonNode v) throws Invalid {
        String s = string(v);
        if (s.isEmpty()) {
            throw new Invalid("must not be empty; use null (or leave it out) for no password");
        }
        if (s.length() > MAX_PASSWORD_LENGTH) {
            throw new Invalid("is " + s.length() + " characters long; TCP MD5 keys have at most "
                    + MAX_PASSWORD_LENGTH + " (Linux TCP_MD5SIG_MAXKEYLEN)");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                // Peers (and our session code) take the key as ASCII bytes; anything else would
                // silently become a different key than the NVA's.
                throw new Invalid("must be printable ASCII; character " + (i + 1) + " is not");
            }
        }
        return s;
    }

    static Path path(JsonNode v) throws Invalid {
        String s = string(v);
        if (s.isEmpty()) {
            throw new Invalid("must not be empty");
        }
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new Invalid("'" + s + "' is not a valid path: " + e.getReason());
        }
    }

    /** A duration such as "500ms", "6s", "2m" or "1h", within {@code min..max}. */
    static Reader<Duration> duration(Duration min, Duration max) {
        return v -> {
            if (v.isNumber()) {
                throw new Invalid(v.asText() + " has no unit; write e.g. " + v.asText() + "s (units: ms, s, m, h)");
            }
            String s = string(v);
            Matcher m = DURATION.matcher(s);
            if (!m.matches()) {
                throw new Invalid("'" + s + "' is not a duration; write a whole number with a unit: ms, s, m or h,"
                        + " e.g. 6s");
            }
            Duration d;
            try {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new Invalid("'" + s + "' is too long a duration");
            }
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new Invalid("'" + s + "' is out of range " + formatDuration(min) + ".." + formatDuration(max));
            }
            return d;
        };
    }

    /** A duration in the largest unit that shows it exactly, as {@link #duration} reads it. */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * A ZooKeeper connect string: "host:port" entries separated by commas, then optionally a
     * chroot path. Host names are allowed here: the ZooKeeper client resolves them itself.
     */
    /** A host other members can dial: a name or an address (IPv6 with or without brackets), not a wildcard. */
    static String advertise(JsonNode v) throws Invalid {
        String s = string(v).trim();
        try {
            Endpoint.toPublish(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), s);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
        }
        return s;
    }

    static String zookeeper(JsonNode v) throws Invalid {
        String s = string(v);
        int slash = s.indexOf('/');
        String hosts = slash < 0 ? s : s.substring(0, slash);
        if (slash >= 0 && (s.endsWith("/") || s.contains("//"))) {
            throw new Invalid("'" + s + "': the chroot '" + s.substring(slash) + "' must not end in '/' or hold '//'");
        }
        if (hosts.isEmpty()) {
            throw new Invalid("'" + s + "' names no server; write host:port[,host:port...], e.g. zk1:2181,zk2:2181");
        }
        for (String server : hosts.split(",", -1)) {
            Matcher m = ZK_SERVER.matcher(server);
            if (!m.matches()) {
                throw new Invalid("'" + s + "': '" + server + "' is not host:port (IPv6 in brackets), e.g. zk1:2181");
            }
            int port = Integer.parseInt(m.group(1));
            if (port < 1 || port > 65535) {
                throw new Invalid("'" + s + "': port " + port + " of '" + server + "' is not in 1..65535");
            }
        }
        return s;
    }

    /** How a value reads in a message: "'text'", "65001", "true", "a list", "a mapping". */
    static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "'" + v.textValue() + "'";
        }
        if (v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isObject()) {
            return "a mapping";
        }
        return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
