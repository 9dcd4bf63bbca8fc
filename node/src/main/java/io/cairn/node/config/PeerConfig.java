package io.cairn.node.config;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One NVA this node peers with. Only configured peers are accepted, identified by address.
 *
 * @param holdTime     proposed hold time in seconds: 0 (no keepalives) or 3..65535
 * @param password     TCP MD5 key (RFC 2385), printable ASCII, at most 80 characters; null for none
 * @param maxPrefixes  more accepted prefixes than this closes the session (RFC 4486)
 * @param reflect      whether routes of other NVAs are advertised to this one
 * @param passive      wait for the peer to connect instead of connecting to it
 * @param maxPrefixRestart seconds the session stays down after exceeding {@code maxPrefixes}
 */
public record PeerConfig(String name, InetAddress address, long asn, int holdTime, String password,
                         int maxPrefixes, boolean reflect, boolean passive, int port, int maxPrefixRestart) {

    public static final int DEFAULT_HOLD_TIME = 90;
    /** What cloud route servers allow per NVA; far above any sane NVA, low enough to stop a leak. */
    public static final int DEFAULT_MAX_PREFIXES = 10_000;
    public static final boolean DEFAULT_REFLECT = true;
    public static final boolean DEFAULT_PASSIVE = false;
    public static final int DEFAULT_PORT = 179;
    /** Long enough that a leaking NVA does not flap the session every second. */
    public static final int DEFAULT_MAX_PREFIX_RESTART = 60;

    public PeerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    /** A peer with the default max-prefix restart time. */
    public PeerConfig(String name, InetAddress address, long asn, int holdTime, String password,
                      int maxPrefixes, boolean reflect, boolean passive, int port) {
        this(name, address, asn, holdTime, password, maxPrefixes, reflect, passive, port, DEFAULT_MAX_PREFIX_RESTART);
    }

    /** A peer with every optional setting at its default. */
    public static PeerConfig withDefaults(String name, InetAddress address, long asn) {
        return new PeerConfig(name, address, asn, DEFAULT_HOLD_TIME, null, DEFAULT_MAX_PREFIXES,
                DEFAULT_REFLECT, DEFAULT_PASSIVE, DEFAULT_PORT);
    }

    /** Keeps the password out of logs and exception messages. */
    @Override
    public String toString() {
        return "PeerConfig[name=" + name + ", address=" + IpText.format(address) + ", asn=" + asn
                + ", holdTime=" + holdTime + ", password=" + (password == null ? "none" : "(set)")
                + ", maxPrefixes=" + maxPrefixes + ", reflect=" + reflect + ", passive=" + passive
                + ", port=" + port + ", maxPrefixRestart=" + maxPrefixRestart + "]";
    }
}
