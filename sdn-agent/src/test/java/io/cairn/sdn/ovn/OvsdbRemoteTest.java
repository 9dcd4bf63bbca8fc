package io.cairn.sdn.ovn;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OvsdbRemoteTest {

    @Test
    void parsesTheThreeKindsAndPrintsThemBack() {
        OvsdbRemote tcp = OvsdbRemote.parse("tcp:10.1.0.10:6641");
        assertEquals(new OvsdbRemote(OvsdbRemote.Kind.TCP, "10.1.0.10", 6641, null), tcp);
        OvsdbRemote v6 = OvsdbRemote.parse("ssl:[fd00::10]:6641");
        assertEquals("fd00::10", v6.host());
        assertEquals("ssl:[fd00::10]:6641", v6.toString());
        assertEquals(Path.of("/run/ovn/ovnnb_db.sock"), OvsdbRemote.parse("unix:/run/ovn/ovnnb_db.sock").path());
        assertEquals("tcp:10.1.0.10:6641", tcp.toString());
    }

    @Test
    void badRemotesSayWhatIsExpected() {
        for (String bad : new String[] {"10.1.0.10:6641", "tcp:10.1.0.10", "tcp:10.1.0.10:0", "ssl::6641", "unix:",
                "tcp:host:http", "ptcp:6641"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OvsdbRemote.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
