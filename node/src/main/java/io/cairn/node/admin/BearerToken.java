package io.cairn.node.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The admin API's bearer token (RFC 6750), read from {@code admin.token-file}. Requests are
 * compared by SHA-256 digest with {@link MessageDigest#isEqual}, which takes the same time
 * wherever the first difference is, and hashing first hides the token's length too.
 */
public final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private final byte[] digest;

    private BearerToken(String token) {
        this.digest = sha256(token);
    }

    /** The token in {@code file}, surrounding whitespace (a trailing newline) removed. */
    public static BearerToken read(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IOException(file + ": the admin token file is empty");
        }
        return new BearerToken(token);
    }

    /** True when the Authorization header carries this token. */
    public boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JVM has SHA-256", e);
        }
    }
}
