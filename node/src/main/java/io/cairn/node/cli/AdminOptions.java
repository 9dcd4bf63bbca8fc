package io.cairn.node.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the admin API is and how to authenticate: shared by every command that talks to a node. */
public final class AdminOptions {

    static final String DEFAULT_ADMIN = "127.0.0.1:8179";

    @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "${env:CAIRN_ADMIN:-" + DEFAULT_ADMIN + "}",
            description = "The node's admin API (default: $CAIRN_ADMIN, else ${DEFAULT-VALUE}).")
    String admin;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:CAIRN_ADMIN_TOKEN_FILE}",
            description = "File holding the bearer token, when the node has admin.token-file "
                    + "(default: $CAIRN_ADMIN_TOKEN_FILE).")
    Path tokenFile;
}
