package dev.rockpool.pool;

import java.util.concurrent.locks.LockSupport;

/**
 * How a follower waits for new messages. {@link #backoff()} (the default) spins briefly, then yields, then parks with
 * a doubling, bounded pause, so an idle follower costs next to no CPU; {@link #busySpin()} never leaves the core, for
 * the lowest latency. Each waiting thread gets its own {@link Idler} from {@link #newIdler()}.
 */
public final class WaitStrategy {
    private static final WaitStrategy BACKOFF = new WaitStrategy(200, 50, 1_000, 1_000_000);
    private static final WaitStrategy BUSY_SPIN = new WaitStrategy(Long.MAX_VALUE, 0, 0, 0);

    private final long spins;
    private final long yields;
    private final long minParkNanos;
    private final long maxParkNanos;

    private WaitStrategy(long spins, long yields, long minParkNanos, long maxParkNanos) {
        this.spins = spins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    /** Spin, then yield, then park from 1 µs doubling up to 1 ms. */
    public static WaitStrategy backoff() {
        return BACKOFF;
    }

    /** Spin with {@link Thread#onSpinWait()}: lowest latency, one full core while waiting. */
    public static WaitStrategy busySpin() {
        return BUSY_SPIN;
    }

    /** Spin, yield and then park with a pause growing up to {@code maxParkNanos}. */
    public static WaitStrategy backoff(long maxParkNanos) {
        return new WaitStrategy(200, 50, Math.min(1_000, maxParkNanos), maxParkNanos);
    }

    /** A new, single-threaded waiting state. */
    public Idler newIdler() {
        return new Idler();
    }

    /** The state of one waiting thread: call {@link #idle()} after finding no work, {@link #reset()} after work. */
    public final class Idler {
        private long count;
        private long parkNanos;

        private Idler() {
            parkNanos = minParkNanos;
        }

        /** Waits a little, longer each call without work in between, but never longer than the maximum pause. */
        public void idle() {
            if (count < spins) {
                count++;
                Thread.onSpinWait();
            } else if (count < spins + yields) {
                count++;
                Thread.yield();
            } else {
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos * 2, maxParkNanos);
            }
        }

        /** Work was found: start the backoff over. */
        public void reset() {
            count = 0;
            parkNanos = minParkNanos;
        }
    }
}
