package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounds of jq evaluation (steps, recursion) and where a syntax error is. */
class JqBoundsTest {
    private static final JsonNode INPUT = read("{\"level\":\"error\",\"items\":[1,2,3]}");

    private static JsonNode read(String json) {
        try {
            return JsonTrees.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PoolException runaway(String expression) throws Exception {
        // On its own thread with a deadline: a bound that did not hold fails the test instead of hanging it.
        return CompletableFuture.supplyAsync(() -> assertThrows(PoolException.class,
                () -> JqExpression.compile(expression).apply(INPUT), expression)).get(60, TimeUnit.SECONDS);
    }

    @Test
    void loopsEndAtTheStepBound() throws Exception {
        for (String loop : List.of("[range(1e18)]", "last(range(1e18))", "reduce range(infinite) as $i (0; . + 1)",
                "[range(0; infinite)] | length", "try ([range(1e18)]) catch 0", "[.[]?, range(1e18)?]",
                "first(range(1e18) | select(. < 0))", "[paths] as $p | [range(1e18)] | $p")) {
            PoolException e = runaway(loop);
            assertTrue(e.getMessage().contains("steps"), loop + ": " + e.getMessage());
        }
    }

    @Test
    void recursionEndsAtTheStack() throws Exception {
        for (String loop : List.of("def f: f; f", "def f: 1 + f; f", "def r: ., (. | r); [r]",
                "[.] | until(false; .)", "def f: try f catch f; f",
                "0 | [recurse(. + 1; true)]", "[limit(1e18; recurse(.; true))]", "[while(true; .)]")) {
            PoolException e = runaway(loop);
            assertTrue(e.getMessage().contains("steps") || e.getMessage().contains("recursed too deeply"),
                    loop + ": " + e.getMessage());
        }
    }

    @Test
    void boundedLoopsStillRunAndTheBoundIsPerEvaluation() throws Exception {
        JqExpression firstThree = JqExpression.compile("[limit(3; range(1e18))]");
        for (int i = 0; i < 3; i++) {
            assertEquals(read("[0,1,2]"), firstThree.apply(INPUT).get(0));
        }
        assertEquals(read("500500"), JqExpression.compile("reduce range(1; 1001) as $i (0; . + $i)")
                .apply(NullNode.getInstance()).get(0));
        JqExpression tight = JqExpression.compile("[range(100)] | length", 50);
        assertThrows(PoolException.class, () -> tight.apply(INPUT));
        assertEquals(read("100"), JqExpression.compile("[range(100)] | length", 1000).apply(INPUT).get(0));
        // The builtin-free expressions the filters use most take no steps beyond their outputs.
        assertEquals(List.of(read("true")), JqExpression.compile(".level == \"error\"", 1).apply(INPUT));
    }

    @Test
    void aSyntaxErrorNamesLineAndColumn() {
        assertEquals("invalid jq expression '.level ==': syntax error at line 1, column 9 (end of expression)",
                assertThrows(PoolException.class, () -> JqExpression.compile(".level ==")).getMessage());
        assertEquals("invalid jq expression '{a: }': syntax error at line 1, column 5 ('}')",
                assertThrows(PoolException.class, () -> JqExpression.compile("{a: }")).getMessage());
        assertTrue(assertThrows(PoolException.class, () -> JqExpression.compile(".a\n| {b: }")).getMessage()
                .endsWith("syntax error at line 2, column 7 ('}')"));
        assertTrue(assertThrows(PoolException.class, () -> JqExpression.compile(".a § b")).getMessage()
                .endsWith("syntax error at line 1, column 4 ('§')"));
    }

    @Test
    void predicatesTreatNullAsFalseAndRunawaysAsUsageErrors() throws Exception {
        assertFalse(JqPredicate.compile(".missing").test(INPUT), "null: dropped, as select(.missing) would");
        assertFalse(JqPredicate.compile(".missing").matches(INPUT));
        assertTrue(JqPredicate.compile(".level == \"error\"").matches(INPUT));
        assertThrows(net.thisptr.jackson.jq.exception.JsonQueryException.class,
                () -> JqPredicate.compile(".level.x").matches(INPUT));
        assertThrows(PoolException.class, () -> JqPredicate.compile("[range(1e18)] | length > 0").test(INPUT));
        assertThrows(PoolException.class, () -> JqPredicate.compile(".items").matches(INPUT));
    }
}
