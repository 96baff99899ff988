package dev.rockpool.pool;

import static dev.rockpool.pool.FrameDescriptor.FRAME_HEADER_LENGTH;
import static dev.rockpool.pool.FrameDescriptor.TYPE_PADDING;

/**
 * Reads one frame at a logical position without any lock, and decides what it was: a valid message, a filler to
 * skip, or bytes a writer was overwriting while they were copied (the reader was lapped). A frame that is not being
 * overwritten and still fails its checks is corruption. Not thread-safe.
 */
final class FrameReader {
    enum Result { MESSAGE, FILLER, LAPPED }

    private final PoolMapping map;
    private final FrameChecksum checksum;
    private boolean verifyChecksums = true;
    private MessageView view;
    private Message message;
    private long next;
    private long nextPhysical;

    FrameReader(PoolMapping map) {
        this.map = map;
        this.checksum = new FrameChecksum(map);
    }

    /** Whether {@link #read} checks each frame's CRC32C (default true). */
    void verifyChecksums(boolean verify) {
        this.verifyChecksums = verify;
    }

    /** The message read by the last {@link #read} that returned MESSAGE. */
    Message message() {
        return message;
    }

    /** The view of the message read in place by the last {@link #read} without a copy that returned MESSAGE. */
    MessageView view() {
        return view;
    }

    /** The position after the frame read by the last {@link #read}. */
    long nextPosition() {
        return next;
    }

    /** The physical offset of {@link #nextPosition()}. */
    long nextPhysical() {
        return nextPhysical;
    }

    Result read(long position) {
        return read(position, map.physical(position), true);
    }

    /**
     * Reads the frame at {@code position}, whose physical offset the caller already knows: a message is copied into a
     * {@link #message()}, or with {@code copy} false only validated and shown by {@link #view()}.
     */
    Result read(long position, long physical, boolean copy) {
        long segmentEnd = map.segmentEnd(physical);
        if (segmentEnd - physical < FRAME_HEADER_LENGTH) {
            next = position + (segmentEnd - physical);
            nextPhysical = map.following(segmentEnd);
            return Result.FILLER;
        }
        // Two header reads instead of four: length and CRC share a long, and so do type and meta length.
        long lengthAndCrc = map.frameLengthAndCrc(physical);
        long typeAndMetaLength = map.frameTypeAndMetaLength(physical);
        int length = (int) lengthAndCrc;
        int type = (int) typeAndMetaLength;
        int metaLength = (int) (typeAndMetaLength >>> 32);
        long seq = map.frameSeq(physical);
        long time = map.frameTime(physical);
        boolean plausible = FrameDescriptor.isPlausible(length, type, metaLength, seq, physical, segmentEnd);
        byte[] payload = null;
        int actualCrc = (int) (lengthAndCrc >>> 32);
        if (plausible) {
            if (verifyChecksums) {
                actualCrc = checksum.of(physical, type, length);
            }
            if (copy && type != TYPE_PADDING) {
                payload = new byte[length - FRAME_HEADER_LENGTH];
                map.copyPayload(physical, payload, payload.length);
            }
        }
        if (position < map.headAfterReads()) {
            return Result.LAPPED;
        }
        if (!plausible) {
            FrameDescriptor.checkHeader(length, type, metaLength, seq, physical, segmentEnd, map.path,
                    map.fileOffset(physical));
        }
        if (actualCrc != (int) (lengthAndCrc >>> 32)) {
            throw corrupt(position, type == TYPE_PADDING ? null : seq, "checksum mismatch in frame");
        }
        int aligned = FrameDescriptor.align(length);
        next = position + aligned;
        nextPhysical = map.following(physical + aligned);
        if (type == TYPE_PADDING) {
            return Result.FILLER;
        }
        if (copy) {
            message = new Message(seq, time, payload, metaLength, map.path, map.fileOffset(physical));
        } else {
            if (view == null) {
                view = new MessageView(map);
            }
            view.set(position, physical, seq, time, length, metaLength);
        }
        return Result.MESSAGE;
    }

    /** Reads the message at {@code position}; null if lapped or if a filler is there. */
    Message readAt(long position) {
        return read(position) == Result.MESSAGE ? message : null;
    }

    private PoolException corrupt(long position, Long seq, String what) {
        long offset = map.fileOffset(map.physical(position));
        return new PoolException(ErrorKind.CORRUPT, what + " at offset=" + offset, map.path, seq, offset, null, null);
    }
}
