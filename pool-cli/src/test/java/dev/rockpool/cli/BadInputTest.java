package dev.rockpool.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.rockpool.cli.Cli.bytes;
import static dev.rockpool.cli.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 3's bad-input table, one case each: the exit code, the JSON error on stderr (kind and what/where), and that
 * nothing was appended (checked through the engine, not the CLI).
 */
class BadInputTest {
    @TempDir
    Path dir;

    @BeforeEach
    void pool() {
        try (Pool pool = Pool.create(dir.resolve("p.pool"), PoolOptions.ofSize(64 * 1024))) {
            pool.append(dev.rockpool.pool.Draft.of("{\"before\":true}"));
        }
    }

    private long nextSeq() {
        try (Pool pool = Pool.open(dir.resolve("p.pool"))) {
            return pool.info().nextSeq();
        }
    }

    private JsonNode failsWith(int exit, String kind, Cli.Result r) {
        assertEquals(exit, r.exit(), r.toString());
        assertEquals("", r.out(), "no receipt for a bad record");
        JsonNode error = r.error();
        assertEquals(kind, error.get("kind").asText(), error.toString());
        assertEquals(2, nextSeq(), "nothing appended");
        return error;
    }

    @Test
    void invalidJson() {
        JsonNode e = failsWith(2, "Usage", run(dir, "feed", "p", "{\"a\": tru}"));
        assertTrue(e.get("message").asText().contains("invalid JSON"), e.toString());
        assertEquals(1, e.get("record").asLong());
        JsonNode stream = failsWith(2, "Usage", run(dir, bytes("\n\n{\"a\":1,}\n{\"b\":2}\n"), "feed", "p"));
        assertEquals(3, stream.get("line").asLong());
        assertEquals(1, stream.get("record").asLong());
    }

    @Test
    void nonObject() {
        JsonNode e = failsWith(2, "Usage", run(dir, "feed", "p", "[1,2,3]"));
        assertTrue(e.get("message").asText().contains("must be a JSON object, got an array"), e.toString());
        failsWith(2, "Usage", run(dir, bytes("\"text\"\n{\"ok\":1}\n"), "feed", "p"));
        failsWith(2, "Usage", run(dir, bytes("42"), "feed", "p"));
    }

    @Test
    void oversizedMessage() {
        String big = "{\"big\":\"" + "x".repeat(100_000) + "\"}";
        JsonNode e = failsWith(2, "Usage", run(dir, "feed", "p", big));
        assertTrue(e.get("message").asText().contains("too large"), e.toString());
        assertTrue(e.get("hint").asText().contains("--size"), "the CLI names its flags, not the engine: " + e);
        JsonNode stream = failsWith(2, "Usage", run(dir, bytes(big + "\n{\"after\":1}\n"), "feed", "p"));
        assertTrue(stream.get("message").asText().contains("too large"), stream.toString());
    }

    @Test
    void unknownPool() {
        JsonNode e = failsWith(3, "NotFound", run(dir, "feed", "nope", "{\"a\":1}"));
        assertTrue(e.get("path").asText().endsWith("nope.pool"), e.toString());
        assertTrue(e.get("message").asText().startsWith("pool not found: "), e.toString());
        assertTrue(e.get("hint").asText().contains("pool create"), e.toString());
        assertFalse(Files.exists(dir.resolve("nope.pool")));
        failsWith(3, "NotFound", run(dir, "follow", "nope", "--no-follow"));
    }

    @Test
    void notFoundSaysNotFound() throws Exception {
        JsonNode message = failsWith(3, "NotFound", run(dir, "fetch", "p", "99"));
        assertEquals(99, message.get("seq").asLong());
        assertTrue(message.get("message").asText().startsWith("message not found: seq 99 "), message.toString());
        JsonNode input = failsWith(3, "NotFound", run(dir, "feed", "p", "-f", dir.resolve("none.jsonl").toString()));
        assertTrue(input.get("message").asText().startsWith("input file not found: "), input.toString());
        JsonNode doctor = failsWith(3, "NotFound", run(dir, "doctor", "nope"));
        assertTrue(doctor.get("message").asText().startsWith("pool not found: "), doctor.toString());
        JsonNode delete = failsWith(3, "NotFound", run(dir, "pool", "delete", "nope"));
        assertTrue(delete.get("message").asText().startsWith("pool not found: "), delete.toString());
    }

