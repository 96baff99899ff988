package dev.rockpool.pool;

/**
 * What a reader has not read yet, and how much writers can still append before the oldest message it has not read is
 * overwritten: the alarm that fires before a {@link Gap}. Taken by {@link Pool#backlog(long)} without the writer lock,
 * like {@link PoolInfo}: under concurrent appends its fields can be a few messages apart.
 *
 * <p>Writers drop the oldest frames to make room, so the oldest unread message, at ring position {@code p}, is
 * overwritten by the first append that needs the ring beyond {@code p + ring capacity}. The bytes left before that
 * are exact; how many <em>messages</em> fit in them depends on the sizes of messages not written yet, which
 * {@link #headroomMessages()} estimates from the messages in the pool now.
 *
 * @param readerSeq             the seq the reader reads next
 * @param unreadMessages        seqs appended that the reader has not read: the pool's next seq minus
 *                              {@code readerSeq}, 0 when it is caught up; {@code overwrittenMessages} included
 * @param overwrittenMessages   of those, the ones already overwritten: the gap the reader will meet
 * @param oldestUnreadTimeNanos the time of the oldest unread message still in the pool (ns since the epoch); 0 when
 *                              the reader is caught up
 * @param headroomBytes         ring bytes writers can still append (frames with their headers and alignment, and the
 *                              padding of a wrap at the ring's end) before the oldest unread message is overwritten;
 *                              the ring capacity when the reader is caught up (the next message appended is then the
 *                              oldest unread one); 0 when the next append overwrites it, and once it was
 * @param averageFrameBytes     ring bytes per message in the pool now (used bytes, wrap padding included, divided by
 *                              the message count); the smallest possible frame when the pool holds no message
 */
public record Backlog(long readerSeq, long unreadMessages, long overwrittenMessages, long oldestUnreadTimeNanos,
                      long headroomBytes, double averageFrameBytes) {
    /**
     * Messages that can still be appended before the oldest unread one is overwritten, if they take the ring bytes
     * the messages in the pool take on average: {@link #headroomBytes()} / {@link #averageFrameBytes()}, rounded
     * down. The pool holds the last ring's worth of appends, so this is the writers' recent average; larger messages
     * to come make the true count smaller, smaller ones larger. 0 means the next average message may overwrite it.
     */
    public long headroomMessages() {
        return (long) (headroomBytes / averageFrameBytes);
    }
}
