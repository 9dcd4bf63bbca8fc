package io.cairn.node.bgp.wire;

/**
 * A protocol error that ends the session: the NOTIFICATION to send before closing (RFC 4271 6,
 * RFC 7606 "session reset").
 */
public final class BgpProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient NotificationMessage notification;

    public BgpProtocolException(NotificationMessage notification, String detail) {
        super(notification + ": " + detail);
        this.notification = notification;
    }

    public BgpProtocolException(int code, int subcode, byte[] data, String detail) {
        this(new NotificationMessage(code, subcode, data), detail);
    }

    public BgpProtocolException(int code, int subcode, String detail) {
        this(new NotificationMessage(code, subcode), detail);
    }

    public NotificationMessage notification() {
        return notification;
    }
}
