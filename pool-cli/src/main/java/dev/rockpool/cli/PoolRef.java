package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.ITypeConverter;

import java.util.ArrayList;
import java.util.List;

/**
 * A pool as the user named it: a name (the engine validates it: no {@code ..}, no separators) or a path, which
 * contains {@code /} and must end in {@code .pool}, so that a mistyped {@code ../x} is refused rather than read or
 * created outside the pool directory. Checked when the command line is parsed, before anything touches the disk.
 *
 * @param text the reference as given
 */
record PoolRef(String text) {
    @Override
    public String toString() {
        return text;
    }

    /** A reference checked: a Usage error for what is neither a valid name nor a path to a pool file. */
    static PoolRef of(String ref) {
        if (ref.indexOf('/') < 0) {
            PoolDirectory.checkName(ref);
        } else if (!ref.endsWith(PoolDirectory.SUFFIX) || ref.endsWith("/" + PoolDirectory.SUFFIX)) {
            throw new PoolException(ErrorKind.USAGE, "invalid pool name '" + ref + "': a name cannot contain '/', "
                    + "and a path to a pool file must end in " + PoolDirectory.SUFFIX, null, null, null,
                    "use a name like 'logs' (in the pool directory) or a path like ./logs.pool", null);
        }
        return new PoolRef(ref);
    }

    /**
     * All of {@code refs} checked, before any is used. (A command taking several names checks them itself: picocli
     * reports a value its converter refuses in a list as an unmatched argument, without the reason.)
     */
    static List<PoolRef> all(List<String> refs) {
        List<PoolRef> checked = new ArrayList<>(refs.size());
        refs.forEach(ref -> checked.add(of(ref)));
        return checked;
    }

    /** Converts a command-line argument with {@link #of}. */
    static final class Converter implements ITypeConverter<PoolRef> {
        @Override
        public PoolRef convert(String ref) {
            return of(ref);
        }
    }
}
