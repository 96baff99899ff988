package dev.rockpool.pool.testing;

import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.Pool;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A writer process for the multi-process tests. Arguments: {@code POOL WRITER FIRST_COUNTER COUNT MODE [BATCH]
 * [MAX_PAD] [GO_FILE]} where COUNT -1 means until killed and MODE is {@code ack} (print {@code ACK <seq> <counter>}
 * after every append returns, flushed, so a test killing this process knows exactly which appends were acknowledged)
 * or {@code progress} (print {@code PROGRESS <n>} every 5000 appends). BATCH &gt; 1 appends that many messages per
 * {@link Pool#appendBatch} call, so the process spends most of its time holding the writer lock. Prints
 * {@code READY} once the pool is open and {@code DONE <n>} at the end. With GO_FILE it starts appending only once that
 * file exists, so a test can start the JVM early and still decide the moment the writing begins.
 */
public final class ChildWriter {
    private ChildWriter() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        int writer = Integer.parseInt(args[1]);
        long counter = Long.parseLong(args[2]);
        long count = Long.parseLong(args[3]);
        boolean ack = args[4].equals("ack");
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        int maxPad = args.length > 6 ? Integer.parseInt(args[6]) : 200;
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false);
        try (Pool pool = Pool.open(file)) {
            out.println("READY");
            out.flush();
            if (args.length > 7) {
                Path go = Path.of(args[7]);
                while (!Files.exists(go)) {
                    LockSupport.parkNanos(200_000);
                }
            }
            long done = 0;
            List<Draft> drafts = new ArrayList<>(batch);
            while (count < 0 || done < count) {
                int n = (int) (count < 0 ? batch : Math.min(batch, count - done));
                List<AppendResult> results;
                if (n == 1) {
                    results = List.of(pool.append(TestMessages.draft(writer, counter, maxPad)));
                } else {
                    drafts.clear();
                    for (int k = 0; k < n; k++) {
                        drafts.add(TestMessages.draft(writer, counter + k, maxPad));
                    }
                    results = pool.appendBatch(drafts, Durability.FAST);
                }
                for (AppendResult r : results) {
                    if (ack) {
                        out.print("ACK ");
                        out.print(r.seq());
                        out.print(' ');
                        out.println(counter);
                    }
                    counter++;
                    done++;
                    if (!ack && done % 5000 == 0) {
                        out.println("PROGRESS " + done);
                        out.flush();
                    }
                }
                if (ack) {
                    out.flush();
                }
            }
            out.println("DONE " + done);
            out.flush();
        } catch (RuntimeException e) {
            out.println("ERROR " + e);
            out.flush();
            e.printStackTrace();
            System.exit(1);
        }
    }
}
