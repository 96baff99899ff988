package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;

/**
 * A request the server refuses with an HTTP status of its own (401, 403, 404, 405, 413, 423) beside the error kind its
 * body carries; every other failure is a {@link PoolException} whose kind gives the status ({@link #statusOf}).
 */
final class Refusal extends PoolException {
    private static final long serialVersionUID = 1L;

    private final int status;

    Refusal(int status, ErrorKind kind, String message, String hint) {
        super(kind, message, null, null, null, hint, null);
        this.status = status;
    }

    /** The HTTP status of a failure: plasmite's mapping of kinds, or the refusal's own. */
    static int statusOf(PoolException e) {
        if (e instanceof Refusal) {
            return ((Refusal) e).status;
        }
        switch (e.kind()) {
            case USAGE: return 400;
            case PERMISSION: return 403;
            case NOT_FOUND: return 404;
            case ALREADY_EXISTS: return 409;
            case RETENTION_GAP: return 410;
            case BUSY: return 423;
            default: return 500;
        }
    }
}
