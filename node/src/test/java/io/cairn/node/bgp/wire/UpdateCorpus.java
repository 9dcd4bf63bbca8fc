package io.cairn.node.bgp.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** /work/shared/corpus/bgp-updates.txt: real UPDATEs, see its README.txt. */
public record UpdateCorpus(String id, Set<String> flags, String source, byte[] message) {

    static Path file() {
        String shared = System.getProperty("cairn.shared.dir");
        Path dir = shared != null ? Path.of(shared) : Path.of("..", "..", "shared");
        return dir.resolve("corpus").resolve("bgp-updates.txt");
    }

    public static List<UpdateCorpus> load() {
        try {
            List<UpdateCorpus> all = new ArrayList<>();
            for (String line : Files.readAllLines(file())) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                all.add(new UpdateCorpus(f[0], Set.of(f[1].split(",")), f[2], Wire.hex(f[3])));
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    @Override
    public String toString() {
        return id + " " + flags + " " + source;
    }
}
