package io.cairn.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.sdn.SdnConfig;
import io.cairn.sdn.SdnConfig.Driver;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code sdn} section, both ways: reads and validates it into an {@link SdnConfig}, and
 * writes one back. Only the chosen driver's sub-section may be present, so a leftover
 * {@code linux:} block under {@code driver: file} is an error rather than silently ignored.
 * The ovn remote and TLS files are checked for syntax only; reaching them is the driver's job.
 */
final class SdnSection {

    static final List<String> KEYS = List.of("driver", "owner", "file", "linux", "ovn");
    static final List<String> FILE_KEYS = List.of("path");
    static final List<String> LINUX_KEYS = List.of("table", "netns", "protocol");
    static final List<String> OVN_KEYS = List.of("remote", "router", "private-key", "certificate", "ca-cert");

    /** rtnetlink protocols 0..4: unspec, redirect, kernel, boot, static. */
    private static final int FIRST_FREE_PROTOCOL = 5;
    private static final long LOCAL_TABLE = 255;
    /** A name under /var/run/netns, as ip netns add takes it; no path separators. */
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

    private final Problems problems;

    SdnSection(Problems problems) {
        this.problems = problems;
    }

    /** The section's config, or null after reporting its problems. */
    SdnConfig read(Mapping m) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        Driver driver = m.optional("driver", SdnSection::driver, Driver.NONE);
        if (driver == null) {
            return null;
        }
        for (Driver other : Driver.values()) {
            if (other != driver && other != Driver.NONE && m.isSet(other.key())) {
                problems.add(m.pathOf(other.key()), "given, but sdn.driver is " + driver.key()
                        + "; remove it, or set driver: " + other.key());
            }
        }
        String owner = m.optional("owner", SdnSection::owner, SdnConfig.OvnSettings.DEFAULT_OWNER);
        if (m.isSet("owner") && driver != Driver.OVN) {
            problems.add(m.pathOf("owner"), "only the ovn driver tags its rows with an owner; the linux driver owns"
                    + " the routes of its protocol number (sdn.linux.protocol), the file driver its whole file");
        }
        if (driver != Driver.NONE && !m.isSet(driver.key())) {
            problems.add(m.pathOf(driver.key()), "required when sdn.driver is " + driver.key());
            return null;
        }
        SdnConfig config;
        switch (driver) {
            case FILE:
                config = file(m.section("file", true, FILE_KEYS));
                break;
            case LINUX:
                config = linux(m.section("linux", true, LINUX_KEYS));
                break;
            case OVN:
                config = ovn(m.section("ovn", true, OVN_KEYS), owner);
                break;
            default:
                config = SdnConfig.NONE;
        }
        return problems.noneSince(mark) ? config : null;
    }

    private SdnConfig file(Mapping m) {
        if (m == null) {
            return null;
        }
        Path path = m.required("path", Values::path);
        return path == null ? null : SdnConfig.file(path);
    }

    private SdnConfig linux(Mapping m) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        Long table = m.required("table", SdnSection::table);
        String netns = m.optional("netns", SdnSection::netns, null);
        Integer protocol = m.optional("protocol", SdnSection::protocol, SdnConfig.LinuxSettings.DEFAULT_PROTOCOL);
        return problems.noneSince(mark) ? SdnConfig.linux(new SdnConfig.LinuxSettings(table, netns, protocol)) : null;
    }

    private SdnConfig ovn(Mapping m, String owner) {
        if (m == null) {
            return null;
        }
        int mark = problems.mark();
        String remote = m.required("remote", SdnSection::ovnRemote);
        String router = m.required("router", SdnSection::router);
        Path key = m.optional("private-key", Values::path, null);
        Path certificate = m.optional("certificate", Values::path, null);
        Path caCert = m.optional("ca-cert", Values::path, null);
        if (remote != null) {
            boolean ssl = remote.startsWith("ssl:");
            for (String tlsKey : List.of("private-key", "certificate", "ca-cert")) {
                if (ssl && !m.isSet(tlsKey)) {
                    problems.add(m.pathOf(tlsKey), "required for an ssl: remote");
                } else if (!ssl && m.isSet(tlsKey)) {
                    problems.add(m.pathOf(tlsKey), "only for an ssl: remote, and " + remote + " is not one");
                }
            }
        }
        return problems.noneSince(mark) && owner != null
                ? SdnConfig.ovn(new SdnConfig.OvnSettings(remote, router, key, certificate, caCert, owner))
                : null;
    }

    static Driver driver(JsonNode v) throws Values.Invalid {
        String s = Values.string(v);
        for (Driver d : Driver.values()) {
            if (d.key().equals(s)) {
                return d;
            }
        }
        throw new Values.Invalid("'" + s + "' is not a driver; use one of "
                + String.join(", ", Arrays.stream(Driver.values()).map(Driver::key).toList()));
    }

    static String owner(JsonNode v) throws Values.Invalid {
        String s = Values.string(v);
        if (!SdnConfig.OvnSettings.OWNER.matcher(s).matches()) {
            throw new Values.Invalid("'" + s + "' is not an owner tag: use 1 to 64 letters, digits, '.', '_' or '-'"
                    + " (default " + SdnConfig.OvnSettings.DEFAULT_OWNER + ")");
        }
        return s;
    }

    static long table(JsonNode v) throws Values.Invalid {
        long t = Values.integer(1, 0xFFFF_FFFFL).read(v);
        if (t == LOCAL_TABLE) {
            throw new Values.Invalid("255 is the kernel's local table (this host's own addresses); use another");
        }
        return t;
    }

    static String netns(JsonNode v) throws Values.Invalid {
        String s = Values.string(v);
        if (!NETNS.matcher(s).matches()) {
            throw new Values.Invalid("'" + s + "' is not a network namespace name (as in ip netns add NAME): use"
                    + " letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return s;
    }

    static int protocol(JsonNode v) throws Values.Invalid {
        int p = Values.intInRange(0, 255).read(v);
        if (p < FIRST_FREE_PROTOCOL) {
            throw new Values.Invalid(p + " is one of the kernel's own protocols (0 unspec, 1 redirect, 2 kernel,"
                    + " 3 boot, 4 static): Cairn would take the system's or the operator's routes for its own;"
                    + " use 5..255 (default " + SdnConfig.LinuxSettings.DEFAULT_PROTOCOL + ")");
        }
        return p;
    }

    /** tcp:HOST:PORT, ssl:HOST:PORT (IPv6 in brackets) or unix:PATH, as ovn-nbctl --db takes them. */
    static String ovnRemote(JsonNode v) throws Values.Invalid {
        String s = Values.string(v);
        String usage = "'" + s + "' is not an OVSDB remote; write tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH";
        int colon = s.indexOf(':');
        String scheme = colon < 0 ? "" : s.substring(0, colon);
        String rest = s.substring(colon + 1);
        if (scheme.equals("unix")) {
            if (rest.isEmpty()) {
                throw new Values.Invalid(usage + " (the socket path is missing)");
            }
            return s;
        }
        if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
            throw new Values.Invalid(usage);
        }
        int portColon = rest.lastIndexOf(':');
        String host = portColon < 0 ? "" : rest.substring(0, portColon);
        String port = portColon < 0 ? "" : rest.substring(portColon + 1);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        boolean hostOk = bracketed ? IpText.parse(host.substring(1, host.length() - 1)) != null
                : HOST.matcher(host).matches();
        if (!hostOk) {
            throw new Values.Invalid(usage + " ('" + host + "' is not a host; IPv6 goes in brackets)");
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new Values.Invalid(usage + " (port '" + port + "' is not a number in 1..65535)");
        }
        return s;
    }

    static String router(JsonNode v) throws Values.Invalid {
        String s = Values.string(v);
        if (s.isBlank()) {
            throw new Values.Invalid("must not be empty");
        }
        return s;
    }

    /** The section as the effective config prints it: every default filled in. */
    static void write(ObjectNode sdn, SdnConfig config) {
        sdn.put("driver", config.driver().key());
        switch (config.driver()) {
            case FILE:
                sdn.putObject("file").put("path", config.file().path().toString());
                break;
            case LINUX:
                SdnConfig.LinuxSettings l = config.linux();
                sdn.putObject("linux").put("table", l.table()).put("netns", l.netns()).put("protocol", l.protocol());
                break;
            case OVN:
                SdnConfig.OvnSettings o = config.ovn();
                sdn.put("owner", o.owner());
                sdn.putObject("ovn").put("remote", o.remote()).put("router", o.router())
                        .put("private-key", text(o.privateKey())).put("certificate", text(o.certificate()))
                        .put("ca-cert", text(o.caCert()));
                break;
            default:
                break;
        }
    }

    private static String text(Path p) {
        return p == null ? null : p.toString();
    }
}
