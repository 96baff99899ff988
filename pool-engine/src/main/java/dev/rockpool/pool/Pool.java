package dev.rockpool.pool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.rockpool.pool.FrameDescriptor.FRAME_HEADER_LENGTH;
import static dev.rockpool.pool.FrameDescriptor.TYPE_MESSAGE;
import static dev.rockpool.pool.FrameDescriptor.TYPE_PADDING;
import static dev.rockpool.pool.HeaderDescriptor.COUNT_OFFSET;
import static dev.rockpool.pool.HeaderDescriptor.HEAD_SEQ_OFFSET;
import static dev.rockpool.pool.HeaderDescriptor.LAST_POSITION_OFFSET;
import static dev.rockpool.pool.HeaderDescriptor.LAST_SEQ_OFFSET;
import static dev.rockpool.pool.HeaderDescriptor.LAST_TIME_OFFSET;
import static dev.rockpool.pool.HeaderDescriptor.NEXT_SEQ_OFFSET;

/**
 * A pool: one memory-mapped file holding a bounded ring of JSON messages (layout in {@link HeaderDescriptor},
 * {@link IndexDescriptor}, {@link FrameDescriptor}; prose in {@code docs/FORMAT.md}).
 *
 * <p>Writers (any threads, any processes) append under the {@link WriterLock}: claim room (dropping the oldest
 * frames: head moves first), write the frame, index it, then publish with a release store of the tail. Readers take
 * no lock: they read below the tail they loaded with acquire, copy a frame, then re-check head to learn whether a
 * writer lapped them while they copied, and verify the CRC32C. A handle is thread-safe; cursors are not (one per
 * thread).
 */
public final class Pool implements AutoCloseable {
    /** How long an append waits for a live writer holding the lock before it fails with Busy. */
    public static final long LOCK_TIMEOUT_MILLIS = 10_000;

    private static final String NO_SPACE_HINT = "free disk space, or create a smaller pool";

    private final Path path;
    private final SharedChannel shared;
    private final PoolMapping map;
    private final WriterLock lock;
    /** Used only while holding the writer lock. */
    private final Writer writer;
    /** Readers for {@link #get}, one per thread: each keeps a checksum state and a view of the ring. */
    private final ThreadLocal<FrameReader> readers;
    private volatile boolean closed;

    private Pool(Path path, SharedChannel shared, PoolMapping map) {
        this.path = path;
        this.shared = shared;
        this.map = map;
        this.lock = new WriterLock(map, shared, TimeUnit.MILLISECONDS.toNanos(LOCK_TIMEOUT_MILLIS));
        this.writer = new Writer();
        this.readers = ThreadLocal.withInitial(() -> new FrameReader(map));
    }

    // ------------------------------------------------------------------ create / open

    /** Pool ids and temporary file names; a holder, so that opening a pool never seeds a SecureRandom (~10 ms). */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    /**
     * Creates a pool file of a fixed size, atomically: the file appears complete or not at all, and an existing file
     * is never touched (AlreadyExists). The file is filled with zeros so the disk space is reserved now, not on a
     * later write to the mapping; a disk without room for it is an Io error naming the free space, and leaves no file.
     */
    public static Pool create(Path file, PoolOptions options) {
        return create(file, options, CreateProgress.NONE);
    }

    /** As {@link #create(Path, PoolOptions)}, telling {@code progress} how much of the file is written as it goes. */
    public static Pool create(Path file, PoolOptions options, CreateProgress progress) {
        return create(file, options, 0, progress);
    }

    /**
     * As {@link #create(Path, PoolOptions, CreateProgress)}; a {@code segmentShift} other than 0 makes a pool of
     * format version 2 with ring segments of 2^{@code segmentShift} bytes, so tests cross many segment boundaries in a
     * small pool.
     */
    static Pool create(Path file, PoolOptions options, int segmentShift, CreateProgress progress) {
        long size = options.sizeBytes();
        if (size < PoolOptions.MIN_SIZE || size > PoolOptions.MAX_SIZE) {
            throw new PoolException(ErrorKind.USAGE, "size=" + size + ": a pool is " + PoolOptions.MIN_SIZE
                    + " bytes (64K) to " + PoolOptions.MAX_SIZE + " bytes (1T)", file);
        }
        PoolLayout layout = PoolLayout.forCreate(size, options.indexCapacity(), segmentShift, file);
        if (Files.exists(file)) {
            throw new PoolException(ErrorKind.ALREADY_EXISTS, "pool already exists: " + file, file);
        }
        Path tmp = file.resolveSibling(
                "." + file.getFileName() + ".creating-" + Long.toHexString(Random.INSTANCE.nextLong()));
        // Ctrl-C during a long create must not leave gigabytes behind in a hidden file.
        Thread cleanup = new Thread(() -> deleteQuietly(tmp));
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            checkFreeSpace(file, size);
            reserve(file, tmp, layout, progress);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException e) {
            throw new PoolException(ErrorKind.ALREADY_EXISTS, "pool already exists: " + file, file);
        } catch (NoSuchFileException e) {
            throw new PoolException(ErrorKind.NOT_FOUND, "pool directory not found: " + file.getParent(), file);
        } catch (IOException e) {
            throw PoolException.io(file, "cannot create pool", e);
        } finally {
            deleteQuietly(tmp);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
        return open(file);
    }

