package dev.rockpool.pool;

import java.nio.file.Path;

/**
 * A message that does not fit in the pool's ring (a Usage error). Carries the facts a front end needs to say what to
 * do about it: the frame the message would take and the most this pool holds.
 */
public final class MessageTooLargeException extends PoolException {
    private static final long serialVersionUID = 1L;

    private final long frameLength;
    private final long limit;

    /** A message whose frame would be {@code frameLength} bytes, in a pool that holds at most {@code limit}. */
    public MessageTooLargeException(Path path, long frameLength, long limit) {
        super(ErrorKind.USAGE, "message too large: " + frameLength + " bytes with its frame header; this pool holds "
                + "at most " + limit + " bytes per message", path);
        this.frameLength = frameLength;
        this.limit = limit;
    }

    /** Bytes the message would take in the ring, frame header and meta included. */
    public long frameLength() {
        return frameLength;
    }

    /** The most one message may take in this pool ({@link Pool#maxFrameLength()}). */
    public long limit() {
        return limit;
    }
}
