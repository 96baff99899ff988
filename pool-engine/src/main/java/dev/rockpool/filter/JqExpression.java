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

/**
 * A jq expression (jackson-jq, jq 1.7 semantics), compiled once and applied many times. Thread-safe: the compiled
 * query and the root scope with the builtins are shared; each evaluation gets its own child scope.
 */
public final class JqExpression {
    private static final Scope ROOT = newRootScope();

    private final String text;
    private final JsonQuery query;

    private JqExpression(String text, JsonQuery query) {
        this.text = text;
        this.query = query;
    }

    /** Compiles an expression; a Usage error naming it if it does not parse. */
    public static JqExpression compile(String text) {
        if (text == null || text.isBlank()) {
            throw new PoolException(ErrorKind.USAGE, "empty jq expression");
        }
        try {
            return new JqExpression(text, JsonQuery.compile(text, Versions.JQ_1_7));
        } catch (JsonQueryException e) {
            throw new PoolException(ErrorKind.USAGE, "invalid jq expression '" + text + "': " + e.getMessage());
        }
    }

    /** All outputs of the expression for one input. */
    public List<JsonNode> apply(JsonNode input) throws JsonQueryException {
        List<JsonNode> out = new ArrayList<>(1);
        query.apply(Scope.newChildScope(ROOT), input, out::add);
        return out;
    }

    /** The source text. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    private static Scope newRootScope() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_7, scope);
        return scope;
    }
}
