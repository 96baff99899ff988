package dev.rockpool.cli;

import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code rockpool fetch POOL SEQ}: one message by seq (O(1) through the index); NotFound (exit 3) if it is gone. */
final class FetchCommand implements CliCommand {
    private final Rockpool root;
    private final PositionalParamSpec pool = Options.pool();
    private final PositionalParamSpec seq = PositionalParamSpec.builder().index("1").required(true).paramLabel("SEQ")
            .type(long.class).description("The message's seq (seqs start at 1).").build();
    private final Options.MessageFormat format = new Options.MessageFormat();
    private final Arguments arguments = new Arguments().add(pool, seq).add(format.arguments());

    FetchCommand(Rockpool root) {
        this.root = root;
    }

    @Override
    public Arguments arguments() {
        return arguments;
    }

    @Override
    public CommandSpec spec() {
        return CliCommand.spec(this, "fetch", false,
                "Print one message by its seq; NotFound (exit 3) if it is not (or no longer) in the pool.");
    }

    @Override
    public Integer call() {
        MessageOutput output = new MessageOutput(root.io(), format);
        long n = seq.getValue();
        // The pool first: a corrupt pool is Corrupt whatever the seq.
        try (Pool p = root.open(pool.getValue())) {
            if (n < 1) {
                throw new PoolException(ErrorKind.USAGE, "seq=" + n + ": seqs start at 1");
            }
            output.write(p.fetch(n));
        }
        output.flush();
        return 0;
    }
}
