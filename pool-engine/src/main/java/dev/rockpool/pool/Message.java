package dev.rockpool.pool;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/**
 * One message read from a pool, validated (checksum, seq, not overwritten while read). Holds one copy of the frame's
 * payload; tags and data are decoded from it on first use.
 */
public final class Message {
    private final long seq;
    private final long timeNanos;
    private final byte[] payload;
    private final int metaLength;
    private List<String> tags;
    private Origin origin;
    private boolean metaDecoded;

    Message(long seq, long timeNanos, byte[] payload, int metaLength) {
        this.seq = seq;
        this.timeNanos = timeNanos;
        this.payload = payload;
        this.metaLength = metaLength;
    }

    /**
     * A message that did not come from this process's mapping (e.g. received from a remote pool), for code that
     * handles local and remote messages alike. Checked like an append's tags; the data is taken as it is.
     */
    public static Message of(long seq, long timeNanos, List<String> tags, Origin origin, JsonData data) {
        byte[] meta = MetaCodec.encode(tags, origin);
        byte[] payload = new byte[meta.length + data.length()];
        System.arraycopy(meta, 0, payload, 0, meta.length);
        System.arraycopy(data.bytes(), 0, payload, meta.length, data.length());
        return new Message(seq, timeNanos, payload, meta.length);
    }

    public long seq() {
        return seq;
    }

    /** ns since the epoch, UTC. */
    public long timeNanos() {
        return timeNanos;
    }

    public List<String> tags() {
        decodeMeta();
        return tags;
    }

    /** Where the message was copied from, or null. */
    public Origin origin() {
        decodeMeta();
        return origin;
    }

    /** True if every one of {@code required} is among the tags. Does not allocate when there are none. */
    public boolean hasAllTags(Collection<String> required) {
        return required.isEmpty() || tags().containsAll(required);
    }

    /** A new array with the compact UTF-8 JSON object. */
    public byte[] data() {
        byte[] copy = new byte[dataLength()];
        System.arraycopy(payload, metaLength, copy, 0, copy.length);
        return copy;
    }

    /** The data as a {@link JsonData}, to append it elsewhere without re-parsing. */
    public JsonData jsonData() {
        return JsonData.trusted(data());
    }

    /** The data as a string. */
    public String dataString() {
        return new String(payload, metaLength, dataLength(), StandardCharsets.UTF_8);
    }

    /** Length of the data in bytes. */
    public int dataLength() {
        return payload.length - metaLength;
    }

    /** The payload array holding the data at {@link #dataOffset()} (not a copy: do not change). */
    public byte[] payloadArray() {
        return payload;
    }

    /** Where the data starts in {@link #payloadArray()}. */
    public int dataOffset() {
        return metaLength;
    }

    private void decodeMeta() {
        if (!metaDecoded) {
            MetaCodec.Decoded decoded = MetaCodec.decode(payload, 0, metaLength);
            tags = decoded.tags();
            origin = decoded.origin();
            metaDecoded = true;
        }
    }

    @Override
    public String toString() {
        return "Message{seq=" + seq + ", timeNanos=" + timeNanos + ", tags=" + tags() + ", data=" + dataString() + '}';
    }
}
