package io.cairn.cluster.membership;

import io.cairn.cluster.replication.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One node of the cluster as the others see it: its id and where its journal is served.
 * Stored in its member znode as two "key=value" lines, readable with {@code zkCli get}.
 *
 * @param endpoint the replication endpoint, "host:port" (IPv6 host in brackets), never a wildcard
 *     address; {@link Endpoint#toPublish} makes it from the listen address
 */
public record Member(String id, String endpoint) {

    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpoint, "endpoint");
        if (id.isEmpty() || id.contains("/") || id.contains("\n")) {
            throw new IllegalArgumentException("member id must be non-empty, without '/' or newline: '" + id + "'");
        }
        if (endpoint.contains("\n")) {
            throw new IllegalArgumentException("endpoint must be one line: '" + endpoint + "'");
        }
        // Never publish (nor dial) a wildcard: see Endpoint.toPublish for the address to use.
        Endpoint.parse(endpoint);
    }

    byte[] encode() {
        return ("id=" + id + "\nreplication=" + endpoint + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The member stored at a znode; throws with the offending text if it is not ours. */
    static Member decode(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String id = null;
        String endpoint = null;
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            if (key.equals("id")) {
                id = value;
            } else if (key.equals("replication")) {
                endpoint = value;
            }
        }
        if (id == null || endpoint == null) {
            throw new IllegalArgumentException("not a Cairn member entry (needs id= and replication=): '" + text + "'");
        }
        return new Member(id, endpoint);
    }
}
