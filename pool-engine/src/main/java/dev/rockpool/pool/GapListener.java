package dev.rockpool.pool;

/** Told about each {@link Gap} a cursor with {@link GapPolicy#CONTINUE} skips over. */
@FunctionalInterface
public interface GapListener {
    /** Ignores gaps. */
    GapListener IGNORE = gap -> { };

    void onGap(Gap gap);
}
