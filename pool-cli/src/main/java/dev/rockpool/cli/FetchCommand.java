package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code rockpool fetch POOL SEQ}: one message by seq (O(1) through the index); NotFound (exit 3) if it is gone. A
 * remote pool's message is fetched through {@link Remote} and printed the same way.
 */
final class FetchCommand extends CliCommand {
    private final Rockpool root;
    private final PositionalParamSpec poolArg = Options.pool();
    private final PositionalParamSpec seqArg = PositionalParamSpec.builder().index("1").required(true).paramLabel("SEQ")
            .type(long.class).description("The message's seq (seqs start at 1).").build();
    private final Options.MessageFormat format = new Options.MessageFormat();
    private final Options.Remote remote = new Options.Remote();

    FetchCommand(Rockpool root) {
        super("fetch", false,
                "Print one message by its seq; NotFound (exit 3) if it is not (or no longer) in the pool.");
        this.root = root;
    }

    @Override
    Arguments declare() {
        return new Arguments().add(poolArg, seqArg).add(format.arguments()).add(remote.arguments());
    }

    @Override
    public Integer call() {
        PoolRef target = poolArg.getValue();
        remote.check(target.remote());
        MessageOutput output = new MessageOutput(root.io(), format);
        long seq = seqArg.getValue();
        if (target.remote()) {
            output.write(Remote.fetch(target, remote, seq));
            output.flush();
            return 0;
        }
        // The pool first: a corrupt pool is Corrupt whatever the seq.
        try (Pool pool = root.open(target)) {
            if (seq < 1) {
                throw new PoolException(ErrorKind.USAGE, "seq=" + seq + ": seqs start at 1");
            }
            output.write(pool.fetch(seq));
        }
        output.flush();
        return 0;
    }
}
