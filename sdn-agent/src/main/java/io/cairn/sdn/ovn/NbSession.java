package io.cairn.sdn.ovn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cairn.sdn.SdnException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The driver's connection to the northbound database, kept up for as long as the driver lives:
 * connect, check the database and schema, start the monitor that feeds the replica; on loss,
 * reconnect with exponential backoff and start over (a full resync, so nothing the server did
 * meanwhile is missed). While down, callers get the reason as an {@link SdnException}.
 */
final class NbSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NbSession.class);
    private static final String MONITOR_ID = "cairn";

    private final OvnOptions options;
    private final RouterReplica replica;
    private final EventLoopGroup group;
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private OvsdbConnection connection;
    /** The route table's columns Cairn reads, as the server's schema has them. */
    private volatile List<String> routeColumns = List.of();
    /** Look-ups sent and not yet answered. */
    private final AtomicInteger lookUps = new AtomicInteger();
    private SdnException problem;
    private boolean started;
    private boolean attempted;
    private boolean closed;
    private long backoffMillis;

    NbSession(OvnOptions options, RouterReplica replica) {
        this.options = options;
        this.replica = replica;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("cairn-ovn", true),
                EpollIoHandler.newFactory());
        this.backoffMillis = options.minBackoff().toMillis();
        this.problem = new SdnException("not yet connected to " + options.remote(), true);
    }

    void onChange(Runnable listener) {
        changeListeners.add(listener);
    }

    /**
     * The live connection. The first call starts connecting (so listeners registered before it
     * hear of the first connect) and waits, up to the request timeout, for that attempt; later
     * calls answer at once.
     */
    OvsdbConnection ready() throws SdnException {
        long deadline = System.nanoTime() + options.requestTimeout().toNanos();
        synchronized (lock) {
            if (!started && !closed) {
                started = true;
                group.execute(this::connect);
            }
            while (connection == null && !attempted && !closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SdnException("interrupted waiting for " + options.remote(), true, e);
                }
            }
            if (closed) {
                throw new SdnException("ovn driver is closed", false);
            }
            if (connection == null) {
                throw problem;
            }
            return connection;
        }
    }

    /**
     * Sends one transaction; the replica knows what to expect of it until its reply, which it
     * learns the inserted rows from before the returned future completes.
     */
    CompletableFuture<JsonNode> send(RouteTransaction txn) throws SdnException {
        OvsdbConnection c = ready();
        replica.expect(txn.expectation);
        return c.transact(NbSchema.DB, txn, (results, failure) -> {
            replica.answered(txn.expectation, failure == null && txn.committed(results) ? results : null);
            lookUpUnknownReferences(c);
        });
    }

    /** Waits for a reply of {@link #send}, up to the request timeout. */
    JsonNode await(CompletableFuture<JsonNode> reply) throws SdnException {
        try {
            return reply.get(options.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw asSdnException(e.getCause());
        } catch (TimeoutException e) {
            throw asSdnException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdnException("interrupted writing to " + options.remote(), true, e);
        }
    }

    /**
     * Like {@link #ready()}, and returns once the replica holds everything the server sent before
     * now: if look-ups of rows someone else inserted are still unanswered, after one echo round
     * trip (replies come in request order).
     */
    OvsdbConnection current() throws SdnException {
        OvsdbConnection c = ready();
        if (lookUps.get() > 0) {
            await(c.echo());
        }
        return c;
    }

    @Override
    public void close() {
        OvsdbConnection c;
        synchronized (lock) {
            closed = true;
            c = connection;
            connection = null;
            lock.notifyAll();
        }
        if (c != null) {
            c.close();
        }
        io.netty.util.concurrent.Future<?> shutdown = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (!group.next().inEventLoop()) {
            shutdown.syncUninterruptibly(); // a listener closing the driver must not wait for its own thread
        }
    }

    private void connect() {
        SslContext tls;
        try {
            tls = options.tls() == null ? null : options.tls().clientContext();
        } catch (SSLException e) {
            down(new SdnException("ovn: TLS setup for " + options.remote() + " failed: " + e.getMessage(), false, e));
            return;
        }
        OvsdbConnection.connect(group, options.remote(), tls, options.requestTimeout(), options.probeInterval(),
                        this::notified)
                .thenCompose(this::synchronise)
                .whenComplete((c, failure) -> {
                    if (failure == null) {
                        up(c);
                    } else {
                        down(failure instanceof CompletionException ? failure.getCause() : failure);
                    }
                });
    }

    /** Checks database and schema, then starts the monitor whose first answer fills the replica. */
    private CompletableFuture<OvsdbConnection> synchronise(OvsdbConnection c) {
        return c.listDbs().thenCompose(dbs -> {
            for (JsonNode db : dbs) {
                if (db.asText().equals(NbSchema.DB)) {
                    return c.getSchema(NbSchema.DB);
                }
            }
            throw new CompletionException(new SdnException(options.remote() + " serves no database " + NbSchema.DB
                    + " (it serves " + dbs + "); is this the OVN northbound database?", false));
        }).thenCompose(schemaJson -> {
            NbSchema schema;
            try {
                schema = NbSchema.check(schemaJson, options.remote());
            } catch (SdnException e) {
                throw new CompletionException(e);
            }
            replica.reset(schema);
            routeColumns = List.copyOf(schema.routeColumns.keySet());
            return c.monitorCond(NbSchema.DB, MONITOR_ID, monitorRequests(schema));
        }).thenApply(initial -> {
            replica.apply(initial);
            return c;
        }).whenComplete((ok, failure) -> {
            if (failure != null) {
                c.close();
            }
        });
    }

    /**
     * Only the configured router, and only rows tagged with this owner, are replicated; inserted
     * rows are not sent (ovsdb-server(7) 4.1.12 "select"), see {@link RouterReplica}.
     */
    private ObjectNode monitorRequests(NbSchema schema) {
        ObjectNode routerRequest = Ovsdb.object();
        routerRequest.set("columns", Ovsdb.stringArray(schema.routerColumns.keySet()));
        routerRequest.set("where", Ovsdb.array(Ovsdb.condition("name", "==", TextNode.valueOf(options.router()))));
        ObjectNode routeRequest = Ovsdb.object();
        routeRequest.set("columns", Ovsdb.stringArray(schema.routeColumns.keySet()));
        routeRequest.set("where", Ovsdb.array(ownerCondition()));
        routeRequest.set("select", Ovsdb.object().put("insert", false));
        ObjectNode requests = Ovsdb.object();
        requests.set(NbSchema.ROUTER, Ovsdb.array(routerRequest));
        requests.set(NbSchema.ROUTE, Ovsdb.array(routeRequest));
        return requests;
    }

    private void notified(String method, JsonNode params) {
        if (method.equals("update2") && MONITOR_ID.equals(params.path(0).asText())) {
            if (replica.apply(params.path(1))) {
                fireChange();
            }
            OvsdbConnection c;
            synchronized (lock) {
                c = connection;
            }
            if (c != null) {
                lookUpUnknownReferences(c);
            }
        }
    }

    /**
     * Asks for the rows behind static_routes references the replica does not know (RFC 7047
     * 5.2.2 "select", only rows tagged as this owner's); runs on the event loop. Rows found
     * are drift. A failed look-up needs no retry: the reconnect that follows resyncs everything.
     */
    private void lookUpUnknownReferences(OvsdbConnection c) {
        List<String> uuids = replica.takeUnknownReferences();
        if (uuids.isEmpty()) {
            return;
        }
        ArrayNode ops = Ovsdb.array();
        for (String uuid : uuids) {
            ops.add(Ovsdb.select(NbSchema.ROUTE, Ovsdb.array(Ovsdb.condition("_uuid", "==", Ovsdb.uuid(uuid)),
                    ownerCondition()), routeColumns));
        }
        lookUps.incrementAndGet();
        c.transact(NbSchema.DB, ops, (results, failure) -> {
            lookUps.decrementAndGet();
            boolean drift = false;
            for (int i = 0; failure == null && i < uuids.size(); i++) {
                drift |= replica.found(uuids.get(i), results.path(i).path("rows"));
            }
            if (drift) {
                fireChange();
            }
        });
    }

    private ArrayNode ownerCondition() {
        return Ovsdb.condition("external_ids", "includes", Ovsdb.map(Map.of(RouterReplica.OWNER_KEY, options.owner())));
    }

    private void up(OvsdbConnection c) {
        synchronized (lock) {
            if (closed) {
                c.close();
                return;
            }
            connection = c;
            problem = null;
            attempted = true;
            backoffMillis = options.minBackoff().toMillis();
            lock.notifyAll();
        }
        LOG.info("ovn: connected to {}, monitoring logical router '{}'", options.remote(), options.router());
        c.closed().thenRun(() -> down(
                new SdnException("lost the connection to " + options.remote() + c.closeReason(), true)));
        fireChange(); // a fresh replica may differ from what the reconciler last saw
        lookUpUnknownReferences(c); // gained between the monitor's reply and now
    }

    private void down(Throwable cause) {
        long delay;
        synchronized (lock) {
            if (closed) {
                return;
            }
            connection = null;
            problem = asSdnException(cause);
            attempted = true;
            delay = backoffMillis;
            backoffMillis = Math.min(backoffMillis * 2, options.maxBackoff().toMillis());
            lock.notifyAll();
        }
        LOG.warn("ovn: {}; retrying in {} ms", problem.getMessage(), delay);
        try {
            group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("ovn: closed while scheduling a reconnect");
        }
    }

    private void fireChange() {
        for (Runnable l : changeListeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                LOG.warn("ovn: change listener failed", e);
            }
        }
    }

    private SdnException asSdnException(Throwable cause) {
        if (cause instanceof SdnException e) {
            return e;
        }
        if (cause instanceof OvsdbRpcException) {
            return new SdnException(options.remote() + ": " + cause.getMessage(), false, cause);
        }
        return new SdnException("ovsdb-server at " + options.remote() + " unreachable: " + cause, true, cause);
    }
}
