package io.cairn.cluster.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/**
 * The id of one history of a journal, in its {@code incarnation} file: a new journal gets a random
 * one, and so does a journal whose tail repair dropped records, because the indices of what it
 * appends next reuse the dropped ones with other contents. A reader that resumes after an index
 * it holds compares incarnations first: the same index in another incarnation is another record.
 */
final class Incarnation {

    static final String FILE = "incarnation";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Incarnation() {
    }

    /**
     * The journal's incarnation: the stored one, or a new one stored now (written to a temporary
     * file and renamed over, so it is whole or absent) when there is none or {@code historyRewritten}.
     */
    static long of(Path dir, boolean historyRewritten) throws IOException {
        Path file = dir.resolve(FILE);
        if (!historyRewritten && Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            try {
                return Long.parseUnsignedLong(text, 16);
            } catch (NumberFormatException e) {
                throw new IOException(file + " holds '" + text + "', not a journal incarnation (16 hex digits)", e);
            }
        }
        long id;
        do {
            id = RANDOM.nextLong();
        } while (id == 0); // 0 stands for "unknown" in the replication protocol
        Path temp = dir.resolve(FILE + ".tmp");
        Files.writeString(temp, Long.toHexString(id) + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return id;
    }
}
