package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.BgpProtocolException;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.KeepaliveMessage;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.PeerConfig;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.cairn.node.bgp.wire.NotificationCode.CEASE;
import static io.cairn.node.bgp.wire.NotificationCode.CEASE_CONNECTION_COLLISION_RESOLUTION;
import static io.cairn.node.bgp.wire.NotificationCode.CEASE_CONNECTION_REJECTED;
import static io.cairn.node.bgp.wire.NotificationCode.FSM_ERROR;
import static io.cairn.node.bgp.wire.NotificationCode.OPEN_MESSAGE_ERROR;

/**
 * One configured BGP neighbour and its finite state machine (RFC 4271 section 8). All state is
 * owned by the peer's event loop; connections and other threads hand events to it.
 */
public final class Peer {

    /** RFC 4271 8.2.2: hold timer "large value" while waiting for the OPEN. */
    static final int OPEN_HOLD_SECONDS = 240;
    static final long MIN_RETRY_MILLIS = 1_000;
    static final long MAX_RETRY_MILLIS = 30_000;
    static final int MALFORMED_LOGGED_IN_FULL = 10;
    static final long COLLISION_WINDOW_MILLIS = 5_000;

    /** Opens outgoing connections; the server knows the transport and the MD5 keys. */
    interface Connector {
        void connect(Peer peer, Connection connection);
    }

    private static final Logger log = LoggerFactory.getLogger(Peer.class);

    private final PeerConfig config;
    private final LocalSpeaker local;
    private final EventLoop loop;
    private final Connector connector;
    private final SessionListener listener;
    private final OpenMessage localOpen;
    private final List<Connection> connections = new ArrayList<>(2);

    private volatile Connection established;
    private volatile String lastError = "";
    private volatile long establishedAtMillis;
    private volatile int flaps;
    /** The last NOTIFICATION sent or received, or null: its code is what operators alert on. */
    private volatile NotificationMessage lastNotification;
    private final AtomicLong malformedUpdates = new AtomicLong();
    private final AtomicLong updatesIn = new AtomicLong();
    private final AtomicLong updatesOut = new AtomicLong();
    private volatile boolean running;
    /** System.nanoTime() before which the peer stays down (max-prefix hold-down), or 0. */
    private volatile long downUntilNanos;
    private long retryMillis = MIN_RETRY_MILLIS;
    private ScheduledFuture<?> retry;

    Peer(PeerConfig config, LocalSpeaker local, EventLoop loop, Connector connector, SessionListener listener) {
        this.config = config;
        this.local = local;
        this.loop = loop;
        this.connector = connector;
        this.listener = listener;
        this.localOpen = local.openFor(config.holdTime());
    }

    public PeerConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public InetAddress address() {
        return config.address();
    }

    /** The peer's state as operators see it: the most advanced of its connections. */
    public SessionState state() {
        Connection e = established;
        if (e != null && !e.isClosing()) {
            return SessionState.ESTABLISHED;
        }
        SessionState best = running && !heldDown() ? (config.passive() ? SessionState.ACTIVE : SessionState.CONNECT) : SessionState.IDLE;
        for (Connection c : List.copyOf(connections)) {
            // RFC 4271 8.2.2: a session being closed (NOTIFICATION sent) is Idle at once, though its
            // socket lingers until the peer has read the NOTIFICATION.
            if (!c.isClosing() && c.state.compareTo(best) > 0) {
                best = c.state;
            }
        }
        return best;
    }

    public String lastError() {
        return lastError;
    }

    public int flaps() {
        return flaps;
    }

    public long establishedAtMillis() {
        return established == null ? 0 : establishedAtMillis;
    }

    /** False once stopped (administrative shutdown, or the node closing) until started again. */
    public boolean enabled() {
        return running;
    }

    /** The last NOTIFICATION sent or received on any connection of this peer, or null. */
    public NotificationMessage lastNotification() {
        return lastNotification;
    }

    /** UPDATE messages received on Established sessions since start. */
    public long updatesIn() {
        return updatesIn.get();
    }

    /** UPDATE messages handed to Established sessions since start. */
    public long updatesOut() {
        return updatesOut.get();
    }

    /** The remote OPEN of the established session, or null. */
    public OpenMessage remoteOpen() {
        Connection c = established;
        return c == null ? null : c.remoteOpen;
    }

