package dev.rockpool.cli;

import dev.rockpool.filter.MessageFilter;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.Cursor;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.GapPolicy;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.Start;
import dev.rockpool.pool.WaitStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code rockpool follow POOL}: prints messages and waits for more. Where it starts: {@code --tail N},
 * {@code --since}, {@code --from-seq}, else at the end ("now", as plasmite) — or at the oldest message with
 * {@code --no-follow} / {@code --replay}, which print what is there and exit. Filters ({@code --tag}, {@code --where})
 * compose with AND; {@code --tail N} with a filter means the last N matching messages.
 *
 * <p>{@code --timeout D} is an idle limit, as plasmite's: when D passes with no message printed (counted from the
 * start, then from the last message printed) the command ends with exit 124. It never fires once the command is
 * done on its own ({@code --limit}/{@code --one} satisfied, or the end reached with {@code --no-follow}/{@code
 * --replay}).
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

    @Parameters(index = "0", paramLabel = "POOL", description = "Pool name (or a path containing '/').")
    String poolRef;

    @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "Keep messages with this tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-w", "--where"}, paramLabel = "JQ",
            description = "Keep messages for which this jq expression over the envelope is true (repeatable).")
    List<String> wheres = new ArrayList<>();

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Start with the last N (matching) messages.")
    Long tail;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Start at messages at or after TIME: a duration ago (30s, 15m, 2h, 7d) or RFC 3339.")
    String since;

    @Option(names = "--from-seq", paramLabel = "SEQ", description = "Start at this seq.")
    Long fromSeq;

    @Option(names = "--limit", paramLabel = "N", description = "Exit after N messages.")
    Long limit;

    @Option(names = "--one", description = "Exit after one message (--limit 1).")
    boolean one;

    @Option(names = "--no-follow", description = "Print what is there and exit (starts at the oldest message "
            + "unless --tail/--since/--from-seq say otherwise).")
    boolean noFollow;

    @Option(names = "--replay", paramLabel = "SPEED", description = "Re-emit with the original gaps between "
            + "messages divided by SPEED (0: no delay) and exit at the end; starts at the oldest by default.")
    Double replay;

    @Option(names = "--on-gap", paramLabel = "continue|fail", defaultValue = "continue",
            description = "When messages were overwritten before being read: a drop notice and go on, or fail "
                    + "with RetentionGap (exit 9) (default: ${DEFAULT-VALUE}).")
    String onGap;

    @Option(names = "--quiet-drops", description = "Do not print drop notices.")
    boolean quietDrops;

    @Option(names = "--format", paramLabel = "pretty|jsonl",
            description = "pretty (indented) or jsonl (one per line); default: pretty on a terminal, else jsonl.")
    String format;

    @Option(names = "--data-only", description = "Print only each message's data (filters still see it all).")
    boolean dataOnly;

    @Option(names = "--timeout", paramLabel = "D",
            description = "Exit 124 when D (e.g. 500ms, 10s, 5m) passes without a message printed.")
    String timeout;

    @Override
    public Integer call() throws InterruptedException {
        Io io = root.io();
        // Everything that can be wrong with the command line is checked before the pool is opened.
        Rockpool.checkRef(poolRef);
        MessageFilter filter = MessageFilter.of(tags, wheres);
        int starts = (tail != null ? 1 : 0) + (since != null ? 1 : 0) + (fromSeq != null ? 1 : 0);
        if (starts > 1) {
            throw usage("--tail, --since and --from-seq exclude each other");
        }
        if (one && limit != null) {
            throw usage("--one and --limit exclude each other (--one is --limit 1)");
        }
        if (limit != null && limit < 1) {
            throw usage("limit=" + limit + ": must be at least 1");
        }
        if (tail != null && tail < 0) {
            throw usage("tail=" + tail + ": must be at least 0");
        }
        if (replay != null && (replay.isNaN() || replay < 0 || replay.isInfinite())) {
            throw usage("replay=" + replay + ": SPEED must be a number >= 0 (1: real time, 10: ten times faster,"
                    + " 0: no delay)");
        }
        long max = one ? 1 : limit == null ? Long.MAX_VALUE : limit;
        long timeoutNanos = timeout == null ? -1 : TimeFormat.parseDuration(timeout);
        if (timeout != null && timeoutNanos <= 0) {
            throw usage("timeout=" + timeout + ": must be more than 0");
        }
        GapPolicy policy = GapPolicy.parse(onGap);
        MessageOutput output = new MessageOutput(new Output(io.out()), MessageOutput.format(format, io), dataOnly);
        boolean follow = !noFollow && replay == null;
        Long sinceNanos = since == null ? null : TimeFormat.parseSince(since, TimeFormat.nowNanos());
        Start start;
        if (tail != null) {
            start = filter.keepsAll() || tail == 0 ? Start.tail(tail) : Start.earliest();
        } else if (sinceNanos != null) {
            start = Start.time(sinceNanos);
        } else if (fromSeq != null) {
            start = Start.seq(fromSeq);
        } else {
            start = follow ? Start.latest() : Start.earliest();
        }

        DropNotices drops = new DropNotices(io, poolRef, quietDrops);
        try (Pool pool = root.directory().open(poolRef); Cursor cursor = pool.cursor(start, policy, drops)
                .waitStrategy(WaitStrategy.backoff(MAX_PARK_NANOS))) {
            return run(cursor, filter, output, drops, max, follow, sinceNanos, timeoutNanos);
        } catch (PoolException e) {
            // What was printed before a RetentionGap (or any failure) still reaches the reader.
            output.flush();
            drops.flush(true);
            throw e;
        }
    }

    private int run(Cursor cursor, MessageFilter filter, MessageOutput output, DropNotices drops, long max,
                    boolean follow, Long sinceNanos, long timeoutNanos) throws InterruptedException {
        ArrayDeque<Message> backlog = new ArrayDeque<>();
        if (tail != null && !filter.keepsAll() && tail > 0) {
            // The last N matching messages: one pass over the pool, keeping at most N.
            for (Message m = cursor.next(); m != null; m = cursor.next()) {
                if (filter.test(m)) {
                    if (backlog.size() == tail) {
                        backlog.removeFirst();
                    }
                    backlog.addLast(m);
                }
            }
        }
        long emitted = 0;
        long lastEmit = System.nanoTime();
        long previousTime = Long.MIN_VALUE;
        while (emitted < max) {
            Message m;
            boolean fromBacklog = !backlog.isEmpty();
            if (fromBacklog) {
                m = backlog.removeFirst();
            } else {
                m = cursor.next();
            }
            if (m == null) {
                output.flush();
                drops.flush(false);
                if (!follow) {
                    break;
                }
                long wait = MAX_WAIT_NANOS;
                if (timeoutNanos > 0) {
                    long remaining = lastEmit + timeoutNanos - System.nanoTime();
                    if (remaining <= 0) {
                        drops.flush(true);
                        return Rockpool.EXIT_TIMEOUT;
                    }
                    wait = Math.min(wait, remaining);
                }
                m = cursor.poll(Duration.ofNanos(wait));
                if (m == null) {
                    continue;
                }
            }
            if (timeoutNanos > 0 && System.nanoTime() - lastEmit >= timeoutNanos) {
                output.flush();
                drops.flush(true);
                return Rockpool.EXIT_TIMEOUT;
            }
            if (!fromBacklog) {
                if (sinceNanos != null && m.timeNanos() < sinceNanos) {
                    continue;
                }
                if (!filter.test(m)) {
                    continue;
                }
            }
            if (replay != null && replay > 0 && previousTime != Long.MIN_VALUE && m.timeNanos() > previousTime) {
                long pause = (long) ((m.timeNanos() - previousTime) / replay);
                output.flush();
                TimeUnit.NANOSECONDS.sleep(pause);
            }
            previousTime = m.timeNanos();
            output.write(m);
            emitted++;
            lastEmit = System.nanoTime();
        }
        output.flush();
        drops.flush(true);
        return 0;
    }

    private static PoolException usage(String message) {
        return new PoolException(ErrorKind.USAGE, message);
    }
}
