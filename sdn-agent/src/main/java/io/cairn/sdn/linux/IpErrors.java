package io.cairn.sdn.linux;

import java.util.List;
import java.util.Locale;

/**
 * Sorts the kernel's and ip's error messages into "back off and try again" and "needs the
 * operator". Unknown messages count as needing the operator: they are shown in health and tried
 * again at the next drift repair rather than hammered.
 */
final class IpErrors {

    /** Problems that may pass by themselves: an interface not up yet, a busy or short kernel. */
    private static final List<String> PASSING = List.of(
            "nexthop has invalid gateway", "network is unreachable", "no route to host",
            "device or resource busy", "resource temporarily unavailable", "no buffer space available",
            "cannot allocate memory", "nexthop device is not up");

    private IpErrors() {
    }

    static boolean retryable(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return PASSING.stream().anyMatch(m::contains);
    }

    /** "the FIB table does not exist" is how the kernel says an IPv6 or IPv4 table is still empty. */
    static boolean emptyTable(String stderr) {
        return stderr.contains("FIB table does not exist");
    }

    /** A route delete that found nothing: the goal (no such route) is already met. */
    static boolean alreadyGone(String message) {
        return message.contains("No such process");
    }
}
