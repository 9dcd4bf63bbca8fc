package io.cairn.sdn;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP address literals as drivers read them back from an SDN: parsed strictly, never resolved by DNS. */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** "10.1.1.4" or "fd00::4"; anything else (a name, an empty string) is refused. */
    public static InetAddress parse(String text) {
        // InetAddress.getByName would look a name up in DNS; only digits, hex, dots and colons pass.
        if (text.isEmpty() || !text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'", e);
        }
    }
}
