package dev.rockpool.pool.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Makes a file that this process cannot open for writing, whoever runs the tests: permission bits for an ordinary
 * user, the immutable attribute ({@code chattr +i}) for root, which permission bits do not stop.
 */
public final class Unwritable {
    private Unwritable() {
    }

    /** Makes {@code file} unwritable; false if neither way works here (root on a file system without chattr). */
    public static boolean make(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        if (!opensForWriting(file)) {
            return true;
        }
        return chattr("+i", file) && !opensForWriting(file);
    }

    /** Undoes {@link #make}, so the test's temporary directory can be deleted. */
    public static void undo(Path file) throws IOException {
        chattr("-i", file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static boolean opensForWriting(Path file) throws IOException {
        try (FileChannel ignored = FileChannel.open(file, StandardOpenOption.WRITE)) {
            return true;
        } catch (FileSystemException e) {
            return false;
        }
    }

    private static boolean chattr(String flag, Path file) {
        try {
            Process p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no chattr on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
