package io.cairn.node.bgp.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** A BGP capability (RFC 5492), carried in the OPEN's optional parameter type 2. */
public sealed interface Capability {

    int MULTIPROTOCOL = 1;
    int ROUTE_REFRESH = 2;
    int EXTENDED_MESSAGE = 6;
    int GRACEFUL_RESTART = 64;
    int FOUR_OCTET_AS = 65;
    int ADD_PATH = 69;
    int ENHANCED_ROUTE_REFRESH = 70;

    int code();

    /** RFC 4760 section 8. */
    record Multiprotocol(AddressFamily family) implements Capability {
        @Override
        public int code() {
            return MULTIPROTOCOL;
        }
    }

    /** RFC 2918 section 2. */
    record RouteRefresh() implements Capability {
        @Override
        public int code() {
            return ROUTE_REFRESH;
        }
    }

    /** RFC 7313 section 3.1. */
    record EnhancedRouteRefresh() implements Capability {
        @Override
        public int code() {
            return ENHANCED_ROUTE_REFRESH;
        }
    }

    /** RFC 8654 section 3: messages up to 65,535 octets, except OPEN and KEEPALIVE. */
    record ExtendedMessage() implements Capability {
        @Override
        public int code() {
            return EXTENDED_MESSAGE;
        }
    }

    /** RFC 6793 section 3. */
    record FourOctetAs(long asn) implements Capability {
        public FourOctetAs {
            if (asn < 0 || asn > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("ASN out of range: " + asn);
            }
        }

        @Override
        public int code() {
            return FOUR_OCTET_AS;
        }
    }

    /**
     * RFC 4724 section 3. {@code restarting} is the R bit, {@code notification} the N bit of
     * RFC 8538; restart time is 12 bits of seconds.
     */
    record GracefulRestart(boolean restarting, boolean notification, int restartTime,
                           List<GracefulRestart.Family> families) implements Capability {
        public GracefulRestart {
            families = List.copyOf(families);
            if (restartTime < 0 || restartTime > 0xFFF) {
                throw new IllegalArgumentException("restart time is 12 bits: " + restartTime);
            }
        }

        /** One AFI/SAFI and its Forwarding State bit. */
        public record Family(AddressFamily family, boolean forwardingPreserved) {
        }

        @Override
        public int code() {
            return GRACEFUL_RESTART;
        }
    }

    /** RFC 7911 section 4. Cairn parses it and never agrees to it (no path identifiers yet). */
    record AddPath(List<AddPath.Entry> entries) implements Capability {
        public AddPath {
            entries = List.copyOf(entries);
        }

        /** Send/Receive field: 1 receive, 2 send, 3 both. */
        public record Entry(AddressFamily family, int sendReceive) {
        }

        @Override
        public int code() {
            return ADD_PATH;
        }
    }

    /** A capability Cairn does not know; kept so it can be logged, never sent. */
    record Unknown(int code, byte[] value) implements Capability {
        public Unknown {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.code == code && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * code + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Unknown[code=" + code + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }
}
