package io.cairn.node.bgp.wire;

import java.util.ArrayList;
import java.util.List;

import static io.cairn.node.bgp.wire.NotificationCode.UPDATE_MESSAGE_ERROR;

/**
 * The RFC 7606 errors found in one UPDATE. Session resets are thrown at once (nothing is
 * stronger); the others are collected, and when several occur the strongest approach wins
 * (RFC 7606 3.h): treat-as-withdraw over attribute discard.
 */
final class UpdateErrors {

    /** RFC 7606 section 2, weakest first so that ordinal order is strength order. */
    enum Approach { NONE, ATTRIBUTE_DISCARD, TREAT_AS_WITHDRAW, SESSION_RESET }

    private record Finding(Approach approach, int attributeType, NotificationMessage notification, String reason) {
    }

    private final List<Finding> findings = new ArrayList<>(2);
    private Approach strongest = Approach.NONE;

    void discard(int attributeType, String reason) {
        add(new Finding(Approach.ATTRIBUTE_DISCARD, attributeType, null, reason));
    }

    /**
     * @param subcode and {@code data}: the NOTIFICATION RFC 4271 6.3 would have sent, kept
     *        because RFC 7606 5.2 can still turn this into a session reset
     */
    void withdraw(int attributeType, int subcode, byte[] data, String reason) {
        add(new Finding(Approach.TREAT_AS_WITHDRAW, attributeType,
                new NotificationMessage(UPDATE_MESSAGE_ERROR, subcode, data), reason));
    }

    /** The exception to throw for a session reset (RFC 7606 2): an UPDATE Message Error. */
    static BgpProtocolException reset(int subcode, byte[] data, String reason) {
        return new BgpProtocolException(UPDATE_MESSAGE_ERROR, subcode, data, reason);
    }

    Approach strongest() {
        return strongest;
    }

    /**
     * RFC 7606 5.2: an UPDATE with attributes but no reachable NLRI cannot be trusted to have
     * been parsed right, so an error stronger than attribute discard resets the session. The
     * NOTIFICATION is that of the first such error.
     */
    BgpProtocolException escalated() {
        for (Finding f : findings) {
            if (f.approach == Approach.TREAT_AS_WITHDRAW) {
                return new BgpProtocolException(f.notification,
                        f.reason + " in an UPDATE without reachable NLRI (RFC 7606 5.2)");
            }
        }
        throw new IllegalStateException("no treat-as-withdraw error to escalate");
    }

    /** Tells the listener of the errors that decided the outcome (those of the strongest approach). */
    void report(MalformedUpdateListener listener) {
        MalformedUpdateListener.Action action = strongest == Approach.TREAT_AS_WITHDRAW
                ? MalformedUpdateListener.Action.TREAT_AS_WITHDRAW
                : MalformedUpdateListener.Action.ATTRIBUTE_DISCARD;
        for (Finding f : findings) {
            if (f.approach == strongest) {
                listener.onMalformed(action, f.attributeType, f.reason);
            }
        }
    }

    private void add(Finding f) {
        findings.add(f);
        if (f.approach.compareTo(strongest) > 0) {
            strongest = f.approach;
        }
    }
}
