package io.cairn.sdn.ovn;

/** An ovsdb-server answered a JSON-RPC request with an error (RFC 7047 section 4.1: "error" not null). */
public final class OvsdbRpcException extends Exception {

    public OvsdbRpcException(String method, String error) {
        super(method + " failed: " + error);
    }
}
