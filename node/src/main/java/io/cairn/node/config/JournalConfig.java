package io.cairn.node.config;

import java.nio.file.Path;

/**
 * Where the node journals what it learns (DESIGN.md, "event sourced"), and how often it snapshots.
 *
 * @param dir the journal directory; null for a temporary journal that does not survive the
 *            process (the demo, tests): a restart then starts from an empty RIB
 * @param snapshotRecords records appended between two snapshots at the least; past that, a
 *            snapshot is due once the journal since the last one holds as many records as that
 *            snapshot did, so replay and disk stay within about twice the RIB's size
 */
public record JournalConfig(Path dir, long snapshotRecords) {

    public static final long DEFAULT_SNAPSHOT_RECORDS = 100_000;
    public static final JournalConfig TEMPORARY = new JournalConfig(null, DEFAULT_SNAPSHOT_RECORDS);
}
