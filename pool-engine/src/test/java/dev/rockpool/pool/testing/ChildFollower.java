package dev.rockpool.pool.testing;

import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.GapListener;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.Start;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A follower process: {@code POOL WRITERS TOTAL IDLE_TIMEOUT_SECONDS [MAX_PAD]}. Follows the pool from the earliest
 * message with gap policy fail, checks every message (content, seq = previous + 1, each writer's counters 0, 1, 2...
 * in order) until it has read TOTAL messages, printing {@code PROGRESS <n>} along the way and {@code DONE <n>} at the
 * end; exits 1 with {@code ERROR <why>} on the first violation, or if no message arrives for the idle timeout.
 */
public final class ChildFollower {
    private ChildFollower() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int writers = Integer.parseInt(args[1]);
        long total = Long.parseLong(args[2]);
        Duration idle = Duration.ofSeconds(Long.parseLong(args[3]));
        int maxPad = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        long[] nextCounter = new long[writers];
        try (Pool pool = Pool.open(file); Cursor cursor = pool.cursor(Start.earliest(), GapPolicy.FAIL,
                GapListener.IGNORE)) {
            System.out.println("READY");
            System.out.flush();
            long read = 0;
            long expectedSeq = 1;
            while (read < total) {
                Message m = cursor.poll(idle);
                if (m == null) {
                    fail("no message for " + idle + " after " + read + " messages");
                }
                if (m.seq() != expectedSeq) {
                    fail("expected seq " + expectedSeq + " got " + m.seq());
                }
                long[] wc = TestMessages.check(m, maxPad);
                int w = (int) wc[0];
                if (w < 0 || w >= writers || wc[1] != nextCounter[w]) {
                    fail("seq " + m.seq() + ": writer " + w + " counter " + wc[1] + " out of order");
                }
                nextCounter[w]++;
                expectedSeq++;
                read++;
                if (read % 10_000 == 0) {
                    System.out.println("PROGRESS " + read);
                    System.out.flush();
                }
            }
            System.out.println("DONE " + read);
            System.out.flush();
        } catch (RuntimeException | AssertionError e) {
            fail(e.toString());
        }
    }

    private static void fail(String why) {
        System.out.println("ERROR " + why);
        System.out.flush();
        System.exit(1);
    }
}
