package dev.rockpool.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageFilterTest {
    @TempDir
    Path dir;

    private Message message(String json, String... tags) {
        try (Pool pool = Pool.create(dir.resolve("f" + System.nanoTime() + ".pool"),
                PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            long seq = pool.append(Draft.of(json, tags)).seq();
            return pool.get(seq).orElseThrow();
        }
    }

    @Test
    void tagsAndWhereCompose() {
        Message m = message("{\"level\":\"error\",\"n\":3}", "app", "prod");
        assertTrue(MessageFilter.of(List.of("app"), List.of(".data.level == \"error\"")).test(m));
        assertFalse(MessageFilter.of(List.of("app", "dev"), List.of()).test(m));
        assertFalse(MessageFilter.of(List.of(), List.of(".data.n > 3")).test(m));
        assertTrue(MessageFilter.of(List.of(), List.of(".seq == 1", ".meta.tags | index(\"prod\") != null")).test(m));
        assertFalse(MessageFilter.of(List.of(), List.of(".data.level.x == 1")).test(m), "runtime error drops");
        assertThrows(PoolException.class, () -> MessageFilter.of(List.of(), List.of(".data.n")).test(m));
        assertThrows(PoolException.class, () -> MessageFilter.of(List.of(), List.of(".data[")));
    }

    @Test
    void anyTagsIsAnOrBesideTheOtherConditions() {
        Message m = message("{\"n\":3}", "app", "views", "poll");
        MessageFilter byType = MessageFilter.of(null, List.of("annotation", "poll", "views"), null);
        assertTrue(byType.test(m));
        assertEquals("poll", byType.firstOfAnyTags(m), "the first of the types asked for, in their order");
        assertFalse(MessageFilter.of(null, List.of("annotation"), null).test(m));
        assertFalse(MessageFilter.of(List.of("prod"), List.of("poll"), null).test(m), "required tags still apply");
        assertFalse(MessageFilter.of(null, List.of("poll"), List.of(".data.n > 3")).test(m), "and where");
        assertTrue(MessageFilter.of(List.of("app"), List.of("x", "views"), List.of(".data.n == 3")).test(m));
        assertEquals(null, MessageFilter.of(List.of("app"), null, null).firstOfAnyTags(m));
        assertFalse(byType.keepsAll());
    }

    @Test
    void envelopeShape() {
        Message m = message("{\"a\":\"é\"}", "t\"q");
        String env = new String(Envelope.bytes(m), StandardCharsets.UTF_8);
        assertTrue(env.matches("\\{\"seq\":1,\"time\":\"[0-9T:.-]+Z\",\"meta\":\\{\"tags\":\\[\"t\\\\\"q\"]},"
                + "\"data\":\\{\"a\":\"é\"}}"), env);
        assertEquals(Envelope.tree(m).toString(), env);
        assertEquals("2026-11-22T01:02:03.45Z", TimeFormat.format(TimeFormat.parseRfc3339("2026-11-22T01:02:03.450Z")));
        assertEquals("1970-01-01T00:00:00Z", TimeFormat.format(0));
        assertEquals(1_800_000_000_000L, TimeFormat.parseDuration("30m"));
        ObjectNode draft = Envelope.tree(null, List.of("a"), new Origin("t", 1, 2), Envelope.data(m));
        assertEquals("{\"time\":null,\"meta\":{\"tags\":[\"a\"],\"origin\":{\"topic\":\"t\",\"partition\":1,"
                + "\"offset\":2}},\"data\":{\"a\":\"é\"}}", draft.toString(), "a record not in a pool yet: no seq");
    }

    @Test
    void sinceTakesADurationOrATimeAndNamesBothWhenGivenNeither() {
        assertEquals(1_000L - 500_000_000L, TimeFormat.parseSince("500ms", 1_000L));
        assertEquals(TimeFormat.parseRfc3339("2026-11-22T01:02:03Z"), TimeFormat.parseSince("2026-11-22T01:02:03Z", 0));
        for (String bad : List.of("yesterday", "2026-13-01", "5x", "")) {
            String message = assertThrows(PoolException.class, () -> TimeFormat.parseSince(bad, 0)).getMessage();
            assertTrue(message.contains("a duration") && message.contains("30m") && message.contains("RFC 3339"),
                    message);
        }
    }

    @Test
    void timeFormatMatchesJavaTimeAcrossSecondsAndDigits() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        long[] times = new long[2000];
        for (int i = 0; i < times.length; i++) {
            long second = i % 3 == 0 ? 1_795_000_000L + i / 3 : random.nextLong(-5_000_000_000L, 10_000_000_000L);
            int nanos = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(10);
                default -> random.nextInt(1_000_000_000);
            };
            times[i] = second * 1_000_000_000L + nanos;
        }
        for (long t : times) {
            java.time.Instant instant = java.time.Instant.ofEpochSecond(Math.floorDiv(t, 1_000_000_000L),
                    Math.floorMod(t, 1_000_000_000L));
            String expected = java.time.format.DateTimeFormatter.ISO_INSTANT.format(instant)
                    .replaceAll("(\\.\\d*?)0+Z$", "$1Z").replace(".Z", "Z");
            assertEquals(expected, TimeFormat.format(t), "time " + t);
            assertEquals(t, TimeFormat.parseRfc3339(TimeFormat.format(t)));
        }
    }
}
