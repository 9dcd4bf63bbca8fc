package io.cairn.node.bgp.wire;

/**
 * Told of every RFC 7606 error the UPDATE decoder recovered from, so the session can log and
 * count it. Errors that reset the session are thrown as {@link BgpProtocolException} instead.
 */
@FunctionalInterface
public interface MalformedUpdateListener {

    MalformedUpdateListener IGNORE = (action, attributeType, reason) -> { };

    /** RFC 7606 section 2's approaches short of session reset. */
    enum Action {
        /** The attribute was dropped, the rest of the UPDATE is used (RFC 7606 2). */
        ATTRIBUTE_DISCARD,
        /** Every prefix of the UPDATE is treated as withdrawn (RFC 7606 2). */
        TREAT_AS_WITHDRAW,
    }

    /** @param attributeType the offending attribute's type code, or 0 when none is to blame */
    void onMalformed(Action action, int attributeType, String reason);
}
