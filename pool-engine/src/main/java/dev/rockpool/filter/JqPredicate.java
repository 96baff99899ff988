package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.PoolException;
import net.thisptr.jackson.jq.exception.JsonQueryException;

import java.util.List;

/**
 * A jq predicate: it holds if the expression yields {@code true} (for several outputs: if any is true);
 * {@code false}, {@code null} and no output make it false, as {@code jq 'select(...)'} would drop the input. Any
 * other result is a Usage error: the expression is wrong for every input (compare explicitly), so failing loudly
 * beats silently dropping everything. The same rules serve {@code rockpool follow --where}, the connectors'
 * {@code filter.where} and the {@code JqMatches} predicate of any connector.
 */
public final class JqPredicate {
    private final JqExpression expression;

    private JqPredicate(JqExpression expression) {
        this.expression = expression;
    }

    /** Compiles a predicate with the default step bound; a Usage error if it does not parse. */
    public static JqPredicate compile(String text) {
        return new JqPredicate(JqExpression.compile(text));
    }

    /** Compiles a predicate whose evaluations take at most {@code maxSteps} steps; a Usage error if it won't parse. */
    public static JqPredicate compile(String text, long maxSteps) {
        return new JqPredicate(JqExpression.compile(text, maxSteps));
    }

    /**
     * True if the message's envelope passes every predicate (built once for all). Here, not in {@link MessageFilter}:
     * a filter of tags alone never loads a JSON tree class.
     */
    static boolean allHold(List<JqPredicate> predicates, Message m) {
        JsonNode envelope = Envelope.tree(m);
        for (JqPredicate p : predicates) {
            if (!p.test(envelope)) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if the envelope passes. A runtime error (e.g. indexing a string) drops it, as {@code select(...)} would;
     * a non-boolean result, a function jackson-jq lacks or a runaway evaluation is a Usage error.
     */
    public boolean test(JsonNode envelope) {
        try {
            return matches(envelope);
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

    /**
     * True if the input passes, with every failure reported: a jq runtime error as {@link JsonQueryException}, a
     * non-boolean result or a runaway evaluation as a Usage {@link PoolException}. For callers that decide per
     * input what an error means (the Connect predicate).
     */
    public boolean matches(JsonNode input) throws JsonQueryException {
        boolean holds = false;
        for (JsonNode result : expression.apply(input)) {
            if (result.isBoolean()) {
                holds |= result.booleanValue();
            } else if (!result.isNull()) {
                throw new PoolException(ErrorKind.USAGE, "jq predicate '" + expression.text()
                        + "' must yield true or false, got " + abbreviate(result.toString()))
                        .withHint("compare explicitly, e.g. '.data.level == \"error\"'");
            }
        }
        return holds;
    }

    private static boolean isUnknownFunction(JsonQueryException e) {
        String message = e.getMessage();
        return message != null && message.startsWith("Function ") && message.endsWith(" does not exist");
    }

    /** The source text. */
    public String text() {
        return expression.text();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
