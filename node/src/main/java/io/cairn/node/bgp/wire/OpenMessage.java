package io.cairn.node.bgp.wire;

import java.util.List;
import java.util.Optional;

/**
 * OPEN (RFC 4271 4.2) with its capabilities (RFC 5492). {@code myAutonomousSystem} is the
 * 2-octet field as sent (AS_TRANS when the real ASN needs 4 octets, RFC 6793 4.1).
 */
public record OpenMessage(int version, int myAutonomousSystem, int holdTime, long bgpIdentifier,
                          List<Capability> capabilities) implements BgpMessage {

    public static final int VERSION = 4;
    /** RFC 6793 section 9. */
    public static final int AS_TRANS = 23456;

    public OpenMessage {
        capabilities = List.copyOf(capabilities);
        if (myAutonomousSystem < 0 || myAutonomousSystem > 0xFFFF) {
            throw new IllegalArgumentException("My Autonomous System is 2 octets: " + myAutonomousSystem);
        }
        if (holdTime < 0 || holdTime > 0xFFFF) {
            throw new IllegalArgumentException("hold time is 2 octets: " + holdTime);
        }
        if (bgpIdentifier < 0 || bgpIdentifier > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("BGP Identifier is 4 octets: " + bgpIdentifier);
        }
    }

    /** An OPEN as Cairn sends it: the 2-octet field is AS_TRANS for ASNs above 65535. */
    public static OpenMessage of(long asn, int holdTime, long bgpIdentifier, List<Capability> capabilities) {
        int twoOctet = asn > 0xFFFF ? AS_TRANS : (int) asn;
        return new OpenMessage(VERSION, twoOctet, holdTime, bgpIdentifier, capabilities);
    }

    @Override
    public int type() {
        return OPEN;
    }

    public <T extends Capability> Optional<T> capability(Class<T> kind) {
        return capabilities.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    public boolean has(Class<? extends Capability> kind) {
        return capabilities.stream().anyMatch(kind::isInstance);
    }

    /** The speaker's real ASN: the 4-octet AS capability if present (RFC 6793 4.1), else the field. */
    public long autonomousSystem() {
        return capability(Capability.FourOctetAs.class)
                .map(Capability.FourOctetAs::asn)
                .orElse((long) myAutonomousSystem);
    }

    /** The address families offered: multiprotocol capabilities, or IPv4 unicast when none (RFC 4760 8). */
    public List<AddressFamily> families() {
        List<AddressFamily> mp = capabilities.stream()
                .filter(Capability.Multiprotocol.class::isInstance)
                .map(c -> ((Capability.Multiprotocol) c).family())
                .toList();
        return mp.isEmpty() && !has(Capability.Multiprotocol.class) ? List.of(AddressFamily.IPV4_UNICAST) : mp;
    }
}