    /** Io, naming the free space, if the file system of {@code file}'s directory has no room for {@code size} bytes. */
    private static void checkFreeSpace(Path file, long size) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (usable < size) {
            throw new PoolException(ErrorKind.IO, "not enough disk space for a pool of " + size + " bytes ("
                    + gib(size) + "): " + dir + " has " + usable + " bytes (" + gib(usable) + ") free", file, null,
                    null, NO_SPACE_HINT, null);
        }
    }

    /**
     * Writes the whole file, zeros then the header, and syncs it. A write that fails half-way (the disk filled up
     * meanwhile: others write too) is Io naming what was written and the free space left.
     */
    private static void reserve(Path file, Path tmp, PoolLayout layout, CreateProgress progress) throws IOException {
        long size = layout.fileSize();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            long written = 0;
            try {
                while (written < size) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
                    written += ch.write(zeros, written);
                    progress.written(written, size);
                }
                ch.write(newHeader(layout), 0);
                ch.force(true);
            } catch (IOException e) {
                long usable = Files.getFileStore(tmp).getUsableSpace();
                throw new PoolException(ErrorKind.IO, "cannot create pool: " + e.getMessage() + " after writing "
                        + written + " of " + size + " bytes; " + tmp.toAbsolutePath().getParent() + " has " + usable
                        + " bytes (" + gib(usable) + ") free", file, null, null, NO_SPACE_HINT, e);
            }
        }
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover temp file is harmless: its name never ends in .pool.
        }
    }

    private static ByteBuffer newHeader(PoolLayout layout) {
        ByteBuffer h = ByteBuffer.allocate(HeaderDescriptor.FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        layout.writeTo(h);
        h.putLong(HeaderDescriptor.POOL_ID_OFFSET, Random.INSTANCE.nextLong());
        h.putLong(HeaderDescriptor.POOL_ID_OFFSET + 8, Random.INSTANCE.nextLong());
        h.putLong(HeaderDescriptor.CREATED_OFFSET, nowNanos());
        h.putLong(NEXT_SEQ_OFFSET, 1);
        h.putLong(HEAD_SEQ_OFFSET, 1);
        return h;
    }

    /**
     * Opens an existing pool, read-write if the file allows it, else read-only (appends then fail with Permission).
     * The header is validated against the real file size before anything is mapped.
     */
    public static Pool open(Path file) {
        SharedChannel shared;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw PoolException.corrupt(file, 0, "not a pool: not a regular file");
            }
            shared = SharedChannel.acquire(file);
        } catch (NoSuchFileException e) {
            throw new PoolException(ErrorKind.NOT_FOUND, "pool not found: " + file, file);
        } catch (IOException e) {
            throw PoolException.io(file, "cannot open pool", e);
        }
        try {
            FileChannel ch = shared.channel;
            long size = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HeaderDescriptor.FILE_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && ch.read(header, header.position()) > 0) {
                // read until the header is full or the file ends
            }
            HeaderDescriptor.checkHeader(header, size, file);
            PoolLayout layout = PoolLayout.of(header);
            FileChannel.MapMode mode = shared.writable() ? FileChannel.MapMode.READ_WRITE
                    : FileChannel.MapMode.READ_ONLY;
            MappedByteBuffer meta = ch.map(mode, 0, layout.ringOffset());
            MappedByteBuffer[] segments = new MappedByteBuffer[layout.segments()];
            for (int k = 0; k < segments.length; k++) {
                segments[k] = ch.map(mode, layout.ringOffset() + ((long) k << layout.segmentShift()),
                        layout.segmentLength(k));
            }
            PoolMapping map = new PoolMapping(file, layout, meta, segments);
            // Tail before head: both only grow while writers run, so a head read first could be older than the
            // tail read after it by more than a ring, which would look like a corrupt header.
            long tail = map.tailAcquire();
            long head = map.headAcquire();
            HeaderDescriptor.checkState(head, tail, map.stateLong(NEXT_SEQ_OFFSET), layout.ringCapacity(),
                    map.appendInProgress(head, tail), file);
            return new Pool(file, shared, map);
        } catch (IOException e) {
            shared.release();
            throw PoolException.io(file, "cannot map pool", e);
        } catch (RuntimeException e) {
            shared.release();
            throw e;
        }
    }

    // ------------------------------------------------------------------ identity

    public Path path() {
        return path;
    }

    /** The identity of this pool file: 32 hex digits, new for each create, so a recreated pool is told apart. */
    public String id() {
        return map.poolId();
    }

    /**
     * The largest frame (header + meta + data) a message can take: the whole ring, or in a pool of several segments
     * a whole segment (1 GiB), as a frame never straddles two.
     */
    public long maxFrameLength() {
        return map.layout.maxFrameLength();
    }

    // ------------------------------------------------------------------ append

    /** Appends one message with {@link Durability#FAST}. */
    public AppendResult append(Draft draft) {
        return append(draft, Durability.FAST);
    }

    /** Appends one message; returns once it is readable (and, with FLUSH, on disk). */
    public AppendResult append(Draft draft, Durability durability) {
        checkWritable();
        byte[] meta = encodeChecked(draft);
        boolean takenOver = lock.acquire();
        try {
            Writer w = writer.begin(takenOver);
            try {
                long from = w.tail;
                AppendResult result = w.write(meta, draft.data().bytes(), w.now());
                w.publish(from, durability);
                return result;
            } catch (RuntimeException | Error e) {
                repairAfter(e);
                throw e;
            }
        } finally {
            lock.release();
        }
    }

    /**
     * Appends messages under one lock acquisition and publishes them with one tail store: readers see all of them or
     * none. Every message is checked first (size, tags), so a batch with a bad message appends nothing.
     */
    public List<AppendResult> appendBatch(List<Draft> drafts, Durability durability) {
        checkWritable();
        int n = drafts.size();
        byte[][] metas = new byte[n][];
        for (int i = 0; i < n; i++) {
            metas[i] = encodeChecked(drafts.get(i));
        }
        return Arrays.asList(writeBatch(drafts, metas, n, durability));
    }

    /**
     * Appends every draft the pool accepts under one lock acquisition and one publish, and reports the drafts it
     * refuses (too large, a tag too long) instead of failing the batch: with {@link BadDraftPolicy#STOP} nothing
     * after the first refused draft is appended, with {@link BadDraftPolicy#SKIP} everything else is. Storage
     * failures (Busy, Io, Permission, Corrupt) still throw, and then nothing of the batch was published.
     */
    public BatchResult appendBatch(List<Draft> drafts, Durability durability, BadDraftPolicy policy) {
        checkWritable();
        int n = drafts.size();
        byte[][] metas = new byte[n][];
        List<BatchResult.Rejection> rejections = new ArrayList<>();
        int end = n;
        for (int i = 0; i < end; i++) {
            try {
                metas[i] = encodeChecked(drafts.get(i));
            } catch (PoolException e) {
                rejections.add(new BatchResult.Rejection(i, e));
                end = policy == BadDraftPolicy.STOP ? i : end;
            }
        }
        return new BatchResult(writeBatch(drafts, metas, end, durability), rejections);
    }

    /** Writes the drafts before {@code end} that have a meta, under one lock and one publish; receipts by index. */
    private AppendResult[] writeBatch(List<Draft> drafts, byte[][] metas, int end, Durability durability) {
        AppendResult[] receipts = new AppendResult[end];
        if (Arrays.stream(metas, 0, end).allMatch(meta -> meta == null)) {
            return receipts;
        }
        boolean takenOver = lock.acquire();
        try {
            Writer w = writer.begin(takenOver);
            try {
                long from = w.tail;
                long time = w.now();
                for (int i = 0; i < end; i++) {
                    if (metas[i] != null) {
                        receipts[i] = w.write(metas[i], drafts.get(i).data().bytes(), time);
                    }
                }
                w.publish(from, durability);
            } catch (RuntimeException | Error e) {
                repairAfter(e);
                throw e;
            }
        } finally {
            lock.release();
        }
        return receipts;
    }

    /**
     * A write that failed half-way (a bad frame at the head, an I/O fault) may have moved head and written frames it
     * never published: the same state a killed writer leaves, so it gets the same repair before the lock is released.
     * Not for a failure of {@link Writer#begin}, which refuses a damaged state before writing anything.
     */
    private void repairAfter(Throwable failure) {
        try {
            recover();
        } catch (RuntimeException | Error e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Why this handle cannot append (the system's reason the file could not be opened for writing, or that it has no
     * write permission bit at all), or null when it can. Decided once, when the file is opened.
     */
    public String readOnlyReason() {
        return shared.readOnlyReason;
    }

    /** Throws Permission (naming the reason) unless this handle can append; appends check it themselves. */
    public void checkWritable() {
        checkOpen();
        if (shared.readOnlyReason != null) {
            throw new PoolException(ErrorKind.PERMISSION, "pool is read-only for this process ("
                    + shared.readOnlyReason + ")", path);
        }
    }

    /**
     * True if the file at this pool's path is gone or is another file (deleted, or deleted and created again): this
     * handle then reads and writes a file that nobody opens by that name any more. One {@code stat}.
     */
    public boolean replacedOnDisk() {
        return !shared.key.equals(SharedChannel.fileKey(path));
    }

    /** The encoded meta of a draft, after checking that the whole message fits in the ring. */
    private byte[] encodeChecked(Draft draft) {
        byte[] meta = MetaCodec.encode(draft.tags(), draft.origin());
        checkFrame(path, (long) FRAME_HEADER_LENGTH + meta.length + draft.data().length(), maxFrameLength());
        return meta;
    }

    /**
     * Throws what an append of {@code draft} would throw for its size (MessageTooLarge, a Usage error) unless its frame
     * fits in {@code maxFrameLength} bytes: a pool's {@link #maxFrameLength()}; for a pool known only remotely, its
     * {@link PoolInfo#ringCapacity()} (looser for a pool of several segments: its server checks the exact bound).
     */
    public static void checkFits(Draft draft, long maxFrameLength, Path path) {
        checkFrame(path, (long) FRAME_HEADER_LENGTH + MetaCodec.encode(draft.tags(), draft.origin()).length
                + draft.data().length(), maxFrameLength);
    }

    private static void checkFrame(Path path, long frameLength, long maxFrameLength) {
        if (frameLength > maxFrameLength || FrameDescriptor.align((int) frameLength) > maxFrameLength) {
            throw new MessageTooLargeException(path, frameLength, maxFrameLength);
        }
    }

    /** msync of the ring bytes in {@code [from, to)} and of their index slots, before the tail publishes them. */
    private void forceWritten(long from, long to, long firstSeq, long nextSeq) {
        long start = map.physical(from);
        if (to - from >= map.ringCapacity) {
            map.forceRing(0, map.ringCapacity);
        } else if (start + (to - from) <= map.ringCapacity) {
            map.forceRing(start, to - from);
        } else {
            map.forceRing(start, map.ringCapacity - start);
            map.forceRing(0, map.physical(to));
        }
        if (nextSeq == firstSeq) {
            return;
        }
        // The slots written are those of the groups of the seqs written: consecutive, wrapping once at the end.
        long firstGroup = firstSeq >>> map.strideShift;
        long slots = ((nextSeq - 1) >>> map.strideShift) - firstGroup + 1;
        if (slots >= map.indexCapacity) {
            map.forceMeta(0, (int) map.ringOffset);
        } else {
            long first = firstGroup % map.indexCapacity;
            long end = Math.min(first + slots, map.indexCapacity);
            map.forceMeta(IndexDescriptor.slotOffsetAt(first), (int) ((end - first) * IndexDescriptor.SLOT_LENGTH));
            if (first + slots > map.indexCapacity) {
                map.forceMeta(HeaderDescriptor.FILE_HEADER_LENGTH,
                        (int) ((first + slots - map.indexCapacity) * IndexDescriptor.SLOT_LENGTH));
            }
        }
    }

    /**
     * The writer's view of the pool state while it holds the lock: loaded by {@link #begin}, changed by
     * {@link #write}, stored by {@link #publish}. One per pool handle, used only under the lock.
     */
    private final class Writer {
        private final FrameChecksum checksum = new FrameChecksum(map);
        private final WallClock clock = new WallClock();
        long tail;
        long head;
        /** Physical offsets of tail and head, kept in step with them to avoid a division per frame. */
        long tailPhysical;
        long headPhysical;
        long seq;
        long firstSeq;
        long count;
        long headSeq;
        long lastSeq;
        long lastPosition;
        long lastTime;
        /**
         * True if the first seq of this publish gets an index slot although it does not start its group: the
         * frames of its group were not all readable from where a lookup starts (see {@link #groupReachesTail}).
         */
        private boolean indexFirst;
        /** The tail this writer published last; -1 before its first publish and after a recovery. */
        private long publishedTail = -1;
        private long publishedTailPhysical;
        private long publishedHead = -1;
        private long publishedHeadPhysical;

        /**
         * Loads the state under the lock, after repairing what a dead writer left. A state that no publish and no
         * recovery leaves was damaged while the lock was free: refused as Corrupt (nothing written) when head, tail or
         * next seq are wrong, else repaired by the crash recovery, which recomputes the rest from the frames.
         */
        Writer begin(boolean takenOver) {
            if (takenOver) {
                recover();
            }
            load();
            boolean consistent = HeaderDescriptor.isConsistent(head, tail, seq, count, headSeq, lastSeq,
                    map.ringCapacity);
            if (!consistent || tail != publishedTail && !newestFrameEndsAtTail()) {
                HeaderDescriptor.checkState(head, tail, seq, map.ringCapacity, false, path);
                recover();
                load();
            }
            indexFirst = publishedTail < 0 && !groupReachesTail();
            return this;
        }

        /**
         * True if a lookup of the next seq will find it: the seq starts its group (its own slot is written), or the
         * frames of its group from where a lookup starts ({@link #groupEntry}) to the tail read cleanly, with seqs
         * that grow and stay below it. Checked by a writer that did not publish the tail itself since it last knew the
         * frames were sound (its first append, or after a recovery): a frame damaged in the group, a slot of the group
         * that lookups cannot use, or a group whose first seq never had a frame (skipped by a dead writer) would hide
         * the new messages from lookups, so the writer then indexes its first seq as the group's. At most a stride of
         * frame headers, and none in a pool with a slot per seq.
         */
        private boolean groupReachesTail() {
            if (IndexDescriptor.startsGroup(seq, map.strideShift)) {
                return true;
            }
            long entry = slotEntry(seq, head, tail);
            if (entry < 0) {
                long named = map.slotSeq(seq);
                if (named >= 1 && IndexDescriptor.sameGroup(named, seq, map.strideShift)) {
                    return false;
                }
                entry = headEntry(seq, head, tail);
                if (entry < 0) {
                    return head >= tail;
                }
            }
            FrameScan scan = new FrameScan(map, entry, tail);
            for (long previous = 0; scan.advance(); previous = scan.seq()) {
                if (scan.problem() != null || scan.seq() <= previous || scan.seq() >= seq) {
                    return false;
                }
            }
            return true;
        }

        /** Forgets what this writer published: after a recovery it knows the frames only as far as they were checked. */
        void forgetPublished() {
            publishedTail = -1;
            publishedHead = -1;
        }

        /**
         * True if the pool is empty or its newest frame (at last position) is a plausible message that ends at the
         * tail, with a seq and time no later than last seq and last time. Checked when the tail is not the one this
         * writer published last (its first append, or another process appended since): a frame header read, off
         * the path of a writer that appends again and again. A tail moved by damage, or a newest frame forged, sends
         * the writer to recovery instead of appending behind it.
         */
        private boolean newestFrameEndsAtTail() {
            if (count == 0) {
                return true;
            }
            if (lastPosition < head || lastPosition >= tail || lastPosition % FrameDescriptor.ALIGNMENT != 0) {
                return false;
            }
            long physical = map.physical(lastPosition);
            long segmentEnd = map.segmentEnd(physical);
            if (segmentEnd - physical < FRAME_HEADER_LENGTH) {
                return false;
            }
            int length = map.frameLength(physical);
            int type = map.frameType(physical);
            long frameSeq = map.frameSeq(physical);
            return type == TYPE_MESSAGE && FrameDescriptor.isPlausible(length, type, map.frameMetaLength(physical),
                    frameSeq, physical, segmentEnd) && frameSeq <= lastSeq && map.frameTime(physical) <= lastTime
                    && lastPosition + FrameDescriptor.align(length) == tail;
        }

        private void load() {
            tail = map.tailAcquire();
            head = map.headAcquire();
            tailPhysical = tail == publishedTail ? publishedTailPhysical : map.physical(tail);
            headPhysical = head == publishedHead ? publishedHeadPhysical : map.physical(head);
            seq = map.stateLong(NEXT_SEQ_OFFSET);
            firstSeq = seq;
            count = map.stateLong(COUNT_OFFSET);
            headSeq = map.stateLong(HEAD_SEQ_OFFSET);
            lastSeq = map.stateLong(LAST_SEQ_OFFSET);
            lastPosition = map.stateLong(LAST_POSITION_OFFSET);
            lastTime = map.stateLong(LAST_TIME_OFFSET);
        }

        /** The time for the next message: now, but never before the newest message, so time grows with seq. */
        long now() {
            return Math.max(clock.nowNanos(), lastTime);
        }

        AppendResult write(byte[] meta, byte[] data, long time) {
            if (seq >= HeaderDescriptor.MAX_SEQ || tail > HeaderDescriptor.MAX_POSITION - map.ringCapacity) {
                // Only a damaged header gets here: 2^62 is centuries of appends.
                throw PoolException.corrupt(path, NEXT_SEQ_OFFSET, "bad pool header: nextSeq=" + seq + " tail="
                        + tail + " leave no room below " + HeaderDescriptor.MAX_SEQ);
            }
            int length = FRAME_HEADER_LENGTH + meta.length + data.length;
            int aligned = FrameDescriptor.align(length);
            // A frame that does not fit before the end of its segment (the ring's end in the last one) starts the
            // next segment (or the ring again); the rest of this one is padding, or skipped if smaller than a header.
            long segmentEnd = map.segmentEnd(tailPhysical);
            int remaining = (int) (segmentEnd - tailPhysical);
            boolean wrap = remaining < aligned;
            long framePosition = wrap ? tail + remaining : tail;
            long physical = wrap ? map.following(segmentEnd) : tailPhysical;
            makeRoom(framePosition, physical, framePosition + aligned - map.ringCapacity);
            if (wrap && remaining >= FRAME_HEADER_LENGTH) {
                map.putFrameHeader(tailPhysical, remaining, TYPE_PADDING, 0, 0, 0);
                map.putFrameCrc(tailPhysical, checksum.of(tailPhysical, TYPE_PADDING, remaining));
            }
            map.putPayload(physical, 0, meta);
            map.putPayload(physical, meta.length, data);
            map.putFrameHeader(physical, length, TYPE_MESSAGE, seq, time, meta.length);
            map.putFrameCrc(physical, checksum.of(physical, TYPE_MESSAGE, length));
            if (IndexDescriptor.startsGroup(seq, map.strideShift) || indexFirst && seq == firstSeq) {
                map.putSlot(seq, framePosition);
            }
            if (head >= tail) {
                // The pool was empty (or makeRoom emptied it): head and tail say so, whatever the count says.
                headSeq = seq;
            }
            count++;
            lastPosition = framePosition;
            lastTime = time;
            tail = framePosition + aligned;
            tailPhysical = map.following(physical + aligned);
            return new AppendResult(seq++, time);
        }

        /** Drops the oldest frames until head is at or past {@code needed}; head is stored before any overwrite. */
        private void makeRoom(long framePosition, long framePhysical, long needed) {
            if (head >= needed) {
                return;
            }
            while (head < needed && head < tail) {
                skipFrame(true);
            }
            while (head < tail && isFiller()) {
                skipFrame(false);
            }
            if (head >= tail) {
                head = framePosition;
                headPhysical = framePhysical;
                headSeq = seq;
            } else {
                // Head moved by the lengths of the frames it dropped, which the writer does not checksum: a damaged
                // one lands it elsewhere than on a frame, and then head must not be published.
                checkHeadFrame();
                headSeq = map.frameSeq(headPhysical);
            }
            map.headRelease(head);
        }

        /** Checks that a plausible frame starts at head (Corrupt naming the bad field and its offset if not). */
        private void checkHeadFrame() {
            FrameDescriptor.checkHeader(map.frameLength(headPhysical), map.frameType(headPhysical),
                    map.frameMetaLength(headPhysical), map.frameSeq(headPhysical), headPhysical,
                    map.segmentEnd(headPhysical), path, map.fileOffset(headPhysical));
        }

        private boolean isFiller() {
            return map.segmentEnd(headPhysical) - headPhysical < FRAME_HEADER_LENGTH
                    || map.frameType(headPhysical) == TYPE_PADDING;
        }

        /** Moves head past the frame (or the unusable end of a segment) it is on. */
        private void skipFrame(boolean countMessages) {
            long remaining = map.segmentEnd(headPhysical) - headPhysical;
            long step;
            if (remaining < FRAME_HEADER_LENGTH) {
                step = remaining;
            } else {
                checkHeadFrame();
                int length = map.frameLength(headPhysical);
                int type = map.frameType(headPhysical);
                if (type == TYPE_MESSAGE && countMessages) {
                    count--;
                }
                step = FrameDescriptor.align(length);
            }
            head += step;
            headPhysical = map.following(headPhysical + step);
        }

        /** Makes what was written since {@code from} durable as asked, then visible to readers. */
        void publish(long from, Durability durability) {
            if (durability == Durability.FLUSH) {
                forceWritten(from, tail, firstSeq, seq);
            }
            map.putStateLong(HEAD_SEQ_OFFSET, head >= tail ? seq : headSeq);
            map.putStateLong(COUNT_OFFSET, count);
            map.putStateLong(LAST_POSITION_OFFSET, lastPosition);
            map.putStateLong(LAST_SEQ_OFFSET, seq - 1);
            map.putStateLong(LAST_TIME_OFFSET, lastTime);
            map.putStateLong(NEXT_SEQ_OFFSET, seq);
            map.tailRelease(tail);
            publishedTail = tail;
            publishedTailPhysical = tailPhysical;
            publishedHead = head;
            publishedHeadPhysical = headPhysical;
            if (durability == Durability.FLUSH) {
                map.forceMeta(0, HeaderDescriptor.FILE_HEADER_LENGTH);
            }
        }
    }

    /**
     * Repairs the state after a writer died holding the lock. Head and tail are the truth: everything else is
     * recomputed from the frames between them. A frame that fails its checks (only possible after an OS crash
     * without {@code flush}) ends the committed region there. Seqs are never reused: next seq only grows.
     */
    private void recover() {
        long head = map.headAcquire();
        long tail = map.tailAcquire();
        long storedNextSeq = map.stateLong(NEXT_SEQ_OFFSET);
        // Head and tail are what recovery trusts: damaged ones leave nothing safe to recover from.
        HeaderDescriptor.checkState(head, tail, storedNextSeq, map.ringCapacity, true, path);
        FrameScan scan = new FrameScan(map, head, tail, true);
        long count = 0;
        long headSeq = 0;
        // A stored last seq out of range is damage, not a seq that was ever assigned.
        long storedLastSeq = map.stateLong(LAST_SEQ_OFFSET);
        long lastSeq = storedLastSeq >= 0 && storedLastSeq < HeaderDescriptor.MAX_SEQ ? storedLastSeq : 0;
        long lastTime = map.stateLong(LAST_TIME_OFFSET);
        long lastPosition = map.stateLong(LAST_POSITION_OFFSET);
        long end = tail;
        long previousSeq = 0;
        while (scan.advance()) {
            // A bad frame, or one whose seq does not follow the previous one (left from an earlier lap behind a
            // damaged tail), ends the committed region.
            if (scan.problem() != null || scan.seq() <= previousSeq) {
                end = scan.position();
                break;
            }
            if (count == 0) {
                headSeq = scan.seq();
            }
            count++;
            previousSeq = scan.seq();
            lastSeq = Math.max(lastSeq, scan.seq());
            lastTime = Math.max(lastTime, scan.time());
            lastPosition = scan.position();
        }
        // Head beyond tail: the dead writer dropped every message for a frame it never published. Nothing is
        // committed below head, so the pool is empty and continues from head.
        long newTail = head > tail ? head : end;
        long nextSeq = Math.max(storedNextSeq, lastSeq + 1);
        map.putStateLong(HEAD_SEQ_OFFSET, count == 0 ? nextSeq : headSeq);
        map.putStateLong(COUNT_OFFSET, count);
        map.putStateLong(LAST_POSITION_OFFSET, lastPosition);
        map.putStateLong(LAST_SEQ_OFFSET, lastSeq);
        map.putStateLong(LAST_TIME_OFFSET, lastTime);
        map.putStateLong(NEXT_SEQ_OFFSET, nextSeq);
        map.tailRelease(newTail);
        writer.forgetPublished();
    }

    // ------------------------------------------------------------------ read

    /**
     * The message with this seq, if it is still in the pool: O(1) through the index (at most a stride of frame headers
     * read, see {@link IndexDescriptor}), else a scan from the oldest message.
     */
    public Optional<Message> get(long seq) {
        checkOpen();
        if (seq < 1) {
            // Seqs start at 1; a negative seq would also index outside the slot table.
            return Optional.empty();
        }
        FrameReader reader = readers.get();
        for (int attempt = 0; attempt < 8; attempt++) {
            long head = map.headAcquire();
            long tail = map.tailAcquire();
            long found = locate(seq, head, tail);
            if (found == NOT_FOUND) {
                return Optional.empty();
            }
            Message m = found == LAPPED ? null : reader.readAt(found);
            if (m != null && m.seq() == seq) {
                return Optional.of(m);
            }
            // Lapped, or the frame there changed since the scan: look again.
        }
        return Optional.empty();
    }

    /**
     * The message with this seq. NotFound, naming the seq, if it is not in the pool: the message says whether it was
     * overwritten or not written yet, and which seqs the pool holds.
     */
    public Message fetch(long seq) {
        Optional<Message> m = get(seq);
        if (m.isPresent()) {
            return m.get();
        }
        PoolInfo info = info();
        String why = seq < 1 ? "seqs start at 1" : seq >= info.nextSeq() ? "not written yet" : "overwritten";
        String bounds = info.messageCount() == 0 ? "the pool is empty"
                : "it holds seq " + info.oldestSeq() + " to " + info.newestSeq();
        throw new PoolException(ErrorKind.NOT_FOUND, "message not found: seq " + seq + " (" + why + "; " + bounds
                + ")", path, seq, null, null, null);
    }

    /** {@link #locate}: there is no frame of the seq (overwritten, not written yet, or behind a damaged frame). */
    private static final long NOT_FOUND = -1;
    /** {@link #locate}: a writer overwrote the frames being read; look again. */
    private static final long LAPPED = -2;

    /**
     * The position of the frame of {@code seq} (at least 1), found by reading frame headers forward from the
     * {@link #groupEntry} of its group (or from head), or {@link #NOT_FOUND} or {@link #LAPPED}. A damaged frame on
     * the way is where it stops: reading there reports it (Corrupt, with its offset).
     */
    private long locate(long seq, long head, long tail) {
        long entry = groupEntry(seq, head, tail);
        FrameScan scan = new FrameScan(map, entry >= 0 ? entry : head, tail);
        while (scan.advance()) {
            if (scan.problem() != null) {
                return scan.position() < map.headAfterReads() ? LAPPED : scan.position();
            }
            if (scan.seq() >= seq) {
                return scan.seq() == seq ? scan.position() : NOT_FOUND;
            }
        }
        return NOT_FOUND;
    }

    /**
     * Where a lookup of {@code seq} (at least 1) starts reading frames, at most a stride of them before the one it
     * wants: the {@link #slotEntry} of its group, else the {@link #headEntry}; -1 if neither (the slot was taken by
     * another group, is damaged, or names a seq that never had a frame), and the lookup then reads from head.
     */
    private long groupEntry(long seq, long head, long tail) {
        long entry = slotEntry(seq, head, tail);
        return entry >= 0 ? entry : headEntry(seq, head, tail);
    }

    /**
     * The position of the frame of the seq the slot of {@code seq}'s group names, if that is a seq of the group, not
     * after {@code seq}, and its frame is there; else -1. (A writer that died after storing next seq but before
     * publishing leaves slots pointing where later frames now lie, possibly mid-frame: reading there would report
     * corruption that is not there.)
     */
    private long slotEntry(long seq, long head, long tail) {
        long named = map.slotSeq(seq);
        if (named >= 1 && named <= seq && IndexDescriptor.sameGroup(named, seq, map.strideShift)) {
            long position = map.slotPosition(seq);
            if (position >= head && position < tail && position % FrameDescriptor.ALIGNMENT == 0
                    && isMessage(map.physical(position), named)) {
                return position;
            }
        }
        return -1;
    }

    /** Head, if the oldest frame's seq is of {@code seq}'s group or a later one (the group's first seqs are gone). */
    private long headEntry(long seq, long head, long tail) {
        if (head < tail) {
            long physical = map.physical(head);
            if (isMessage(physical, 0) && map.frameSeq(physical) >>> map.strideShift >= seq >>> map.strideShift) {
                return head;
            }
        }
        return -1;
    }

    /** True if a message frame header is at {@code physical}, of {@code seq} unless that is 0. */
    private boolean isMessage(long physical, long seq) {
        return map.segmentEnd(physical) - physical >= FRAME_HEADER_LENGTH && map.frameType(physical) == TYPE_MESSAGE
                && (seq == 0 || map.frameSeq(physical) == seq);
    }

    /** A cursor with gap policy {@link GapPolicy#CONTINUE} that ignores gaps. */
    public Cursor cursor(Start start) {
        return cursor(start, GapPolicy.CONTINUE, GapListener.IGNORE);
    }

    /** A cursor reading forward from {@code start}; not thread-safe: one per reading thread. */
    public Cursor cursor(Start start, GapPolicy policy, GapListener listener) {
        checkOpen();
        return new Cursor(this, map, start, policy, listener);
    }

    /**
     * Position of the first frame whose seq is at least {@code seq}, or {@code tail} if there is none yet. A damaged
     * frame on the way (or one a writer was overwriting) is where it stops: a cursor reading there reports it (or
     * notices it was lapped).
     */
    long positionOfSeq(long seq, long head, long tail) {
        // A start computed from a damaged header field may be below 1: it has no slot of its own.
        long entry = seq < 1 ? -1 : groupEntry(seq, head, tail);
        FrameScan scan = new FrameScan(map, entry >= 0 ? entry : head, tail);
        while (scan.advance()) {
            if (scan.problem() != null || scan.seq() >= seq) {
                return scan.position();
            }
        }
        return tail;
    }

    /** Position of the first frame whose time is at least {@code timeNanos} (times grow with seq). */
    long positionOfTime(long timeNanos, long head, long tail) {
        FrameScan scan = new FrameScan(map, head, tail);
        while (scan.advance()) {
            if (scan.problem() == null && scan.time() >= timeNanos) {
                return scan.position();
            }
        }
        return tail;
    }

    // ------------------------------------------------------------------ info, doctor

    /** Bounds and usage, without taking the lock. */
    public PoolInfo info() {
        checkOpen();
        long tail = map.tailAcquire();
        long head = map.headAcquire();
        long count = map.stateLong(COUNT_OFFSET);
        long nextSeq = map.stateLong(NEXT_SEQ_OFFSET);
        long oldestSeq = count == 0 ? 0 : map.stateLong(HEAD_SEQ_OFFSET);
        long newestSeq = count == 0 ? 0 : map.stateLong(LAST_SEQ_OFFSET);
        long oldestTime = 0;
        long newestTime = 0;
        if (count > 0) {
            oldestTime = oldestTime(oldestSeq);
            newestTime = map.stateLong(LAST_TIME_OFFSET);
        }
        long used = Math.max(0, Math.min(tail - head, map.ringCapacity));
        return new PoolInfo(path, id(), map.layout.version(), map.fileSize(), map.ringCapacity,
                map.indexCapacity, count, oldestSeq, newestSeq, nextSeq, oldestTime, newestTime, used,
                map.ringCapacity - used, map.createdNanos());
    }

    /**
     * What a reader whose next seq is {@code readerSeq} has not read yet, and how many bytes writers can append before
     * the oldest of it is overwritten. Without the lock, for a monitoring thread beside the reader: O(1) through the
     * index, a scan of frame headers from the oldest message when the index slot of {@code readerSeq} was reused.
     */
    public Backlog backlog(long readerSeq) {
        checkOpen();
        // A writer stores next seq before it publishes the tail, so unread may count messages about to be published:
        // the frame read below then finds none, and the reader is where the tail is. The snapshot is not atomic;
        // a head that passed the frame while it was read is noticed below.
        long nextSeq = map.stateLong(NEXT_SEQ_OFFSET);
        long count = map.stateLong(COUNT_OFFSET);
        long unread = Math.max(0, nextSeq - readerSeq);
        for (int attempt = 0; ; attempt++) {
            long tail = map.tailAcquire();
            long head = map.headAcquire();
            double average = count > 0 && tail > head ? (double) (tail - head) / count
                    : FrameDescriptor.MIN_FRAME_SPAN;
            if (unread == 0) {
                return new Backlog(readerSeq, 0, 0, 0, map.ringCapacity, average);
            }
            // The frame of readerSeq, or when it was overwritten the oldest frame: the first one at or after it.
            long position = positionOfSeq(readerSeq, head, tail);
            FrameScan scan = new FrameScan(map, position, tail);
            boolean found = scan.advance() && scan.problem() == null;
            boolean lapped = map.headAfterReads() > position;
            if (lapped && attempt < 8) {
                continue; // overwritten while we read its header: look again
            }
            // Seqs are consecutive, so a first frame past readerSeq means the ones before it were overwritten.
            long oldest = lapped ? Math.max(readerSeq + 1, map.stateLong(HEAD_SEQ_OFFSET))
                    : found ? scan.seq() : readerSeq;
            long overwritten = Math.min(unread, Math.max(0, oldest - readerSeq));
            long headroom = overwritten > 0 ? 0 : Math.max(0, position + map.ringCapacity - tail);
            return new Backlog(readerSeq, unread, overwritten, found && !lapped ? scan.time() : 0, headroom, average);
        }
    }

    /** The time of the oldest message; 0 if it cannot be read (info reports, the doctor judges). */
    private long oldestTime(long oldestSeq) {
        try {
            return get(oldestSeq).map(Message::timeNanos).orElse(0L);
        } catch (PoolException e) {
            return 0L;
        }
    }

    /** Validates the header, every frame between head and tail, and every index slot. */
    public DoctorReport doctor() {
        checkOpen();
        return PoolDoctor.examine(map, shared);
    }

    /** Opens and validates a pool file; a file that cannot even be opened is reported as one issue. */
    public static DoctorReport doctor(Path file) {
        try (Pool pool = open(file)) {
            return pool.doctor();
        } catch (PoolException e) {
            if (e.kind() == ErrorKind.NOT_FOUND || e.kind() == ErrorKind.PERMISSION || e.kind() == ErrorKind.IO) {
                throw e;
            }
            return new DoctorReport(file, 0, List.of(new DoctorReport.Issue(e.getMessage(), e.seq(), e.offset())),
                    List.of());
        }
    }

    // ------------------------------------------------------------------ lifecycle

    private void checkOpen() {
        if (closed) {
            throw new PoolException(ErrorKind.USAGE, "pool is closed", path);
        }
    }

    /** Closes the handle; the file closes with the last handle of this JVM. The GC releases the mapping. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            shared.release();
        }
    }

    static long nowNanos() {
        return WallClock.precise();
    }
}
