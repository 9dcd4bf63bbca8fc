package io.cairn.sdn;

/**
 * How the writer of a sync follows {@link SdnDriver#apply(long, java.util.List, BatchProgress)}:
 * asked before each batch is sent whether to go on, told of each batch the SDN has taken.
 */
public interface BatchProgress {

    /** Sends every batch and counts nothing. */
    BatchProgress ALL = new BatchProgress() {
        @Override
        public boolean proceed() {
            return true;
        }

        @Override
        public void written() {
        }
    };

    /** False stops the sync before the next batch is sent (leadership was lost). */
    boolean proceed();

    /** One more batch has been applied. */
    void written();
}
