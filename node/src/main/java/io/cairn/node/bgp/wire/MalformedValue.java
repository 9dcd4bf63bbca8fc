package io.cairn.node.bgp.wire;

/**
 * A field of an UPDATE that does not parse: what RFC 4271 6.3 would put in the NOTIFICATION
 * (the subcode), thrown by the small parsers and turned into an RFC 7606 action by the caller,
 * which knows the attribute and its error-handling approach.
 */
final class MalformedValue extends Exception {

    private static final long serialVersionUID = 1L;

    private final int subcode;

    MalformedValue(int subcode, String reason) {
        super(reason, null, false, false); // control flow on bad input: no stack trace
        this.subcode = subcode;
    }

    /** The UPDATE Message Error subcode RFC 4271 6.3 gives this error. */
    int subcode() {
        return subcode;
    }
}
