package io.cairn.sdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void anIpv4MappedIpv6PrefixStaysIpv6() {
        IpPrefix p = IpPrefix.parse("::ffff:10.1.0.0/112");

        assertFalse(p.isIpv4());
        assertEquals(112, p.length());
        assertEquals(p, IpPrefix.parse(p.toString()));
    }

    @Test
    void orderIsIpv4FirstThenUnsignedAddressThenShorterFirst() {
        List<String> sorted = List.of("0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.0.0/24", "127.255.255.255/32",
                "128.0.0.0/1", "255.255.255.0/24", "::/0", "2001:db8::/32", "2001:db8:0:0:8000::/65", "ff00::/8");
        List<IpPrefix> expected = sorted.stream().map(IpPrefix::parse).toList();
        List<IpPrefix> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled);
    }

    @Test
    void equalWhenTheSameNetworkWhateverTheHostBits() {
        assertEquals(IpPrefix.parse("10.1.0.0/16"), IpPrefix.parse("10.1.2.3/16"));
        assertEquals(IpPrefix.parse("10.1.0.0/16").hashCode(), IpPrefix.parse("10.1.2.3/16").hashCode());
        assertEquals(0, IpPrefix.parse("2001:db8::/32").compareTo(IpPrefix.parse("2001:db8:ffff::1/32")));
        assertNotEquals(IpPrefix.parse("10.1.0.0/16"), IpPrefix.parse("10.1.0.0/17"));
        assertNotEquals(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0"));
    }
}
