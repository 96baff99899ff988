package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.MessageTooLargeException;
import dev.rockpool.pool.PoolException;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * What the CLI advises for an engine error. The engine states the facts (a kind, the path, the seq, a limit); the
 * commands and flags that help are the CLI's, so they are named here and nowhere in the engine.
 */
final class Hints {
    /** For a message larger than its pool holds. */
    static final String LARGER_POOL =
            "create a larger pool: rockpool pool create NAME --size SIZE (or feed --create --create-size SIZE)";

    private Hints() {
    }

    /** The error's own hint, else the CLI's advice for its kind and facts, else null. */
    static String of(PoolException e, Function<Path, String> refOf) {
        if (e.hint() != null) {
            return e.hint();
        }
        if (e instanceof MessageTooLargeException || e.getCause() instanceof MessageTooLargeException) {
            return LARGER_POOL;
        }
        switch (e.kind()) {
            case CORRUPT:
                return e.path() == null ? null : "check it with: rockpool doctor " + refOf.apply(e.path());
            case RETENTION_GAP:
                return "use a larger pool, read faster, or accept gaps with --on-gap continue";
            default:
                return null;
        }
    }

    /** {@code e}, with how to create the pool when it says the pool {@code ref} is missing. */
    static PoolException forPool(PoolException e, PoolRef ref) {
        return e.kind() == ErrorKind.NOT_FOUND && e.seq() == null ? missingPool(e, ref) : e;
    }

    /** A missing pool, with how to create it. */
    static PoolException missingPool(PoolException e, PoolRef ref) {
        return e.hint() != null ? e : e.withHint("create it with: rockpool pool create " + ref);
    }
}
