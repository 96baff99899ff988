package dev.rockpool.server;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The pools the server has open, by name: opening maps the file, far too costly per request. Each use checks that
 * the name still leads to the same file (a pool deleted and created again by another process is a new file), so a
 * request never appends to a file that is gone. Names are validated by the engine, as everywhere.
 */
final class PoolHandles implements AutoCloseable {
    private final PoolDirectory directory;
    private final Map<String, Handle> open = new HashMap<>();

    private record Handle(Pool pool, Object fileKey) {
    }

    PoolHandles(PoolDirectory directory) {
        this.directory = directory;
    }

    PoolDirectory directory() {
        return directory;
    }

    /** The open pool of a name; NotFound if there is no such pool, Usage for a bad name. */
    Pool get(String name) {
        Path file = pathOf(name);
        Object key = fileKey(file, name);
        synchronized (open) {
            Handle h = open.get(name);
            if (h != null && Objects.equals(h.fileKey, key)) {
                return h.pool;
            }
            if (h != null) {
                open.remove(name);
                h.pool.close();
            }
            Pool pool = Pool.open(file);
            open.put(name, new Handle(pool, key));
            return pool;
        }
    }

    /** Creates a pool; AlreadyExists if there is one. */
    Pool create(String name, PoolOptions options) {
        pathOf(name);
        Pool pool = directory.create(name, options);
        synchronized (open) {
            Handle old = open.put(name, new Handle(pool, fileKey(pool.path(), name)));
            if (old != null) {
                old.pool.close();
            }
        }
        return pool;
    }

    /** Deletes a pool file; streams reading it end (their feed notices the file is gone). */
    void delete(String name) {
        pathOf(name);
        directory.delete(name);
        synchronized (open) {
            Handle h = open.remove(name);
            if (h != null) {
                h.pool.close();
            }
        }
    }

    /** True if {@code pool} is still the file its name leads to. */
    boolean isCurrent(String name, Pool pool) {
        try {
            return Objects.equals(fileKey(pool.path(), name), fileKey(pathOf(name), name));
        } catch (PoolException e) {
            return false;
        }
    }

    /** The file of a pool name; only names are served (no paths), validated by the engine. */
    Path pathOf(String name) {
        PoolDirectory.checkName(name);
        return directory.pathOf(name);
    }

    private static Object fileKey(Path file, String name) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (NoSuchFileException e) {
            throw new PoolException(ErrorKind.NOT_FOUND, "no such pool: " + name, file);
        } catch (IOException e) {
            throw PoolException.io(file, "cannot open pool", e);
        }
    }

    @Override
    public void close() {
        synchronized (open) {
            open.values().forEach(h -> h.pool.close());
            open.clear();
        }
    }
}
