package dev.rockpool.pool.testing;

import dev.rockpool.pool.FrameDescriptor;
import dev.rockpool.pool.HeaderDescriptor;
import dev.rockpool.pool.IndexDescriptor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates damage for a built pool, from a seed: one to three edits, random (bit flips anywhere, a resized file) or
 * targeted as a hostile editor would aim them (header fields, the lock word, head moved past tail, frame lengths near
 * 2^31, frame fields, index slots, payload bytes), each set to a value chosen to break arithmetic: 0, -1, the
 * extremes of int and long, off by one or eight, a ring away, random. Frame edits are often forged: the frame's
 * checksum is recomputed afterwards, so only the engine's own checks stand in the way.
 */
public final class Damager {
    private static final int[] STATE_FIELDS = {HeaderDescriptor.TAIL_OFFSET, HeaderDescriptor.HEAD_OFFSET,
            HeaderDescriptor.NEXT_SEQ_OFFSET, HeaderDescriptor.COUNT_OFFSET, HeaderDescriptor.LAST_POSITION_OFFSET,
            HeaderDescriptor.LAST_SEQ_OFFSET, HeaderDescriptor.LAST_TIME_OFFSET, HeaderDescriptor.HEAD_SEQ_OFFSET,
            HeaderDescriptor.LOCK_OFFSET};
    private static final int[] LAYOUT_FIELDS = {HeaderDescriptor.MAGIC_OFFSET, HeaderDescriptor.FILE_SIZE_OFFSET,
            HeaderDescriptor.INDEX_OFFSET_OFFSET, HeaderDescriptor.INDEX_CAPACITY_OFFSET,
            HeaderDescriptor.RING_OFFSET_OFFSET, HeaderDescriptor.RING_CAPACITY_OFFSET};
    private static final int[] FRAME_INT_FIELDS = {FrameDescriptor.LENGTH_OFFSET, FrameDescriptor.CRC_OFFSET,
            FrameDescriptor.TYPE_OFFSET, FrameDescriptor.META_LENGTH_OFFSET};
    private static final int[] FRAME_LONG_FIELDS = {FrameDescriptor.SEQ_OFFSET, FrameDescriptor.TIME_OFFSET};
    /** Bytes that break JSON, UTF-8 or both: quotes, braces, escapes, lead and continuation bytes, zero. */
    private static final int[] NASTY_BYTES = {0, '"', '{', '}', '[', ']', '\\', ',', ':', ' ', 0x7F, 0x80, 0xBF, 0xC0,
            0xC3, 0xE0, 0xED, 0xF0, 0xF4, 0xF8, 0xFF};

    private final FuzzPools.Built pool;
    private final Random random;

    public Damager(FuzzPools.Built pool, long seed) {
        this.pool = pool;
        this.random = new Random(seed);
    }

    /** One to three edits. */
    public List<Mutation> next() {
        List<Mutation> edits = new ArrayList<>();
        int n = 1 + (random.nextInt(10) < 6 ? 0 : random.nextInt(3));
        for (int i = 0; i < n; i++) {
            edits.addAll(one());
        }
        return edits;
    }

    private List<Mutation> one() {
        int kind = random.nextInt(100);
        if (kind < 22) {
            return List.of(stateField());
        }
        if (kind < 27) {
            if (pool.segmented() && random.nextBoolean()) {
                return List.of(segmentedLayoutField());
            }
            int field = pick(LAYOUT_FIELDS);
            return List.of(Mutation.putLong(field, interestingLong(PoolFile.getLong(pool.file(), field))));
        }
        if (kind < 35) {
            return headPastTail();
        }
        if (pool.frames().isEmpty() || kind >= 88) {
            return random();
        }
        if (kind < 60) {
            return frameField();
        }
        if (kind < 78) {
            return payload();
        }
        return List.of(slot());
    }

    /** The segment shift or the index stride shift of a pool of format version 2. */
    private Mutation segmentedLayoutField() {
        int field = random.nextBoolean() ? HeaderDescriptor.SEGMENT_SHIFT_OFFSET
                : HeaderDescriptor.INDEX_STRIDE_SHIFT_OFFSET;
        int[] values = {0, 1, -1, 11, 12, 13, 20, 29, 30, 31, 32, 63, 64, Integer.MAX_VALUE, Integer.MIN_VALUE,
                PoolFile.getInt(pool.file(), field) + 1, PoolFile.getInt(pool.file(), field) - 1};
        return Mutation.putInt(field, values[random.nextInt(values.length)]);
    }

    private Mutation stateField() {
        int field = pick(STATE_FIELDS);
        long original = PoolFile.getLong(pool.file(), field);
        if (field == HeaderDescriptor.LOCK_OFFSET && random.nextBoolean()) {
            long[] words = {-1, Long.MIN_VALUE, Long.MAX_VALUE, HeaderDescriptor.MAX_LOCK_WORD,
                    1L << HeaderDescriptor.LOCK_PID_BITS, (12_345L << HeaderDescriptor.LOCK_PID_BITS) | 4_000_001};
            return Mutation.putLong(field, words[random.nextInt(words.length)]);
        }
        return Mutation.putLong(field, interestingLong(original));
    }

    /** Head moved past tail (by one frame, to the next lap, far), with a free, dead or impossible lock word. */
    private List<Mutation> headPastTail() {
        long tail = PoolFile.getLong(pool.file(), HeaderDescriptor.TAIL_OFFSET);
        long ring = pool.ringCapacity();
        long[] heads = {tail + 8, tail + 64, (tail / ring + 1) * ring, tail + ring, 1L << 40};
        List<Mutation> edits = new ArrayList<>();
        edits.add(Mutation.putLong(HeaderDescriptor.HEAD_OFFSET, heads[random.nextInt(heads.length)]));
        if (random.nextBoolean()) {
            long[] words = {(12_345L << HeaderDescriptor.LOCK_PID_BITS) | 4_000_001, -1};
            edits.add(Mutation.putLong(HeaderDescriptor.LOCK_OFFSET, words[random.nextInt(words.length)]));
        }
        return edits;
    }

