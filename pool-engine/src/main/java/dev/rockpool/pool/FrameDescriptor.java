package dev.rockpool.pool;

/**
 * Layout of a frame in the ring: a {@link #FRAME_HEADER_LENGTH}-byte header, then the payload (meta section, then the
 * data JSON), padded to {@link #ALIGNMENT}. Frames never wrap: when the space left before the physical end of the
 * ring is too small, the writer fills it with a {@link #TYPE_PADDING} frame, or, if it is even smaller than a frame
 * header, leaves it and every reader skips it implicitly.
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

    /**
     * The shortest message frame, before alignment: the header, the 3-byte meta of a message without tags or origin,
     * and the data {@code {}}.
     */
    public static final int MIN_MESSAGE_LENGTH = FRAME_HEADER_LENGTH + 5;

    /** A frame holding a message. */
    public static final int TYPE_MESSAGE = 1;
    /** A frame filling the end of the ring; readers skip it. */
    public static final int TYPE_PADDING = 2;

    private FrameDescriptor() {
    }

    /** How many bytes from {@link #CHECKED_OFFSET} the CRC32C of a frame of this type and length covers. */
    public static int checkedLength(int type, int length) {
        return (type == TYPE_PADDING ? FRAME_HEADER_LENGTH : length) - CHECKED_OFFSET;
    }

    /** {@code length} rounded up to {@link #ALIGNMENT}. */
    public static int align(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** True if a frame header read at a physical offset is plausible for a ring of {@code ringCapacity} bytes. */
    public static boolean isPlausible(int length, int type, int metaLength, long physical, long ringCapacity) {
        if (type == TYPE_PADDING) {
            return length >= FRAME_HEADER_LENGTH && physical + length == ringCapacity;
        }
        return type == TYPE_MESSAGE && length >= MIN_MESSAGE_LENGTH && physical + align(length) <= ringCapacity
                && metaLength >= 3 && metaLength <= length - FRAME_HEADER_LENGTH - 2;
    }
}
