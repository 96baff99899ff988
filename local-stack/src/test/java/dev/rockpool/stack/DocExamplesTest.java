package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link DocsIT} reads a document's examples and checks what they did. */
class DocExamplesTest {
    private static List<DocExamples.Step> parse(String markdown) {
        return DocExamples.parse("doc.md", markdown.lines().toList());
    }

    @Test
    void scriptBlocksAreCommandsWithContinuationsExpectationsAndMarkers() {
        List<DocExamples.Step> steps = parse("""
                Text.

                ```sh
                rockpool pool create demo      # a comment
                sed "s#/a#/b#" x.json |
                  curl -s --data @- http://127.0.0.1:8083/connectors
                # → {"name":...}
                # → second line
                rockpool fetch demo 9          # → exit 3
                rockpool follow demo           # not run by the docs test: it follows until Ctrl-C
                # not run by the docs test: it needs a systemd journal
                journalctl -f | \\
                  rockpool feed syslog
                echo deploy                    # → deploy
                ```

                ```json
                {"not": "run"}
                ```
                """);
        assertEquals(6, steps.size(), steps.toString());
        assertEquals(new DocExamples.Step("doc.md", 4, "rockpool pool create demo      # a comment", List.of(), 0,
                null), steps.get(0));
        DocExamples.Step post = steps.get(1);
        assertEquals(5, post.line());
        assertEquals("sed \"s#/a#/b#\" x.json |\n  curl -s --data @- http://127.0.0.1:8083/connectors", post.command());
        assertEquals(List.of("{\"name\":...}", "second line"), post.expected());
        assertEquals(3, steps.get(2).exitCode());
        assertEquals(List.of(), steps.get(2).expected());
        assertEquals("not run by the docs test: it follows until Ctrl-C", steps.get(3).notRun());
        assertEquals("not run by the docs test: it needs a systemd journal", steps.get(4).notRun());
        assertEquals("journalctl -f | \\\n  rockpool feed syslog", steps.get(4).command());
        assertNull(steps.get(5).notRun());
        assertEquals(List.of("deploy"), steps.get(5).expected());
    }

    @Test
    void transcriptBlocksTakeTheLinesAfterACommandAsItsOutput() {
        List<DocExamples.Step> steps = parse("""
                ```bash
                $ rockpool pool create a b         # → exit 4
                created a (64M) at /home/me/.rockpool/pools/a.pool
                # an output line, not a comment
                $ rockpool version
                {
                ...
                ```
                """);
        assertEquals(2, steps.size());
        assertEquals("rockpool pool create a b         # → exit 4", steps.get(0).command());
        assertEquals(4, steps.get(0).exitCode());
        assertEquals(List.of("created a (64M) at /home/me/.rockpool/pools/a.pool", "# an output line, not a comment"),
                steps.get(0).expected());
        assertEquals(List.of("{", "..."), steps.get(1).expected());
    }

    @Test
    void aCommandContinuedIntoACommentIsAnErrorInTheDocument() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> parse("""
                ```sh
                echo a |
                # oops
                ```
                """));
        assertTrue(e.getMessage().contains("doc.md:3"), e.getMessage());
    }

    @Test
    void expectedLinesAreFoundInOrderWithWildcardsTimesAndIds() {
        DocExamples.Step step = new DocExamples.Step("doc.md", 1, "x", List.of(
                "Id: 3fdcca008071f9392b8a32e80f1a80f2 (format version 1)",
                "{\"seq\":1,\"time\":\"2026-11-22T03:48:44.01737407Z\",...}",
                "NAME SIZE"), 0, null);
        String output = "noise\nId: 0123456789abcdef0123456789abcdef (format version 1)\n"
                + "{\"seq\":1,\"time\":\"2027-01-02T00:00:00Z\",\"meta\":{}}\nNAME      SIZE\r\n";
        assertNull(DocExamples.check(step, 0, output));

        String wrongExit = DocExamples.check(step, 3, output);
        assertNotNull(wrongExit);
        assertTrue(wrongExit.startsWith("exit 3, the document says 0"), wrongExit);

        String outOfOrder = DocExamples.check(step, 0, "NAME SIZE\n" + output.replace("NAME      SIZE", ""));
        assertNotNull(outOfOrder);
        assertTrue(outOfOrder.contains("missing (after the lines matched so far): NAME SIZE"), outOfOrder);

        String drifted = DocExamples.check(step, 0, output.replace("format version 1", "format version 2"));
        assertTrue(drifted.contains("missing (after the lines matched so far): Id: "), drifted);
    }

    @Test
    void substitutionsApplyToTheCommandAndTheOutputItShows() {
        DocExamples.Step step = new DocExamples.Step("doc.md", 1, "curl http://127.0.0.1:8083/x",
                List.of("at /home/me/.rockpool"), 0, null).substituted(Map.of("127.0.0.1:8083", "127.0.0.1:4000",
                "/home/me", "/tmp/h"));
        assertEquals("curl http://127.0.0.1:4000/x", step.command());
        assertEquals(List.of("at /tmp/h/.rockpool"), step.expected());
    }
}
