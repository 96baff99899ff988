package dev.rockpool.filter;

import dev.rockpool.pool.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Which messages a reader keeps: all required tags must be present, at least one of the "any" tags when some are
 * given (a subscription by event type, as Plasma's {@code eventType=a,b}), and every jq predicate must pass. Tags are
 * checked first, on the binary meta, so the envelope is only built and parsed for messages that could still pass.
 * Compiled once; thread-safe.
 */
public final class MessageFilter {
    private static final MessageFilter ALL = new MessageFilter(List.of(), List.of(), List.of());

    private final List<String> requiredTags;
    private final List<String> anyTags;
    private final List<JqPredicate> predicates;

    private MessageFilter(List<String> requiredTags, List<String> anyTags, List<JqPredicate> predicates) {
        this.requiredTags = List.copyOf(requiredTags);
        this.anyTags = List.copyOf(anyTags);
        this.predicates = List.copyOf(predicates);
    }

    /** Keeps every message. */
    public static MessageFilter all() {
        return ALL;
    }

    /** Compiles a filter; a Usage error for a jq expression that does not parse. Null lists mean none. */
    public static MessageFilter of(List<String> requiredTags, List<String> whereExpressions) {
        return of(requiredTags, null, whereExpressions);
    }

    /**
     * Compiles a filter that also wants at least one of {@code anyTags} (none: no such condition); a Usage error for a
     * jq expression that does not parse. Null lists mean none.
     */
    public static MessageFilter of(List<String> requiredTags, List<String> anyTags, List<String> whereExpressions) {
        List<String> tags = requiredTags == null ? List.of() : requiredTags;
        List<String> any = anyTags == null ? List.of() : anyTags;
        List<JqPredicate> predicates = new ArrayList<>();
        if (whereExpressions != null) {
            for (String where : whereExpressions) {
                predicates.add(JqPredicate.compile(where));
            }
        }
        return tags.isEmpty() && any.isEmpty() && predicates.isEmpty() ? ALL
                : new MessageFilter(tags, any, predicates);
    }

    /** True if the message passes. */
    public boolean test(Message m) {
        if (!m.hasAllTags(requiredTags) || !anyTags.isEmpty() && firstOfAnyTags(m) == null) {
            return false;
        }
        return predicates.isEmpty() || JqPredicate.allHold(predicates, m);
    }

    /**
     * The first of the "any" tags, in the order given, that the message carries; null if it carries none of them (or
     * none were given). A subscriber by event type is told which of its types a message matched.
     */
    public String firstOfAnyTags(Message m) {
        List<String> tags = m.tags();
        for (String tag : anyTags) {
            if (tags.contains(tag)) {
                return tag;
            }
        }
        return null;
    }

    /** True if the filter keeps everything (callers can skip it). */
    public boolean keepsAll() {
        return requiredTags.isEmpty() && anyTags.isEmpty() && predicates.isEmpty();
    }

    public List<String> requiredTags() {
        return requiredTags;
    }

    /** The tags of which a message needs at least one; empty when there is no such condition. */
    public List<String> anyTags() {
        return anyTags;
    }
}
