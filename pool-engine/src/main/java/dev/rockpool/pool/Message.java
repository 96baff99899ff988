package dev.rockpool.pool;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * One message read from a pool, validated (checksum, seq, not overwritten while read). Holds one copy of the frame's
 * payload; tags and data are decoded from it on first use.
 *
 * <p>The checksum tells damage, not forgery: someone who edits the file can recompute it. Decoding the tags checks
 * the meta section in full; the data is checked where it is turned into output ({@link #checkData()},
 * {@link #dataTree()}) rather than on every read, which must stay as cheap as the checksum. Either way a frame that
 * does not hold what an append stores is a Corrupt error naming its seq and file offset.
 */
public final class Message {
    private final long seq;
    private final long timeNanos;
    private final byte[] payload;
    private final int metaLength;
    /** The pool file and the frame's offset in it, for errors; null and -1 for a message not read from a frame. */
    private final Path path;
    private final long fileOffset;
    private List<String> tags;
    private Origin origin;
    private boolean metaDecoded;

    Message(long seq, long timeNanos, byte[] payload, int metaLength, Path path, long fileOffset) {
        this.seq = seq;
        this.timeNanos = timeNanos;
        this.payload = payload;
        this.metaLength = metaLength;
        this.path = path;
        this.fileOffset = fileOffset;
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
        return new Message(seq, timeNanos, payload, meta.length, null, -1);
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

    /**
     * Checks that the data is one compact JSON object in valid UTF-8, as an append stores it, without building a tree
     * (see {@link JsonData#check}). Call it before emitting the stored bytes as JSON unparsed.
     *
     * @throws PoolException Corrupt naming the seq and the frame's file offset (a frame forged with a recomputed
     *                       checksum)
     */
    public void checkData() {
        try {
            JsonData.check(payload, metaLength, dataLength());
        } catch (PoolException e) {
            throw corrupt("data", e);
        }
    }

    /**
     * The data parsed into a tree.
     *
     * @throws PoolException Corrupt naming the seq and the frame's file offset if it is not a JSON object
     */
    public JsonNode dataTree() {
        try {
            return JsonData.tree(payload, metaLength, dataLength());
        } catch (PoolException e) {
            throw corrupt("data", e);
        }
    }

    /**
     * The data as a {@link JsonData}, to append it elsewhere without compacting it again: checked first
     * ({@link #checkData()}), so a forged frame cannot carry what an append refuses into another pool.
     */
    public JsonData jsonData() {
        checkData();
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
            MetaCodec.Decoded decoded;
            try {
                decoded = MetaCodec.decode(payload, 0, metaLength);
            } catch (PoolException e) {
                throw corrupt("meta section", e);
            }
            tags = decoded.tags();
            origin = decoded.origin();
            metaDecoded = true;
        }
    }

    private PoolException corrupt(String part, PoolException cause) {
        return corruptFrame(part, seq, path, fileOffset, cause);
    }

    /** The Corrupt error for a part of a frame's payload that is not what an append stores, naming seq and offset. */
    static PoolException corruptFrame(String part, long seq, Path path, long fileOffset, PoolException cause) {
        Long offset = path == null ? null : fileOffset;
        return new PoolException(ErrorKind.CORRUPT, "stored " + part + " of seq " + seq
                + (offset == null ? "" : " at offset=" + offset) + " is not what an append stores (a forged frame?): "
                + cause.getMessage(), path, seq, offset, null, cause);
    }

    @Override
    public String toString() {
        String tagText;
        try {
            tagText = tags().toString();
        } catch (PoolException e) {
            tagText = "(corrupt)";
        }
        return "Message{seq=" + seq + ", timeNanos=" + timeNanos + ", tags=" + tagText + ", data=" + dataString() + '}';
    }
}
