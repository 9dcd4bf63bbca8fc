package io.cairn.node.bgp.wire;

/**
 * Error codes and subcodes of NOTIFICATION: RFC 4271 4.5 and 6, Cease subcodes of RFC 4486
 * (updated by RFC 9003), Route-Refresh message error of RFC 7313, RFC 8538's Hard Reset.
 */
public final class NotificationCode {

    private NotificationCode() {
    }

    public static final int MESSAGE_HEADER_ERROR = 1;
    public static final int OPEN_MESSAGE_ERROR = 2;
    public static final int UPDATE_MESSAGE_ERROR = 3;
    public static final int HOLD_TIMER_EXPIRED = 4;
    public static final int FSM_ERROR = 5;
    public static final int CEASE = 6;
    /** RFC 7313 section 5. */
    public static final int ROUTE_REFRESH_MESSAGE_ERROR = 7;

    // Message Header Error subcodes (RFC 4271 6.1)
    public static final int CONNECTION_NOT_SYNCHRONIZED = 1;
    public static final int BAD_MESSAGE_LENGTH = 2;
    public static final int BAD_MESSAGE_TYPE = 3;

    // OPEN Message Error subcodes (RFC 4271 6.2; 5 is deprecated; 7 from RFC 5492)
    public static final int UNSUPPORTED_VERSION_NUMBER = 1;
    public static final int BAD_PEER_AS = 2;
    public static final int BAD_BGP_IDENTIFIER = 3;
    public static final int UNSUPPORTED_OPTIONAL_PARAMETER = 4;
    public static final int UNACCEPTABLE_HOLD_TIME = 6;
    public static final int UNSUPPORTED_CAPABILITY = 7;

    // UPDATE Message Error subcodes (RFC 4271 6.3; 7 is deprecated)
    public static final int MALFORMED_ATTRIBUTE_LIST = 1;
    public static final int UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE = 2;
    public static final int MISSING_WELL_KNOWN_ATTRIBUTE = 3;
    public static final int ATTRIBUTE_FLAGS_ERROR = 4;
    public static final int ATTRIBUTE_LENGTH_ERROR = 5;
    public static final int INVALID_ORIGIN_ATTRIBUTE = 6;
    public static final int INVALID_NEXT_HOP_ATTRIBUTE = 8;
    public static final int OPTIONAL_ATTRIBUTE_ERROR = 9;
    public static final int INVALID_NETWORK_FIELD = 10;
    public static final int MALFORMED_AS_PATH = 11;

    // FSM Error subcodes (RFC 6608)
    public static final int FSM_UNEXPECTED_IN_OPENSENT = 1;
    public static final int FSM_UNEXPECTED_IN_OPENCONFIRM = 2;
    public static final int FSM_UNEXPECTED_IN_ESTABLISHED = 3;

    // Cease subcodes (RFC 4486, RFC 9003, RFC 8538)
    public static final int CEASE_MAXIMUM_PREFIXES_REACHED = 1;
    public static final int CEASE_ADMINISTRATIVE_SHUTDOWN = 2;
    public static final int CEASE_PEER_DECONFIGURED = 3;
    public static final int CEASE_ADMINISTRATIVE_RESET = 4;
    public static final int CEASE_CONNECTION_REJECTED = 5;
    public static final int CEASE_OTHER_CONFIGURATION_CHANGE = 6;
    public static final int CEASE_CONNECTION_COLLISION_RESOLUTION = 7;
    public static final int CEASE_OUT_OF_RESOURCES = 8;
    public static final int CEASE_HARD_RESET = 9;

    // Route-Refresh Message Error subcode (RFC 7313 5)
    public static final int INVALID_MESSAGE_LENGTH = 1;

    private static final String[] CODES = {
        null, "Message Header Error", "OPEN Message Error", "UPDATE Message Error",
        "Hold Timer Expired", "Finite State Machine Error", "Cease", "ROUTE-REFRESH Message Error",
    };

    private static final String[][] SUBCODES = {
        null,
        {null, "Connection Not Synchronized", "Bad Message Length", "Bad Message Type"},
        {null, "Unsupported Version Number", "Bad Peer AS", "Bad BGP Identifier",
            "Unsupported Optional Parameter", "Authentication Failure (deprecated)",
            "Unacceptable Hold Time", "Unsupported Capability"},
        {null, "Malformed Attribute List", "Unrecognized Well-known Attribute",
            "Missing Well-known Attribute", "Attribute Flags Error", "Attribute Length Error",
            "Invalid ORIGIN Attribute", "AS Routing Loop (deprecated)", "Invalid NEXT_HOP Attribute",
            "Optional Attribute Error", "Invalid Network Field", "Malformed AS_PATH"},
        {null},
        {null, "Receive Unexpected Message in OpenSent State",
            "Receive Unexpected Message in OpenConfirm State",
            "Receive Unexpected Message in Established State"},
        {null, "Maximum Number of Prefixes Reached", "Administrative Shutdown", "Peer De-configured",
            "Administrative Reset", "Connection Rejected", "Other Configuration Change",
            "Connection Collision Resolution", "Out of Resources", "Hard Reset"},
        {null, "Invalid Message Length"},
    };

    /** "Cease / Administrative Shutdown", or the numbers where a name is not known. */
    public static String describe(int code, int subcode) {
        String c = code > 0 && code < CODES.length ? CODES[code] : "code " + code;
        String s = code > 0 && code < SUBCODES.length && subcode < SUBCODES[code].length
                ? SUBCODES[code][subcode] : null;
        if (s == null) {
            s = subcode == 0 ? "Unspecific" : "subcode " + subcode;
        }
        return c + " / " + s;
    }
}
