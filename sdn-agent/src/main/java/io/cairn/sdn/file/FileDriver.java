package io.cairn.sdn.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.sdn.FencedException;
import io.cairn.sdn.IpLiteral;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnDriver;
import io.cairn.sdn.SdnException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The route table as one JSON document, for the demo, tests and for anything that consumes a file
 * (a script, a config management run):
 * <pre>{"epoch": 3, "routes": {"0.0.0.0/0": ["10.1.2.4"], "10.250.0.0/16": ["10.1.1.4"]}}</pre>
 * Every route in the file is Cairn's.
 *
 * <p>Writes are atomic: the new document goes to a temporary file in the same directory, is
 * fsynced and renamed over the old one (rename within a directory is atomic on POSIX file
 * systems), then the directory is fsynced so the rename survives a crash. A reader sees the old
 * document or the new one, never half of one.
 *
 * <p>Fencing: the file's "epoch" is the highest that wrote it. A write with a lower epoch is
 * refused with {@link FencedException}; read-check-write is held under a lock file beside the
 * document ({@code NAME.lock}, an OS file lock between processes and a monitor within one JVM), so
 * two writers cannot both pass the check.
 *
 * <p>A missing file reads as an empty table. A file that is not a valid route document is a
 * non-retryable error naming the file, and it is never overwritten: the path may be a typo that
 * points at someone else's file, or the operator's own edit gone wrong, and replacing it would
 * destroy what is there. Programming stops (the RIB keeps running, health shows the error) until
 * the operator fixes or deletes the file; the reconciler tries again at every drift repair tick,
 * so no restart is needed.
 */
public final class FileDriver implements SdnDriver {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** One monitor per document within this JVM: FileChannel.lock is per process, not per thread. */
    private static final Map<Path, Object> LOCAL_LOCKS = new ConcurrentHashMap<>();

    private final Path path;
    private final Path lockPath;

    public FileDriver(Path path) {
        this.path = path.toAbsolutePath().normalize();
        this.lockPath = this.path.resolveSibling(this.path.getFileName() + ".lock");
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public RouteTable read() throws SdnException {
        return load().table();
    }

    @Override
    public void apply(long epoch, RouteDiff diff) throws SdnException {
        synchronized (LOCAL_LOCKS.computeIfAbsent(path, p -> new Object())) {
            try (FileChannel lockChannel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockChannel.lock()) {
                Document current = load();
                if (epoch < current.epoch()) {
                    throw new FencedException(epoch, current.epoch());
                }
                if (epoch == current.epoch() && diff.isEmpty() && Files.exists(path)) {
                    return; // nothing would change
                }
                Map<IpPrefix, Set<InetAddress>> routes = new HashMap<>(current.table().routes());
                routes.putAll(diff.upserts());
                routes.keySet().removeAll(diff.removals());
                replace(render(new Document(epoch, new RouteTable(routes))));
            } catch (IOException e) {
                throw ioFailure("cannot write", e);
            }
        }
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    /** The document now: epoch 0 and no routes if the file does not exist. */
    private Document load() throws SdnException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return new Document(0, RouteTable.EMPTY);
        } catch (IOException e) {
            throw ioFailure("cannot read", e);
        }
        try {
            return parse(JSON.readTree(bytes));
        } catch (IOException | IllegalArgumentException e) {
            String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new SdnException(path + ": not a Cairn route file (" + reason + "); Cairn will not overwrite it:"
                    + " fix it or delete it, and programming resumes at the next drift repair", false, e);
        }
    }

    private static Document parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("expected an object with \"epoch\" and \"routes\"");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("epoch") && !key.equals("routes")) {
                throw new IllegalArgumentException("unknown key \"" + key + "\"");
            }
        }
        JsonNode epoch = root.get("epoch");
        if (epoch == null || !epoch.canConvertToLong() || !epoch.isIntegralNumber() || epoch.longValue() < 0) {
            throw new IllegalArgumentException("\"epoch\" must be a non-negative integer");
        }
        JsonNode routes = root.get("routes");
        if (routes == null || !routes.isObject()) {
            throw new IllegalArgumentException("\"routes\" must be an object of prefix to next hops");
        }
        Map<IpPrefix, Set<InetAddress>> table = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = routes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            IpPrefix prefix = IpPrefix.parse(e.getKey());
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new IllegalArgumentException(e.getKey() + ": next hops must be a non-empty list");
            }
            Set<InetAddress> hops = new java.util.HashSet<>();
            for (JsonNode hop : e.getValue()) {
                if (!hop.isTextual()) {
                    throw new IllegalArgumentException(e.getKey() + ": next hop " + hop + " is not a string");
                }
                hops.add(IpLiteral.parse(hop.textValue()));
            }
            table.put(prefix, hops);
        }
        return new Document(epoch.longValue(), new RouteTable(table));
    }

    /** Prefixes and next hops in order, so the same table always gives the same bytes. */
    private static byte[] render(Document doc) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        root.put("epoch", doc.epoch());
        ObjectNode routes = root.putObject("routes");
        doc.table().routes().forEach((prefix, hops) -> {
            var list = routes.putArray(prefix.toString());
            new TreeSet<>(hops.stream().map(InetAddress::getHostAddress).toList()).forEach(list::add);
        });
        return JSON.writeValueAsBytes(root);
    }

    /** Write-temp, fsync, rename over, fsync the directory. */
    private void replace(byte[] bytes) throws IOException {
        Path dir = path.getParent();
        Path temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /**
     * Permission problems need the operator; anything else (a directory not mounted yet, a full
     * disk) may pass, so it is retried.
     */
    private SdnException ioFailure(String what, IOException e) {
        boolean permission = e instanceof AccessDeniedException;
        return new SdnException(path + ": " + what + ": " + e, !permission, e);
    }

    private record Document(long epoch, RouteTable table) {
    }
}
