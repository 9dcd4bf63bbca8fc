package io.cairn.node.bgp.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** NOTIFICATION (RFC 4271 4.5): an error code, a subcode and data whose meaning depends on both. */
public record NotificationMessage(int code, int subcode, byte[] data) implements BgpMessage {

    /** RFC 9003 section 2: the shutdown communication is at most 255 octets of UTF-8. */
    public static final int MAX_SHUTDOWN_COMMUNICATION = 255;

    public NotificationMessage {
        if (code < 0 || code > 255 || subcode < 0 || subcode > 255) {
            throw new IllegalArgumentException("code/subcode are one octet: " + code + "/" + subcode);
        }
        data = data.clone();
    }

    public NotificationMessage(int code, int subcode) {
        this(code, subcode, new byte[0]);
    }

    /**
     * A Cease with a shutdown communication (RFC 9003): subcode Administrative Shutdown or
     * Administrative Reset, data = length octet + UTF-8 text, truncated to whole characters.
     */
    public static NotificationMessage cease(int subcode, String communication) {
        byte[] text = Utf8.truncate(communication, MAX_SHUTDOWN_COMMUNICATION);
        byte[] data = new byte[text.length + 1];
        data[0] = (byte) text.length;
        System.arraycopy(text, 0, data, 1, text.length);
        return new NotificationMessage(NotificationCode.CEASE, subcode, data);
    }

    @Override
    public int type() {
        return NOTIFICATION;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The RFC 9003 shutdown communication, when this is a Cease that carries a well-formed one. */
    public Optional<String> shutdownCommunication() {
        if (code != NotificationCode.CEASE
                || (subcode != NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN
                    && subcode != NotificationCode.CEASE_ADMINISTRATIVE_RESET)
                || data.length == 0 || (data[0] & 0xFF) != data.length - 1) {
            return Optional.empty();
        }
        return Optional.of(new String(data, 1, data.length - 1, StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NotificationMessage n && n.code == code && n.subcode == subcode
                && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
        return (code * 256 + subcode) * 31 + Arrays.hashCode(data);
    }

    /** Operator-readable: names, the shutdown communication if any, else the data in hex. */
    @Override
    public String toString() {
        String text = NotificationCode.describe(code, subcode);
        Optional<String> comm = shutdownCommunication();
        if (comm.isPresent()) {
            return text + " \"" + comm.get() + "\"";
        }
        return data.length == 0 ? text : text + " data " + HexFormat.of().formatHex(data);
    }
}
