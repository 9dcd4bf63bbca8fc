package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;

/**
 * What one connection's decoder and encoder share. The decoder switches to the negotiated
 * format the moment it decodes the peer's OPEN, on the I/O thread, so the next message (which
 * may already be in the same read) is decoded right whatever the FSM thread is doing.
 */
final class WireContext {

    private final OpenMessage localOpen;
    private volatile Negotiated negotiated = Negotiated.DEFAULT;

    WireContext(OpenMessage localOpen) {
        this.localOpen = localOpen;
    }

    Negotiated negotiated() {
        return negotiated;
    }

    void remoteOpen(OpenMessage remote) {
        negotiated = Negotiated.of(localOpen, remote);
    }
}
