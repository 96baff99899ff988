package dev.rockpool.cli;

import com.fasterxml.jackson.core.JsonGenerator;
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
        if (tty == null) {
            // Only without the launcher: on JDK 22 and later the first System.console() loads a console provider.
            tty = System.console() != null ? "012" : "";
        }
        return new Io(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), tty.indexOf('0') >= 0, tty.indexOf('1') >= 0,
                tty.indexOf('2') >= 0);
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
            writeErr(b.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        writeErr(jsonLine("error", g -> {
            ErrorJson.writeFields(g, e, hint);
            if (e instanceof RecordException) {
                RecordException r = (RecordException) e;
                g.writeNumberField("record", r.record());
                g.writeNumberField("line", r.line());
            }
        }));
    }

    /**
     * Reports a notice (not an error: it never changes the exit code) in plasmite's shape:
     * {@code {"notice":{"kind","time","cmd","pool","message","details":{...}}}}; one human line on a terminal. A
     * notice about no one pool ({@code serve}'s) has a null {@code pool}, and no such field.
     */
    public void notice(String kind, String cmd, String pool, String message, Map<String, Object> details) {
        if (stderrTerminal) {
            writeErr(("rockpool: " + cmd + (pool == null ? "" : " " + pool) + ": " + message + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        writeErr(jsonLine("notice", g -> {
            g.writeStringField("kind", kind);
            g.writeStringField("time", TimeFormat.format(TimeFormat.nowNanos()));
            g.writeStringField("cmd", cmd);
            if (pool != null) {
                g.writeStringField("pool", pool);
            }
            g.writeStringField("message", message);
            g.writeObjectFieldStart("details");
            for (Map.Entry<String, Object> d : details.entrySet()) {
                g.writeFieldName(d.getKey());
                g.writeObject(d.getValue());
            }
            g.writeEndObject();
        }));
    }

    /** Writes the fields of one JSON object inside another. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /**
     * {@code {"WRAPPER":{fields}}} and a newline, compact, written by a streaming generator: reporting an error must
     * not cost the start of an object mapper.
     */
    private static byte[] jsonLine(String wrapper, Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JsonData.FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeObjectFieldStart(wrapper);
            fields.write(g);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }

    private void writeErr(byte[] text) {
        try {
            err.write(text);
            err.flush();
        } catch (IOException ignored) {
            // stderr is gone: there is nobody left to tell
        }
    }
}
