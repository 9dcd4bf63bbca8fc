package io.cairn.node.bgp.wire;

/** RFC 5952 text form of IPv6 addresses; Java's own form never compresses zeros. */
final class Ipv6Text {

    private Ipv6Text() {
    }

    /** Compresses the longest run (of two or more) of zero groups to "::", lowercase hex. */
    static String compress(String javaForm) {
        String[] groups = javaForm.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < groups.length; ) {
            if (Integer.parseInt(groups[i], 16) == 0) {
                int j = i;
                while (j < groups.length && Integer.parseInt(groups[j], 16) == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(Integer.parseInt(groups[i], 16)));
            if (i < groups.length - 1) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
