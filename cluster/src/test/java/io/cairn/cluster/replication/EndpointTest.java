package io.cairn.cluster.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.cluster.membership.Member;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The endpoint a member publishes is one other members can dial. */
class EndpointTest {

    @Test
    void aWildcardListenAddressIsReplacedByTheAdvertisedOne() {
        assertEquals("10.1.0.4:7179", Endpoint.toPublish(new InetSocketAddress("0.0.0.0", 7179), "10.1.0.4").toString());
        assertEquals("[fd00::4]:7179", Endpoint.toPublish(new InetSocketAddress("::", 7179), "[fd00::4]").toString());
        assertEquals("node-a.example:7179",
                Endpoint.toPublish(new InetSocketAddress("0.0.0.0", 7179), "node-a.example").toString());
    }

    @Test
    void aSpecificListenAddressIsPublishedAsItIs() {
        assertEquals("10.1.0.4:7179", Endpoint.toPublish(new InetSocketAddress("10.1.0.4", 7179), null).toString());
    }

    @Test
    void aWildcardWithNothingAdvertisedIsRefusedNamingTheKeys() {
        for (String wildcard : new String[] {"0.0.0.0", "::"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Endpoint.toPublish(new InetSocketAddress(wildcard, 7179), null));
            assertTrue(e.getMessage().startsWith("cluster.replication.listen is the wildcard address"), e.getMessage());
            assertTrue(e.getMessage().contains("set cluster.replication.advertise"), e.getMessage());
        }
    }

    @Test
    void aWildcardAdvertisedAddressIsRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.toPublish(new InetSocketAddress("0.0.0.0", 7179), "[::]"));
        assertTrue(e.getMessage().startsWith("cluster.replication.advertise '[::]': endpoint host :: is a wildcard"),
                e.getMessage());
    }

    @Test
    void aMemberEntryWithAWildcardEndpointCannotBeMade() {
        for (String endpoint : new String[] {"0.0.0.0:7179", "[::]:7179", "[0:0:0:0:0:0:0:0]:7179"}) {
            assertThrows(IllegalArgumentException.class, () -> new Member("a", endpoint), endpoint);
        }
    }
}
