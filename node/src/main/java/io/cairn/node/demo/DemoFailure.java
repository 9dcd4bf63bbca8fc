package io.cairn.node.demo;

/** A step of the demo did not do what it promises; the message says what, in one line. */
public final class DemoFailure extends Exception {

    private final boolean permanent;

    /** A failure that waiting longer may cure (a node not answering yet): {@link Poll} tries again. */
    public DemoFailure(String message) {
        this(message, false, null);
    }

    public DemoFailure(String message, Throwable cause) {
        this(message, false, cause);
    }

    /** @param permanent waiting cannot cure it (a node process exited): {@link Poll} gives up at once */
    DemoFailure(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    boolean permanent() {
        return permanent;
    }
}
