package io.cairn.node.admin;

import static io.cairn.node.admin.RunningNode.WAIT;
import static io.cairn.node.admin.RunningNode.announce;
import static io.cairn.node.admin.RunningNode.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.testsupport.Await;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/routes/digest}: counts and hashes that follow every change of a path's
 * attributes or of the best path, and come back to the same value with the same routes.
 */
class RouteDigestTest {

    @TempDir
    Path dir;

    @Test
    void theDigestFollowsTheRoutesAndNothingElse() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001), peer("firewall", 3, 65002));
             RawPeer sdwan = n.establish(2, 65001);
             RawPeer firewall = n.establish(3, 65002)) {
            Http http = new Http(n.admin());
            JsonNode empty = http.get("/api/v1/routes/digest").json();
            assertEquals(0, empty.path("adj_rib_in").path("count").asLong(), empty.toString());
            assertEquals(1, empty.path("loc_rib").path("count").asLong(), "the VNet prefix: " + empty);

            sdwan.send(announce(65001, 2, "10.250.0.0/16"));
            JsonNode one = await(n, 1);
            firewall.send(announce(65002, 3, "10.250.0.0/16"));
            JsonNode two = await(n, 2);
            assertEquals(one.path("loc_rib").path("count"), two.path("loc_rib").path("count"));
            assertNotEquals(one.path("loc_rib").path("hash"), two.path("loc_rib").path("hash"), "a second ECMP next hop");

            firewall.send(new UpdateMessage(List.of(Prefix.parse("10.250.0.0/16")), List.of(), List.of()));
            assertEquals(one, await(n, 1), "the same routes again, the same digest");
            sdwan.send(announce(65001, 4, "10.250.0.0/16"));
            Await.until("the new next hop in the digest", WAIT,
                    () -> !digest(n).path("adj_rib_in").path("hash").equals(one.path("adj_rib_in").path("hash")));
        }
    }

    private static JsonNode await(RunningNode n, long paths) {
        Await.until(paths + " paths in the digest", WAIT, () -> digest(n).path("adj_rib_in").path("count").asLong() == paths);
        return digest(n);
    }

    private static JsonNode digest(RunningNode n) {
        try {
            return new Http(n.admin()).get("/api/v1/routes/digest").json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
