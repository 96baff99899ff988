package dev.rockpool.cli;

import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code rockpool feed POOL [DATA]}: appends one message, or a stream of them from stdin or a file, printing a
 * receipt {@code {"seq","time","meta"}} per message. Streams are split by {@link RecordReader} (JSON Lines,
 * concatenated JSON, json-seq; no format flag) and appended in batches: up to {@link #MAX_BATCH} messages, but a
 * batch also ends whenever the input has nothing more ready, so a slow live pipe ({@code journalctl -f}) reaches
 * followers at once.
 *
 * <p>Bad records never half-work: a record that is not one JSON object, or is too large for the pool, is reported
 * with its record and line number. With {@code --errors stop} (default) the good records before it are appended
 * (as plasmite does: the input is a stream, possibly endless) and nothing from the bad record on; exit 2. With
 * {@code --errors skip} it is reported as an {@code ingest_skip} notice and the rest go in; exit 0.
 */
@Command(name = "feed", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Append one message (DATA), or a stream from stdin or -f FILE: JSON Lines, concatenated "
                + "JSON or json-seq (RS-separated), detected per record.",
                "Prints a receipt {\"seq\",\"time\",\"meta\"} per message."})
final class FeedCommand implements Callable<Integer> {
    /** Most messages appended under one lock acquisition. */
    static final int MAX_BATCH = 4096;
    /** Most data bytes in one batch (also at most a quarter of the ring). */
    static final int MAX_BATCH_BYTES = 1 << 20;

    @ParentCommand
    Rockpool root;

