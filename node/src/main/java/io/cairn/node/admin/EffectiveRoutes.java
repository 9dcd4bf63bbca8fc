package io.cairn.node.admin;

import io.cairn.sdn.Reconciler;
import io.cairn.sdn.SdnHealth;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code GET /api/v1/routes/effective} shows: the routes the SDN holds now, read back from
 * it (not what Cairn meant to write). With {@code sdn: {driver: none}}, {@link #NONE} says that
 * nothing is programmed.
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

    /**
     * The table read back from the configured driver, with the epoch this node writes with (0 in
     * standby). An SDN that cannot be read is a 503 naming the driver and the reason, never an
     * empty table that would look like "nothing programmed".
     */
    static EffectiveRoutes readBack(Reconciler sdn) {
        return () -> {
            SdnHealth health = sdn.health();
            return sdn.readBack().handle((table, failure) -> {
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "cannot read the routes back from the " + health.driver() + " SDN: " + cause.getMessage());
                }
                List<Route> routes = new ArrayList<>();
                table.routes().forEach((prefix, hops) -> routes.add(new Route(prefix.toString(),
                        hops.stream().map(InetAddress::getHostAddress).sorted().toList())));
                return new Table(health.driver(), health.epoch(), routes, null);
            });
        };
    }
}
