package io.cairn.sdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void anIpv4MappedIpv6PrefixStaysIpv6() {
        IpPrefix p = IpPrefix.parse("::ffff:10.1.0.0/112");

        assertFalse(p.isIpv4());
        assertEquals(112, p.length());
        assertEquals(p, IpPrefix.parse(p.toString()));
    }
}
