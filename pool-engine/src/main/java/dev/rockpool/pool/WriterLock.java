package dev.rockpool.pool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * The writer lock of one pool: the lock word in the pool header, taken by every writing thread of every process.
 *
 * <p>The lock word holds the owner's token: its pid in the low {@link #PID_BITS} bits and its start time (clock
 * ticks since boot, from {@code /proc/PID/stat}) above, so tokens are not reused when pids are. Taking a free lock is
 * one CAS and releasing it one release store, which keeps the lock cheap on every append. Threads of one process
 * write the same token and exclude each other through the same CAS: a word holding our own token is held by another
 * of our threads, and waiting is right. A thread that finds the word taken first queues on the file's in-JVM
 * {@link SharedChannel#contended} lock, so that at most one thread per process spins on the word. Only a waiter
 * that has waited a while asks whether a foreign owner still lives (about once a millisecond), through the owner's
 * liveness record lock (see {@link SharedChannel}), which the kernel drops when the owner dies. A waiter that finds
 * the owner dead takes the word over with a CAS from the dead token, which only one waiter can win; the winner then
 * repairs the pool (see {@link Pool}).
 */
final class WriterLock {
    /** Bits of the token holding the pid (Linux pids are below 2^22). */
    static final int PID_BITS = HeaderDescriptor.LOCK_PID_BITS;
    /** Start ticks are kept below this, so every token is below {@link HeaderDescriptor#MAX_LOCK_WORD}. */
    private static final long TICKS_MASK = (HeaderDescriptor.MAX_LOCK_WORD >>> PID_BITS) - 1;
    /** This process's token (start ticks 0 if even its own cannot be read: a token must stay a valid lock word). */
    static final long OWN_TOKEN = ownToken();

    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private final PoolMapping mapping;
    private final SharedChannel shared;
    private final long timeoutNanos;

    WriterLock(PoolMapping mapping, SharedChannel shared, long timeoutNanos) {
        this.mapping = mapping;
        this.shared = shared;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Takes the lock.
     *
     * @return true if it was taken over from a dead owner, so the caller must repair the pool before writing
     * @throws PoolException Busy if a live owner keeps it longer than the timeout
     */
    boolean acquire() {
        return !mapping.casLockWord(0, OWN_TOKEN) && acquireContended();
    }

    private boolean acquireContended() {
        try {
            if (!shared.contended.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw busy(mapping.lockWord());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PoolException(ErrorKind.INTERNAL, "interrupted while waiting for the writer lock",
                    mapping.path);
        }
        try {
            return spinForWord();
        } finally {
            shared.contended.unlock();
        }
    }

    private boolean spinForWord() {
        WaitStrategy.Idler idler = WaitStrategy.backoff(TimeUnit.MICROSECONDS.toNanos(200)).newIdler();
        long start = System.nanoTime();
        long lastCheck = start;
        while (true) {
            long word = mapping.lockWord();
            if (word == 0) {
                if (mapping.casLockWord(0, OWN_TOKEN)) {
                    return false;
                }
                continue;
            }
            long now = System.nanoTime();
            if (word != OWN_TOKEN && now - lastCheck >= LIVENESS_CHECK_NANOS) {
                lastCheck = now;
                if (!shared.isAlive(word) && mapping.casLockWord(word, OWN_TOKEN)) {
                    return true;
                }
            }
            if (now - start > timeoutNanos) {
                throw busy(word);
            }
            idler.idle();
        }
    }

    void release() {
        mapping.releaseLockWord();
    }

    private PoolException busy(long word) {
        String owner = word == OWN_TOKEN ? "another thread of this process"
                : "another writer (pid " + pidOf(word) + ")";
        return new PoolException(ErrorKind.BUSY, "pool is locked by " + owner + " for more than "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", mapping.path, null,
                (long) HeaderDescriptor.LOCK_OFFSET, "is a writer stopped (SIGSTOP) or stuck?", null);
    }

    private static long ownToken() {
        long pid = currentPid();
        return tokenOf(pid, Math.max(0, startTicks(pid)));
    }

    /**
     * This process's pid: the target of {@code /proc/self} where there is one, which costs a short CLI command less
     * than the first use of {@link ProcessHandle} (its class sets up a thread pool and method handles).
     */
    static long currentPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Paths.get("/proc/self")).toString());
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.current().pid();
        }
    }

    static long tokenOf(long pid, long startTicks) {
        return (startTicks << PID_BITS) | (pid & ((1L << PID_BITS) - 1));
    }

    static long pidOf(long token) {
        return token & ((1L << PID_BITS) - 1);
    }

    /**
     * A process's start time in clock ticks since boot, or -1 if it does not run (no such process, or a zombie).
     * Where {@code /proc} is missing, falls back to {@link ProcessHandle} (start time in centiseconds).
     */
    static long startTicks(long pid) {
        Path stat = Paths.get("/proc", Long.toString(pid), "stat");
        if (Files.isDirectory(Paths.get("/proc/self"))) {
            try {
                String text = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
                // Fields after the command name, which is in parentheses and may itself contain spaces.
                String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                char state = fields[0].charAt(0);
                if (state == 'Z' || state == 'X' || state == 'x') {
                    return -1;
                }
                return Long.parseLong(fields[19]) & TICKS_MASK;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().startInstant())
                .map(i -> (i.toEpochMilli() / 10) & TICKS_MASK)
                .orElse(-1L);
    }
}
