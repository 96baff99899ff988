package dev.rockpool.pool;

/**
 * Messages a reader lost because writers overwrote them first.
 *
 * @param firstMissingSeq the first seq the reader wanted and could not get
 * @param count           how many seqs were lost: the reader resumes at {@code firstMissingSeq + count}
 */
public record Gap(long firstMissingSeq, long count) {
    /** The seq the reader resumes at. */
    public long resumeSeq() {
        return firstMissingSeq + count;
    }
}
