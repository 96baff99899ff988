package dev.rockpool.filter;

import dev.rockpool.pool.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Which messages a reader keeps: all required tags must be present, and every jq predicate must pass (AND). Tags are
 * checked first, on the binary meta, so the envelope is only built and parsed for messages that could still pass.
 * Compiled once; thread-safe.
 */
public final class MessageFilter {
    private static final MessageFilter ALL = new MessageFilter(List.of(), List.of());

    private final List<String> requiredTags;
    private final List<JqPredicate> predicates;

    private MessageFilter(List<String> requiredTags, List<JqPredicate> predicates) {
        this.requiredTags = List.copyOf(requiredTags);
        this.predicates = List.copyOf(predicates);
    }

    /** Keeps every message. */
    public static MessageFilter all() {
        return ALL;
    }

    /** Compiles a filter; a Usage error for a jq expression that does not parse. Null lists mean none. */
    public static MessageFilter of(List<String> requiredTags, List<String> whereExpressions) {
        List<String> tags = requiredTags == null ? List.of() : requiredTags;
        List<JqPredicate> predicates = new ArrayList<>();
        if (whereExpressions != null) {
            for (String where : whereExpressions) {
                predicates.add(JqPredicate.compile(where));
            }
        }
        return tags.isEmpty() && predicates.isEmpty() ? ALL : new MessageFilter(tags, predicates);
    }

    /** True if the message passes. */
    public boolean test(Message m) {
        if (!m.hasAllTags(requiredTags)) {
            return false;
        }
        return predicates.isEmpty() || JqPredicate.allHold(predicates, m);
    }

    /** True if the filter keeps everything (callers can skip it). */
    public boolean keepsAll() {
        return requiredTags.isEmpty() && predicates.isEmpty();
    }

    public List<String> requiredTags() {
        return requiredTags;
    }
}
