package dev.rockpool.pool;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads a pool forward, message by message, without locks. {@link #next()} never blocks; {@link #poll(Duration)}
 * waits for a new message with the cursor's {@link WaitStrategy}. When writers overwrite the messages ahead of the
 * cursor, the {@link GapPolicy} decides: report a {@link Gap} and continue with the oldest message, or fail with
 * RetentionGap. Not thread-safe, except {@link #wakeup()}.
 */
public final class Cursor implements AutoCloseable {
    private final Pool pool;
    private final PoolMapping map;
    private final FrameReader reader;
    private final GapPolicy gapPolicy;
    private final GapListener gapListener;
    private WaitStrategy waitStrategy = WaitStrategy.backoff();
    private long position;
    /** Physical offset of {@link #position}; -1 when it must be computed. */
    private long physical = -1;
    /** The tail last read: frames below it are published, so it is read again only when the cursor reaches it. */
    private long knownTail;
    private long expectedSeq;
    private boolean lapped;
    private volatile boolean wakeupRequested;
    private volatile Thread waiter;

    Cursor(Pool pool, PoolMapping map, Start start, GapPolicy gapPolicy, GapListener gapListener) {
        this.pool = pool;
        this.map = map;
        this.reader = new FrameReader(map);
        this.gapPolicy = gapPolicy;
        this.gapListener = gapListener;
        seek(start);
    }

    private void seek(Start start) {
        long head = map.headAcquire();
        long tail = map.tailAcquire();
        long headSeq = map.stateLong(HeaderDescriptor.HEAD_SEQ_OFFSET);
        long nextSeq = map.stateLong(HeaderDescriptor.NEXT_SEQ_OFFSET);
        switch (start.kind()) {
            case EARLIEST:
                position = head;
                expectedSeq = headSeq;
                break;
            case LATEST:
                position = tail;
                expectedSeq = nextSeq;
                break;
            case TAIL:
                long last = map.stateLong(HeaderDescriptor.LAST_SEQ_OFFSET);
                long from = Math.max(headSeq, last - start.value() + 1);
                position = start.value() == 0 ? tail : pool.positionOfSeq(from, head, tail);
                expectedSeq = start.value() == 0 ? nextSeq : from;
                break;
            case TIME:
                position = pool.positionOfTime(start.value(), head, tail);
                expectedSeq = headSeq;
                break;
            case SEQ:
                expectedSeq = start.value();
                if (expectedSeq < headSeq) {
                    position = head;
                    lapped = true;
                } else {
                    position = pool.positionOfSeq(expectedSeq, head, tail);
                }
                break;
            default:
                throw new IllegalStateException(start.toString());
        }
    }

    /**
     * The next message, or null if the cursor has read everything published so far.
     *
     * @throws PoolException RetentionGap (policy fail) when messages ahead were overwritten; Corrupt for a bad frame
     */
    public Message next() {
        return advance(true) ? reader.message() : null;
    }

    /**
     * The next message read in place, without copying it, or null if the cursor has read everything published so
     * far. The view is the cursor's own, valid until its next call; see {@link MessageView} for when to check
     * {@link MessageView#intact()}.
     *
     * @throws PoolException as {@link #next()}
     */
    public MessageView nextView() {
        return advance(false) ? reader.view() : null;
    }

    /** Moves to the next message, copying it or not; false when caught up. */
    private boolean advance(boolean copy) {
        if (position >= knownTail) {
            knownTail = map.tailAcquire();
        }
        long tail = knownTail;
        while (position < tail) {
            if (physical < 0) {
                physical = map.physical(position);
            }
            FrameReader.Result result = reader.read(position, physical, copy);
            if (result == FrameReader.Result.LAPPED) {
                lapped = true;
                position = map.headAcquire();
                physical = -1;
                tail = knownTail = map.tailAcquire();
                continue;
            }
            long framePosition = position;
            long framePhysical = physical;
            position = reader.nextPosition();
            physical = reader.nextPhysical();
            if (result == FrameReader.Result.FILLER) {
                continue;
            }
            long seq = copy ? reader.message().seq() : reader.view().seq();
            if (seq < expectedSeq) {
                continue;
            }
            if (lapped && seq > expectedSeq) {
                Gap gap = new Gap(expectedSeq, seq - expectedSeq);
                if (gapPolicy == GapPolicy.FAIL) {
                    position = framePosition;
                    physical = framePhysical;
                    throw new PoolException(ErrorKind.RETENTION_GAP, "messages from seq " + gap.firstMissingSeq()
                            + " were overwritten before they were read: " + gap.count() + " lost, oldest now "
                            + seq, map.path, gap.firstMissingSeq(), null, null, null);
                }
                gapListener.onGap(gap);
            }
            lapped = false;
            expectedSeq = seq + 1;
            return true;
        }
        return false;
    }

    /**
     * The next message, waiting up to {@code timeout} for one to be appended.
     *
     * @return the message, or null on timeout or {@link #wakeup()}
     */
    public Message poll(Duration timeout) {
        Message m = next();
        if (m != null || timeout.isZero() || timeout.isNegative()) {
            return m;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        WaitStrategy.Idler idler = waitStrategy.newIdler();
        waiter = Thread.currentThread();
        try {
            while (!wakeupRequested) {
                m = next();
                if (m != null) {
                    return m;
                }
                if (System.nanoTime() - deadline >= 0) {
                    return null;
                }
                idler.idle();
            }
            return null;
        } finally {
            waiter = null;
            wakeupRequested = false;
        }
    }

    /** Makes a {@link #poll} in progress (or the next one) return null at once. Safe from any thread. */
    public void wakeup() {
        wakeupRequested = true;
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Whether each frame's CRC32C is checked on read; default true. Like Kafka's consumer {@code check.crcs}: turning
     * it off trades the detection of damaged bytes on disk (after an OS crash, a bad disk) for speed. It does not
     * weaken the rest: frames are still checked for a plausible header, and a frame a writer overwrote while it was
     * read is still never returned (that check does not rely on the CRC).
     */
    public Cursor verifyChecksums(boolean verify) {
        reader.verifyChecksums(verify);
        return this;
    }

    /** How {@link #poll} waits; default {@link WaitStrategy#backoff()}. */
    public Cursor waitStrategy(WaitStrategy strategy) {
        this.waitStrategy = strategy;
        return this;
    }

    /** The seq this cursor expects next: every message before it has been returned or reported as a gap. */
    public long nextSeq() {
        return expectedSeq;
    }

    /** True if every message published so far has been read (the next {@link #next()} would return null now). */
    public boolean caughtUp() {
        return position >= map.tailAcquire();
    }

    public Pool pool() {
        return pool;
    }

    @Override
    public void close() {
        wakeup();
    }
}
