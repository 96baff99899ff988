package dev.rockpool.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of a batch append: the receipt of each appended draft by its index in the batch, and the drafts the
 * pool refused with the reason. With {@link BadDraftPolicy#STOP} the drafts after the first refused one are neither
 * appended nor reported.
 */
public final class BatchResult {
    /** A draft the pool refused: its index in the batch and why (a Usage error). */
    public record Rejection(int index, PoolException error) {
    }

    private final AppendResult[] receipts;
    private final List<Rejection> rejections;

    BatchResult(AppendResult[] receipts, List<Rejection> rejections) {
        this.receipts = receipts;
        this.rejections = List.copyOf(rejections);
    }

    /** The receipt of the draft at {@code index}, or null if it was not appended. */
    public AppendResult receipt(int index) {
        return index < receipts.length ? receipts[index] : null;
    }

    /** The receipts of the appended drafts, in batch order. */
    public List<AppendResult> receipts() {
        List<AppendResult> appended = new ArrayList<>(receipts.length);
        for (AppendResult r : receipts) {
            if (r != null) {
                appended.add(r);
            }
        }
        return appended;
    }

    /** The refused drafts, in batch order; empty when every draft was appended. */
    public List<Rejection> rejections() {
        return rejections;
    }
}
