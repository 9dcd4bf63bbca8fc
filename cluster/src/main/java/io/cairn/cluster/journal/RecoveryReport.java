package io.cairn.cluster.journal;

import java.util.List;

/** What opening the journal repaired: empty when the journal was intact. */
public record RecoveryReport(List<DroppedRange> dropped) {
    public RecoveryReport {
        dropped = List.copyOf(dropped);
    }

    public boolean intact() {
        return dropped.isEmpty();
    }
}
