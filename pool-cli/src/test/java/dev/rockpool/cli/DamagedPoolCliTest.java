package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.FrameDescriptor;
import dev.rockpool.pool.HeaderDescriptor;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.testing.PoolFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.rockpool.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI on damaged and hostile pool files (issue 13): a Corrupt error (exit 7) or a repair, never an internal error
 * (exit 1); output that is whole messages only; never a receipt for a message that is not there afterwards.
 */
class DamagedPoolCliTest {
    @TempDir
    Path dir;
    Path file;

    /** Ten messages; the ninth has a tag. */
    @BeforeEach
    void pool() {
        file = dir.resolve("p.pool");
        try (Pool pool = Pool.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            for (int i = 1; i <= 10; i++) {
                String data = "{\"i\":" + i + ",\"text\":\"" + "x".repeat(200) + "\"}";
                pool.append(i == 9 ? Draft.of(data, "big") : Draft.of(data));
            }
        }
    }

    private long frame(long seq) {
        return PoolFile.frameOffsets(file).get((int) seq - 1);
    }

    /** Every line of stdout is a whole envelope; returns their seqs. */
    private static List<Long> envelopes(Cli.Result r) {
        return r.outJson().stream().map(n -> {
            assertTrue(n.has("seq") && n.has("time") && n.path("meta").has("tags") && n.path("data").isObject(),
                    () -> "not a whole envelope: " + n + "\n" + r);
            return n.get("seq").asLong();
        }).toList();
    }

    private static JsonNode corrupt(Cli.Result r) {
        assertEquals(7, r.exit(), r::toString);
        JsonNode error = r.error();
        assertEquals("Corrupt", error.get("kind").asText(), r::toString);
        return error;
    }

    @Test
    void frameLengthNearIntMaxIsCorruptForEveryCommand() {
        long at = frame(4);
        PoolFile.putInt(file, at + FrameDescriptor.LENGTH_OFFSET, Integer.MAX_VALUE);
        assertEquals(at, corrupt(run(dir, "fetch", "p", "4")).get("offset").asLong());
        Cli.Result follow = run(dir, "follow", "p", "--no-follow");
        assertEquals(List.of(1L, 2L, 3L), envelopes(follow));
        assertEquals(at, corrupt(follow).get("offset").asLong());
        corrupt(run(dir, "doctor", "p"));
        assertEquals(0, run(dir, "pool", "info", "p").exit());
        Cli.Result feed = run(dir, "feed", "p", "{\"after\":1}");
        assertEquals(0, feed.exit(), feed::toString);
        assertEquals(11, feed.outJson().get(0).get("seq").asLong());
        assertEquals(List.of(11L), envelopes(run(dir, "fetch", "p", "11")));
    }

    @Test
    void lockWordOfAllOnesIsRepairedByTheNextWriter() {
        PoolFile.putLong(file, HeaderDescriptor.LOCK_OFFSET, -1L);
        Cli.Result doctor = run(dir, "doctor", "p");
        assertEquals(0, doctor.exit(), doctor::toString);
        assertTrue(doctor.out().contains("note: "), doctor::toString);
        Cli.Result feed = run(dir, "feed", "p", "{\"after\":1}");
        assertEquals(0, feed.exit(), feed::toString);
        assertEquals(List.of(11L), envelopes(run(dir, "fetch", "p", "11")));
        assertEquals(0, run(dir, "doctor", "p").exit());
    }

    @Test
    void headMovedPastTailIsFoundByTheDoctorAndRefusedByTheWriter() {
        long tail = PoolFile.getLong(file, HeaderDescriptor.TAIL_OFFSET);
        PoolFile.putLong(file, HeaderDescriptor.HEAD_OFFSET, tail + 64);
        JsonNode error = corrupt(run(dir, "doctor", "p"));
        assertTrue(error.has("path"), error::toString);
        Cli.Result feed = run(dir, "feed", "p", "{\"after\":1}");
        corrupt(feed);
        assertEquals("", feed.out(), "no receipt");
        corrupt(run(dir, "fetch", "p", "10"));
    }

    @Test
    void aForgedFrameWithBrokenMetaNeverTearsTheOutput() {
        long at = frame(9);
        // The tag's length prefix now claims more bytes than the meta section has; the checksum is recomputed.
        PoolFile.forgeByte(file, at, at + FrameDescriptor.FRAME_HEADER_LENGTH + 2, 0x7F);
        for (String format : List.of("jsonl", "pretty")) {
            Cli.Result follow = run(dir, "follow", "p", "--no-follow", "--format", format);
            if (format.equals("jsonl")) {
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), envelopes(follow));
            }
            JsonNode error = corrupt(follow);
            assertEquals(9, error.get("seq").asLong(), follow::toString);
            assertEquals(at, error.get("offset").asLong(), follow::toString);
        }
        corrupt(run(dir, "fetch", "p", "9"));
        corrupt(run(dir, "doctor", "p"));
    }

    @Test
    void aForgedFrameWhoseDataIsNotJsonIsCorruptNamingSeqAndOffset() {
        long at = frame(5);
        long data = PoolFile.dataOffset(file, at);
        PoolFile.forgeByte(file, at, data + 1, '}');
        long utf8 = frame(7);
        PoolFile.forgeByte(file, utf8, PoolFile.dataOffset(file, utf8) + 20, 0xFF);
        for (List<String> args : List.of(List.of("fetch", "p", "5"), List.of("fetch", "p", "5", "--data-only"),
                List.of("fetch", "p", "5", "--format", "pretty"))) {
            JsonNode error = corrupt(run(dir, args.toArray(new String[0])));
            assertEquals(5, error.get("seq").asLong());
            assertEquals(at, error.get("offset").asLong());
        }
        JsonNode error = corrupt(run(dir, "fetch", "p", "7", "--data-only"));
        assertEquals(utf8, error.get("offset").asLong());
        Cli.Result follow = run(dir, "follow", "p", "--no-follow", "--from-seq", "6");
        assertEquals(List.of(6L), envelopes(follow));
        assertEquals(7, corrupt(follow).get("seq").asLong());
        Cli.Result doctor = run(dir, "doctor", "p", "--json");
        corrupt(doctor);
        JsonNode issues = doctor.outJson().get(0).get("reports").get(0).get("issues");
        assertEquals(2, issues.size(), issues::toString);
    }
}
