package dev.rockpool.pool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One open channel per pool file per JVM, shared by every {@link Pool} handle of that file and closed with the last.
 * Sharing matters because POSIX record locks belong to the process and closing <em>any</em> descriptor of a file
 * drops all of them, so the liveness lock below must live on a channel that no other handle closes.
 *
 * <p>The liveness lock: a process that opens a pool holds an exclusive record lock on one byte at
 * {@link #livenessOffset(long)} of its lock-word token, far beyond the end of the file (record locks may lie past it).
 * The kernel drops it when the process dies, whatever killed it, and it is visible across PID namespaces (a worker in
 * a container and a feeder on the host share the file's lock table, not their pids). A writer waiting for a lock word
 * asks whether its owner lives by trying that byte: if the try succeeds, nobody holds it, and the owner is dead.
 */
final class SharedChannel {
    /** Liveness bytes start here: far past any pool's end, below the largest file offset. */
    static final long LIVENESS_BASE = 1L << 62;

    private static final Map<Object, SharedChannel> OPEN = new HashMap<>();

    final Object key;
    final FileChannel channel;
    /**
     * Why the file is not written through this channel (the system's reason it could not be opened for writing, or
     * that it has no write permission bit), or null when it is {@link #writable}.
     */
    final String readOnlyReason;
    /** Threads of this JVM that found the lock word taken wait here, so only one of them spins on the word. */
    final ReentrantLock contended = new ReentrantLock();
    private int references;

    private SharedChannel(Object key, FileChannel channel, String readOnlyReason) {
        this.key = key;
        this.channel = channel;
        this.readOnlyReason = readOnlyReason;
    }

    /** True if the channel is open for writing. */
    boolean writable() {
        return readOnlyReason == null;
    }

    /**
     * The identity of the file at {@code file} (its inode, or its real path where the file system has no file keys),
     * or null if there is no file there. Two handles are of the same file exactly when their keys are equal.
     */
    static Object fileKey(Path file) {
        try {
            return keyOf(file);
        } catch (IOException e) {
            return null;
        }
    }

    private static Object keyOf(Path file) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return key != null ? key : file.toRealPath().toString();
    }

    /** The shared channel of a file, opened read-write if allowed, else read-only. */
    static SharedChannel acquire(Path file) throws IOException {
        Object key = keyOf(file);
        synchronized (OPEN) {
            SharedChannel shared = OPEN.get(key);
            if (shared == null) {
                shared = open(key, file);
                OPEN.put(key, shared);
            }
            shared.references++;
            return shared;
        }
    }

    private static SharedChannel open(Object key, Path file) throws IOException {
        String readOnlyReason = withoutWriteBits(file);
        FileChannel ch = null;
        if (readOnlyReason == null) {
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (FileSystemException e) {
                // Not writable by this process: permission bits (EACCES), an immutable file (EPERM) or a read-only
                // file system (EROFS). Readers still work; appends are refused with this reason. Any other failure
                // fails the read-only open below as well and is reported from there.
                readOnlyReason = e.getReason() != null ? e.getReason()
                        : e instanceof AccessDeniedException ? "Permission denied" : e.getClass().getSimpleName();
            }
        }
        if (ch == null) {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        }
        SharedChannel shared = new SharedChannel(key, ch, readOnlyReason);
        if (shared.writable()) {
            shared.holdLiveness();
        }
        return shared;
    }

    /**
     * A file with no write permission bit at all was made read-only on purpose: it is not written, not even by root
     * (whom the kernel would let). Null when some write bit is set or the file system has no POSIX permissions.
     */
    private static String withoutWriteBits(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return null;
        }
        boolean anyWrite = permissions.contains(PosixFilePermission.OWNER_WRITE)
                || permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        return anyWrite ? null : "the file has no write permission bit: " + PosixFilePermissions.toString(permissions);
    }

    /** Drops one reference; the last one closes the channel (and with it the liveness lock). */
    void release() {
        synchronized (OPEN) {
            if (--references == 0) {
                OPEN.remove(key);
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the descriptor is gone either way
                }
            }
        }
    }

    /** Takes this process's liveness byte; the lock lives as long as the channel (nothing else releases it). */
    private void holdLiveness() throws IOException {
        try {
            channel.tryLock(livenessOffset(WriterLock.OWN_TOKEN), 1, false);
        } catch (OverlappingFileLockException e) {
            // Another class loader's copy of this class in the same JVM already holds it for this process.
        }
    }

    /** The byte whose record lock says that the owner of {@code token} still runs. */
    static long livenessOffset(long token) {
        return LIVENESS_BASE | (token & (LIVENESS_BASE - 1));
    }

    /**
     * True if the process that wrote {@code token} into a lock word still has the pool open. A token is alive while
     * some process holds its liveness byte; we probe it by trying to take that byte ourselves. A lock word that is no
     * token at all (damage: see {@link HeaderDescriptor#isLockToken}) has no owner, so none is alive.
     */
    boolean isAlive(long token) {
        if (token == WriterLock.OWN_TOKEN) {
            return true;
        }
        if (!HeaderDescriptor.isLockToken(token)) {
            return false;
        }
        try {
            FileLock probe = channel.tryLock(livenessOffset(token), 1, !writable());
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return WriterLock.startTicks(WriterLock.pidOf(token)) == (token >>> WriterLock.PID_BITS);
        }
    }
}
