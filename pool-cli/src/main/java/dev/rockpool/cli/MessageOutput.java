package dev.rockpool.cli;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.rockpool.filter.Envelope;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Message;

import java.io.IOException;
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

    /** Indented like jq prints: {@code "key": value}, one array element per line, {@code []} and <code>{}</code>. */
    static final ObjectWriter PRETTY = JsonData.MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    private final Output out;
    private final Format format;
    private final boolean dataOnly;

    /** Messages to stdout as {@code options} say; without {@code --format}, pretty on a terminal, else jsonl. */
    MessageOutput(Io io, Options.MessageFormat options) {
        this.out = new Output(io.out());
        this.format = options.format != null ? options.format : io.stdoutTerminal() ? Format.PRETTY : Format.JSONL;
        this.dataOnly = options.dataOnly;
    }

    void write(Message m) {
        try {
            if (format == Format.JSONL) {
                if (dataOnly) {
                    out.write(m.payloadArray(), m.dataOffset(), m.dataLength());
                } else {
                    Envelope.write(m, out.stream());
                }
            } else {
                JsonNode node = dataOnly ? Envelope.data(m) : Envelope.tree(m);
                out.write(PRETTY.writeValueAsBytes(node));
            }
        } catch (IOException e) {
            throw Output.closed(e);
        }
        out.write('\n');
    }

    void flush() {
        out.flush();
    }
}
