package dev.rockpool.pool;

/**
 * What a batch append ({@link Pool#appendBatch(java.util.List, Durability, BadDraftPolicy)}) does with a draft the
 * pool refuses: a message too large for the ring, a tag too long. Either way the drafts it appends go in under one
 * lock acquisition and one publish, in draft order.
 */
public enum BadDraftPolicy {
    /** Append the drafts before the first refused one; report that one and append nothing after it. */
    STOP,
    /** Append every draft the pool accepts; report each refused one. */
    SKIP
}
