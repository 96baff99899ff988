package dev.rockpool.connect.sink;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sink's section of {@code docs/CONNECTORS.md} carries the reference generated from {@link PoolSinkConfig}: a
 * changed key, default or documentation fails here until the docs are regenerated. Print the table with
 * {@code -Drockpool.print.reference=true}.
 */
class ConfigReferenceTest {
    @Test
    void docsHoldTheGeneratedReference() throws Exception {
        String table = PoolSinkConfig.markdownTable();
        if (Boolean.getBoolean("rockpool.print.reference")) {
            System.out.println(table);
        }
        Path docs = Paths.get("..", "docs", "CONNECTORS.md");
        String text = Files.readString(docs, StandardCharsets.UTF_8);
        int begin = text.indexOf("<!-- sink:begin -->");
        int end = text.indexOf("<!-- sink:end -->");
        assertTrue(begin >= 0 && end > begin, "sink markers in " + docs.toAbsolutePath());
        assertTrue(text.substring(begin, end).contains(table),
                "docs/CONNECTORS.md sink section lacks the current reference:\n" + table);
    }
}
