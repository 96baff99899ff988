package dev.rockpool.pool;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A message read in place: its frame in the pool's mapping, validated like every read (header, CRC32C, not being
 * overwritten while it was checked) but not copied. One view belongs to one {@link Cursor} and is reused: it shows
 * the message of the cursor's last {@link Cursor#nextView()} and is invalid after the cursor's next call.
 *
 * <p>A pool is a ring: once the view is returned, a writer that laps the reader may overwrite the frame at any time.
 * Read what you need, then ask {@link #intact()}: true means every byte read through this view so far was the
 * message's. {@link Message} (from {@link Cursor#next()}) is the copying alternative that needs no such check.
 */
public final class MessageView {
    private final PoolMapping map;
    private final PoolMapping.Views views;
    private long position;
    private long seq;
    private long timeNanos;
    private long physical;
    private int metaLength;
    private int dataLength;

    MessageView(PoolMapping map) {
        this.map = map;
        this.views = map.views(true);
    }

    void set(long position, long physical, long seq, long timeNanos, int length, int metaLength) {
        this.position = position;
        this.seq = seq;
        this.timeNanos = timeNanos;
        this.physical = physical;
        this.metaLength = metaLength;
        this.dataLength = length - FrameDescriptor.FRAME_HEADER_LENGTH - metaLength;
    }

    public long seq() {
        return seq;
    }

    /** ns since the epoch, UTC. */
    public long timeNanos() {
        return timeNanos;
    }

    /** Length of the data (the compact UTF-8 JSON object) in bytes. */
    public int dataLength() {
        return dataLength;
    }

    /**
     * The data in the mapping: a read-only buffer from its position to its limit. The cursor reuses its buffers for
     * the messages that follow (one per segment of the ring); do not keep it.
     */
    public ByteBuffer data() {
        return views.range(physical + FrameDescriptor.FRAME_HEADER_LENGTH + metaLength, dataLength);
    }

    /**
     * The tags, decoded from the mapping (check {@link #intact()} after).
     *
     * @throws PoolException Corrupt naming seq and offset for a meta section that does not decode (a forged frame)
     */
    public List<String> tags() {
        byte[] meta = new byte[metaLength];
        map.copyPayload(physical, meta, metaLength);
        try {
            return MetaCodec.decode(meta, 0, metaLength).tags();
        } catch (PoolException e) {
            throw Message.corruptFrame("meta section", seq, map.path, map.fileOffset(physical), e);
        }
    }

    /** True if no writer has overwritten the frame since it was validated: what was read through the view holds. */
    public boolean intact() {
        return position >= map.headAfterReads();
    }
}
