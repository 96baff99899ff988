package dev.rockpool.pool;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Encodes the meta section of a frame (see {@link FrameDescriptor}): tags and an optional {@link Origin}, binary and
 * little-endian so tag checks need no JSON parsing.
 */
final class MetaCodec {
    /** Longest tag or topic in UTF-8 bytes (u16 length prefix). */
    static final int MAX_STRING_BYTES = 0xFFFF;
    /** Most tags on one message (u16 count). */
    static final int MAX_TAGS = 0xFFFF;

    private static final byte[] NO_META = {0, 0, 0};

    private MetaCodec() {
    }

    record Decoded(List<String> tags, Origin origin) {
    }

    static byte[] encode(List<String> tags, Origin origin) {
        if (tags.isEmpty() && origin == null) {
            return NO_META;
        }
        if (tags.size() > MAX_TAGS) {
            throw new PoolException(ErrorKind.USAGE, "too many tags: " + tags.size() + " (at most " + MAX_TAGS + ")");
        }
        List<byte[]> encoded = new ArrayList<>(tags.size());
        int length = 2 + 1;
        for (String tag : tags) {
            byte[] b = utf8(tag, "tag");
            encoded.add(b);
            length += 2 + b.length;
        }
        byte[] topic = null;
        if (origin != null) {
            topic = utf8(origin.topic(), "origin topic");
            length += 2 + topic.length + 4 + 8;
        }
        byte[] out = new byte[length];
        int p = putU16(out, 0, tags.size());
        for (byte[] b : encoded) {
            p = putU16(out, p, b.length);
            System.arraycopy(b, 0, out, p, b.length);
            p += b.length;
        }
        out[p++] = (byte) (origin == null ? 0 : 1);
        if (origin != null) {
            p = putU16(out, p, topic.length);
            System.arraycopy(topic, 0, out, p, topic.length);
            p += topic.length;
            p = putLong(out, p, origin.partition(), 4);
            putLong(out, p, origin.offset(), 8);
        }
        return out;
    }

    /**
     * Decodes a meta section, checking everything a damaged or forged one can get wrong: every length within the
     * section, tags and topic valid UTF-8, the origin flag 0 or 1, nothing after the end. A Corrupt error without seq
     * and offset otherwise ({@link Message} adds them).
     */
    static Decoded decode(byte[] b, int offset, int length) {
        int end = offset + length;
        int p = offset;
        int count = u16(b, p, end, "the tag count");
        p += 2;
        List<String> tags = count == 0 ? Collections.emptyList() : new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int n = u16(b, p, end, "a tag length");
            p += 2;
            checkRoom(p, n, end, "a tag");
            tags.add(string(b, p, n, i));
            p += n;
        }
        checkRoom(p, 1, end, "the has-origin byte");
        int hasOrigin = b[p++];
        Origin origin = null;
        if (hasOrigin == 1) {
            int n = u16(b, p, end, "the topic length");
            p += 2;
            checkRoom(p, n + 12, end, "the origin");
            String topic = string(b, p, n, -1);
            p += n;
            int partition = (int) getLong(b, p, 4);
            long off = getLong(b, p + 4, 8);
            origin = new Origin(topic, partition, off);
            p += 12;
        } else if (hasOrigin != 0) {
            throw corrupt("has-origin=" + hasOrigin + " (0 or 1)");
        }
        if (p != end) {
            throw corrupt("metaLength=" + length + " but the meta section ends after " + (p - offset) + " bytes");
        }
        return new Decoded(count == 0 ? tags : Collections.unmodifiableList(tags), origin);
    }

    /** Tag number {@code tag} (-1: the origin topic), strictly UTF-8: a forged one could hold any bytes. */
    private static String string(byte[] b, int p, int n, int tag) {
        String s = Utf8.decode(b, p, n);
        if (s == null) {
            throw corrupt((tag < 0 ? "the origin topic" : "tag " + tag) + " is not valid UTF-8");
        }
        return s;
    }

    private static byte[] utf8(String s, String what) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING_BYTES) {
            throw new PoolException(ErrorKind.USAGE, what + " too long: " + b.length + " bytes (at most "
                    + MAX_STRING_BYTES + ")");
        }
        return b;
    }

    private static int u16(byte[] b, int p, int end, String what) {
        checkRoom(p, 2, end, what);
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    /** Whether {@code n} bytes at {@code p} fit before {@code end}; subtracting, as p + n may overflow an int. */
    private static void checkRoom(int p, int n, int end, String what) {
        if (n > end - p) {
            throw corrupt("meta section overruns its length: " + what + " needs " + n + " bytes, " + (end - p)
                    + " left");
        }
    }

    private static PoolException corrupt(String what) {
        return new PoolException(ErrorKind.CORRUPT, "bad meta section: " + what);
    }

    private static int putU16(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        return p + 2;
    }

    private static int putLong(byte[] b, int p, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[p + i] = (byte) (v >>> (8 * i));
        }
        return p + bytes;
    }

    private static long getLong(byte[] b, int p, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (long) (b[p + i] & 0xFF) << (8 * i);
        }
        return bytes == 4 ? (int) v : v;
    }
}