    /** Local address of the established session, or null: the next hop Cairn gives its own routes. */
    public InetAddress localAddress() {
        Connection c = established;
        return c == null || !(c.channel.localAddress() instanceof java.net.InetSocketAddress a) ? null : a.getAddress();
    }

    @Override
    public String toString() {
        return name() + " (" + address().getHostAddress() + ", AS" + config.asn() + ")";
    }

    /** Logs RFC 7606 recoveries: the first few in full, then one line per thousand, so a peer cannot flood the log. */
    MalformedUpdateListener malformedListener() {
        return (action, type, reason) -> {
            long n = malformedUpdates.incrementAndGet();
            if (n <= MALFORMED_LOGGED_IN_FULL || n % 1000 == 0) {
                log.warn("{}: malformed UPDATE #{}, {} (attribute {}): {}", this, n, action, type, reason);
            }
        };
    }

    /** RFC 7606 errors recovered from (attribute discard, treat-as-withdraw) since start. */
    public long malformedUpdates() {
        return malformedUpdates.get();
    }

    void execute(Runnable task) {
        loop.execute(task);
    }

    /** Starts the FSM (ManualStart, RFC 4271 8.1.2): a passive peer only waits to be called. */
    public void start() {
        execute(() -> {
            running = true;
            connectIfIdle();
        });
    }

    /**
     * Stops the FSM (ManualStop): every connection gets {@code reason} and is closed. Completes
     * once every NOTIFICATION is written.
     */
    public CompletableFuture<Void> stop(NotificationMessage reason) {
        CompletableFuture<Void> said = new CompletableFuture<>();
        execute(() -> {
            running = false;
            cancelRetry();
            lastError = "stopped: " + reason;
            List<CompletableFuture<Void>> written = new ArrayList<>();
            for (Connection c : List.copyOf(connections)) {
                lastNotification = reason;
                log.info("{}: closing {}: {}", this, c, lastError);
                written.add(c.close(reason));
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> said.complete(null));
        });
        return said;
    }

