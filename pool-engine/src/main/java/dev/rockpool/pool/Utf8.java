package dev.rockpool.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), for bytes read from a pool file,
 * which a forged frame can fill with anything. Jackson's parser and {@code new String} are lenient about some of
 * these, and what the tools emit must be UTF-8 that any decoder accepts. ASCII, the common case, is recognised eight
 * bytes at a time and needs no decoder.
 */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /** True if every byte of {@code b[offset, offset+length)} is below 0x80. */
    static boolean isAscii(byte[] b, int offset, int length) {
        int i = offset;
        int end = offset + length;
        long bits = 0;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            bits |= (long) LONGS.get(b, i);
        }
        for (; i < end; i++) {
            bits |= b[i];
        }
        return (bits & HIGH_BITS) == 0;
    }

    /** True if the bytes are valid UTF-8. */
    static boolean isValid(byte[] b, int offset, int length) {
        return isAscii(b, offset, length) || decode(b, offset, length) != null;
    }

    /** The text of valid UTF-8 bytes, or null if they are not. */
    static String decode(byte[] b, int offset, int length) {
        if (isAscii(b, offset, length)) {
            return new String(b, offset, length, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, offset, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