    private List<Mutation> frameField() {
        FuzzPools.Frame frame = frame();
        List<Mutation> edits = new ArrayList<>();
        if (random.nextInt(3) > 0) {
            int field = pick(FRAME_INT_FIELDS);
            int original = PoolFile.getInt(pool.file(), frame.offset() + field);
            edits.add(Mutation.putInt(frame.offset() + field, interestingInt(original, frame)));
        } else {
            int field = pick(FRAME_LONG_FIELDS);
            edits.add(Mutation.putLong(frame.offset() + field,
                    interestingLong(PoolFile.getLong(pool.file(), frame.offset() + field))));
        }
        if (random.nextBoolean()) {
            edits.add(Mutation.forge(frame.offset()));
        }
        return edits;
    }

    /** Bytes of a frame's meta section or data, usually forged afterwards. */
    private List<Mutation> payload() {
        FuzzPools.Frame frame = frame();
        List<Mutation> edits = new ArrayList<>();
        long start = frame.offset() + FrameDescriptor.FRAME_HEADER_LENGTH;
        long end = frame.offset() + frame.length();
        boolean meta = random.nextInt(3) == 0;
        long from = meta ? start : frame.dataOffset();
        long to = meta ? frame.dataOffset() : end;
        int bytes = 1 + random.nextInt(3);
        for (int i = 0; i < bytes && to > from; i++) {
            long at = random.nextInt(4) == 0 ? (random.nextBoolean() ? from : to - 1)
                    : from + (long) (random.nextDouble() * (to - from));
            edits.add(Mutation.putByte(at, random.nextBoolean() ? pick(NASTY_BYTES) : random.nextInt(256)));
        }
        if (random.nextInt(10) < 8) {
            edits.add(Mutation.forge(frame.offset()));
        }
        return edits;
    }

    private Mutation slot() {
        List<Long> seqs = new ArrayList<>(pool.originals().keySet());
        long seq = seqs.isEmpty() ? 1 + random.nextInt(100) : seqs.get(random.nextInt(seqs.size()));
        long slot = PoolFile.slotOffset(pool.file(), seq);
        if (random.nextBoolean()) {
            long other = seqs.isEmpty() ? 0 : seqs.get(random.nextInt(seqs.size()));
            long[] values = {other, seq + pool.indexCapacity(), -seq, 0, Long.MIN_VALUE, interestingLong(seq)};
            return Mutation.putLong(slot + IndexDescriptor.SEQ_OFFSET, values[random.nextInt(values.length)]);
        }
        long position = PoolFile.getLong(pool.file(), slot + IndexDescriptor.POSITION_OFFSET);
        return Mutation.putLong(slot + IndexDescriptor.POSITION_OFFSET, interestingLong(position));
    }

    /** Bits flipped anywhere, or the file truncated or extended. */
    private List<Mutation> random() {
        if (random.nextInt(8) == 0) {
            long[] sizes = {0, 7, HeaderDescriptor.FILE_HEADER_LENGTH - 1, HeaderDescriptor.FILE_HEADER_LENGTH,
                    pool.ringOffset(), pool.fileSize() - 1, pool.fileSize() / 2, pool.fileSize() + 4096};
            return List.of(Mutation.resize(sizes[random.nextInt(sizes.length)]));
        }
        List<Mutation> edits = new ArrayList<>();
        for (int i = random.nextInt(4); i >= 0; i--) {
            long at = random.nextInt(3) == 0 ? random.nextInt(HeaderDescriptor.FILE_HEADER_LENGTH)
                    : (long) (random.nextDouble() * pool.fileSize());
            edits.add(Mutation.xor(at, 1 << random.nextInt(8)));
        }
        return edits;
    }

    private long interestingLong(long original) {
        long ring = pool.ringCapacity();
        long[] values = {0, 1, -1, 7, 8, 9, -8, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE & -8L,
                Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE, 1L << 32, HeaderDescriptor.MAX_SEQ,
                HeaderDescriptor.MAX_SEQ + 8, original + 1, original - 1, original + 8, original - 8,
                original + ring, original - ring, original * 2, original / 2, ~original, random.nextLong(),
                random.nextInt(1 << 16)};
        return values[random.nextInt(values.length)];
    }

    private int interestingInt(int original, FuzzPools.Frame frame) {
        long physical = frame.offset() - pool.ringOffset();
        int toEnd = (int) (pool.segmentEnd(physical) - physical);
        int[] values = {0, 1, -1, 8, 31, 32, 36, 37, 40, Integer.MAX_VALUE, Integer.MAX_VALUE - 7,
                Integer.MAX_VALUE - 31, Integer.MIN_VALUE, -8, toEnd, toEnd + 1, toEnd - 8, (int) pool.ringCapacity(),
                original + 1, original - 1, original + 8, original - 8, original * 2, FrameDescriptor.TYPE_MESSAGE,
                FrameDescriptor.TYPE_PADDING, random.nextInt(), random.nextInt(1 << 12)};
        return values[random.nextInt(values.length)];
    }

    private FuzzPools.Frame frame() {
        List<FuzzPools.Frame> frames = pool.frames();
        int i = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0 : frames.size() - 1) : random.nextInt(frames.size());
        return frames.get(i);
    }

    private int pick(int[] values) {
        return values[random.nextInt(values.length)];
    }
}
