package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Bearer-token authentication: {@code Authorization: Bearer TOKEN}, exactly one such header (the scheme's case does
 * not matter, RFC 7235; the token's does). The presented token is
 * compared in constant time, by comparing SHA-256 digests so that not even its length shows in the timing.
 */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";

    private final byte[] tokenDigest;

    /** @param token the expected token, or null when the server needs none */
    BearerAuth(byte[] token) {
        this.tokenDigest = token == null ? null : sha256(token);
    }

    boolean enabled() {
        return tokenDigest != null;
    }

    /** Nothing if the request may pass; else a 401 {@link Refusal} saying what was wrong. */
    void check(Request request) {
        if (tokenDigest == null) {
            return;
        }
        List<String> values = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
        if (values.isEmpty()) {
            throw unauthorized("missing bearer token");
        }
        String value = values.get(0);
        if (values.size() > 1 || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || value.indexOf(',') >= 0) {
            throw unauthorized("malformed Authorization header: expected one 'Bearer TOKEN'");
        }
        byte[] presented = value.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(sha256(presented), tokenDigest)) {
            throw unauthorized("invalid bearer token");
        }
    }

    /** True if the request carries the right token (or none is needed); never throws. */
    boolean accepts(Request request) {
        try {
            check(request);
            return true;
        } catch (Refusal e) {
            return false;
        }
    }

    private static Refusal unauthorized(String message) {
        return new Refusal(401, ErrorKind.PERMISSION, message, "send the token of the server's --token-file: "
                + "Authorization: Bearer TOKEN (rockpool's commands: --token-file FILE)");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
