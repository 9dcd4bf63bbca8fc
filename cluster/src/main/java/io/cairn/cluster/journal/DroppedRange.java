package io.cairn.cluster.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * What one repair at open moved aside.
 *
 * @param cycleFile the cycle file where the damage starts
 * @param firstDroppedIndex the first index no longer in the journal; everything from it to the old
 *     end is gone from the journal (kept in quarantine)
 * @param lastKeptIndex the last record kept, or -1 when the journal kept nothing before the damage
 * @param position byte offset in {@code cycleFile} where the damage was found, or -1 if unknown
 * @param reason what was wrong
 * @param quarantine the directory holding the original damaged file and every later cycle file
 * @param laterFiles later cycle files moved to quarantine whole
 */
public record DroppedRange(
        Path cycleFile,
        long firstDroppedIndex,
        long lastKeptIndex,
        long position,
        String reason,
        Path quarantine,
        List<String> laterFiles) {

    @Override
    public String toString() {
        return "dropped journal records from index " + RecordFormat.hex(firstDroppedIndex) + " to the end ("
                + cycleFile.getFileName() + (position >= 0 ? " at byte " + position : "")
                + (laterFiles.isEmpty() ? "" : " and later cycle files " + laterFiles) + "): " + reason
                + "; last record kept " + (lastKeptIndex < 0 ? "none" : RecordFormat.hex(lastKeptIndex))
                + "; originals moved to " + quarantine;
    }
}
