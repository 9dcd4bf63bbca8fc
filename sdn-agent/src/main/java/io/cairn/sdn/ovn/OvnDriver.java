package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.sdn.BatchProgress;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnDriver;
import io.cairn.sdn.SdnException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

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
 * Cairn row changed, deleted or inserted by someone else fires the {@link #onExternalChange}
 * listeners (on the driver's I/O thread, so they must not block), as does every (re)connect.
 * The driver connects on the first read() or apply(), so listeners registered before that hear
 * of it. The batches of one sync are pipelined (see {@link #apply(long, List, BatchProgress)}).
 */
public final class OvnDriver implements SdnDriver {

    private static final Logger LOG = LoggerFactory.getLogger(OvnDriver.class);
    /** Lost races in a row before giving up on one batch (and letting the caller back off). */
    private static final int ATTEMPTS = 5;
    /** Transactions in flight at once; beyond a few, more only queue in ovsdb-server's input. */
    static final int WINDOW = 4;
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
        session.current();
        return replica.table();
    }

    @Override
    public void apply(long epoch, RouteDiff diff) throws SdnException {
        apply(epoch, List.of(diff), BatchProgress.ALL);
    }

    /**
     * Pipelined: up to {@link #WINDOW} transactions in flight, so that Cairn plans and encodes
     * the next batches while ovsdb-server executes the earlier ones, rather than each side
     * waiting for the other. Fencing is unchanged, as every transaction carries its own "wait"
     * on the epoch; a transaction that raises the stored epoch is sent alone, since the ones
     * after it are fenced on the value it writes. Batches must not share a prefix: each is
     * planned before the ones ahead of it are answered.
     */
    @Override
    public synchronized boolean apply(long epoch, List<RouteDiff> batches, BatchProgress progress)
            throws SdnException {
        List<RouteDiff> left = batches;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Pipeline pipeline = new Pipeline(epoch, progress);
            pipeline.run(left);
            if (pipeline.lost.isEmpty()) {
                return !pipeline.stopped;
            }
            // Another writer changed the epoch; the next pass plans on a replica that has learned
            // what it wrote (rows included), so it sees the epoch that beat us, or refuses.
            LOG.info("ovn: epoch on '{}' changed under epoch {} (attempt {}); looking again", options.router(),
                    epoch, attempt);
            left = pipeline.lost;
        }
        throw new SdnException("ovn: the epoch on logical router '" + options.router() + "' kept changing during "
                + ATTEMPTS + " attempts to write epoch " + epoch, true);
    }

    /** One pass over the batches, with its transactions in flight. */
    private final class Pipeline {
        private final long epoch;
        private final BatchProgress progress;
        private final Deque<Sent> inFlight = new ArrayDeque<>();
        /** Batches whose fence failed, in order: to be planned again. */
        final List<RouteDiff> lost = new ArrayList<>();
        boolean stopped;

        private record Sent(RouteDiff batch, RouteTransaction txn, CompletableFuture<JsonNode> reply, long sentAt) {
        }

        Pipeline(long epoch, BatchProgress progress) {
            this.epoch = epoch;
            this.progress = progress;
        }

        void run(List<RouteDiff> batches) throws SdnException {
            session.current(); // so the first plan sees rows others inserted that are still being looked up
            int next = 0;
            try {
                // After a lost fence nothing more is sent: the loop ends once what is in flight is answered.
                while ((lost.isEmpty() && next < batches.size()) || !inFlight.isEmpty()) {
                    while (lost.isEmpty() && next < batches.size() && inFlight.size() < WINDOW
                            && (inFlight.isEmpty() || !inFlight.peekLast().txn.expectation.writesEpoch())) {
                        if (!progress.proceed()) {
                            stopped = true;
                            next = batches.size();
                            break;
                        }
                        session.ready(); // still connected, so the replica is not one being refilled
                        RouteTransaction txn = replica.plan(epoch, batches.get(next));
                        inFlight.add(new Sent(batches.get(next), txn, session.send(txn), System.nanoTime()));
                        next++;
                    }
                    if (!inFlight.isEmpty()) {
                        answered(inFlight.removeFirst());
                    }
                }
            } finally {
                drain();
            }
            if (!lost.isEmpty()) {
                lost.addAll(batches.subList(next, batches.size()));
            }
        }

        private void answered(Sent sent) throws SdnException {
            JsonNode results = session.await(sent.reply);
            if (committed(results, sent.txn)) {
                LOG.debug("ovn: epoch {} wrote +{} -{} rows on '{}' in {} ms", epoch, sent.txn.inserts,
                        sent.txn.deletes, options.router(), (System.nanoTime() - sent.sentAt) / 1_000_000);
                progress.written();
            } else {
                lost.add(sent.batch);
            }
        }

        /**
         * After a failure: the transactions still in flight are answered (or time out) before
         * anything else, and those that committed are counted.
         */
        private void drain() {
            while (!inFlight.isEmpty()) {
                try {
                    answered(inFlight.removeFirst());
                } catch (SdnException e) {
                    LOG.debug("ovn: a transaction in flight behind a failed one: {}", e.getMessage());
                }
            }
        }
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
            String what = i < txn.operationCount() ? txn.describe(i) : "commit";
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