    @Test
    void badPoolName() {
        for (String name : List.of("../x", "..", "a\u0001b", ".hidden", "x/y")) {
            JsonNode e = failsWith(2, "Usage", run(dir, "feed", name, "{\"a\":1}", "--create"));
            assertTrue(e.get("message").asText().contains("invalid pool name"), e.toString());
        }
        failsWith(2, "Usage", run(dir, "pool", "create", "../x"));
        assertFalse(Files.exists(dir.getParent().resolve("x.pool")));
        assertFalse(Files.exists(dir.getParent().resolve("x")));
    }

    @Test
    void jqSyntaxError() {
        JsonNode e = failsWith(2, "Usage", run(dir, "follow", "p", "--no-follow", "--where", ".data | ]["));
        assertTrue(e.get("message").asText().contains("invalid jq expression"), e.toString());
        JsonNode notBoolean = failsWith(2, "Usage", run(dir, "follow", "p", "--no-follow", "--where", ".data"));
        assertTrue(notBoolean.get("message").asText().contains("must yield true or false"), notBoolean.toString());
    }

    @Test
    void corruptPool() throws Exception {
        Path file = dir.resolve("p.pool");
        byte[] header = new byte[64];
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(header), 0);
        }
        Cli.Result r = run(dir, "feed", "p", "{\"a\":1}");
        assertEquals(7, r.exit(), r.toString());
        assertEquals("Corrupt", r.error().get("kind").asText());
        assertTrue(r.error().get("path").asText().endsWith("p.pool"));
        assertEquals(7, run(dir, "follow", "p", "--no-follow").exit());
        assertEquals(7, run(dir, "doctor", "p").exit());
        assertTrue(r.error().get("hint").asText().contains("rockpool doctor p"), r.toString());
        // The pool is checked first: whatever else is wrong with the request, a corrupt pool is Corrupt.
        assertEquals(7, run(dir, "feed", "p", "[1,2]").exit());
        assertEquals(7, run(dir, bytes("not json"), "feed", "p").exit());
        assertEquals(7, run(dir, "fetch", "p", "0").exit());
        assertEquals(7, run(dir, "follow", "p", "--no-follow", "--where", ".data |").exit());
        assertEquals(7, run(dir, "pool", "info", "p").exit());
        assertEquals(64 * 1024, Files.size(file), "the file is left as it was");
    }

    @Test
    void ioErrorWhenThePoolDirectoryIsAFile() throws Exception {
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        Cli.Result r = Cli.run(notADir.resolve("sub"), "pool", "create", "x");
        assertEquals(8, r.exit(), r.toString());
        assertEquals("Io", r.error().get("kind").asText());
    }

    /** Every kind maps to DESIGN's exit code, with the JSON error shape (Busy, Permission, Internal included). */
    @Test
    void everyKindHasItsExitCodeAndErrorShape() {
        int[] expected = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        ErrorKind[] kinds = {ErrorKind.INTERNAL, ErrorKind.USAGE, ErrorKind.NOT_FOUND, ErrorKind.ALREADY_EXISTS,
                ErrorKind.BUSY, ErrorKind.PERMISSION, ErrorKind.CORRUPT, ErrorKind.IO, ErrorKind.RETENTION_GAP};
        for (int i = 0; i < kinds.length; i++) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Io io = new Io(new java.io.ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err, false,
                    false, false);
            PoolException e = new PoolException(kinds[i], "what went wrong", Path.of("/p/x.pool"), 7L, 4096L,
                    "what to do", null);
            assertEquals(expected[i], Rockpool.exitCodeOf(io, e));
            JsonNode error = Cli.json(err.toString()).get("error");
            assertEquals(kinds[i].label(), error.get("kind").asText());
            assertEquals("what went wrong", error.get("message").asText());
            assertEquals("what to do", error.get("hint").asText());
            assertEquals("/p/x.pool", error.get("path").asText());
            assertEquals(7, error.get("seq").asLong());
            assertEquals(4096, error.get("offset").asLong());
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new java.io.ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), err, false,
                false, false);
        assertEquals(1, Rockpool.exitCodeOf(io, new IllegalStateException("bug")));
        assertEquals("Internal", Cli.json(err.toString()).get("error").get("kind").asText());
        assertEquals(8, Rockpool.exitCodeOf(io, new java.io.IOException("disk on fire")));
    }
}
