package dev.rockpool.pool.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A damage case: which of the {@link FuzzPools} recipes, and the edits made to a copy of it. This is also the format
 * of a regression file ({@code src/test/resources/fuzz-regressions/MODULE/NAME.json}), where {@code found} says what
 * went wrong when the fuzz test found it.
 */
public record FuzzCase(String recipe, List<Mutation> mutations, String found) {
    public FuzzCase {
        mutations = List.copyOf(mutations);
    }

    /** True if a frame was forged (its checksum recomputed): its content may then be anything. */
    public boolean forged() {
        return mutations.stream().anyMatch(m -> m.op().equals("forge"));
    }

    public FuzzCase withMutations(List<Mutation> edits) {
        return new FuzzCase(recipe, edits, found);
    }

    public FuzzCase withFound(String what) {
        return new FuzzCase(recipe, mutations, what);
    }

    /** A copy of the recipe's pool at {@code file} with the edits applied. */
    public Path apply(FuzzPools.Built pool, Path file) {
        Path copy = pool.copyTo(file);
        for (Mutation m : mutations) {
            m.apply(copy);
        }
        return copy;
    }

    public String toJson() {
        try {
            return JsonTrees.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FuzzCase read(Path file) {
        try {
            return JsonTrees.MAPPER.readValue(Files.readAllBytes(file), FuzzCase.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
