package dev.rockpool.cli;

import dev.rockpool.filter.MessageFilter;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.Start;
import dev.rockpool.pool.WaitStrategy;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code rockpool follow POOL}: prints messages and waits for more. Where it starts: {@code --tail N},
 * {@code --since}, {@code --from-seq}, else at the end ("now", as plasmite) — or at the oldest message with
 * {@code --no-follow} / {@code --replay}, which print what is there and exit. Filters ({@code --tag}, {@code --where})
 * compose with AND; {@code --tail N} with a filter means the last N matching messages.
 *
 * <p>{@code --timeout D} is an idle limit, as plasmite's: when D passes with no message printed (counted from the
 * start, then from the last message printed) the command ends with exit 124 (saying so on a terminal). It never
 * fires once the command is done on its own ({@code --limit}/{@code --one} satisfied, or the end reached with
 * {@code --no-follow}/{@code --replay}).
 *
 * <p>A remote pool is followed by {@link Remote#follow}: the server filters and starts where asked, the client
 * resumes by seq across reconnects, and the messages are printed by the same {@link MessageOutput}.
 */
final class FollowCommand extends CliCommand {
    /** Longest single wait, so timeouts and drop notices are looked at regularly. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /**
     * Longest park of an idle follower. Longer than the engine's default (1 ms) because a CLI follower may idle for
     * hours (a deploy gate): 10 ms keeps it near 0% CPU, and a message after a quiet spell shows up within 10 ms.
     */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Rockpool root;
    private final PositionalParamSpec poolArg = Options.pool();
    private final OptionSpec tagArg = Options.repeatable(String.class, "-t", "--tag").paramLabel("TAG")
            .description("Keep messages with this tag (repeatable).").build();
    private final OptionSpec whereArg = Options.repeatable(String.class, "-w", "--where").paramLabel("JQ")
            .description("Keep messages for which this jq expression over the envelope is true (repeatable).")
            .build();
    // Where to start: one of these, else now (or the oldest with --no-follow / --replay).
    private final OptionSpec tailArg = OptionSpec.builder("-n", "--tail").required(true).paramLabel("N").type(Long.class)
            .converters(new Converters.AtLeastZero()).description("Start with the last N (matching) messages.")
            .build();
    private final OptionSpec sinceArg = OptionSpec.builder("--since").required(true).paramLabel("TIME").type(Long.class)
            .converters(new Converters.Since())
            .description("Start at messages at or after TIME: a duration ago (30s, 15m, 2h, 7d) or RFC 3339.")
            .build();
    private final OptionSpec fromSeqArg = OptionSpec.builder("--from-seq").required(true).paramLabel("SEQ").type(Long.class)
            .description("Start at this seq.").build();
    // When to stop printing: after N messages, or after one.
    private final OptionSpec limitArg = OptionSpec.builder("--limit").required(true).paramLabel("N").type(Long.class)
            .converters(new Converters.AtLeastOne()).description("Exit after N messages (N >= 1).").build();
    private final OptionSpec oneArg = OptionSpec.builder("--one").required(true).type(boolean.class)
            .description("Exit after one message (--limit 1).").build();
    private final OptionSpec noFollowArg = Options.flag("--no-follow", "Print what is there and exit (starts at the "
            + "oldest message unless --tail/--since/--from-seq say otherwise).");
    private final OptionSpec replayArg = OptionSpec.builder("--replay").paramLabel("SPEED").type(Double.class)
            .converters(new Converters.Speed())
            .description("Re-emit with the original gaps between messages divided by SPEED (>= 0; 0: no delay) and "
                    + "exit at the end; starts at the oldest by default.").build();
    private final OptionSpec onGapArg = OptionSpec.builder("--on-gap").paramLabel("continue|fail")
            .type(GapPolicy.class).defaultValue("continue")
            .description("When messages were overwritten before being read: a drop notice and go on, or fail with "
                    + "RetentionGap (exit 9) (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec quietDropsArg = Options.flag("--quiet-drops", "Do not print drop notices.");
    private final Options.MessageFormat format = new Options.MessageFormat();
    private final OptionSpec timeoutArg = OptionSpec.builder("--timeout").paramLabel("D").type(Duration.class)
            .converters(new Converters.PositiveDuration())
            .description("Exit 124 when D (e.g. 500ms, 10s, 5m) passes without a message printed.").build();
    private final Options.Remote remote = new Options.Remote();

    FollowCommand(Rockpool root) {
        super("follow", false, "Print messages and wait for more (from now on, unless told where to start).",
                "Filters compose (AND): every --tag must be present and every --where must be true.");
        this.root = root;
    }

    @Override
    Arguments declare() {
        return new Arguments().add(poolArg, tagArg, whereArg)
                .add(ArgGroupSpec.builder().exclusive(true).addArg(tailArg).addArg(sinceArg).addArg(fromSeqArg)
                        .build())
                .add(ArgGroupSpec.builder().exclusive(true).addArg(limitArg).addArg(oneArg).build())
                .add(noFollowArg, replayArg, onGapArg, quietDropsArg).add(format.arguments()).add(timeoutArg)
                .add(remote.arguments());
    }

    // What this run was asked to do, read from the arguments when it starts (Remote#follow reads them too).
    PoolRef target;
    Long tail;
    Long sinceNanos;
    Long fromSeq;
    private Double replay;
    Duration timeout;
    GapPolicy onGap;
    List<String> tags;
    List<String> wheres;
    /** How many messages to print at most. */
    long max;

    private Cursor cursor;
    private MessageFilter filter;
    private MessageOutput output;
    private DropNotices drops;
    private final ArrayDeque<Message> backlog = new ArrayDeque<>();
    private boolean idleTooLong;

    @Override
    public Integer call() throws InterruptedException {
        Io io = root.io();
        target = poolArg.getValue();
        tail = tailArg.getValue();
        sinceNanos = sinceArg.getValue();
        fromSeq = fromSeqArg.getValue();
        replay = replayArg.getValue();
        timeout = timeoutArg.getValue();
        onGap = onGapArg.getValue();
        tags = Options.values(tagArg);
        wheres = Options.values(whereArg);
        Long limit = limitArg.getValue();
        max = Options.isSet(oneArg) ? 1 : limit == null ? Long.MAX_VALUE : limit;
        remote.check(target.remote());
        output = new MessageOutput(io, format);
        drops = new DropNotices(io, target.text(), Options.isSet(quietDropsArg));
        int exit;
        try {
            exit = target.remote() ? Remote.follow(this, remote, output) : followLocal();
        } catch (RuntimeException e) {
            // What was printed before a RetentionGap (or any failure) still reaches the reader: whole messages only,
            // as MessageOutput writes nothing of a message it could not render in full.
            output.flush();
            drops.flush(true);
            throw e;
        }
        if (exit == Rockpool.EXIT_TIMEOUT && io.stderrTerminal()) {
            io.notice("timeout", "follow", target.text(), "no message printed for " + describe(timeout)
                    + " (--timeout): exit " + exit, Map.of());
        }
        return exit;
    }

    private int followLocal() throws InterruptedException {
        // The pool first: a corrupt pool is Corrupt whatever is wrong with the filters.
        try (Pool pool = root.open(target)) {
            filter = MessageFilter.of(tags, wheres);
            try (Cursor c = pool.cursor(start(), onGap, drops).waitStrategy(WaitStrategy.backoff(MAX_PARK_NANOS))) {
                cursor = c;
                return run();
            }
        }
    }

    /** Whether it waits for more at the end of what is there. */
    boolean follows() {
        return !Options.isSet(noFollowArg) && replay == null;
    }

    private Start start() {
        if (tail != null) {
            return filter.keepsAll() || tail == 0 ? Start.tail(tail) : Start.earliest();
        } else if (sinceNanos != null) {
            return Start.time(sinceNanos);
        } else if (fromSeq != null) {
            return Start.seq(fromSeq);
        }
        return follows() ? Start.latest() : Start.earliest();
    }

    /** Prints until the limit, the end (without follow) or the timeout; the exit code. */
    private int run() throws InterruptedException {
        fillBacklog();
        long emitted = 0;
        long lastEmit = System.nanoTime();
        long previousTime = Long.MIN_VALUE;
        while (emitted < max) {
            Message m = backlog.isEmpty() ? nextKept(lastEmit) : backlog.removeFirst();
            if (m == null && !idleTooLong) {
                break;
            }
            if (m == null || timedOut(lastEmit)) {
                output.flush();
                drops.flush(true);
                return Rockpool.EXIT_TIMEOUT;
            }
            pace(previousTime, m.timeNanos());
            previousTime = m.timeNanos();
            output.write(m);
            emitted++;
            lastEmit = System.nanoTime();
        }
        output.flush();
        drops.flush(true);
        return 0;
    }

    /** With {@code --tail N} and a filter: the last N matching messages, in one pass over the pool, keeping N. */
    private void fillBacklog() {
        if (tail == null || filter.keepsAll() || tail == 0) {
            return;
        }
        for (Message m = cursor.next(); m != null; m = cursor.next()) {
            if (filter.test(m)) {
                if (backlog.size() == tail) {
                    backlog.removeFirst();
                }
                backlog.addLast(m);
            }
        }
    }

    /**
     * The next message that passes the filters, waiting for one when following; null at the end of what is there
     * (without follow) or when the timeout passed, which sets {@link #idleTooLong}.
     */
    private Message nextKept(long lastEmit) throws InterruptedException {
        while (true) {
            Message m = cursor.next();
            if (m == null) {
                output.flush();
                drops.flush(false);
                if (!follows()) {
                    return null;
                }
                long wait = MAX_WAIT_NANOS;
                if (timeout != null) {
                    long remaining = lastEmit + timeout.toNanos() - System.nanoTime();
                    if (remaining <= 0) {
                        idleTooLong = true;
                        return null;
                    }
                    wait = Math.min(wait, remaining);
                }
                m = cursor.poll(Duration.ofNanos(wait));
            }
            if (m != null && (sinceNanos == null || m.timeNanos() >= sinceNanos) && filter.test(m)) {
                return m;
            }
            if (m != null && timedOut(lastEmit)) {
                idleTooLong = true;
                return null;
            }
        }
    }

    private boolean timedOut(long lastEmit) {
        return timeout != null && System.nanoTime() - lastEmit >= timeout.toNanos();
    }

    /** {@code 10s}, {@code 1500ms}: a duration as --timeout takes it. */
    static String describe(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis > 0 ? millis + "ms" : d.toNanos() + "ns";
    }

    /** With {@code --replay SPEED}: waits the original gap between two messages divided by SPEED. */
    void pace(long previousTime, long time) throws InterruptedException {
        if (replay != null && replay > 0 && previousTime != Long.MIN_VALUE && time > previousTime) {
            output.flush();
            TimeUnit.NANOSECONDS.sleep((long) ((time - previousTime) / replay));
        }
    }
}
