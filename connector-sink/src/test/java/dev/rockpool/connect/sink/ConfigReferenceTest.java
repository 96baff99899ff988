package dev.rockpool.connect.sink;

import dev.rockpool.connect.ConfigDocs;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The sink's section of {@code docs/CONNECTORS.md} carries the reference generated from {@link PoolSinkConfig}: a
 * changed key, default or documentation fails here until the docs are regenerated
 * ({@code -Drockpool.docs.update=true}).
 */
class ConfigReferenceTest {
    @Test
    void docsHoldTheGeneratedReference() throws Exception {
        assertNull(ConfigDocs.check(Paths.get("..", "docs", "CONNECTORS.md"), "sink", PoolSinkConfig.CONFIG_DEF));
    }
}
