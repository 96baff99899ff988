package dev.rockpool.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.filter.ErrorJson;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.PoolException;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The streams of one CLI run and whether each is a terminal. Errors and notices go to stderr as one human line on a
 * terminal, otherwise as one JSON object per line, so scripts can parse them.
 *
 * <p>Terminal detection: {@code bin/rockpool} passes {@code -Drockpool.tty=012} listing the file descriptors that
 * are terminals ({@code [ -t N ]} in the shell, exact for each stream). Without it (a plain {@code java -cp} run) all
 * three count as terminals exactly when {@code System.console() != null}.
 */
public final class Io {
    /** The system property the launcher sets: the digits of the standard descriptors that are terminals. */
    public static final String TTY_PROPERTY = "rockpool.tty";

    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;
    private final boolean stdinTerminal;
    private final boolean stdoutTerminal;
    private final boolean stderrTerminal;

    /** Streams of a run; {@code out} and {@code err} are written unbuffered by this class (callers buffer). */
    public Io(InputStream in, OutputStream out, OutputStream err, boolean stdinTerminal, boolean stdoutTerminal,
              boolean stderrTerminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.stdinTerminal = stdinTerminal;
        this.stdoutTerminal = stdoutTerminal;
        this.stderrTerminal = stderrTerminal;
    }

    /** The process's standard streams, unbuffered (no {@code System.out} PrintStream in the way). */
    public static Io system() {
        String tty = System.getProperty(TTY_PROPERTY);
        boolean console = System.console() != null;
        return new Io(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err),
                tty == null ? console : tty.indexOf('0') >= 0,
                tty == null ? console : tty.indexOf('1') >= 0,
                tty == null ? console : tty.indexOf('2') >= 0);
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    public OutputStream err() {
        return err;
    }

    public boolean stdinTerminal() {
        return stdinTerminal;
    }

    public boolean stdoutTerminal() {
        return stdoutTerminal;
    }

    public boolean stderrTerminal() {
        return stderrTerminal;
    }

    /** Reports an error on stderr with its own hint. */
    public void error(PoolException e) {
        error(e, e.hint());
    }

    /**
     * Reports an error on stderr: {@code rockpool: NotFound: message (hint: ...)} on a terminal, else
     * {@code {"error":{"kind","message","hint","path","seq","offset",...}}} with absent fields omitted.
     */
    public void error(PoolException e, String hint) {
        if (stderrTerminal) {
            StringBuilder b = new StringBuilder("rockpool: ").append(e.kind().label()).append(": ")
                    .append(e.getMessage());
            if (hint != null) {
                b.append(" (hint: ").append(hint).append(')');
            }
            writeErr(b.append('\n').toString());
            return;
        }
        Map<String, Long> more = new LinkedHashMap<>();
        if (e instanceof RecordException) {
            RecordException r = (RecordException) e;
            more.put("record", r.record());
            more.put("line", r.line());
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JsonData.MAPPER.getFactory().createGenerator(line)) {
            ErrorJson.write(g, e, hint, more);
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        writeErr(line.toString(StandardCharsets.UTF_8) + "\n");
    }

    /**
     * Reports a notice (not an error: it never changes the exit code) in plasmite's shape:
     * {@code {"notice":{"kind","time","cmd","pool","message","details":{...}}}}; one human line on a terminal. A
     * notice about no one pool ({@code serve}'s) has a null {@code pool}, and no such field.
     */
    public void notice(String kind, String cmd, String pool, String message, Map<String, Object> details) {
        if (stderrTerminal) {
            writeErr("rockpool: " + cmd + (pool == null ? "" : " " + pool) + ": " + message + "\n");
            return;
        }
        ObjectNode notice = JsonNodeFactory.instance.objectNode();
        notice.put("kind", kind);
        notice.put("time", TimeFormat.format(TimeFormat.nowNanos()));
        notice.put("cmd", cmd);
        if (pool != null) {
            notice.put("pool", pool);
        }
        notice.put("message", message);
        notice.set("details", JsonData.MAPPER.valueToTree(details));
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("notice", notice);
        writeErr(root + "\n");
    }

    private void writeErr(String text) {
        try {
            err.write(text.getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException ignored) {
            // stderr is gone: there is nobody left to tell
        }
    }
}
