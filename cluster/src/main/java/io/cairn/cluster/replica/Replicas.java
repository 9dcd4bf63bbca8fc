package io.cairn.cluster.replica;

import io.cairn.cluster.journal.JournalOpenException;
import io.cairn.cluster.journal.JournalOptions;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every origin's replica on this node, one {@link ReplicaJournal} per origin member id in
 * {@code <journal dir>/replicas/<origin id>/}. Opening finds the replicas already on disk, so a
 * restarted node reads the origins it held before, members now or not, and each subscription
 * resumes from its replica's last origin index.
 */
public final class Replicas implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(Replicas.class);
    /** The subdirectory of the node's journal directory that holds the replicas. */
    public static final String DIRECTORY = "replicas";
    /** Member ids become directory names: nothing that could leave the directory or hide in it. */
    private static final Pattern ORIGIN_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    private final Path dir;
    private final JournalOptions options;
    private final Map<String, ReplicaJournal> replicas = new TreeMap<>();

    private Replicas(Path dir, JournalOptions options) {
        this.dir = dir;
        this.options = options;
    }

    /**
     * Opens every replica under {@code journalDir}/replicas (creating the directory), repairing
     * damaged tails as {@link io.cairn.cluster.journal.Journal#open} does.
     */
    public static Replicas open(Path journalDir, JournalOptions options) throws JournalOpenException {
        Path dir = journalDir.resolve(DIRECTORY);
        Replicas replicas = new Replicas(dir, options);
        try {
            Files.createDirectories(dir);
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.filter(Files::isDirectory).sorted().toList()) {
                    replicas.replica(entry.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            replicas.close();
            if (e instanceof JournalOpenException) {
                throw (JournalOpenException) e;
            }
            throw new JournalOpenException("cannot open the replicas in " + dir + ": " + e.getMessage(), e);
        }
        return replicas;
    }

    /**
     * The replica of {@code origin}, opened (and created) on first use.
     *
     * @throws JournalOpenException it cannot be opened, or {@code origin} cannot name a directory
     */
    public synchronized ReplicaJournal replica(String origin) throws JournalOpenException {
        ReplicaJournal replica = replicas.get(origin);
        if (replica == null) {
            if (!ORIGIN_ID.matcher(origin).matches()) {
                throw new JournalOpenException("member id '" + origin + "' cannot name a replica directory: use letters,"
                        + " digits, '.', '_' and '-' (128 at most), not starting with '.' or '-'");
            }
            replica = ReplicaJournal.open(origin, dir.resolve(origin), options);
            replicas.put(origin, replica);
        }
        return replica;
    }

    /** The directory of {@code origin}'s replica (which may not exist), for notes kept beside it. */
    public Path directory(String origin) {
        return dir.resolve(origin);
    }

    /** The replicas open now, by origin id. */
    public synchronized Map<String, ReplicaJournal> all() {
        return Map.copyOf(replicas);
    }

    /** The last origin index held, per origin ({@link io.cairn.cluster.replication.RecordSource#NONE} if none). */
    public synchronized Map<String, Long> lastIndexes() {
        Map<String, Long> last = new TreeMap<>();
        replicas.forEach((origin, replica) -> last.put(origin, replica.lastIndex()));
        return last;
    }

    /** Closes every replica. Stop the subscriptions that append to them (the ReplicationManager) first. */
    @Override
    public synchronized void close() {
        for (ReplicaJournal replica : replicas.values()) {
            try {
                replica.close();
            } catch (IOException e) {
                LOG.warn("replica of {}: close failed: {}", replica.origin(), e.toString());
            }
        }
        replicas.clear();
    }
}