    @Parameters(index = "0", paramLabel = "POOL", description = "Pool name (or a path containing '/').")
    String poolRef;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DATA",
            description = "One JSON object to append. Without it, messages are read from -f FILE or stdin.")
    String data;

    @Option(names = {"-t", "--tag"}, paramLabel = "TAG", description = "Tag every message (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--create", description = "Create the pool if it does not exist.")
    boolean create;

    @Option(names = "--create-size", paramLabel = "SIZE",
            description = "Size of a pool made by --create (default: 64M).")
    String createSize;

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Read messages from FILE ('-': stdin).")
    String file;

    @Option(names = "--durability", paramLabel = "fast|flush", defaultValue = "fast",
            description = "fast: readable once appended, survives a process crash; flush: msync before the "
                    + "receipt, survives an OS crash (default: ${DEFAULT-VALUE}).")
    String durability;

    @Option(names = "--errors", paramLabel = "stop|skip", defaultValue = "stop",
            description = "On a bad record: stop (exit 2, nothing from it on is appended) or skip it with a "
                    + "notice and go on (default: ${DEFAULT-VALUE}).")
    String errors;

    private Output out;
    private byte[] tagsJson;
    private long lastReceiptTime = Long.MIN_VALUE;
    private byte[] lastReceiptTimeBytes;

    @Override
    public Integer call() throws IOException {
        Io io = root.io();
        Durability dur = Durability.parse(durability);
        boolean skip = parseErrors(errors);
        if (createSize != null && !create) {
            throw usage("--create-size needs --create");
        }
        if (data != null && file != null) {
            throw usage("give either DATA or -f FILE, not both");
        }
        if (data == null && file == null && io.stdinTerminal()) {
            throw new PoolException(ErrorKind.USAGE, "no input: give DATA, -f FILE, or pipe JSON into stdin",
                    null, null, null, "e.g. rockpool feed " + poolRef + " '{\"msg\":\"hello\"}'", null);
        }
        for (String tag : tags) {
            if (tag.isEmpty()) {
                throw usage("empty --tag");
            }
        }
        PoolDirectory dir = root.directory();
        Rockpool.checkRef(poolRef);
        long size = createSize == null ? PoolOptions.DEFAULT_SIZE : PoolOptions.parseSize(createSize);
        out = Output.discardingWhenClosed(io.out());
        tagsJson = JsonData.MAPPER.writeValueAsBytes(tags);

        if (data != null) {
            // Parse before opening (or creating) the pool: bad input changes nothing.
            JsonData json = parseRecord(data.getBytes(StandardCharsets.UTF_8), 1, 1);
            try (Pool pool = open(dir, size)) {
                AppendResult r;
                try {
                    r = pool.append(Draft.of(json, tags), dur);
                } catch (PoolException e) {
                    throw e.kind() == ErrorKind.USAGE ? new RecordException(e, 1, 1) : e;
                }
                receipt(r);
            }
            out.flush();
            return 0;
        }
        try (InputStream in = openInput(io); Pool pool = open(dir, size)) {
            return stream(io, pool, in, dur, skip);
        }
    }

    private Pool open(PoolDirectory dir, long size) {
        return create ? dir.openOrCreate(poolRef, PoolOptions.ofSize(size)) : dir.open(poolRef);
    }

    private InputStream openInput(Io io) {
        if (file == null || file.equals("-")) {
            return io.in();
        }
        Path path = Paths.get(PoolDirectory.expandHome(file));
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new PoolException(ErrorKind.NOT_FOUND, "no such input file: " + file, path);
        } catch (AccessDeniedException e) {
            throw new PoolException(ErrorKind.PERMISSION, "cannot read input file: " + file, path);
        } catch (IOException e) {
            throw new PoolException(ErrorKind.IO, "cannot open input file " + file + ": " + e, path);
        }
    }

    private int stream(Io io, Pool pool, InputStream in, Durability dur, boolean skip) throws IOException {
        long maxFrame = pool.maxFrameLength();
        // The reader buffers one record at most; past the pool's limit (or a quarter of the heap) it only counts.
        int maxRecord = (int) Math.min(Math.min(maxFrame, Integer.MAX_VALUE - 16),
                Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 4));
        long maxBatchBytes = Math.max(1, Math.min(MAX_BATCH_BYTES, maxFrame / 4));
        Batch batch = new Batch();
        RecordReader reader = new RecordReader(in, maxRecord, () -> {
            batch.append(pool, dur, skip, io);
            out.flush();
        });
        long failed = 0;
        while (reader.next()) {
            JsonData json;
            try {
                if (reader.oversized()) {
                    throw new RecordException(tooLarge(pool, reader.oversizedLength(), maxRecord),
                            reader.recordNumber(), reader.recordLine());
                }
                json = parseRecord(reader.array(), reader.start(), reader.length(), reader.recordNumber(),
                        reader.recordLine());
            } catch (RecordException e) {
                batch.append(pool, dur, skip, io);
                if (!skip) {
                    out.flush();
                    throw e;
                }
                skipped(io, e);
                failed++;
                continue;
            }
            batch.add(Draft.of(json, tags), reader.recordNumber(), reader.recordLine(), json.length());
            if (batch.size() >= MAX_BATCH || batch.bytes >= maxBatchBytes) {
                batch.append(pool, dur, skip, io);
                out.flush();
            }
        }
        batch.append(pool, dur, skip, io);
        out.flush();
        long ok = batch.appended;
        failed += batch.failed;
        if (skip && failed > 0) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("total", ok + failed);
            details.put("ok", ok);
            details.put("failed", failed);
            io.notice("ingest_summary", "feed", poolRef, "appended " + ok + " of " + (ok + failed)
                    + " records; skipped " + failed, details);
        }
        return 0;
    }

    private void skipped(Io io, RecordException e) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("index", e.record());
        details.put("line", e.line());
        details.put("error_kind", e.kind().label());
        details.put("error", e.getCause().getMessage());
        io.notice("ingest_skip", "feed", poolRef, "skipped " + e.getMessage(), details);
    }

    /** Messages parsed but not yet appended, with where each came from. */
    private final class Batch {
        final List<Draft> drafts = new ArrayList<>(MAX_BATCH);
        long[] records = new long[MAX_BATCH];
        long[] lines = new long[MAX_BATCH];
        long bytes;
        long appended;
        long failed;

        int size() {
            return drafts.size();
        }

        void add(Draft d, long record, long line, int length) {
            int i = drafts.size();
            if (i == records.length) {
                records = java.util.Arrays.copyOf(records, i * 2);
                lines = java.util.Arrays.copyOf(lines, i * 2);
            }
            drafts.add(d);
            records[i] = record;
            lines[i] = line;
            bytes += length;
        }

        /**
         * Appends the batch with one lock acquisition. The engine checks every message before writing any, so when
         * one is too large nothing was appended: then the messages go one by one to find and report it.
         */
        void append(Pool pool, Durability dur, boolean skip, Io io) {
            if (drafts.isEmpty()) {
                return;
            }
            try {
                for (AppendResult r : pool.appendBatch(drafts, dur)) {
                    receipt(r);
                    appended++;
                }
            } catch (PoolException e) {
                if (e.kind() != ErrorKind.USAGE) {
                    throw e;
                }
                for (int i = 0; i < drafts.size(); i++) {
                    try {
                        receipt(pool.append(drafts.get(i), dur));
                        appended++;
                    } catch (PoolException one) {
                        if (one.kind() != ErrorKind.USAGE) {
                            throw one;
                        }
                        RecordException bad = new RecordException(one, records[i], lines[i]);
                        if (!skip) {
                            clear();
                            out.flush();
                            throw bad;
                        }
                        skipped(io, bad);
                        failed++;
                    }
                }
            }
            clear();
        }

        private void clear() {
            drafts.clear();
            bytes = 0;
        }
    }

    private static JsonData parseRecord(byte[] bytes, long record, long line) {
        return parseRecord(bytes, 0, bytes.length, record, line);
    }

    private static JsonData parseRecord(byte[] bytes, int offset, int length, long record, long line) {
        try {
            return JsonData.parse(bytes, offset, length);
        } catch (PoolException e) {
            throw new RecordException(e, record, line);
        }
    }


    private static PoolException tooLarge(Pool pool, long length, int maxRecord) {
        if (maxRecord < pool.maxFrameLength()) {
            return new PoolException(ErrorKind.USAGE, "message too large: " + length + " bytes of input; this process"
                    + " buffers at most " + maxRecord + " bytes per record (a quarter of its heap)", pool.path(), null,
                    null, "give the JVM more heap, e.g. JAVA_OPTS=-Xmx1g", null);
        }
        return new PoolException(ErrorKind.USAGE, "message too large: " + length + " bytes of input; this pool holds"
                + " at most " + pool.maxFrameLength() + " bytes per message", pool.path(), null, null,
                "create a larger pool (--size, or --create-size with --create)", null);
    }

    /** Writes {@code {"seq":N,"time":"...","meta":{"tags":[...]}}} without building a tree: one per message. */
    private void receipt(AppendResult r) {
        if (r.timeNanos() != lastReceiptTime) {
            lastReceiptTime = r.timeNanos();
            lastReceiptTimeBytes = TimeFormat.format(r.timeNanos()).getBytes(StandardCharsets.US_ASCII);
        }
        out.write(RECEIPT_SEQ);
        out.write(Long.toString(r.seq()).getBytes(StandardCharsets.US_ASCII));
        out.write(RECEIPT_TIME);
        out.write(lastReceiptTimeBytes);
        out.write(RECEIPT_TAGS);
        out.write(tagsJson);
        out.write(RECEIPT_END);
    }

    private static final byte[] RECEIPT_SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIPT_TIME = ",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIPT_TAGS = "\",\"meta\":{\"tags\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIPT_END = "}}\n".getBytes(StandardCharsets.US_ASCII);

    private static boolean parseErrors(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "stop": return false;
            case "skip": return true;
            default: throw usage("errors=" + text + ": expected stop or skip");
        }
    }

    private static PoolException usage(String message) {
        return new PoolException(ErrorKind.USAGE, message);
    }
}
