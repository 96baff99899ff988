package dev.rockpool.connect.source;

import dev.rockpool.connect.PluginMetricGroup;
import dev.rockpool.pool.Backlog;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.PluginMetrics;

import java.util.function.ToDoubleFunction;

/**
 * What operators watch per pool of a source task, through KIP-877's plugin metrics: JMX
 * {@code kafka.connect:type=plugins,connector=NAME,task=N,pool=POOL}. The backlog gauges ask the pool when they are
 * read (on the reporter's thread, O(1)), so they stay current while the task waits on Kafka; they read NaN while the
 * task does not follow the pool (not created yet, ended by stop.at, stopping).
 */
final class SourceMetrics {
    /** Messages appended to the pool that the task has not read yet (overwritten ones included). */
    static final String MESSAGES_BEHIND = "messages-behind";
    /** Now minus the time of the oldest unread message still in the pool, in ms; 0 when caught up. */
    static final String TIME_BEHIND = "time-behind-ms";
    /** Ring bytes writers can still append before the oldest unread message is overwritten. */
    static final String HEADROOM_BYTES = "overwrite-headroom-bytes";
    /** The same as a count of messages of the pool's average size. */
    static final String HEADROOM_MESSAGES = "overwrite-headroom-messages";
    /** Messages lost to gaps (on.gap=continue). */
    static final String LOST = "lost-messages-total";
    /** Gaps met (on.gap=continue). */
    static final String GAPS = "gaps-total";

    private SourceMetrics() {
    }

    /** Registers the metrics of one pool the task follows. */
    static void register(PluginMetrics metrics, PoolFollower f) {
        PluginMetricGroup group = new PluginMetricGroup(metrics, "pool", f.name());
        group.gauge(MESSAGES_BEHIND, "Messages appended to the pool that this task has not read yet (newest seq + 1 "
                + "- next seq to read; overwritten ones included until the task reaches the gap)",
                backlog(f, Backlog::unreadMessages));
        group.gauge(TIME_BEHIND, "Now minus the time of the oldest message of the pool this task has not read, in "
                + "ms; 0 when caught up", (Gauge<Double>) (config, now) -> timeBehind(f.backlog(), now));
        group.gauge(HEADROOM_BYTES, "Ring bytes writers can still append before the oldest message this task has "
                + "not read is overwritten (the ring's size when caught up, 0 when the next append overwrites it)",
                backlog(f, Backlog::headroomBytes));
        group.gauge(HEADROOM_MESSAGES, "Messages of the pool's average size that writers can still append before "
                + "the oldest message this task has not read is overwritten (an estimate; the bytes are exact)",
                backlog(f, Backlog::headroomMessages));
        group.add(LOST, "Messages of the pool overwritten before this task read them (on.gap=continue), since the "
                + "task started", f.lostMessages());
        group.add(GAPS, "Gaps in the pool met by this task (on.gap=continue), since the task started", f.gaps());
    }

    private static Gauge<Double> backlog(PoolFollower f, ToDoubleFunction<Backlog> figure) {
        return (config, now) -> {
            Backlog b = f.backlog();
            return b == null ? Double.NaN : figure.applyAsDouble(b);
        };
    }

    private static double timeBehind(Backlog b, long nowMillis) {
        if (b == null) {
            return Double.NaN;
        }
        if (b.unreadMessages() == 0 || b.oldestUnreadTimeNanos() == 0) {
            return 0;
        }
        return Math.max(0, nowMillis - b.oldestUnreadTimeNanos() / 1_000_000L);
    }
}