    /**
     * Closes every connection with {@code reason} and keeps the peer down for {@code holdDown}
     * (RFC 4486 Maximum Number of Prefixes Reached): connections are neither made nor accepted
     * until it has passed.
     */
    public void shutDownFor(NotificationMessage reason, java.time.Duration holdDown) {
        execute(() -> {
            downUntilNanos = System.nanoTime() + holdDown.toNanos();
            for (Connection c : List.copyOf(connections)) {
                closeWith(c, reason, "held down for " + holdDown.toSeconds() + " s: " + reason);
            }
            cancelRetry();
            retry = loop.schedule(this::connectIfIdle, holdDown.toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    /**
     * Soft reset inbound (RFC 2918 3): asks the peer to resend its routes of every negotiated
     * family. Completes with those families, or exceptionally when the session is not
     * Established or the peer did not advertise the Route Refresh capability, which RFC 2918
     * requires before a ROUTE-REFRESH may be sent.
     */
    public CompletableFuture<Set<AddressFamily>> requestRouteRefresh() {
        CompletableFuture<Set<AddressFamily>> done = new CompletableFuture<>();
        execute(() -> {
            Connection c = established;
            if (c == null) {
                done.completeExceptionally(new IllegalStateException("session is not Established"));
            } else if (!c.remoteOpen.has(Capability.RouteRefresh.class)) {
                done.completeExceptionally(new IllegalStateException("peer did not advertise route refresh"));
            } else {
                Set<AddressFamily> families = c.wire.negotiated().families();
                for (AddressFamily f : families) {
                    c.send(new RouteRefreshMessage(f, RouteRefreshMessage.NORMAL));
                }
                log.info("{}: sent ROUTE-REFRESH for {}", this, families);
                done.complete(families);
            }
        });
        return done;
    }

    private boolean heldDown() {
        return downUntilNanos != 0 && System.nanoTime() < downUntilNanos;
    }

    /** Sends messages on the established session; dropped when there is none (export resyncs on the next). */
    public void send(List<? extends BgpMessage> messages) {
        Connection c = established;
        if (c == null || messages.isEmpty()) {
            return;
        }
        // On the connection's event loop, after whatever it did before: once it has sent a
        // NOTIFICATION (a shutdown, a reset) nothing may follow it on the wire (RFC 4271 6).
        c.channel.eventLoop().execute(() -> {
            if (c.isClosing()) {
                return;
            }
            for (BgpMessage u : messages) {
                if (u.type() == BgpMessage.UPDATE) {
                    updatesOut.incrementAndGet();
                }
                c.channel.write(u, c.channel.voidPromise());
            }
            c.channel.flush();
        });
    }

    /**
     * Stops (or resumes) reading from the established session, so a consumer that cannot keep up
     * pushes back on TCP instead of buffering without bound. Messages already read still arrive.
     */
    public void readPaused(boolean paused) {
        Connection c = established;
        if (c != null) {
            c.channel.config().setAutoRead(!paused);
        }
    }

    /** False while the established session's outbound buffer is above Netty's high-water mark. */
    public boolean isWritable() {
        Connection c = established;
        return c == null || c.channel.isWritable();
    }

    /** Runs {@code task} on this peer's event loop, in order with the session callbacks. */
    public void onEventLoop(Runnable task) {
        execute(task);
    }

    /** An accepted connection from this peer's address: handlers go on now, before any byte is read. */
    void accept(Channel ch) {
        Connection c = new Connection(false, localOpen);
        c.attach(ch, this);
        execute(() -> connections.add(c));
    }

    // ---- FSM events, on the peer's event loop ----

    void onConnected(Connection c) {
        if (!running || heldDown()) {
            closeWith(c, new NotificationMessage(CEASE, CEASE_CONNECTION_REJECTED),
                    running ? "peer is held down after exceeding its prefix limit" : "peer is stopped");
            return;
        }
        c.send(localOpen);
        c.state = SessionState.OPEN_SENT;
        log.info("{}: {}: connected, OPEN sent", this, c);
        c.lastReceivedNanos = System.nanoTime();
        scheduleHoldCheck(c, OPEN_HOLD_SECONDS);
    }

    void onReceived(Connection c, Object msg) {
        if (c.isClosing()) {
            return;
        }
        c.lastReceivedNanos = System.nanoTime();
        if (msg instanceof BgpProtocolException e) {
            closeWith(c, e.notification(), "sent " + e.getMessage());
            return;
        }
        if (msg instanceof NotificationMessage n) {
            lastError = "received " + n;
            lastNotification = n;
            c.notified = true;
            if (n.code() == NotificationCode.CEASE) {
                log.info("{}: received NOTIFICATION {}", this, n); // the peer chose to close: not an error here
            } else {
                log.warn("{}: received NOTIFICATION {}", this, n);
            }
            c.close(null);
            return;
        }
        switch (c.state) {
            case OPEN_SENT -> {
                if (msg instanceof OpenMessage open) {
                    onOpen(c, open);
                } else {
                    fsmError(c, NotificationCode.FSM_UNEXPECTED_IN_OPENSENT, msg);
                }
            }
            case OPEN_CONFIRM -> {
                if (msg instanceof KeepaliveMessage && collisionWinner(c, c.remoteOpen) != null) {
                    // The other connection will win 6.8 on both sides: do not establish this one.
                    closeWith(c, collision(), "connection collision resolved");
                } else if (msg instanceof KeepaliveMessage) {
                    onEstablished(c);
                } else {
                    fsmError(c, NotificationCode.FSM_UNEXPECTED_IN_OPENCONFIRM, msg);
                }
            }
            case ESTABLISHED -> {
                if (msg instanceof UpdateMessage u) {
                    updatesIn.incrementAndGet();
                    listener.update(this, u);
                } else if (msg instanceof RouteRefreshMessage rr) {
                    listener.routeRefresh(this, rr);
                } else if (!(msg instanceof KeepaliveMessage)) {
                    fsmError(c, NotificationCode.FSM_UNEXPECTED_IN_ESTABLISHED, msg);
                }
            }
            default -> fsmError(c, 0, msg);
        }
    }

    void onClosed(Connection c) {
        connections.remove(c);
        if (c == established) {
            established = null;
            flaps++;
            String reason = lastError.isEmpty() ? "connection closed" : lastError;
            log.info("{}: session down: {}", this, reason);
            listener.down(this, reason, c.notified);
        } else if (!c.isClosing()) {
            // Whoever closes on purpose logs why (closeWith, a NOTIFICATION, stop); this one just ended.
            log.info("{}: {}: connection lost before Established", this, c);
        }
        c.state = SessionState.IDLE;
        if (connections.isEmpty()) {
            scheduleRetry();
        }
    }

    void onTransportError(Connection c, Throwable cause) {
        lastError = "transport: " + cause.getMessage();
        log.info("{}: {} failed: {}", this, c, cause.toString());
    }

    void onConnectFailed(Connection c, Throwable cause) {
        connections.remove(c);
        lastError = "connect: " + cause.getMessage();
        log.debug("{}: connect failed: {}", this, cause.toString());
        if (connections.isEmpty()) {
            scheduleRetry();
        }
    }

    private void onOpen(Connection c, OpenMessage open) {
        long asn = open.autonomousSystem();
        if (asn != config.asn()) {
            closeWith(c, new NotificationMessage(OPEN_MESSAGE_ERROR, NotificationCode.BAD_PEER_AS),
                    "peer says AS" + asn + ", configured AS" + config.asn());
            return;
        }
        boolean external = asn != local.asn();
        if (!external && open.bgpIdentifier() == local.bgpIdentifier()) {
            // RFC 6286 2.2: identifiers are unique within an AS; across ASes they may repeat.
            closeWith(c, new NotificationMessage(OPEN_MESSAGE_ERROR, NotificationCode.BAD_BGP_IDENTIFIER),
                    "peer uses our own BGP Identifier");
            return;
        }
        Negotiated negotiated = Negotiated.of(localOpen, open);
        if (negotiated.families().isEmpty()) {
            // RFC 5492 5: name the capability we need in the data.
            closeWith(c, new NotificationMessage(OPEN_MESSAGE_ERROR, NotificationCode.UNSUPPORTED_CAPABILITY,
                    new byte[] {Capability.MULTIPROTOCOL, 4, 0, 1, 0, 1}), "no common address family");
            return;
        }
        if (!resolveCollision(c, open)) {
            return;
        }
        c.remoteOpen = open;
        c.holdTimeSeconds = Math.min(localOpen.holdTime(), open.holdTime());
        c.send(KeepaliveMessage.INSTANCE);
        c.state = SessionState.OPEN_CONFIRM;
        log.info("{}: {}: OPEN received (AS{}, identifier {}, hold time {} s)", this, c, asn,
                NetUtil.intToIpAddress((int) open.bgpIdentifier()), open.holdTime());
        scheduleHoldCheck(c, c.holdTimeSeconds);
        scheduleKeepalives(c);
    }

    /**
     * RFC 4271 6.8 on receipt of an OPEN: returns false when {@code c} lost and was closed.
     * Against an Established session the new connection loses, unless the peer announced
     * graceful restart and called us: then the old session is the dead one (RFC 4724 4.2).
     */
    private boolean resolveCollision(Connection c, OpenMessage open) {
        for (Connection other : List.copyOf(connections)) {
            if (other == c || other.isClosing()) {
                continue;
            }
            if (other.state == SessionState.ESTABLISHED) {
                if (!c.outgoing && other.remoteOpen.has(Capability.GracefulRestart.class) && !justEstablished()) {
                    lastError = "peer restarted (new connection while established)";
                    other.close(null);
                    continue;
                }
                closeWith(c, collision(), "collision with the established session");
                return false;
            }
            if (other.state != SessionState.OPEN_CONFIRM) {
                continue;
            }
            Connection loser = keepsOutgoing(open) == c.outgoing ? other : c;
            closeWith(loser, collision(), "connection collision resolved");
            if (loser == c) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 4271 6.8: the connection opened by the speaker with the higher BGP Identifier stays;
     * equal identifiers (possible between ASes, RFC 6286 2.3) fall back to the larger ASN.
     */
    private boolean keepsOutgoing(OpenMessage remote) {
        long localId = local.bgpIdentifier();
        long remoteId = remote.bgpIdentifier();
        return localId != remoteId ? localId > remoteId : local.asn() > remote.autonomousSystem();
    }

    /**
     * Another live connection of this peer that 6.8 keeps over {@code c}, or null. Checked again
     * when {@code c} would become Established, because the peer may have decided the collision
     * while our side still saw the other connection in OpenSent.
     */
    private Connection collisionWinner(Connection c, OpenMessage remote) {
        for (Connection other : connections) {
            if (other != c && !other.isClosing() && other.state.compareTo(SessionState.OPEN_SENT) >= 0
                    && other.state != SessionState.ESTABLISHED && other.outgoing == keepsOutgoing(remote)) {
                return other;
            }
        }
        return null;
    }

    /**
     * A connection that reaches OPEN moments after another became Established is the other half
     * of a collision, not a restarted peer: a restart takes longer than this.
     */
    private boolean justEstablished() {
        return System.currentTimeMillis() - establishedAtMillis < COLLISION_WINDOW_MILLIS;
    }

    private static NotificationMessage collision() {
        return new NotificationMessage(CEASE, CEASE_CONNECTION_COLLISION_RESOLUTION);
    }

    private void onEstablished(Connection c) {
        c.state = SessionState.ESTABLISHED;
        established = c;
        establishedAtMillis = System.currentTimeMillis();
        retryMillis = MIN_RETRY_MILLIS;
        lastError = "";
        for (Connection other : List.copyOf(connections)) {
            if (other != c) {
                closeWith(other, collision(), "another connection became established");
            }
        }
        log.info("{}: session established (hold time {} s)", this, c.holdTimeSeconds);
        listener.established(this, localOpen, c.remoteOpen, c.wire.negotiated());
    }

    private void fsmError(Connection c, int subcode, Object msg) {
        String what = msg instanceof BgpMessage m ? BgpMessage.typeName(m.type()) : String.valueOf(msg);
        closeWith(c, new NotificationMessage(FSM_ERROR, subcode), "unexpected " + what + " in " + c.state.displayName());
    }

    private void closeWith(Connection c, NotificationMessage n, String reason) {
        lastError = reason;
        lastNotification = n;
        log.warn("{}: closing {}: {}", this, c, reason);
        c.close(n);
    }

    // ---- timers ----

    private void scheduleHoldCheck(Connection c, int holdSeconds) {
        if (holdSeconds == 0) {
            return; // RFC 4271 4.2: hold time 0 means no keepalives and no hold timer
        }
        long deadline = c.lastReceivedNanos + TimeUnit.SECONDS.toNanos(holdSeconds);
        long wait = deadline - System.nanoTime();
        SessionState stateWhenSet = c.state;
        loop.schedule(() -> {
            if (c.isClosing() || c.state != stateWhenSet && c.state != SessionState.ESTABLISHED) {
                return;
            }
            if (System.nanoTime() - c.lastReceivedNanos >= TimeUnit.SECONDS.toNanos(holdSeconds)) {
                closeWith(c, new NotificationMessage(NotificationCode.HOLD_TIMER_EXPIRED, 0),
                        "hold timer expired (" + holdSeconds + " s)");
            } else {
                scheduleHoldCheck(c, holdSeconds);
            }
        }, Math.max(wait, 0), TimeUnit.NANOSECONDS);
    }

    private void scheduleKeepalives(Connection c) {
        if (c.holdTimeSeconds == 0) {
            return;
        }
        long interval = Math.max(1, c.holdTimeSeconds / 3);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        self[0] = loop.scheduleAtFixedRate(() -> {
            if (c.isClosing() || c.state == SessionState.IDLE) {
                self[0].cancel(false);
            } else {
                c.send(KeepaliveMessage.INSTANCE);
            }
        }, interval, interval, TimeUnit.SECONDS);
    }

    private void connectIfIdle() {
        if (!running || heldDown() || config.passive() || !connections.isEmpty() || established != null) {
            return;
        }
        Connection c = new Connection(true, localOpen);
        connections.add(c);
        connector.connect(this, c);
    }

    private void scheduleRetry() {
        if (heldDown()) {
            return; // shutDownFor scheduled the next attempt for when the hold-down ends
        }
        cancelRetry();
        if (!running || config.passive()) {
            return;
        }
        long delay = retryMillis + ThreadLocalRandom.current().nextLong(retryMillis / 4 + 1);
        retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
        retry = loop.schedule(this::connectIfIdle, delay, TimeUnit.MILLISECONDS);
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }
}
