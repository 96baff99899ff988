package dev.rockpool.cli;

import dev.rockpool.filter.MessageFilter;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.Start;
import dev.rockpool.pool.WaitStrategy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
@Command(name = "follow", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print messages and wait for more (from now on, unless told where to start).",
                "Filters compose (AND): every --tag must be present and every --where must be true."})
final class FollowCommand implements Callable<Integer> {
    /** Longest single wait, so timeouts and drop notices are looked at regularly. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /**
     * Longest park of an idle follower. Longer than the engine's default (1 ms) because a CLI follower may idle for
     * hours (a deploy gate): 10 ms keeps it near 0% CPU, and a message after a quiet spell shows up within 10 ms.
     */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    @ParentCommand
    Rockpool root;

    @Mixin
    Options.PoolArgument target;

    @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "Keep messages with this tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-w", "--where"}, paramLabel = "JQ",
            description = "Keep messages for which this jq expression over the envelope is true (repeatable).")
    List<String> wheres = new ArrayList<>();

    @ArgGroup(exclusive = true)
    StartAt startAt = new StartAt();

    /** Where to start: one of these, else now (or the oldest with --no-follow / --replay). */
    static final class StartAt {
        @Option(names = {"-n", "--tail"}, paramLabel = "N", converter = Converters.AtLeastZero.class,
                description = "Start with the last N (matching) messages.")
        Long tail;

        @Option(names = "--since", paramLabel = "TIME", converter = Converters.Since.class,
                description = "Start at messages at or after TIME: a duration ago (30s, 15m, 2h, 7d) or RFC 3339.")
        Long sinceNanos;

        @Option(names = "--from-seq", paramLabel = "SEQ", description = "Start at this seq.")
        Long fromSeq;
    }

    @ArgGroup(exclusive = true)
    Limit limit = new Limit();

    /** When to stop printing: after N messages, or after one. */
    static final class Limit {
        @Option(names = "--limit", paramLabel = "N", converter = Converters.AtLeastOne.class,
                description = "Exit after N messages (N >= 1).")
        Long max;

        @Option(names = "--one", description = "Exit after one message (--limit 1).")
        boolean one;

        long count() {
            return one ? 1 : max == null ? Long.MAX_VALUE : max;
        }
    }

    @Option(names = "--no-follow", description = "Print what is there and exit (starts at the oldest message "
            + "unless --tail/--since/--from-seq say otherwise).")
    boolean noFollow;

    @Option(names = "--replay", paramLabel = "SPEED", converter = Converters.Speed.class,
            description = "Re-emit with the original gaps between messages divided by SPEED (>= 0; 0: no delay) and "
                    + "exit at the end; starts at the oldest by default.")
    Double replay;

    @Option(names = "--on-gap", paramLabel = "continue|fail", defaultValue = "continue",
            description = "When messages were overwritten before being read: a drop notice and go on, or fail "
                    + "with RetentionGap (exit 9) (default: ${DEFAULT-VALUE}).")
    GapPolicy onGap;

    @Option(names = "--quiet-drops", description = "Do not print drop notices.")
    boolean quietDrops;

    @Mixin
    Options.MessageFormat format;

    @Option(names = "--timeout", paramLabel = "D", converter = Converters.PositiveDuration.class,
            description = "Exit 124 when D (e.g. 500ms, 10s, 5m) passes without a message printed.")
    Duration timeout;

    @Mixin
    Options.Remote remote;

    private Cursor cursor;
    private MessageFilter filter;
    private MessageOutput output;
    private DropNotices drops;
    private final ArrayDeque<Message> backlog = new ArrayDeque<>();
    private boolean idleTooLong;

    @Override
    public Integer call() throws InterruptedException {
        Io io = root.io();
        remote.check(target.pool.remote());
        output = new MessageOutput(io, format);
        drops = new DropNotices(io, target.pool.text(), quietDrops);
        int exit;
        try {
            exit = target.pool.remote() ? Remote.follow(this, output) : followLocal();
        } catch (RuntimeException e) {
            // What was printed before a RetentionGap (or any failure) still reaches the reader: whole messages only,
            // as MessageOutput writes nothing of a message it could not render in full.
            output.flush();
            drops.flush(true);
            throw e;
        }
        if (exit == Rockpool.EXIT_TIMEOUT && io.stderrTerminal()) {
            io.notice("timeout", "follow", target.pool.text(), "no message printed for " + describe(timeout)
                    + " (--timeout): exit " + exit, Map.of());
        }
        return exit;
    }

    private int followLocal() throws InterruptedException {
        // The pool first: a corrupt pool is Corrupt whatever is wrong with the filters.
        try (Pool pool = root.open(target.pool)) {
            filter = MessageFilter.of(tags, wheres);
            try (Cursor c = pool.cursor(start(), onGap, drops).waitStrategy(WaitStrategy.backoff(MAX_PARK_NANOS))) {
                cursor = c;
                return run();
            }
        }
    }

    /** Whether it waits for more at the end of what is there. */
    boolean follows() {
        return !noFollow && replay == null;
    }

    private Start start() {
        if (startAt.tail != null) {
            return filter.keepsAll() || startAt.tail == 0 ? Start.tail(startAt.tail) : Start.earliest();
        } else if (startAt.sinceNanos != null) {
            return Start.time(startAt.sinceNanos);
        } else if (startAt.fromSeq != null) {
            return Start.seq(startAt.fromSeq);
        }
        return follows() ? Start.latest() : Start.earliest();
    }

    /** Prints until the limit, the end (without follow) or the timeout; the exit code. */
    private int run() throws InterruptedException {
        fillBacklog();
        long max = limit.count();
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
        if (startAt.tail == null || filter.keepsAll() || startAt.tail == 0) {
            return;
        }
        for (Message m = cursor.next(); m != null; m = cursor.next()) {
            if (filter.test(m)) {
                if (backlog.size() == startAt.tail) {
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
            if (m != null && (startAt.sinceNanos == null || m.timeNanos() >= startAt.sinceNanos) && filter.test(m)) {
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
