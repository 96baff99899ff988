package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A jq expression (jackson-jq, jq 1.7 semantics), compiled once and applied many times. Thread-safe: the compiled
 * query and the root scope with the builtins are shared; each evaluation gets its own child scope.
 *
 * <p>Every evaluation is bounded by a number of steps ({@link JqSteps}): jq can loop forever ({@code [range(1e18)]},
 * {@code last(range(infinite))}) or recurse without end ({@code def f: f; f}), and one bad expression must not hang
 * the CLI or a Connect task. Running past the bound is a Usage error, never a jq error, so {@code try} and {@code ?}
 * inside the expression cannot swallow it.
 */
public final class JqExpression {
    /** The steps one evaluation may take unless the caller says otherwise; about a second of the busiest builtin. */
    public static final long DEFAULT_MAX_STEPS = 1_000_000;

    private static final Scope ROOT = JqSteps.countedBuiltins(newRootScope());
    /** Where javacc's parser and lexer errors say the trouble is. */
    private static final Pattern POSITION = Pattern.compile("at line (\\d+), column (\\d+)");

    private final String text;
    private final JsonQuery query;
    private final long maxSteps;

    private JqExpression(String text, JsonQuery query, long maxSteps) {
        this.text = text;
        this.query = query;
        this.maxSteps = maxSteps;
    }

    /** Compiles an expression with the default bound; a Usage error naming the position if it does not parse. */
    public static JqExpression compile(String text) {
        return compile(text, DEFAULT_MAX_STEPS);
    }

    /**
     * Compiles an expression whose evaluations may take at most {@code maxSteps} steps (builtin calls and the values
     * they produce); a Usage error naming the line and column if it does not parse.
     */
    public static JqExpression compile(String text, long maxSteps) {
        if (text == null || text.isBlank()) {
            throw new PoolException(ErrorKind.USAGE, "empty jq expression");
        }
        if (maxSteps < 1) {
            throw new PoolException(ErrorKind.USAGE, "the step bound of a jq expression must be at least 1");
        }
        try {
            return new JqExpression(text, JsonQuery.compile(text, Versions.JQ_1_7), maxSteps);
        } catch (JsonQueryException e) {
            throw new PoolException(ErrorKind.USAGE, "invalid jq expression '" + text + "': " + syntaxError(text, e));
        }
    }

    /**
     * All outputs of the expression for one input. A jq runtime error (indexing a string, {@code error("x")}, an
     * internal failure of jackson-jq on odd input) is a {@link JsonQueryException}; running past the step bound or
     * recursing deeper than the thread's stack allows is a Usage {@link PoolException}.
     */
    public List<JsonNode> apply(JsonNode input) throws JsonQueryException {
        List<JsonNode> out = new ArrayList<>(1);
        JqSteps steps = JqSteps.begin(maxSteps);
        try {
            query.apply(Scope.newChildScope(ROOT), input, value -> {
                steps.charge();
                out.add(value);
            });
        } catch (JqSteps.Exhausted e) {
            throw new PoolException(ErrorKind.USAGE, "jq expression '" + text + "' took more than " + maxSteps
                    + " steps (a loop such as range(1e18), or a bound too low for this input)");
        } catch (StackOverflowError e) {
            throw new PoolException(ErrorKind.USAGE, "jq expression '" + text + "' recursed too deeply");
        } catch (PoolException | JsonQueryException e) {
            throw e;
        } catch (RuntimeException e) {
            // jackson-jq's own failures on unexpected input (a cast, a number format): an error of this evaluation.
            throw new JsonQueryException("jq expression '" + text + "' failed: " + e, e);
        } finally {
            steps.end();
        }
        return out;
    }

    /** The source text. */
    public String text() {
        return text;
    }

    /** The most steps one evaluation may take. */
    public long maxSteps() {
        return maxSteps;
    }

    @Override
    public String toString() {
        return text;
    }

    /** "syntax error at line 1, column 9 (end of expression)", from the parser's message; its text otherwise. */
    private static String syntaxError(String text, JsonQueryException e) {
        String cause = e.getCause() == null || e.getCause().getMessage() == null ? e.getMessage()
                : e.getCause().getMessage();
        Matcher m = POSITION.matcher(cause);
        if (!m.find()) {
            return cause;
        }
        int line = Integer.parseInt(m.group(1));
        int column = Integer.parseInt(m.group(2));
        String[] lines = text.split("\n", -1);
        String near = "end of expression";
        if (!cause.contains("<EOF>") && line <= lines.length && column >= 1 && column <= lines[line - 1].length()) {
            near = "'" + lines[line - 1].charAt(column - 1) + "'";
        }
        return "syntax error at line " + line + ", column " + column + " (" + near + ")";
    }

    private static Scope newRootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_7, scope);
        return scope;
    }
}
