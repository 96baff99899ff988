package dev.rockpool.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A directory of pools, {@code NAME.pool} each. Resolves user-given pool references: an argument containing a
 * {@code /} is a path, anything else a name validated so that nothing escapes the directory.
 */
public final class PoolDirectory {
    /** The file suffix of a pool. */
    public static final String SUFFIX = ".pool";
    /** The environment variable naming the default pool directory. */
    public static final String ENV_DIR = "ROCKPOOL_DIR";
    /** Longest pool name, in characters. */
    public static final int MAX_NAME_LENGTH = 200;

    private final Path dir;

    public PoolDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** {@code explicitDir} if given, else {@code $ROCKPOOL_DIR}, else {@code ~/.rockpool/pools}. */
    public static PoolDirectory resolve(String explicitDir) {
        if (explicitDir != null && !explicitDir.isBlank()) {
            return new PoolDirectory(Paths.get(expandHome(explicitDir)));
        }
        String env = System.getenv(ENV_DIR);
        if (env != null && !env.isBlank()) {
            return new PoolDirectory(Paths.get(expandHome(env)));
        }
        return new PoolDirectory(defaultDir());
    }

    /** {@code ~/.rockpool/pools}. */
    public static Path defaultDir() {
        return Paths.get(System.getProperty("user.home"), ".rockpool", "pools");
    }

    /** Replaces a leading {@code ~/} with the user's home. */
    public static String expandHome(String path) {
        if (path.equals("~")) {
            return System.getProperty("user.home");
        }
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    public Path dir() {
        return dir;
    }

    /** The file of a pool reference: a path if it contains {@code /}, else {@code DIR/NAME.pool}. */
    public Path pathOf(String poolRef) {
        if (poolRef.indexOf('/') >= 0) {
            return Paths.get(expandHome(poolRef)).toAbsolutePath().normalize();
        }
        checkName(poolRef);
        return dir.resolve(poolRef + SUFFIX);
    }

    /** The pool name of a file: its file name without {@code .pool}. */
    public static String nameOf(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
    }

    /** Refuses names that could escape the directory or confuse a terminal: a Usage error naming the problem. */
    public static void checkName(String name) {
        String problem = null;
        if (name == null || name.isEmpty()) {
            problem = "is empty";
        } else if (name.length() > MAX_NAME_LENGTH) {
            problem = "is longer than " + MAX_NAME_LENGTH + " characters";
        } else if (name.contains("..")) {
            problem = "contains '..'";
        } else if (name.startsWith(".") || name.startsWith("-")) {
            problem = "starts with '" + name.charAt(0) + "'";
        } else {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == '/' || c == '\\' || c == '\0') {
                    problem = "contains a path separator";
                    break;
                }
                if (Character.isISOControl(c)) {
                    problem = "contains a control character";
                    break;
                }
            }
        }
        if (problem != null) {
            throw new PoolException(ErrorKind.USAGE, "invalid pool name '" + printable(name) + "': it " + problem)
                    .withHint("use letters, digits, '-', '_' and '.'; or give a path containing '/'");
        }
    }

    /** Creates a pool (and the directory if needed). */
    public Pool create(String poolRef, PoolOptions options) {
        return create(poolRef, options, CreateProgress.NONE);
    }

    /** Creates a pool (and the directory if needed), telling {@code progress} how much of the file is written. */
    public Pool create(String poolRef, PoolOptions options, CreateProgress progress) {
        Path file = pathOf(poolRef);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw PoolException.io(file.getParent(), "cannot create pool directory", e);
        }
        return Pool.create(file, options, progress);
    }

    /** Opens an existing pool. */
    public Pool open(String poolRef) {
        return Pool.open(pathOf(poolRef));
    }

    /** Opens a pool, creating it with {@code options} if it does not exist (racing creators are fine). */
    public Pool openOrCreate(String poolRef, PoolOptions options) {
        Path file = pathOf(poolRef);
        if (!Files.exists(file)) {
            try {
                return create(poolRef, options);
            } catch (PoolException e) {
                if (e.kind() != ErrorKind.ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
        return Pool.open(file);
    }

    /** The pool files in the directory, sorted by name; empty if the directory does not exist. */
    public List<Path> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> pools = new ArrayList<>();
            files.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .sorted()
                    .forEach(pools::add);
            return pools;
        } catch (IOException e) {
            throw PoolException.io(dir, "cannot list pool directory", e);
        }
    }

    /** Deletes a pool file; NotFound if there is none. Readers and writers that have it open keep their mapping. */
    public void delete(String poolRef) {
        Path file = pathOf(poolRef);
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            throw new PoolException(ErrorKind.NOT_FOUND, "pool not found: " + poolRef, file);
        } catch (IOException e) {
            throw PoolException.io(file, "cannot delete pool", e);
        }
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
