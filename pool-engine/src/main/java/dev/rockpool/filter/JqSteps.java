package dev.rockpool.filter;

import com.fasterxml.jackson.databind.JsonNode;
import net.thisptr.jackson.jq.Expression;
import net.thisptr.jackson.jq.Function;
import net.thisptr.jackson.jq.PathOutput;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Version;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import net.thisptr.jackson.jq.path.Path;

import java.util.List;
import java.util.Map;

/**
 * The step bound of one jq evaluation. jq has no loop statement: every loop is either a builtin (the generators
 * written in Java such as {@code range}, and those written in jq such as {@code recurse}, {@code while},
 * {@code limit}, {@code until}) or the recursion of a function, which grows the stack and ends in a
 * {@link StackOverflowError}. So one step is charged for each call of a builtin and for each value a builtin
 * produces; a bounded number of steps is a bounded evaluation. jackson-jq has no hook for this, so the builtins of
 * the shared root scope are wrapped ({@link #countedBuiltins}); jq-defined builtins resolve the builtins they call
 * through that scope too, so they are counted as well. An evaluation runs on its caller's thread from start to end
 * while the builtins are shared by every thread, hence the count per thread.
 */
final class JqSteps {
    private static final ThreadLocal<JqSteps> CURRENT = ThreadLocal.withInitial(JqSteps::new);

    private long remaining;

    private JqSteps() {
    }

    /** Thrown by {@link #charge} past the bound; not a jq error, so jq's {@code try} cannot catch it. */
    static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super("jq step bound exhausted", null, false, false);
        }
    }

    /** Starts counting for an evaluation on this thread. */
    static JqSteps begin(long maxSteps) {
        JqSteps steps = CURRENT.get();
        steps.remaining = maxSteps;
        return steps;
    }

    /** One step; {@link Exhausted} once the bound is used up. */
    void charge() {
        if (--remaining < 0) {
            throw new Exhausted();
        }
    }

    /** Ends the evaluation: a builtin run outside of one (there is none) would find no steps left. */
    void end() {
        remaining = 0;
    }

    /** Replaces every function of {@code root} by one that charges steps; returns {@code root}. */
    static Scope countedBuiltins(Scope root) {
        for (Map.Entry<String, Function> builtin : root.getLocalFunctions().entrySet()) {
            root.addFunction(builtin.getKey(), new Counted(builtin.getValue()));
        }
        return root;
    }

    /** A builtin that charges a step when called and one for each value it produces. */
    private static final class Counted implements Function {
        private final Function builtin;

        Counted(Function builtin) {
            this.builtin = builtin;
        }

        @Override
        public void apply(Scope scope, List<Expression> args, JsonNode in, Path path, PathOutput output,
                          Version version) throws JsonQueryException {
            JqSteps steps = CURRENT.get();
            steps.charge();
            builtin.apply(scope, args, in, path, (value, valuePath) -> {
                steps.charge();
                output.emit(value, valuePath);
            }, version);
        }

        @Override
        public String toString() {
            return builtin.toString();
        }
    }
}
