package io.cairn.node.bgp.wire;

import java.nio.charset.StandardCharsets;

final class Utf8 {

    private Utf8() {
    }

    /** UTF-8 bytes of {@code s}, cut to at most {@code max} octets without splitting a character. */
    static byte[] truncate(String s, int max) {
        byte[] all = s.getBytes(StandardCharsets.UTF_8);
        if (all.length <= max) {
            return all;
        }
        int end = max;
        while (end > 0 && (all[end] & 0xC0) == 0x80) {
            end--; // all[end] is a continuation octet: the character starting before it does not fit
        }
        byte[] cut = new byte[end];
        System.arraycopy(all, 0, cut, 0, end);
        return cut;
    }
}
