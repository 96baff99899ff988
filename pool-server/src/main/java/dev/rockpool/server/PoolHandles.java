package dev.rockpool.server;

import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolOptions;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The pools the server has open, by name: opening maps the file, far too costly per request. Each use asks the
 * engine whether the file was replaced on disk (a pool deleted, or deleted and created again by another process),
 * so a request never appends to a file that is gone. Names are validated by the engine, as everywhere.
 */
final class PoolHandles implements AutoCloseable {
    private final PoolDirectory directory;
    private final Map<String, Pool> open = new HashMap<>();

    PoolHandles(PoolDirectory directory) {
        this.directory = directory;
    }

    PoolDirectory directory() {
        return directory;
    }

    /** The open pool of a name; NotFound if there is no such pool, Usage for a bad name. */
    Pool get(String name) {
        Path file = pathOf(name);
        synchronized (open) {
            Pool cached = open.get(name);
            if (cached != null && !cached.replacedOnDisk()) {
                return cached;
            }
            if (cached != null) {
                open.remove(name);
                cached.close();
            }
            Pool pool = Pool.open(file);
            open.put(name, pool);
            return pool;
        }
    }

    /** Creates a pool; AlreadyExists if there is one. */
    Pool create(String name, PoolOptions options) {
        pathOf(name);
        Pool pool = directory.create(name, options);
        synchronized (open) {
            Pool old = open.put(name, pool);
            if (old != null) {
                old.close();
            }
        }
        return pool;
    }

    /** Deletes a pool file; streams reading it end (their feed notices the file is gone). */
    void delete(String name) {
        pathOf(name);
        directory.delete(name);
        synchronized (open) {
            Pool cached = open.remove(name);
            if (cached != null) {
                cached.close();
            }
        }
    }

    /** The file of a pool name; only names are served (no paths), validated by the engine. */
    Path pathOf(String name) {
        PoolDirectory.checkName(name);
        return directory.pathOf(name);
    }

    @Override
    public void close() {
        synchronized (open) {
            open.values().forEach(Pool::close);
            open.clear();
        }
    }
}
