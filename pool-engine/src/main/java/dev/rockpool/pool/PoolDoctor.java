package dev.rockpool.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates a whole pool: the header state, every frame in {@code [head, tail)} (plausible header, checksum, meta,
 * data a JSON object in UTF-8, seqs strictly increasing, times never decreasing), the derived state fields, and every
 * index slot that claims a seq still in the pool. Lock-free like any reader: under concurrent appends a frame
 * overwritten during the walk is detected by the head check and the walk is restarted.
 *
 * <p>What the next writer repairs by itself (a dead writer's lock, derived fields that disagree with the frames) is a
 * note saying what it will do; what makes readers fail or the writer refuse is an issue.
 */
final class PoolDoctor {
    private static final int ATTEMPTS = 5;

    private PoolDoctor() {
    }

    static DoctorReport examine(PoolMapping map, SharedChannel shared) {
        DoctorReport report = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            report = examineOnce(map, shared);
            if (report != null) {
                return report;
            }
        }
        List<String> notes = List.of("writers lapped the doctor " + ATTEMPTS + " times; the ring was not checked");
        return new DoctorReport(map.path, 0, List.of(), notes);
    }

    /** The frames of one pass: how many, the first and last seq, and the seqs between them that have no frame. */
    private static final class Walk {
        long count;
        long firstSeq;
        long lastSeq;
        /**
         * Runs of seqs without a frame, start to end (exclusive): a writer that died after storing next seq but
         * before publishing leaves seqs that never existed, whose index slots may point anywhere.
         */
        final TreeMap<Long, Long> holes = new TreeMap<>();

        boolean present(long seq) {
            Map.Entry<Long, Long> hole = holes.floorEntry(seq);
            return count > 0 && seq >= firstSeq && seq <= lastSeq && (hole == null || seq >= hole.getValue());
        }
    }

    /** One pass, or null if a writer overwrote the frames being checked. */
    private static DoctorReport examineOnce(PoolMapping map, SharedChannel shared) {
        List<DoctorReport.Issue> issues = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // Tail before head, as Pool.open reads them: with writers running, head then tail could be a ring apart.
        long tail = map.tailAcquire();
        long head = map.headAcquire();
        try {
            HeaderDescriptor.checkState(head, tail, map.stateLong(HeaderDescriptor.NEXT_SEQ_OFFSET),
                    map.ringCapacity, map.appendInProgress(head, tail), map.path);
        } catch (PoolException e) {
            issues.add(new DoctorReport.Issue(e.getMessage(), null, e.offset()));
            return new DoctorReport(map.path, 0, issues, notes);
        }
        noteDeadLock(map, shared, head, tail, notes);
        Walk walk = walk(map, head, tail, issues);
        if (walk == null || head < map.headAfterReads()) {
            return null;
        }
        checkNextSeq(map, head, tail, walk, issues, notes);
        if (issues.isEmpty() && map.tailAcquire() == tail) {
            checkDerivedState(map, walk, notes);
        }
        checkIndex(map, head, tail, walk, issues);
        if (head < map.headAfterReads()) {
            return null;
        }
        return new DoctorReport(map.path, walk.count, issues, notes);
    }

    /** A lock word no live writer holds is taken over by the next writer, which then repairs the pool. */
    private static void noteDeadLock(PoolMapping map, SharedChannel shared, long head, long tail, List<String> notes) {
        long lock = map.lockWord();
        if (lock == 0 || shared.isAlive(lock)) {
            return;
        }
        String owner = HeaderDescriptor.isLockToken(lock)
                ? "writer lock held by pid " + WriterLock.pidOf(lock) + ", which no longer runs"
                : "writer lock word=0x" + Long.toHexString(lock) + " is no writer's token (damaged)";
        String repair = head > tail ? ": it sets tail to head=" + head + " (the dead writer had dropped every message)"
                : "";
        notes.add(owner + "; the next writer takes it over and repairs the pool as after a crash" + repair);
    }

    /** Walks {@code [head, tail)}: frame issues end the walk (nothing after them can be found); null if lapped. */
    private static Walk walk(PoolMapping map, long head, long tail, List<DoctorReport.Issue> issues) {
        FrameScan scan = new FrameScan(map, head, tail, true);
        FrameReader reader = new FrameReader(map);
        Walk walk = new Walk();
        long previousTime = Long.MIN_VALUE;
        while (scan.advance()) {
            long offset = map.fileOffset(map.physical(scan.position()));
            if (scan.problem() != null) {
                if (scan.position() < map.headAfterReads()) {
                    return null;
                }
                issues.add(new DoctorReport.Issue(scan.problem(), scan.seq() > 0 ? scan.seq() : null, offset));
                break;
            }
            long seq = scan.seq();
            if (walk.count > 0 && seq <= walk.lastSeq) {
                issues.add(new DoctorReport.Issue("seq does not increase (previous " + walk.lastSeq + ")", seq,
                        offset));
            } else if (walk.count > 0 && seq > walk.lastSeq + 1) {
                walk.holes.put(walk.lastSeq + 1, seq);
            }
            if (scan.time() < previousTime) {
                issues.add(new DoctorReport.Issue("time goes backwards", seq, offset));
            }
            checkData(reader, scan.position(), seq, offset, issues);
            if (walk.count == 0) {
                walk.firstSeq = seq;
            }
            previousTime = scan.time();
            walk.lastSeq = Math.max(walk.lastSeq, seq);
            walk.count++;
        }
        return walk;
    }

    /** The data is what readers turn into output: a forged frame whose data is not a JSON object is an issue. */
    private static void checkData(FrameReader reader, long position, long seq, long offset,
                                  List<DoctorReport.Issue> issues) {
        try {
            Message m = reader.readAt(position);
            if (m != null) {
                m.checkData();
            }
        } catch (PoolException e) {
            issues.add(new DoctorReport.Issue(e.getMessage(), seq, offset));
        }
    }

    /**
     * Next seq must be above every seq in the pool. If the stored fields contradict each other the next writer sees
     * it and recomputes next seq from the frames (a note); if they agree with each other but not with the frames, it
     * would assign seqs again (an issue).
     */
    private static void checkNextSeq(PoolMapping map, long head, long tail, Walk walk,
                                     List<DoctorReport.Issue> issues, List<String> notes) {
        long nextSeq = map.stateLong(HeaderDescriptor.NEXT_SEQ_OFFSET);
        if (walk.count == 0 || nextSeq > walk.lastSeq) {
            return;
        }
        if (isConsistent(map, head, tail)) {
            issues.add(new DoctorReport.Issue("next seq " + nextSeq + " is not above the newest seq " + walk.lastSeq,
                    walk.lastSeq, (long) HeaderDescriptor.NEXT_SEQ_OFFSET));
        } else {
            notes.add("next seq " + nextSeq + " is not above the newest seq " + walk.lastSeq
                    + "; the next writer recomputes it from the frames");
        }
    }

    private static boolean isConsistent(PoolMapping map, long head, long tail) {
        return HeaderDescriptor.isConsistent(head, tail, map.stateLong(HeaderDescriptor.NEXT_SEQ_OFFSET),
                map.stateLong(HeaderDescriptor.COUNT_OFFSET), map.stateLong(HeaderDescriptor.HEAD_SEQ_OFFSET),
                map.stateLong(HeaderDescriptor.LAST_SEQ_OFFSET), map.ringCapacity);
    }

    /**
     * Derived fields that disagree with the frames are a note, not corruption: readers work from head and tail. The
     * next writer recomputes them when they contradict each other (or after a crash); otherwise it carries them on.
     */
    private static void checkDerivedState(PoolMapping map, Walk walk, List<String> notes) {
        long storedCount = map.stateLong(HeaderDescriptor.COUNT_OFFSET);
        if (storedCount != walk.count) {
            notes.add("header count " + storedCount + " differs from the " + walk.count + " frames found");
        }
        long headSeq = map.stateLong(HeaderDescriptor.HEAD_SEQ_OFFSET);
        if (walk.count > 0 && headSeq != walk.firstSeq) {
            notes.add("header head seq " + headSeq + " differs from " + walk.firstSeq);
        }
        long lastSeq = map.stateLong(HeaderDescriptor.LAST_SEQ_OFFSET);
        if (walk.count > 0 && lastSeq != walk.lastSeq) {
            notes.add("header last seq " + lastSeq + " differs from " + walk.lastSeq);
        }
        long tail = map.tailAcquire();
        long head = map.headAcquire();
        if (head <= tail && map.lockWord() == 0 && !isConsistent(map, head, tail)) {
            notes.add("header fields count, head seq, last seq and next seq contradict each other; the next writer"
                    + " recomputes them from the frames before it appends, as after a crash");
        }
    }

    /**
     * A slot naming a seq that is in the pool must point at that seq's frame; a slot names only seqs of its own group
     * (the first seq of the group, or the first a writer appended after it found the group's frames unreadable).
     */
    private static void checkIndex(PoolMapping map, long head, long tail, Walk walk,
                                   List<DoctorReport.Issue> issues) {
        FrameReader reader = new FrameReader(map);
        for (long slot = 0; slot < map.indexCapacity; slot++) {
            long seq = map.slotSeqAt(slot);
            long offset = IndexDescriptor.slotOffsetAt(slot);
            if (seq != 0 && (seq < 0 || IndexDescriptor.slotOf(seq, map.indexCapacity, map.strideShift) != slot)) {
                issues.add(new DoctorReport.Issue("index slot " + slot + " holds seq=" + seq + ", which belongs in"
                        + " slot " + Math.floorMod(seq >> map.strideShift, map.indexCapacity), seq, offset));
                continue;
            }
            if (!walk.present(seq)) {
                continue; // never written, not in the pool, or a seq that never had a frame: nothing trusts it
            }
            long position = map.slotPositionAt(slot);
            if (position < head || position >= tail || position % FrameDescriptor.ALIGNMENT != 0) {
                // Seqs skipped by a crashed writer may leave a slot pointing past the committed region.
                if (position >= tail) {
                    continue;
                }
                issues.add(new DoctorReport.Issue("index slot " + slot + " points outside the ring: position "
                        + position, seq, offset));
                continue;
            }
            Message m;
            try {
                m = reader.readAt(position);
            } catch (PoolException e) {
                issues.add(new DoctorReport.Issue("index slot " + slot + " points at a bad frame: "
                        + e.getMessage(), seq, offset));
                continue;
            }
            if (m != null && m.seq() != seq) {
                issues.add(new DoctorReport.Issue("index slot " + slot + " points at seq " + m.seq(), seq, offset));
            }
        }
    }
}
