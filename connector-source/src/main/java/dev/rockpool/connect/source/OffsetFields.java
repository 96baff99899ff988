package dev.rockpool.connect.source;

import org.apache.kafka.connect.errors.ConnectException;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The source partition and offset of a pool. Partition {@code {"pool": NAME}}; offset
 * {@code {"seq": N, "pool.id": ID}} where N is the next seq to read and ID the identity of the pool file it belongs
 * to (new on each create, so a deleted and recreated pool is told apart).
 */
final class OffsetFields {
    /** Partition field: the pool name. */
    static final String POOL = "pool";
    /** Offset field: the next seq to read. */
    static final String SEQ = "seq";
    /** Offset field: the pool file's id ({@code Pool.id()}), optional in offsets written by hand. */
    static final String POOL_ID = "pool.id";

    private static final Pattern POOL_ID_PATTERN = Pattern.compile("[0-9a-f]{32}");

    private OffsetFields() {
    }

    static Map<String, Object> partition(String pool) {
        return Map.of(POOL, pool);
    }

    static Map<String, Object> offset(long nextSeq, String poolId) {
        Map<String, Object> offset = new HashMap<>(4);
        offset.put(SEQ, nextSeq);
        offset.put(POOL_ID, poolId);
        return offset;
    }

    /** The seq of a checked offset. */
    static long seq(Map<String, ?> offset) {
        return ((Number) offset.get(SEQ)).longValue();
    }

    /** The pool id of a checked offset, or null when it names none. */
    static String poolId(Map<String, ?> offset) {
        return (String) offset.get(POOL_ID);
    }

    /**
     * Why a stored offset cannot be used, or null if it is fine: {@code seq} a whole number >= 1 (JSON brings it back
     * as an Integer or Long), {@code pool.id} absent, null or 32 lowercase hex digits, nothing else.
     */
    static String problemWith(Map<String, ?> offset) {
        Object seq = offset.get(SEQ);
        if (!(seq instanceof Long || seq instanceof Integer || seq instanceof Short || seq instanceof Byte)) {
            return "offset field '" + SEQ + "' must be a whole number >= 1, got " + describe(seq);
        }
        if (((Number) seq).longValue() < 1) {
            return "offset field '" + SEQ + "' must be >= 1 (seqs start at 1), got " + seq;
        }
        Object id = offset.get(POOL_ID);
        if (id != null && !(id instanceof String && POOL_ID_PATTERN.matcher((String) id).matches())) {
            return "offset field '" + POOL_ID + "' must be the pool's id (32 hex digits, see rockpool pool info) "
                    + "or absent, got " + describe(id);
        }
        for (String field : offset.keySet()) {
            if (!Set.of(SEQ, POOL_ID).contains(field)) {
                return "unknown offset field '" + field + "': expected '" + SEQ + "' and optionally '" + POOL_ID + "'";
            }
        }
        return null;
    }

    /** The offset Connect has for a pool, checked; a task error naming the problem if it is unusable. */
    static Map<String, Object> checked(String pool, Map<String, Object> offset) {
        if (offset == null) {
            return null;
        }
        String problem = problemWith(offset);
        if (problem != null) {
            throw new ConnectException("Pool '" + pool + "': the committed offset " + offset + " is unusable: "
                    + problem + "; fix it with PATCH /connectors/NAME/offsets or reset it with DELETE");
        }
        return offset;
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value.getClass().getSimpleName() + " " + value;
    }
}
