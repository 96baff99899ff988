package dev.rockpool.pool;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

class WallClockTest {
    /** Generous: the check is for units and offsets gone wrong, not for precision on a shared machine. */
    private static final long TOLERANCE = TimeUnit.MILLISECONDS.toNanos(100);

    @Test
    void stampsFollowTheWallClockAcrossResyncs() {
        WallClock clock = new WallClock();
        long previous = 0;
        long end = System.nanoTime() + 3 * WallClock.RESYNC_NANOS;
        while (System.nanoTime() < end) {
            long before = WallClock.precise();
            long stamp = clock.nowNanos();
            long after = WallClock.precise();
            assertTrue(stamp >= before - TOLERANCE && stamp <= after + TOLERANCE,
                    () -> "stamp " + stamp + " outside [" + before + ", " + after + "]");
            assertTrue(stamp >= previous - TOLERANCE, "no large step back at a resync");
            previous = stamp;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(7));
        }
    }
}
