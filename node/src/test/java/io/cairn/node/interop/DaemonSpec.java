package io.cairn.node.interop;

import java.util.List;
import java.util.Objects;

/**
 * What a test wants a BGP daemon to be: identity, where it listens, and whom it peers with.
 * Every session is a single IPv4 TCP session carrying both IPv4 and IPv6 unicast (MP-BGP).
 *
 * @param routerId     BGP identifier (dotted quad)
 * @param localAs      local AS number (may be 4-octet)
 * @param localAddress 127.x address the daemon listens on and connects from
 * @param listenPort   the daemon's own BGP listen port (high port, never 179)
 * @param neighbors    its peers
 */
public record DaemonSpec(String routerId, long localAs, String localAddress, int listenPort,
        List<Neighbor> neighbors) {

    public DaemonSpec {
        Objects.requireNonNull(routerId);
        Objects.requireNonNull(localAddress);
        if (!localAddress.startsWith("127.")) {
            throw new IllegalArgumentException("interop daemons only use 127/8, got " + localAddress);
        }
        neighbors = List.copyOf(neighbors);
    }

    /** A spec whose router id equals its local address (what the tests normally want). */
    public static DaemonSpec of(long localAs, String localAddress, int listenPort, Neighbor... neighbors) {
        return new DaemonSpec(localAddress, localAs, localAddress, listenPort, List.of(neighbors));
    }

    /**
     * One BGP neighbor.
     *
     * @param address     the neighbor's (127.x) address
     * @param port        the neighbor's listen port; used when this daemon connects actively
     * @param peerAs      the neighbor's AS
     * @param passive     true: only wait for the neighbor to connect to our listen port
     * @param md5Password TCP-MD5 (RFC 2385) password, or null
     * @param disableAs4  do not advertise the 4-octet AS capability (RFC 6793) to this neighbor
     * @param routeServer the neighbor is a transparent route server (RFC 7947): the AS_PATH of
     *                    its routes starts with the client that announced them, not with the
     *                    neighbor's AS, so a daemon enforcing "first AS = peer AS" must not
     * @param gracefulRestartTime 0: the daemon's default towards this neighbor; otherwise the daemon
     *                    is graceful-restart capable (RFC 4724) and advertises this restart time
     *                    in seconds. Daemons whose harness cannot do it refuse to start.
     */
    public record Neighbor(String address, int port, long peerAs, boolean passive, String md5Password,
            boolean disableAs4, boolean routeServer, int gracefulRestartTime) {

        public Neighbor {
            if (gracefulRestartTime < 0 || gracefulRestartTime > 4095) { // 12 bits in the capability
                throw new IllegalArgumentException("graceful restart time " + gracefulRestartTime);
            }
        }

        /** A neighbor with the daemon's default graceful-restart behaviour. */
        public Neighbor(String address, int port, long peerAs, boolean passive, String md5Password,
                boolean disableAs4, boolean routeServer) {
            this(address, port, peerAs, passive, md5Password, disableAs4, routeServer, 0);
        }

        public static Neighbor active(String address, int port, long peerAs) {
            return new Neighbor(address, port, peerAs, false, null, false, false);
        }

        public static Neighbor passive(String address, int port, long peerAs) {
            return new Neighbor(address, port, peerAs, true, null, false, false);
        }

        public Neighbor withMd5(String password) {
            return new Neighbor(address, port, peerAs, passive, password, disableAs4, routeServer,
                    gracefulRestartTime);
        }

        public Neighbor withoutAs4() {
            return new Neighbor(address, port, peerAs, passive, md5Password, true, routeServer, gracefulRestartTime);
        }

        /** Marks the neighbor as a transparent route server (see {@code routeServer}). */
        public Neighbor asRouteServer() {
            return new Neighbor(address, port, peerAs, passive, md5Password, disableAs4, true, gracefulRestartTime);
        }

        /** Graceful restart (RFC 4724) on, advertising {@code restartTimeSeconds}. */
        public Neighbor withGracefulRestart(int restartTimeSeconds) {
            if (restartTimeSeconds <= 0) {
                throw new IllegalArgumentException("restart time must be positive: " + restartTimeSeconds);
            }
            return new Neighbor(address, port, peerAs, passive, md5Password, disableAs4, routeServer,
                    restartTimeSeconds);
        }
    }
}
