package dev.rockpool.pool;

import static dev.rockpool.pool.FrameDescriptor.HEADER_LENGTH;
import static dev.rockpool.pool.FrameDescriptor.TYPE_PADDING;

/**
 * Reads one frame at a logical position without any lock, and decides what it was: a valid message, a filler to
 * skip, or bytes a writer was overwriting while they were copied (the reader was lapped). A frame that is not being
 * overwritten and still fails its checks is corruption. Not thread-safe.
 */
final class FrameReader {
    enum Result { MESSAGE, FILLER, LAPPED }

    private final PoolMapping map;
    private final FrameChecksum checksum = new FrameChecksum();
    private Message message;
    private long next;

    FrameReader(PoolMapping map) {
        this.map = map;
    }

    /** The message read by the last {@link #read} that returned MESSAGE. */
    Message message() {
        return message;
    }

    /** The position after the frame read by the last {@link #read}. */
    long nextPosition() {
        return next;
    }

    Result read(long position) {
        int remaining = map.remaining(position);
        if (remaining < HEADER_LENGTH) {
            next = position + remaining;
            return Result.FILLER;
        }
        int physical = map.physical(position);
        int length = map.frameLength(physical);
        int type = map.frameType(physical);
        int metaLength = map.frameMetaLength(physical);
        long seq = map.frameSeq(physical);
        long time = map.frameTime(physical);
        int crc = map.frameCrc(physical);
        boolean plausible = FrameDescriptor.isPlausible(length, type, metaLength, physical, map.ringCapacity);
        byte[] payload = null;
        if (plausible && type != TYPE_PADDING) {
            payload = new byte[length - HEADER_LENGTH];
            map.copyPayload(physical, payload, payload.length);
        }
        if (position < map.headAfterReads()) {
            return Result.LAPPED;
        }
        if (!plausible) {
            throw corrupt(position, null, "bad frame header: length=" + length + " type=" + type
                    + " metaLength=" + metaLength);
        }
        next = position + FrameDescriptor.align(length);
        if (type == TYPE_PADDING) {
            return Result.FILLER;
        }
        if (checksum.payload(FrameDescriptor.TYPE_MESSAGE, seq, time, metaLength, payload, payload.length) != crc) {
            throw corrupt(position, seq, "checksum mismatch in frame");
        }
        message = new Message(seq, time, payload, metaLength);
        return Result.MESSAGE;
    }

    /** Reads the message at {@code position}; null if lapped or if a filler is there. */
    Message readAt(long position) {
        return read(position) == Result.MESSAGE ? message : null;
    }

    private PoolException corrupt(long position, Long seq, String what) {
        long offset = map.ringOffset + map.physical(position);
        return new PoolException(ErrorKind.CORRUPT, what + " at offset=" + offset, map.path, seq, offset,
                "run: rockpool doctor " + PoolDirectory.nameOf(map.path), null);
    }
}
