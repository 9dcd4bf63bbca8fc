package io.cairn.sdn.ovn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.json.JsonObjectDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One JSON-RPC 1.0 session with an ovsdb-server (RFC 7047 section 4). Messages are JSON objects
 * sent back to back with no framing (section 3.1), split here by Netty's JsonObjectDecoder.
 * Requests carry numeric ids and complete futures when their response arrives, in arrival order
 * on the event loop; notifications ("update2") go to a listener on that same thread, so an
 * update that ovsdb-server flushes before a transaction's reply is always seen first.
 *
 * <p>Liveness (section 4.1.11): "echo" requests from the server are answered; when nothing has
 * arrived for {@code probeInterval} this side sends its own echo, and when nothing arrives for
 * another interval the connection is closed, unless a request is still waiting for its reply
 * (a large transaction keeps ovsdb-server busy and silent; the request's timeout bounds that).
 */
public final class OvsdbConnection implements AutoCloseable {

    /**
     * Field names are not canonicalized (interned): in an update2 or transact reply they are row
     * uuids, each seen once, and a symbol table of 100k of them costs more than it saves.
     */
    static final ObjectMapper JSON = new ObjectMapper(
            JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A monitor reply for 100k routes is tens of MB; the decoder's default (1 MiB) is far too small. */
    private static final int MAX_MESSAGE_BYTES = 512 << 20;

    private final Channel channel;
    private final Handler handler;
    private final Duration requestTimeout;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private record Pending(String method, CompletableFuture<JsonNode> result) {
    }

    private OvsdbConnection(Channel channel, Handler handler, Duration requestTimeout) {
        this.channel = channel;
        this.handler = handler;
        this.requestTimeout = requestTimeout;
    }

    /**
     * Connects; {@code notifications} receives (method, params) of every notification, on the
     * event loop. The returned future fails when the connection cannot be made.
     */
    public static CompletableFuture<OvsdbConnection> connect(EventLoopGroup group, OvsdbRemote remote, SslContext tls,
            Duration requestTimeout, Duration probeInterval, BiConsumer<String, JsonNode> notifications) {
        CompletableFuture<OvsdbConnection> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) requestTimeout.toMillis());
        SocketAddress address;
        if (remote.kind() == OvsdbRemote.Kind.UNIX) {
            b.channel(EpollDomainSocketChannel.class);
            address = new DomainSocketAddress(remote.path().toFile());
        } else {
            b.channel(EpollSocketChannel.class).option(ChannelOption.TCP_NODELAY, true);
            address = new InetSocketAddress(remote.host(), remote.port());
        }
        Handler handler = new Handler(notifications, probeInterval.toMillis());
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ChannelPipeline p = ch.pipeline();
                if (tls != null) {
                    p.addLast(tls.newHandler(ch.alloc(), remote.host(), remote.port()));
                }
                p.addLast(new IdleStateHandler(probeInterval.toMillis(), 0, 0, TimeUnit.MILLISECONDS));
                p.addLast(new JsonObjectDecoder(MAX_MESSAGE_BYTES));
                p.addLast(new JsonEncoder());
                p.addLast(handler);
            }
        });
        b.connect(address).addListener(f -> {
            if (f.isSuccess()) {
                OvsdbConnection c = new OvsdbConnection(((ChannelFuture) f).channel(), handler, requestTimeout);
                handler.connection = c;
                c.channel.closeFuture().addListener(x -> c.failAll(
                        new IOException("connection to " + remote + " closed" + c.closeReason(), handler.failure)));
                result.complete(c);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    /** RFC 7047 4.1.1. */
    public CompletableFuture<JsonNode> listDbs() {
        return call("list_dbs", NODES.arrayNode());
    }

    /** RFC 7047 4.1.2. */
    public CompletableFuture<JsonNode> getSchema(String db) {
        return call("get_schema", NODES.arrayNode().add(db));
    }

    /**
     * RFC 7047 4.1.3: the result is the array of per-operation results. {@code settled} runs on
     * the event loop as the reply (or the failure) arrives, before any later message is read and
     * before the returned future completes: what it records is in place when the caller sees
     * the result.
     */
    public CompletableFuture<JsonNode> transact(String db, ArrayNode operations,
            BiConsumer<JsonNode, Throwable> settled) {
        return transact(db, g -> {
            for (JsonNode op : operations) {
                g.writeTree(op);
            }
        }, settled);
    }

    /** As {@link #transact(String, ArrayNode, BiConsumer)}, the operations written by {@code operations}. */
    public CompletableFuture<JsonNode> transact(String db, Operations operations,
            BiConsumer<JsonNode, Throwable> settled) {
        return call("transact", NODES.arrayNode().add(db), operations, settled);
    }

    /**
     * A transaction's operations (RFC 7047 5.2), written as the elements that follow the database
     * name in its params, when the request goes out on the event loop. Large transactions write
     * them straight to the wire instead of building a JSON tree of them.
     */
    @FunctionalInterface
    public interface Operations {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * Conditional monitor (ovsdb-server(7) 4.1.12, an extension of RFC 7047 4.1.5): the result is
     * the initial table-updates2; later changes arrive as "update2" notifications.
     */
    public CompletableFuture<JsonNode> monitorCond(String db, String monitorId, ObjectNode requests) {
        return call("monitor_cond", NODES.arrayNode().add(db).add(monitorId).add(requests));
    }

    /** RFC 7047 4.1.11. */
    public CompletableFuture<JsonNode> echo() {
        return call("echo", NODES.arrayNode());
    }

    /** Why the connection closed, as ": reason", or "" when the server just hung up. */
    public String closeReason() {
        Throwable f = handler.failure;
        return f == null ? "" : ": " + f.getMessage();
    }

    public CompletableFuture<Void> closed() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.closeFuture().addListener(x -> f.complete(null));
        return f;
    }

    @Override
    public void close() {
        channel.close();
    }

    private CompletableFuture<JsonNode> call(String method, ArrayNode params) {
        return call(method, params, g -> { }, (result, failure) -> { });
    }

    /** Sends {"method": method, "params": [params..., more...], "id": a fresh id} (RFC 7047 4.1). */
    private CompletableFuture<JsonNode> call(String method, ArrayNode params, Operations more,
            BiConsumer<JsonNode, Throwable> settled) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        // Attached before the request goes out, so it runs on the thread completing the reply.
        CompletableFuture<JsonNode> result = reply.whenComplete(settled);
        pending.put(id, new Pending(method, reply));
        channel.writeAndFlush(new Request(method, params, more, id)).addListener(f -> {
            if (!f.isSuccess()) {
                fail(id, new IOException("cannot send " + method + ": " + f.cause(), f.cause()));
            }
        });
        channel.eventLoop().schedule(() -> {
            if (pending.containsKey(id)) {
                cancel(id);
                fail(id, new TimeoutException(method + " got no reply within " + requestTimeout.toMillis() + " ms"));
            }
        }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    /**
     * RFC 7047 4.1.4: asks the server to abandon request {@code id} (it matters for "wait"
     * operations that block); any late reply is then dropped.
     */
    private void cancel(long id) {
        ObjectNode note = NODES.objectNode().put("method", "cancel");
        note.set("params", NODES.arrayNode().add(id));
        note.putNull("id");
        channel.writeAndFlush(note);
    }

    private boolean awaitsOtherReplies() {
        return pending.values().stream().anyMatch(p -> !p.method.equals("echo"));
    }

    private void fail(long id, Throwable cause) {
        Pending p = pending.remove(id);
        if (p != null) {
            p.result.completeExceptionally(cause);
        }
    }

    private void failAll(Throwable cause) {
        pending.keySet().forEach(id -> fail(id, cause));
    }

    private void received(ChannelHandlerContext ctx, JsonNode msg, BiConsumer<String, JsonNode> notifications) {
        JsonNode id = msg.get("id");
        JsonNode method = msg.get("method");
        if (method != null && method.isTextual()) {
            if (id == null || id.isNull()) {
                notifications.accept(method.asText(), msg.path("params"));
            } else if (method.asText().equals("echo")) {
                ObjectNode reply = NODES.objectNode();
                reply.set("result", msg.path("params"));
                reply.putNull("error");
                reply.set("id", id);
                ctx.writeAndFlush(reply);
            } else {
                ObjectNode reply = NODES.objectNode().putNull("result").put("error", "unknown method");
                reply.set("id", id);
                ctx.writeAndFlush(reply);
            }
            return;
        }
        Pending p = id != null && id.canConvertToLong() ? pending.remove(id.asLong()) : null;
        if (p == null) {
            return; // a reply to a request we cancelled after its timeout
        }
        JsonNode error = msg.path("error");
        if (!error.isMissingNode() && !error.isNull()) {
            p.result.completeExceptionally(new OvsdbRpcException(p.method, error.toString()));
        } else {
            p.result.complete(msg.path("result"));
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        private final BiConsumer<String, JsonNode> notifications;
        volatile OvsdbConnection connection;
        volatile Throwable failure;
        private boolean probing;

        private final long probeMillis;

        Handler(BiConsumer<String, JsonNode> notifications, long probeMillis) {
            this.notifications = notifications;
            this.probeMillis = probeMillis;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws IOException {
            probing = false;
            JsonNode msg = JSON.readTree((InputStream) new ByteBufInputStream(frame));
            if (connection != null) {
                connection.received(ctx, msg, notifications);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (!(evt instanceof IdleStateEvent) || connection == null) {
                super.userEventTriggered(ctx, evt);
            } else if (probing && connection.awaitsOtherReplies()) {
                return; // a big transaction keeps a single-threaded server silent; its timeout bounds the wait
            } else if (probing) {
                failure = new IOException("no reply to an echo probe within " + 2 * probeMillis + " ms");
                ctx.close();
            } else {
                probing = true;
                connection.echo();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause; // a TLS handshake failure, a reset, an unparsable message
            ctx.close();
        }
    }

    /** A request as it goes out; its params end with what {@code more} writes. */
    private static final class Request extends JsonSerializable.Base {
        private final String method;
        private final ArrayNode params;
        private final Operations more;
        private final long id;

        Request(String method, ArrayNode params, Operations more, long id) {
            this.method = method;
            this.params = params;
            this.more = more;
            this.id = id;
        }

        @Override
        public void serialize(JsonGenerator g, SerializerProvider serializers) throws IOException {
            g.writeStartObject();
            g.writeStringField("method", method);
            g.writeArrayFieldStart("params");
            for (JsonNode p : params) {
                g.writeTree(p);
            }
            more.write(g);
            g.writeEndArray();
            g.writeNumberField("id", id);
            g.writeEndObject();
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider serializers, TypeSerializer typeSer)
                throws IOException {
            serialize(g, serializers);
        }
    }

    /** Writes requests and the JSON objects this side answers with (echo replies, cancel). */
    private static final class JsonEncoder extends MessageToByteEncoder<Object> {
        @Override
        public boolean acceptOutboundMessage(Object msg) {
            return msg instanceof JsonNode || msg instanceof Request;
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) throws IOException {
            JSON.writeValue((OutputStream) new ByteBufOutputStream(out), msg);
        }
    }
}
