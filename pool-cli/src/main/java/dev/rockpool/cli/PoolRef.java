package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.ITypeConverter;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A pool as the user named it: a name (the engine validates it: no {@code ..}, no separators), a path, which
 * contains {@code /} and must end in {@code .pool}, so that a mistyped {@code ../x} is refused rather than read or
 * created outside the pool directory, or a remote pool, {@code http(s)://host:port/POOL} (plasmite's shorthand: one
 * path segment, the pool's name; no API path, query or fragment). Checked when the command line is parsed, before
 * anything touches the disk or the network. Only plain strings: the remote client is loaded by {@link Remote} alone.
 *
 * @param text   the reference as given
 * @param server for a remote pool, its server's base URL {@code http(s)://host:port}; else null
 * @param name   the pool's name on its server (remote), or {@code text} (local)
 */
record PoolRef(String text, String server, String name) {
    private static final String REMOTE_FORM = "http(s)://host:port/POOL";

    @Override
    public String toString() {
        return text;
    }

    /** Whether this is a pool of a {@code rockpool serve} (or plasmite) server. */
    boolean remote() {
        return server != null;
    }

    /** This reference, or a Usage error when it names a remote pool: {@code command} reads pool files directly. */
    PoolRef local(String command) {
        if (remote()) {
            throw new PoolException(ErrorKind.USAGE, command + " works on local pools only, not on " + text, null, null,
                    null, "run it on the server's host, on the pool file", null);
        }
        return this;
    }

    /** A reference checked: a Usage error for what is neither a valid name, a path to a pool file nor a pool URL. */
    static PoolRef of(String ref) {
        if (isUrl(ref)) {
            return remote(ref);
        }
        if (ref.contains("://")) {
            throw usage("invalid pool reference '" + ref + "': a remote pool is " + REMOTE_FORM);
        }
        if (ref.indexOf('/') < 0) {
            PoolDirectory.checkName(ref);
        } else if (!ref.endsWith(PoolDirectory.SUFFIX) || ref.endsWith("/" + PoolDirectory.SUFFIX)) {
            throw new PoolException(ErrorKind.USAGE, "invalid pool name '" + ref + "': a name cannot contain '/', "
                    + "and a path to a pool file must end in " + PoolDirectory.SUFFIX, null, null, null,
                    "use a name like 'logs' (in the pool directory) or a path like ./logs.pool", null);
        }
        return new PoolRef(ref, null, ref);
    }

    /** Whether {@code text} is meant as a URL of a remote pool or server. */
    static boolean isUrl(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private static PoolRef remote(String ref) {
        URI uri;
        try {
            uri = new URI(ref);
        } catch (URISyntaxException e) {
            throw usage("invalid remote pool URL '" + ref + "': " + e.getReason());
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw usage("invalid remote pool URL '" + ref + "': expected " + REMOTE_FORM
                    + " (the pool's name, not an API path)");
        }
        String name = uri.getPath().substring(1);
        if (path.toLowerCase(Locale.ROOT).contains("%2f") || path.contains("%5C") || path.contains("%5c")) {
            throw usage("invalid remote pool URL '" + ref + "': a pool name cannot contain separators");
        }
        PoolDirectory.checkName(name);
        String server = uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
        return new PoolRef(ref, server, name);
    }

    private static PoolException usage(String message) {
        return new PoolException(ErrorKind.USAGE, message, null, null, null,
                "a local pool is a name (logs) or a path (./logs.pool); a remote one " + REMOTE_FORM, null);
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
