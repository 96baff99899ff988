package dev.rockpool.pool.testing;

import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs damage cases against a check of invariants: generated ones (seeded, so a run is repeatable) and the regression
 * files every earlier failure was kept as. A failing case is shrunk (edits dropped while it still fails) and reported
 * as the JSON of a regression file, also written to {@code target/fuzz-failures/}.
 *
 * <p>The budget: {@code -Dfuzz.tries=N} (default {@value #DEFAULT_TRIES}) generated cases for the engine, a share of
 * them for slower checks; {@code -Dfuzz.seed=S} starts at another seed (default {@value #DEFAULT_SEED}, so CI runs the
 * same cases every time). A case that takes longer than {@value #CASE_TIMEOUT_SECONDS} s counts as hung.
 */
public final class Fuzz {
    /** Engine cases by default, a run of about 50 s for the engine and CLI fuzz tests together on two cores. */
    public static final int DEFAULT_TRIES = 5000;
    public static final long DEFAULT_SEED = 13;
    static final long CASE_TIMEOUT_SECONDS = 30;
    private static final int MAX_REPORTED = 5;
    private static final Map<Path, Map<String, FuzzPools.Built>> BUILT = new HashMap<>();

    /** The invariants a damaged pool must keep; throws AssertionError (or anything) when one does not hold. */
    @FunctionalInterface
    public interface Check {
        void run(FuzzPools.Built pool, Path damaged, FuzzCase fuzzCase) throws Exception;
    }

    private Fuzz() {
    }

    /** {@code fuzz.tries} divided by {@code share} (at least {@code min}): the budget of a slower check. */
    public static int tries(int share, int min) {
        return Math.max(min, Integer.getInteger("fuzz.tries", DEFAULT_TRIES) / share);
    }

    public static long seed() {
        return Long.getLong("fuzz.seed", DEFAULT_SEED);
    }

    /** The case of number {@code i} from {@code seed}: a recipe and its damage, both from the case's own seed. */
    public static FuzzCase generate(Map<String, FuzzPools.Built> pools, long caseSeed) {
        String recipe = FuzzPools.RECIPES.get((int) Math.floorMod(caseSeed * 31 + 7, FuzzPools.RECIPES.size()));
        return new FuzzCase(recipe, new Damager(pools.get(recipe), caseSeed).next(), null);
    }

    /**
     * The recipe pools built in {@code work}, once per directory: the cases of a test class share them (cases damage
     * copies).
     */
    private static Map<String, FuzzPools.Built> pools(Path work) {
        synchronized (BUILT) {
            return BUILT.computeIfAbsent(work, w -> FuzzPools.buildAll(w.resolve("pools")));
        }
    }

    /** Runs {@code tries} generated cases from {@link #seed()}; fails with the shrunk failures found. */
    public static void run(Path work, int tries, String module, Check check) {
        run(work, 0, tries, module, check);
    }

    /**
     * Runs {@code tries} generated cases from {@link #seed()} + {@code firstCase} (a check that runs few cases can
     * start elsewhere than the others), with the pools and the damaged copies in {@code work}; fails with the shrunk
     * failures found.
     */
    public static void run(Path work, long firstCase, int tries, String module, Check check) {
        Map<String, FuzzPools.Built> pools = pools(work);
        long seed = seed() + firstCase;
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        int i = 0;
        for (; i < tries && failures.size() < MAX_REPORTED; i++) {
            FuzzCase c = generate(pools, seed + i);
            String failure = attempt(pools, work, c, check);
            if (failure != null) {
                FuzzCase shrunk = shrink(pools, work, c, check).withFound(failure);
                failures.add("case " + i + " (seed " + (seed + i) + "): " + failure + "\n"
                        + keep(module, "seed-" + (seed + i), shrunk));
            }
        }
        System.out.printf("fuzz %s: %d cases from seed %d in %d ms, %d failed%n", module, i, seed,
                (System.nanoTime() - start) / 1_000_000, failures.size());
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " damage case(s) failed; keep each as a regression file in "
                    + "src/test/resources/fuzz-regressions/" + module + "/\n\n" + String.join("\n\n", failures));
        }
    }

    /** One test per regression file of {@code module}: the case replayed against {@code check}. */
    public static Stream<DynamicTest> regressions(Path work, String module, Check check) {
        return regressionFiles(module).stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> {
                    FuzzCase c = FuzzCase.read(file);
                    String failure = attempt(pools(work), work, c, check);
                    if (failure != null) {
                        throw new AssertionError(failure + "\n" + c.toJson());
                    }
                }));
    }

    /** The regression files of {@code module} on the test classpath ({@code fuzz-regressions/MODULE/*.json}). */
    private static List<Path> regressionFiles(String module) {
        URL dir = Fuzz.class.getClassLoader().getResource("fuzz-regressions/" + module);
        if (dir == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What failed, or null if every invariant held. Each case runs on a thread of its own, to time it out. */
    private static String attempt(Map<String, FuzzPools.Built> pools, Path work, FuzzCase c, Check check) {
        FuzzPools.Built pool = pools.get(c.recipe());
        Path file = c.apply(pool, work.resolve("case").resolve(c.recipe() + ".pool"));
        FutureTask<Void> run = new FutureTask<>(() -> {
            check.run(pool, file, c);
            return null;
        });
        Thread thread = new Thread(run, "fuzz-case");
        thread.setDaemon(true);
        thread.start();
        try {
            run.get(CASE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return describe(e.getCause());
        } catch (TimeoutException e) {
            run.cancel(true);
            return "hung for more than " + CASE_TIMEOUT_SECONDS + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next case overwrites it
            }
        }
    }

    /** Drops edits one at a time while the case still fails. */
    private static FuzzCase shrink(Map<String, FuzzPools.Built> pools, Path work, FuzzCase c, Check check) {
        FuzzCase smallest = c;
        boolean smaller = true;
        while (smaller && smallest.mutations().size() > 1) {
            smaller = false;
            for (int i = 0; i < smallest.mutations().size(); i++) {
                List<Mutation> edits = new ArrayList<>(smallest.mutations());
                edits.remove(i);
                FuzzCase candidate = smallest.withMutations(edits);
                if (attempt(pools, work, candidate, check) != null) {
                    smallest = candidate;
                    smaller = true;
                    break;
                }
            }
        }
        return smallest;
    }

    private static String describe(Throwable t) {
        StringBuilder b = new StringBuilder(String.valueOf(t));
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("dev.rockpool")) {
                b.append("\n    at ").append(e);
            }
        }
        return b.toString();
    }

    /** The JSON of a failure, also written to target/fuzz-failures/ to be copied into the regression files. */
    private static String keep(String module, String name, FuzzCase c) {
        String json = c.toJson();
        try {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-failures", module));
            Files.writeString(dir.resolve(name + ".json"), json + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the report below carries it as well
        }
        return json;
    }
}
