package dev.rockpool.pool.testing;

import dev.rockpool.pool.FrameDescriptor;
import dev.rockpool.pool.HeaderDescriptor;
import dev.rockpool.pool.IndexDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Raw access to a pool file for tests that damage it on purpose: header fields, index slots and frames by their file
 * offsets (from the layout descriptors), and forging, which recomputes a frame's CRC32C after its bytes were changed,
 * as a hostile editor of the file would. Opens and closes the file for each call, outside any {@code Pool}.
 */
public final class PoolFile {
    private PoolFile() {
    }

    public static ByteBuffer read(Path file, long offset, int length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) > 0) {
                // until full or end of file
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, long offset, ByteBuffer bytes) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes, offset + bytes.position());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static long getLong(Path file, long offset) {
        return read(file, offset, 8).getLong(0);
    }

    public static int getInt(Path file, long offset) {
        return read(file, offset, 4).getInt(0);
    }

    public static void putLong(Path file, long offset, long value) {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    public static void putInt(Path file, long offset, int value) {
        write(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    public static void putByte(Path file, long offset, byte value) {
        write(file, offset, ByteBuffer.wrap(new byte[] {value}));
    }

    public static long ringOffset(Path file) {
        return getLong(file, HeaderDescriptor.RING_OFFSET_OFFSET);
    }

    public static long ringCapacity(Path file) {
        return getLong(file, HeaderDescriptor.RING_CAPACITY_OFFSET);
    }

    /** The index stride shift: a slot per 2^this seqs (0 in a pool of format version 1). */
    public static int strideShift(Path file) {
        return segmented(file) ? getInt(file, HeaderDescriptor.INDEX_STRIDE_SHIFT_OFFSET) : 0;
    }

    /** The ring's segments are 2^this bytes; a pool of format version 1 has one, the whole ring. */
    public static int segmentShift(Path file) {
        return segmented(file) ? getInt(file, HeaderDescriptor.SEGMENT_SHIFT_OFFSET) : HeaderDescriptor.ONE_SEGMENT_SHIFT;
    }

    private static boolean segmented(Path file) {
        return getInt(file, HeaderDescriptor.VERSION_OFFSET) == HeaderDescriptor.VERSION_SEGMENTED;
    }

    /** File offset of the index slot of {@code seq}. */
    public static long slotOffset(Path file, long seq) {
        return IndexDescriptor.slotOffset(seq, getLong(file, HeaderDescriptor.INDEX_CAPACITY_OFFSET),
                strideShift(file));
    }

    /**
     * The file offsets of the frames (messages and padding) in {@code [head, tail)} of a healthy pool, in ring order,
     * found by walking the frame headers as the engine does (skipping the rest of a segment too small for a frame).
     */
    public static List<Long> frameOffsets(Path file) {
        long ringOffset = ringOffset(file);
        long capacity = ringCapacity(file);
        long segmentMask = (1L << segmentShift(file)) - 1;
        long tail = getLong(file, HeaderDescriptor.TAIL_OFFSET);
        List<Long> frames = new ArrayList<>();
        for (long position = getLong(file, HeaderDescriptor.HEAD_OFFSET); position < tail; ) {
            long physical = position % capacity;
            long segmentEnd = Math.min((physical | segmentMask) + 1, capacity);
            if (segmentEnd - physical < FrameDescriptor.FRAME_HEADER_LENGTH) {
                position += segmentEnd - physical;
                continue;
            }
            frames.add(ringOffset + physical);
            int length = getInt(file, ringOffset + physical + FrameDescriptor.LENGTH_OFFSET);
            position += FrameDescriptor.align(length);
        }
        return frames;
    }

    /**
     * Recomputes the CRC32C of the frame at file offset {@code frame} from its length and type fields as they are now,
     * over as much of the covered range as the file holds: the checksum no longer tells that the frame was edited.
     */
    public static void forge(Path file, long frame) {
        ByteBuffer header = read(file, frame, FrameDescriptor.FRAME_HEADER_LENGTH);
        int length = header.getInt(FrameDescriptor.LENGTH_OFFSET);
        int type = header.getInt(FrameDescriptor.TYPE_OFFSET);
        long covered = type == FrameDescriptor.TYPE_PADDING ? FrameDescriptor.FRAME_HEADER_LENGTH : length;
        long end = Math.min(frame + Math.max(covered, FrameDescriptor.CHECKED_OFFSET), fileSize(file));
        int checked = (int) Math.max(0, Math.min(end - frame - FrameDescriptor.CHECKED_OFFSET, 1 << 26));
        CRC32C crc = new CRC32C();
        crc.update(read(file, frame + FrameDescriptor.CHECKED_OFFSET, checked).array(), 0, checked);
        putInt(file, frame + FrameDescriptor.CRC_OFFSET, (int) crc.getValue());
    }

    /** Puts {@code value} at {@code at}, a byte of the frame at {@code frame}, and forges the frame. */
    public static void forgeByte(Path file, long frame, long at, int value) {
        putByte(file, at, (byte) value);
        forge(file, frame);
    }

    /** File offset of the data (after the meta section) of the message frame at {@code frame}. */
    public static long dataOffset(Path file, long frame) {
        return frame + FrameDescriptor.FRAME_HEADER_LENGTH + getInt(file, frame + FrameDescriptor.META_LENGTH_OFFSET);
    }

    public static long fileSize(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Truncates or extends (with zeros) the file to {@code size} bytes. */
    public static void resize(Path file, long size) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (size < ch.size()) {
                ch.truncate(size);
            } else if (size > ch.size()) {
                ch.write(ByteBuffer.allocate(1), size - 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
