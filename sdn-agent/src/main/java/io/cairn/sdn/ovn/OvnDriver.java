package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnDriver;
import io.cairn.sdn.SdnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Programs Cairn's routes into the OVN northbound database over OVSDB JSON-RPC (RFC 7047):
 * each route is a Logical_Router_Static_Route row on the configured Logical_Router, tagged
 * external_ids:cairn-owner=OWNER; ECMP is several rows for one prefix, as ovn-nbctl --ecmp
 * makes them. Rows without the tag are never read, changed or deleted, even for the same prefix.
 *
 * <p>Fencing: the highest epoch that wrote is kept on the router as
 * external_ids:cairn-epoch:OWNER. Every transaction starts with an OVSDB "wait" that the key
 * still holds the value this driver last saw, and raises it to the writer's epoch; a writer
 * whose epoch is lower than the stored one is refused before sending anything. When the wait
 * fails (another writer got in between), the driver looks again and either retries or, if a
 * higher epoch won, reports {@link io.cairn.sdn.FencedException}.
 *
 * <p>Reads are served from a replica kept by an OVSDB monitor, which also reports drift: a
 * Cairn row changed or deleted by someone else fires the {@link #onExternalChange} listeners
 * (on the driver's I/O thread, so they must not block), as does every (re)connect. The driver
 * connects on the first read() or apply(), so listeners registered before that hear of it.
 */
public final class OvnDriver implements SdnDriver {

    private static final Logger LOG = LoggerFactory.getLogger(OvnDriver.class);
    /** Lost races in a row before giving up on one batch (and letting the caller back off). */
    private static final int ATTEMPTS = 5;
    /** Operation errors (RFC 7047 5.2) that a later try may not meet. */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("I/O error", "resources exhausted", "canceled",
            "timed out");

    private final OvnOptions options;
    private final RouterReplica replica;
    private final NbSession session;

    public OvnDriver(OvnOptions options) {
        this.options = options;
        this.replica = new RouterReplica(options.router(), options.owner());
        this.session = new NbSession(options, replica);
    }

    @Override
    public String name() {
        return "ovn";
    }

    @Override
    public RouteTable read() throws SdnException {
        session.ready();
        return replica.table();
    }

    @Override
    public synchronized void apply(long epoch, RouteDiff diff) throws SdnException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            session.ready();
            RouteTransaction txn = replica.plan(epoch, diff);
            long started = System.nanoTime();
            JsonNode results = session.transact(txn);
            if (committed(results, txn)) {
                LOG.debug("ovn: epoch {} wrote +{} -{} rows on '{}' in {} ms", epoch, txn.inserts, txn.deletes,
                        options.router(), (System.nanoTime() - started) / 1_000_000);
                return;
            }
            // The replica is current up to the reply (ovsdb-server flushes monitor updates
            // before it answers), so the next plan() sees the epoch that beat us.
            LOG.info("ovn: epoch on '{}' changed under epoch {} (attempt {}); looking again", options.router(),
                    epoch, attempt);
        }
        throw new SdnException("ovn: the epoch on logical router '" + options.router() + "' kept changing during "
                + ATTEMPTS + " attempts to write epoch " + epoch, true);
    }

    /**
     * True when the transaction committed, false when only the fence failed; any other error
     * (RFC 7047 4.1.3: the first operation error, or a trailing commit error) is thrown.
     */
    private boolean committed(JsonNode results, RouteTransaction txn) throws SdnException {
        for (int i = 0; i < results.size(); i++) {
            JsonNode error = results.get(i).path("error");
            if (error.isMissingNode() || error.isNull()) {
                continue;
            }
            if (i == RouteTransaction.FENCE) {
                return false;
            }
            String what = i < txn.operations.size() ? txn.operations.get(i).path("op").asText() + " on "
                    + txn.operations.get(i).path("table").asText() : "commit";
            throw new SdnException("ovn: " + NbSchema.DB + " refused a write to logical router '" + options.router()
                    + "' (" + what + "): " + error.asText() + ": " + results.get(i).path("details").asText(),
                    TRANSIENT_ERRORS.contains(error.asText()));
        }
        return true;
    }

    @Override
    public void onExternalChange(Runnable listener) {
        session.onChange(listener);
    }

    @Override
    public void close() {
        session.close();
    }
}
