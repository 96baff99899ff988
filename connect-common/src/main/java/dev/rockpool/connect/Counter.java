package dev.rockpool.connect;

/**
 * A count with one writer (the task's thread) read by the metrics reporter's thread: a volatile long, so a read never
 * sees a torn or stale-forever value, and no atomic read-modify-write on the writer's path.
 */
public final class Counter {
    private volatile long value;

    /** Adds one; only ever called from the one writing thread. */
    public void increment() {
        value++;
    }

    /** Adds {@code n}; only ever called from the one writing thread. */
    public void add(long n) {
        value += n;
    }

    /** The count, from any thread. */
    public long get() {
        return value;
    }
}
