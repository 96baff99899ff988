package dev.rockpool.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.rockpool.filter.Envelope;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Prints messages: {@code jsonl} writes one compact envelope per line, copying the stored data bytes as they are
 * (no parse); {@code pretty} writes each envelope indented, for people. {@code --data-only} prints just the data.
 * The default is pretty when stdout is a terminal and jsonl otherwise, so pipes get one message per line.
 */
final class MessageOutput {
    /** The output formats, shown and accepted in lower case. */
    enum Format {
        PRETTY, JSONL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Indented like jq prints: {@code "key": value}, one array element per line, {@code []} and <code>{}</code>. In a
     * holder: the object mapper behind it is built only when something is printed for people (a terminal).
     */
    static final class Pretty {
        static final ObjectWriter WRITER = JsonTrees.MAPPER.writer(new DefaultPrettyPrinter(Separators
                .createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

        private Pretty() {
        }

        /** Writes the message (or its data only) indented; here, so that jsonl output never loads a tree class. */
        static void write(Message m, boolean dataOnly, OutputStream out) throws IOException {
            JsonNode node = dataOnly ? Envelope.data(m) : Envelope.tree(m);
            WRITER.writeValue(out, node);
        }
    }

    private final Output out;
    private final Format format;
    private final boolean dataOnly;
    /** The message being rendered, reused. */
    private final ByteArrayOutputStream rendered = new ByteArrayOutputStream(1024);

    /** Messages to stdout as {@code options} say; without {@code --format}, pretty on a terminal, else jsonl. */
    MessageOutput(Io io, Options.MessageFormat options) {
        this.out = new Output(io.out());
        this.format = options.format() != null ? options.format() : io.stdoutTerminal() ? Format.PRETTY : Format.JSONL;
        this.dataOnly = options.dataOnly();
    }

    /**
     * Writes one message, whole or not at all: it is rendered and checked in full first (data a JSON object in
     * UTF-8, tags and origin decodable; a forged frame is a Corrupt error naming its seq and offset), then handed to
     * the output in one piece, so an error never leaves part of a message on stdout.
     */
    void write(Message m) {
        rendered.reset();
        try {
            if (format == Format.JSONL) {
                if (dataOnly) {
                    m.checkData();
                    rendered.write(m.payloadArray(), m.dataOffset(), m.dataLength());
                } else {
                    Envelope.write(m, rendered);
                }
            } else {
                Pretty.write(m, dataOnly, rendered);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        rendered.write('\n');
        out.write(rendered);
    }

    void flush() {
        out.flush();
    }
}
