package io.cairn.cluster.replication;

import java.nio.ByteBuffer;

/** Receives one journal record: its bytes are {@code payload}'s remaining ones, valid only during the call. */
@FunctionalInterface
public interface RecordHandler {

    void onRecord(long index, short type, ByteBuffer payload);
}
