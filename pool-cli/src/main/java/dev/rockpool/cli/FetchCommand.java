package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/**
 * {@code rockpool fetch POOL SEQ}: one message by seq (O(1) through the index); NotFound (exit 3) if it is gone. A
 * remote pool's message is fetched through {@link Remote} and printed the same way.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print one message by its seq; NotFound (exit 3) if it is not (or no longer) in the pool.")
final class FetchCommand implements Callable<Integer> {
    @ParentCommand
    Rockpool root;

    @Mixin
    Options.PoolArgument target;

    @Parameters(index = "1", paramLabel = "SEQ", description = "The message's seq (seqs start at 1).")
    long seq;

    @Mixin
    Options.MessageFormat format;

    @Mixin
    Options.Remote remote;

    @Override
    public Integer call() {
        remote.check(target.pool.remote());
        MessageOutput output = new MessageOutput(root.io(), format);
        if (target.pool.remote()) {
            output.write(Remote.fetch(target.pool, remote, seq));
            output.flush();
            return 0;
        }
        // The pool first: a corrupt pool is Corrupt whatever the seq.
        try (Pool pool = root.open(target.pool)) {
            if (seq < 1) {
                throw new PoolException(ErrorKind.USAGE, "seq=" + seq + ": seqs start at 1");
            }
            output.write(pool.fetch(seq));
        }
        output.flush();
        return 0;
    }
}
