package dev.rockpool.pool;

import java.nio.file.Path;

/**
 * Layout of a frame in the ring: a {@link #FRAME_HEADER_LENGTH}-byte header, then the payload (meta section, then the
 * data JSON), padded to {@link #ALIGNMENT}. Frames never wrap and never straddle two segments of the ring: when the
 * space left before the end of the segment (the ring's physical end, in the last or only segment) is too small, the
 * writer fills it with a {@link #TYPE_PADDING} frame, or, if it is even smaller than a frame header, leaves it and
 * every reader skips it implicitly.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |  frame length (unpadded)      |  CRC32C of bytes 8..length    |  0
 *  +-------------------------------+-------------------------------+
 *  |                              seq                              |  8
 *  |                          time (ns)                            | 16
 *  +-------------------------------+-------------------------------+
 *  |  type (1 message, 2 padding)  |          meta length          | 24
 *  +-------------------------------+-------------------------------+
 *  |  meta: u16 tag count, per tag u16 length + UTF-8;             | 32
 *  |        u8 has-origin, [u16 topic length + UTF-8, i32, i64]    |
 *  |  data: compact UTF-8 JSON object                              |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The CRC32C covers one contiguous range, from the seq to the end of the payload (type and meta length included), so
 * it is computed in one pass over the mapping, and a header from one lap with a payload from another never validates.
 * A padding frame's CRC32C covers only its header (bytes 8..32): the rest of it is never read.
 */
public final class FrameDescriptor {
    /** Frames start at multiples of 8 bytes, so every header long is aligned. */
    public static final int ALIGNMENT = 8;
    /** Bytes of the header of every frame (the file has its own: {@link HeaderDescriptor#FILE_HEADER_LENGTH}). */
    public static final int FRAME_HEADER_LENGTH = 32;

    /** int: frame length in bytes including the header, before padding to {@link #ALIGNMENT}. */
    public static final int LENGTH_OFFSET = 0;
    /** int: CRC32C of bytes {@link #CHECKED_OFFSET} .. frame length. */
    public static final int CRC_OFFSET = 4;
    /** Where the checksummed range starts. */
    public static final int CHECKED_OFFSET = 8;
    /** long: the message seq (0 in padding). */
    public static final int SEQ_OFFSET = 8;
    /** long: the message time, ns since the epoch. */
    public static final int TIME_OFFSET = 16;
    /** int: {@link #TYPE_MESSAGE} or {@link #TYPE_PADDING}. */
    public static final int TYPE_OFFSET = 24;
    /** int: bytes of the meta section at the start of the payload. */
    public static final int META_LENGTH_OFFSET = 28;

    /** A frame holding a message. */
    public static final int TYPE_MESSAGE = 1;
    /** A frame filling the end of the ring; readers skip it. */
    public static final int TYPE_PADDING = 2;

    /** The shortest meta section: a tag count of 0 and the has-origin byte. */
    public static final int MIN_META_LENGTH = 3;
    /** The shortest data: {@code {}}. */
    public static final int MIN_DATA_LENGTH = 2;
    /**
     * The shortest message frame, before alignment: the header, the 3-byte meta of a message without tags or origin,
     * and the data {@code {}}.
     */
    public static final int MIN_MESSAGE_LENGTH = FRAME_HEADER_LENGTH + MIN_META_LENGTH + MIN_DATA_LENGTH;
    /** The fewest ring bytes a message takes: the shortest message frame, aligned. */
    public static final int MIN_FRAME_SPAN = (MIN_MESSAGE_LENGTH + ALIGNMENT - 1) & -ALIGNMENT;

    private FrameDescriptor() {
    }

    /** How many bytes from {@link #CHECKED_OFFSET} the CRC32C of a frame of this type and length covers. */
    public static int checkedLength(int type, int length) {
        return (type == TYPE_PADDING ? FRAME_HEADER_LENGTH : length) - CHECKED_OFFSET;
    }

    /** {@code length} rounded up to {@link #ALIGNMENT}; for lengths up to a ring capacity (below 2^31 - 8). */
    public static int align(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * True if a frame header read at a physical offset is plausible where the segment holding it ends at physical
     * offset {@code segmentEnd} (the ring's capacity for the last or only segment): a message of at least
     * {@link #MIN_MESSAGE_LENGTH} bytes that ends inside the segment, whose meta section leaves room for data and whose
     * seq is 1 to {@link HeaderDescriptor#MAX_SEQ}, or a padding frame that ends exactly at the end of the segment.
     * Long arithmetic: a length read from a damaged file may be anything, e.g. near {@link Integer#MAX_VALUE}, and
     * must not wrap around into a plausible value. Then every byte of the frame is inside one segment (one mapping)
     * and its lengths are safe for the reader's buffer calls.
     */
    public static boolean isPlausible(int length, int type, int metaLength, long seq, long physical,
                                      long segmentEnd) {
        if (type == TYPE_PADDING) {
            return length >= FRAME_HEADER_LENGTH && physical + length == segmentEnd;
        }
        return type == TYPE_MESSAGE && length >= MIN_MESSAGE_LENGTH
                && physical + (((long) length + ALIGNMENT - 1) & -ALIGNMENT) <= segmentEnd
                && metaLength >= MIN_META_LENGTH && metaLength <= length - FRAME_HEADER_LENGTH - MIN_DATA_LENGTH
                && seq > 0 && seq < HeaderDescriptor.MAX_SEQ;
    }

    /**
     * What is wrong with a frame header, {@code "bad frame header: "} and the first bad field as {@code name=value},
     * or null if it is plausible (see {@link #isPlausible}). For the cold path, after {@link #isPlausible} said no.
     */
    public static String headerProblem(int length, int type, int metaLength, long seq, long physical,
                                       long segmentEnd) {
        if (isPlausible(length, type, metaLength, seq, physical, segmentEnd)) {
            return null;
        }
        String problem;
        if (type == TYPE_PADDING) {
            problem = "padding length=" + length + " at ring offset=" + physical + " does not end its segment"
                    + " (segment end=" + segmentEnd + ")";
        } else if (type != TYPE_MESSAGE) {
            problem = "type=" + type + " (" + TYPE_MESSAGE + " message, " + TYPE_PADDING + " padding) length=" + length;
        } else if (length < MIN_MESSAGE_LENGTH
                || physical + (((long) length + ALIGNMENT - 1) & -ALIGNMENT) > segmentEnd) {
            problem = "length=" + length + " at ring offset=" + physical + " (a message is " + MIN_MESSAGE_LENGTH
                    + " bytes to the end of its segment, segment end=" + segmentEnd + ")";
        } else if (metaLength < MIN_META_LENGTH || metaLength > length - FRAME_HEADER_LENGTH - MIN_DATA_LENGTH) {
            problem = "metaLength=" + metaLength + " for length=" + length;
        } else {
            problem = "seq=" + seq + " (1 to " + (HeaderDescriptor.MAX_SEQ - 1) + ")";
        }
        return "bad frame header: " + problem;
    }

    /**
     * Validates a frame header as {@link #isPlausible} does.
     *
     * @param fileOffset where the frame starts in the file
     * @throws PoolException Corrupt with the {@link #headerProblem} and the frame's file offset
     */
    public static void checkHeader(int length, int type, int metaLength, long seq, long physical, long segmentEnd,
                                   Path path, long fileOffset) {
        String problem = headerProblem(length, type, metaLength, seq, physical, segmentEnd);
        if (problem != null) {
            throw new PoolException(ErrorKind.CORRUPT, problem + " at offset=" + fileOffset, path, null, fileOffset,
                    null, null);
        }
    }
}
