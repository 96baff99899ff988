package dev.rockpool.pool;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A process that takes a pool's writer lock the way {@link WriterLock} does (CAS of its token into the lock word) and
 * then leaves the pool in the state of a writer stopped in the middle of an append, and sleeps until it is killed.
 * It keeps the pool open, so it holds its liveness record lock as a real writer does until it dies.
 * Arguments: {@code POOL MODE}. Mode {@code partial}: a half-written frame (garbage) after the tail, as a writer
 * leaves it before publishing. Mode {@code dropall}: also head moved past every message to where a ring-sized frame
 * would start after wrapping, as {@code makeRoom} does for an append that needs the whole ring. Prints
 * {@code LOCKED <token>} once done.
 */
public final class ChildLockHolder {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private ChildLockHolder() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path file = Path.of(args[0]);
        String mode = args[1];
        // An open pool handle holds this process's liveness record lock, like any real writer's.
        try (Pool pool = Pool.open(file);
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // A second handle opened and closed meanwhile must not drop the liveness lock (POSIX drops a process's
            // record locks when it closes any descriptor of the file: the engine shares one channel per file).
            Pool.open(file).close();
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size());
            m.order(ByteOrder.LITTLE_ENDIAN);
            while (!LONGS.compareAndSet(m, HeaderDescriptor.LOCK_OFFSET, 0L, WriterLock.OWN_TOKEN)) {
                Thread.sleep(1);
            }
            long ringOffset = m.getLong(HeaderDescriptor.RING_OFFSET_OFFSET);
            long ring = m.getLong(HeaderDescriptor.RING_CAPACITY_OFFSET);
            long tail = (long) LONGS.getAcquire(m, HeaderDescriptor.TAIL_OFFSET);
            long head = (long) LONGS.getAcquire(m, HeaderDescriptor.HEAD_OFFSET);
            int physical = (int) (tail % ring);
            int framePhysical = physical;
            long free = ring - (tail - head);
            if (mode.equals("dropall") && physical != 0) {
                long framePosition = tail + (ring - physical);
                LONGS.setRelease(m, HeaderDescriptor.HEAD_OFFSET, framePosition);
                VarHandle.storeStoreFence();
                framePhysical = 0;
                free = ring;
            }
            // Garbage where the next frame goes (only in free space, as a writer never writes below head before it
            // moves head): a plausible header with a wrong CRC, as if killed mid-write.
            int garbage = (int) Math.min(Math.min(512, free), ring - framePhysical) & -FrameDescriptor.ALIGNMENT;
            if (garbage >= 40) {
                byte[] junk = new byte[garbage];
                Arrays.fill(junk, (byte) 0x5A);
                int at = (int) (ringOffset + framePhysical);
                m.put(at, junk);
                m.putInt(at + FrameDescriptor.LENGTH_OFFSET, garbage);
                m.putInt(at + FrameDescriptor.TYPE_OFFSET, FrameDescriptor.TYPE_MESSAGE);
                m.putInt(at + FrameDescriptor.META_LENGTH_OFFSET, 3);
            }
            System.out.println("LOCKED " + WriterLock.OWN_TOKEN);
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
