package io.cairn.cluster.replication;

import java.io.IOException;

/** The local replica of each origin, by origin member id. */
@FunctionalInterface
public interface RecordSinks {

    /** The replica of {@code origin}, the same one for every call; opened on first use. */
    RecordSink of(String origin) throws IOException;
}
