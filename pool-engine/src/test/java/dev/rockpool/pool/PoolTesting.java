package dev.rockpool.pool;

import dev.rockpool.pool.testing.PoolFile;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Helpers shared by the engine tests: raw file access and messages of an exact frame size. */
final class PoolTesting {
    /** Frame bytes besides the data of a message without tags or origin: header plus the 3-byte empty meta. */
    static final int BARE_FRAME_OVERHEAD = FrameDescriptor.FRAME_HEADER_LENGTH + 3;
    /** The smallest frame {@link #sized} can build. */
    static final int MIN_SIZED_FRAME = 56;

    private PoolTesting() {
    }

    /**
     * Data {@code {"s":N,"p":"xxx"}} whose bare frame (no tags) is exactly {@code frameLength} bytes long, so the
     * content names the seq it should get and the size is under the test's control.
     */
    static String sized(long n, int frameLength) {
        String prefix = "{\"s\":" + n + ",\"p\":\"";
        int pad = frameLength - BARE_FRAME_OVERHEAD - prefix.length() - 2;
        if (pad < 0) {
            throw new IllegalArgumentException("frame " + frameLength + " too small for " + n);
        }
        return prefix + "x".repeat(pad) + "\"}";
    }

    /**
     * A new 64 KiB pool at {@code file} holding ten {@link #sized} messages, each with {@code tags}, in frames of 504
     * bytes: seq n starts at ring offset (n - 1) × 504.
     */
    static Path tenMessages(Path file, String... tags) {
        int tagBytes = 0;
        for (String tag : tags) {
            tagBytes += 2 + tag.getBytes(StandardCharsets.UTF_8).length;
        }
        try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            for (int i = 1; i <= 10; i++) {
                pool.append(Draft.of(sized(i, 504 - tagBytes), tags));
            }
        }
        return file;
    }

    /** The seq a {@link #sized} message names. */
    static long sizedSeq(Message m) {
        String s = m.dataString();
        return Long.parseLong(s.substring(5, s.indexOf(',')));
    }

    static long headerLong(Path file, int offset) {
        return read(file, offset, 8).getLong(0);
    }

    static void writeLong(Path file, long offset, long value) {
        PoolFile.putLong(file, offset, value);
    }

    static ByteBuffer read(Path file, long offset, int length) {
        return PoolFile.read(file, offset, length);
    }

    static void write(Path file, long offset, ByteBuffer bytes) {
        PoolFile.write(file, offset, bytes);
    }

    static long tail(Path file) {
        return headerLong(file, HeaderDescriptor.TAIL_OFFSET);
    }

    static long head(Path file) {
        return headerLong(file, HeaderDescriptor.HEAD_OFFSET);
    }

    /** Asserts the doctor finds nothing wrong, showing the issues if it does. */
    static DoctorReport assertClean(Pool pool) {
        DoctorReport report = pool.doctor();
        assertTrue(report.clean(), () -> "doctor: " + report.issues() + " notes " + report.notes());
        return report;
    }

    /** Asserts the header bounds agree with each other and with a full cursor read. */
    static void assertConsistent(Pool pool) {
        PoolInfo info = pool.info();
        DoctorReport report = assertClean(pool);
        assertEquals(info.messageCount(), report.messageCount());
        if (info.messageCount() > 0) {
            assertEquals(info.newestSeq() - info.oldestSeq() + 1, info.messageCount());
            Cursor c = pool.cursor(Start.earliest());
            long expected = info.oldestSeq();
            for (Message m = c.next(); m != null; m = c.next()) {
                assertEquals(expected++, m.seq());
            }
            assertEquals(info.nextSeq(), expected);
        }
    }
}
