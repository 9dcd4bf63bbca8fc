package io.cairn.node.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code GET /api/v1/routes/effective} shows: the routes the SDN holds now, read back from
 * it (not what Cairn meant to write). The SDN issue supplies one per driver; until then, and
 * with {@code sdn: {driver: none}}, {@link #NONE} says that nothing is programmed.
 */
@FunctionalInterface
public interface EffectiveRoutes {

    CompletableFuture<Table> read();

    /**
     * @param driver  the configured driver: none, ovn, linux or file
     * @param epoch   the fencing epoch stored with the routes, or null
     * @param message why the table is empty, when it is for a reason other than no routes; else null
     */
    record Table(String driver, Long epoch, List<Route> routes, String message) {
    }

    record Route(String prefix, List<String> nextHops) {
    }

    EffectiveRoutes NONE = () -> CompletableFuture.completedFuture(new Table("none", null, List.of(),
            "no SDN driver configured (sdn section): this node programs no routes"));

    /** A configured driver whose table this API cannot read back yet: 501, saying so, rather than a guess. */
    static EffectiveRoutes notReadable(String driver) {
        return () -> CompletableFuture.failedFuture(new ApiException(HttpResponseStatus.NOT_IMPLEMENTED,
                "reading the routes back from the " + driver + " driver is not wired into the admin API yet"));
    }
}
