package dev.rockpool.pool;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Validates a whole pool: the header state, every frame in {@code [head, tail)} (plausible header, checksum, meta,
 * seqs strictly increasing, times never decreasing), the derived state fields, and every index slot that claims a
 * seq still in the pool. Lock-free like any reader: under concurrent appends a frame overwritten during the walk is
 * detected by the head check and the walk is restarted.
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

    /** One pass, or null if a writer overwrote the frames being checked. */
    private static DoctorReport examineOnce(PoolMapping map, SharedChannel shared) {
        List<DoctorReport.Issue> issues = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // Tail before head, as Pool.open reads them: with writers running, head then tail could be a ring apart.
        long tail = map.tailAcquire();
        long head = map.headAcquire();
        try {
            HeaderDescriptor.checkState(head, tail, map.stateLong(HeaderDescriptor.NEXT_SEQ_OFFSET),
                    map.ringCapacity, map.path);
        } catch (PoolException e) {
            issues.add(new DoctorReport.Issue(e.getMessage(), null, e.offset()));
            return new DoctorReport(map.path, 0, issues, notes);
        }
        long lock = map.lockWord();
        if (lock != 0 && !shared.isAlive(lock)) {
            notes.add("writer lock held by pid " + WriterLock.pidOf(lock) + ", which no longer runs; the next writer"
                    + " takes it over and repairs the pool");
        }
        Frames frames = Frames.walk(map, head, tail, issues);
        if (frames == null || head < map.headAfterReads()) {
            return null;
        }
        long count = frames.count;
        long firstSeq = frames.firstSeq;
        long lastSeq = frames.lastSeq;
        long nextSeq = map.stateLong(HeaderDescriptor.NEXT_SEQ_OFFSET);
        if (count > 0 && nextSeq <= lastSeq) {
            issues.add(new DoctorReport.Issue("next seq " + nextSeq + " is not above the newest seq " + lastSeq,
                    lastSeq, (long) HeaderDescriptor.NEXT_SEQ_OFFSET));
        }
        if (issues.isEmpty() && map.tailAcquire() == tail) {
            checkDerivedState(map, count, firstSeq, lastSeq, notes);
        }
        checkIndex(map, head, tail, firstSeq, lastSeq, count, frames.present, issues);
        if (head < map.headAfterReads()) {
            return null;
        }
        return new DoctorReport(map.path, count, issues, notes);
    }

    /** Derived fields that disagree are repaired by the next writer after a crash; a note, not corruption. */
    private static void checkDerivedState(PoolMapping map, long count, long firstSeq, long lastSeq,
                                          List<String> notes) {
        long storedCount = map.stateLong(HeaderDescriptor.COUNT_OFFSET);
        if (storedCount != count) {
            notes.add("header count " + storedCount + " differs from the " + count + " frames found");
        }
        if (count > 0 && map.stateLong(HeaderDescriptor.HEAD_SEQ_OFFSET) != firstSeq) {
            notes.add("header head seq " + map.stateLong(HeaderDescriptor.HEAD_SEQ_OFFSET) + " differs from "
                    + firstSeq);
        }
        if (count > 0 && map.stateLong(HeaderDescriptor.LAST_SEQ_OFFSET) != lastSeq) {
            notes.add("header last seq " + map.stateLong(HeaderDescriptor.LAST_SEQ_OFFSET) + " differs from "
                    + lastSeq);
        }
    }

    /** A slot naming a seq that is in the pool must point at that seq's frame. */
    private static void checkIndex(PoolMapping map, long head, long tail, long firstSeq, long lastSeq, long count,
                                   BitSet present, List<DoctorReport.Issue> issues) {
        if (count == 0) {
            return;
        }
        FrameReader reader = new FrameReader(map);
        for (long slot = 0; slot < map.indexCapacity; slot++) {
            long seq = map.slotSeqAt(slot);
            if (seq < firstSeq || seq > lastSeq || seq % map.indexCapacity != slot) {
                if (seq != 0 && seq % map.indexCapacity != slot) {
                    issues.add(new DoctorReport.Issue("index slot " + slot + " holds seq " + seq
                            + " which belongs in slot " + (seq % map.indexCapacity), seq,
                            (long) IndexDescriptor.slotOffset(seq, map.indexCapacity)));
                }
                continue;
            }
            if (seq - firstSeq < Integer.MAX_VALUE && !present.get((int) (seq - firstSeq))) {
                continue; // a seq that never had a frame: nothing trusts its slot
            }
            long position = map.slotPositionAt(slot);
            long offset = HeaderDescriptor.FILE_HEADER_LENGTH + slot * IndexDescriptor.SLOT_LENGTH;
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

    /** What a pass over the frames found: how many messages, their seq range, and which seqs have a frame. */
    private static final class Frames {
        long count;
        long firstSeq;
        long lastSeq;
        /**
         * Which seqs have a frame: a writer that died after storing next seq but before publishing leaves seqs that
         * never existed, whose index slots may point anywhere. Seqs are below firstSeq + count + those holes.
         */
        final BitSet present = new BitSet();

        /** Walks the frames in {@code [head, tail)}, adding what is wrong to {@code issues}; null if lapped. */
        static Frames walk(PoolMapping map, long head, long tail, List<DoctorReport.Issue> issues) {
            FrameScan scan = new FrameScan(map, head, tail, true);
            Frames f = new Frames();
            long previousSeq = 0;
            long previousTime = Long.MIN_VALUE;
            while (scan.advance()) {
                long offset = map.ringOffset + map.physical(scan.position());
                if (scan.problem() != null) {
                    if (scan.position() < map.headAfterReads()) {
                        return null;
                    }
                    issues.add(new DoctorReport.Issue(scan.problem(), scan.seq() > 0 ? scan.seq() : null, offset));
                    break;
                }
                if (f.count > 0 && scan.seq() <= previousSeq) {
                    issues.add(new DoctorReport.Issue("seq does not increase (previous " + previousSeq + ")",
                            scan.seq(), offset));
                }
                if (scan.time() < previousTime) {
                    issues.add(new DoctorReport.Issue("time goes backwards", scan.seq(), offset));
                }
                if (f.count == 0) {
                    f.firstSeq = scan.seq();
                }
                // A frame a writer overwrote while it was scanned can hold any seq; the head check discards the pass.
                if (scan.seq() >= f.firstSeq && scan.seq() - f.firstSeq < Integer.MAX_VALUE) {
                    f.present.set((int) (scan.seq() - f.firstSeq));
                }
                previousSeq = scan.seq();
                previousTime = scan.time();
                f.lastSeq = scan.seq();
                f.count++;
            }
            return f;
        }
    }
}
