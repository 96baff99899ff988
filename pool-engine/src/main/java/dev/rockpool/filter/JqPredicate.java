package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * A jq predicate over the message envelope: the message is kept if the expression yields {@code true} (for several
 * outputs: if any is true). {@code false}, no output, or an error while evaluating (e.g. indexing a string) drops
 * it, as {@code jq 'select(...)'} would. A result that is not a boolean is a Usage error: the expression is wrong
 * for every message, so failing loudly beats silently dropping everything.
 */
public final class JqPredicate {
    private final JqExpression expression;

    private JqPredicate(JqExpression expression) {
        this.expression = expression;
    }

    /** Compiles a predicate; a Usage error if it does not parse. */
    public static JqPredicate compile(String text) {
        return new JqPredicate(JqExpression.compile(text));
    }

    /** True if the envelope passes. */
    public boolean test(JsonNode envelope) {
        try {
            boolean keep = false;
            for (JsonNode result : expression.apply(envelope)) {
                if (!result.isBoolean()) {
                    throw new PoolException(ErrorKind.USAGE, "jq predicate '" + expression.text()
                            + "' must yield true or false, got " + abbreviate(result.toString()))
                            .withHint("compare explicitly, e.g. '.data.level == \"error\"'");
                }
                keep |= result.booleanValue();
            }
            return keep;
        } catch (JsonQueryException e) {
            if (isUnknownFunction(e)) {
                // jackson-jq resolves functions only when it runs them: a function it lacks (e.g. IN/1) would
                // otherwise drop every message silently. Wrong for every message, so a Usage error, like a
                // non-boolean result.
                throw new PoolException(ErrorKind.USAGE, "jq predicate '" + expression.text() + "': "
                        + e.getMessage() + " in jackson-jq (jq 1.7 subset)")
                        .withHint("rewrite it with supported builtins, e.g. '. == \"a\" or . == \"b\"' for IN");
            }
            return false;
        }
    }

    private static boolean isUnknownFunction(JsonQueryException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("Function ") && message.endsWith(" does not exist");
    }

    public String text() {
        return expression.text();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
