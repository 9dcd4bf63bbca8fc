package io.cairn.node.journal;

import java.util.function.Predicate;

/**
 * A consistent capture of every Adj-RIB-In, taken by the RIB thread at a snapshot's SNAPSHOT_BEGIN
 * and written out by the journal writer's thread: the shortest history of {@link BgpRecord}s that
 * rebuilds that state when replayed from an empty RIB.
 */
public interface SnapshotSource {

    /** Hands the records to {@code out} in order; stops and returns false as soon as {@code out} does. */
    boolean writeTo(Predicate<BgpRecord> out);

    /** Paths in the capture. */
    long paths();
}
