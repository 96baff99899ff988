package dev.rockpool.pool;

import static dev.rockpool.pool.FrameDescriptor.FRAME_HEADER_LENGTH;
import static dev.rockpool.pool.FrameDescriptor.TYPE_PADDING;

/**
 * Walks the message frames in {@code [from, to)} reading headers, and optionally verifying each checksum. Stops at the
 * first frame that fails its checks and reports it through {@link #problem()}: recovery truncates there, the doctor
 * reports it, a lock-free seek treats it as "look again". Not thread-safe.
 */
final class FrameScan {
    private final PoolMapping map;
    private final long to;
    private final boolean verify;
    private final FrameChecksum checksum;
    private long next;
    private long position;
    private long seq;
    private long time;
    private String problem;

    FrameScan(PoolMapping map, long from, long to) {
        this(map, from, to, false);
    }

    FrameScan(PoolMapping map, long from, long to, boolean verify) {
        this.map = map;
        this.next = from;
        this.to = to;
        this.verify = verify;
        this.checksum = verify ? new FrameChecksum(map) : null;
    }

    /** Moves to the next message frame; false at the end or after a problem. */
    boolean advance() {
        if (problem != null) {
            return false;
        }
        while (next < to) {
            position = next;
            long physical = map.physical(position);
            long segmentEnd = map.segmentEnd(physical);
            if (segmentEnd - physical < FRAME_HEADER_LENGTH) {
                next = position + (segmentEnd - physical);
                continue;
            }
            int length = map.frameLength(physical);
            int type = map.frameType(physical);
            int metaLength = map.frameMetaLength(physical);
            long frameSeq = map.frameSeq(physical);
            if (!FrameDescriptor.isPlausible(length, type, metaLength, frameSeq, physical, segmentEnd)) {
                problem = FrameDescriptor.headerProblem(length, type, metaLength, frameSeq, physical, segmentEnd);
                seq = 0;
                return true;
            }
            if (position + FrameDescriptor.align(length) > to) {
                problem = "bad frame header: length=" + length + " runs past the end of the committed frames";
                seq = 0;
                return true;
            }
            if (verify && checksum.of(physical, type, length) != map.frameCrc(physical)) {
                problem = "checksum mismatch";
                seq = type == TYPE_PADDING ? 0 : frameSeq;
                return true;
            }
            next = position + FrameDescriptor.align(length);
            if (type == TYPE_PADDING) {
                continue;
            }
            seq = frameSeq;
            time = map.frameTime(physical);
            if (verify) {
                byte[] payload = new byte[metaLength];
                map.copyPayload(physical, payload, metaLength);
                try {
                    MetaCodec.decode(payload, 0, metaLength);
                } catch (PoolException e) {
                    problem = e.getMessage();
                    return true;
                }
            }
            return true;
        }
        return false;
    }

    /** Logical position of the current frame (of the bad frame when {@link #problem()} is set). */
    long position() {
        return position;
    }

    /** Seq of the current frame; for a frame with a problem, the seq its header claims, or 0 if that is unknown. */
    long seq() {
        return seq;
    }

    long time() {
        return time;
    }

    /** What is wrong with the current frame, or null. */
    String problem() {
        return problem;
    }
}
