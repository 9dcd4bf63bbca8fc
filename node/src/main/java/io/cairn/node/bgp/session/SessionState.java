package io.cairn.node.bgp.session;

/** The states of RFC 4271 section 8.2.2, in the order a session climbs them. */
public enum SessionState {
    IDLE, CONNECT, ACTIVE, OPEN_SENT, OPEN_CONFIRM, ESTABLISHED;

    /** Name as operators know it from birdc and vtysh. */
    public String displayName() {
        return switch (this) {
            case IDLE -> "Idle";
            case CONNECT -> "Connect";
            case ACTIVE -> "Active";
            case OPEN_SENT -> "OpenSent";
            case OPEN_CONFIRM -> "OpenConfirm";
            case ESTABLISHED -> "Established";
        };
    }
}
