package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code rockpool fetch POOL SEQ}: one message by seq (O(1) through the index); NotFound (exit 3) if it is gone. */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print one message by its seq; NotFound (exit 3) if it is not (or no longer) in the pool.")
final class FetchCommand implements Callable<Integer> {
    @ParentCommand
    Rockpool root;

    @Parameters(index = "0", paramLabel = "POOL", description = "Pool name (or a path containing '/').")
    String poolRef;

    @Parameters(index = "1", paramLabel = "SEQ", description = "The message's seq.")
    long seq;

    @Option(names = "--format", paramLabel = "pretty|jsonl",
            description = "pretty (indented) or jsonl (one line); default: pretty on a terminal, else jsonl.")
    String format;

    @Option(names = "--data-only", description = "Print only the message's data.")
    boolean dataOnly;

    @Override
    public Integer call() {
        Io io = root.io();
        Rockpool.checkRef(poolRef);
        MessageOutput output = new MessageOutput(new Output(io.out()), MessageOutput.format(format, io), dataOnly);
        if (seq < 1) {
            throw new PoolException(ErrorKind.USAGE, "seq=" + seq + ": seqs start at 1");
        }
        try (Pool pool = root.directory().open(poolRef)) {
            Optional<Message> m = pool.get(seq);
            if (m.isEmpty()) {
                PoolInfo info = pool.info();
                String bounds = info.messageCount() == 0 ? "the pool is empty"
                        : "it holds seq " + info.oldestSeq() + " to " + info.newestSeq();
                String why = seq >= info.nextSeq() ? "not written yet" : "overwritten";
                throw new PoolException(ErrorKind.NOT_FOUND, "no message with seq " + seq + " in " + poolRef
                        + " (" + why + "; " + bounds + ")", pool.path(), seq, null, null, null);
            }
            output.write(m.get());
        }
        output.flush();
        return 0;
    }
}
