package io.cairn.node.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each departed member left, in a {@code departed} file beside its replica (epoch
 * milliseconds), so that the persist time counts from its departure across this node's restarts:
 * a member that left long ago does not bring its routes back for another persist time when this
 * node restarts. A member that left while this node was down has no note: its routes count from
 * this node's start (fail static: it may still come back).
 */
final class Departures {

    private static final Logger LOG = LoggerFactory.getLogger(Departures.class);
    static final String FILE = "departed";

    private final Function<String, Path> replicaDir;

    /** @param replicaDir the directory of an origin's replica */
    Departures(Function<String, Path> replicaDir) {
        this.replicaDir = replicaDir;
    }

    /** Notes that {@code origin} left at {@code at}; a failure to write is logged, and costs only the note. */
    void left(String origin, Instant at) {
        Path dir = replicaDir.apply(origin);
        if (!Files.isDirectory(dir)) {
            return; // nothing of it is held
        }
        try {
            Path temp = dir.resolve(FILE + ".tmp");
            Files.writeString(temp, at.toEpochMilli() + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, dir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("origin {}: cannot note its departure in {}: {}", origin, dir, e.toString());
        }
    }

    void joined(String origin) {
        try {
            Files.deleteIfExists(replicaDir.apply(origin).resolve(FILE));
        } catch (IOException e) {
            LOG.warn("origin {}: cannot remove its departure note: {}", origin, e.toString());
        }
    }

    /** When {@code origin} left, if noted (an unreadable note counts as none). */
    Optional<Instant> of(String origin) {
        Path file = replicaDir.apply(origin).resolve(FILE);
        try {
            return Files.exists(file) ? Optional.of(Instant.ofEpochMilli(
                    Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()))) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.warn("origin {}: its departure note {} is unreadable ({}); it counts from now", origin, file, e.toString());
            return Optional.empty();
        }
    }
}
