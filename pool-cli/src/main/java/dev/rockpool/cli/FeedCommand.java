package dev.rockpool.cli;

import dev.rockpool.filter.Envelope;
import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.BadDraftPolicy;
import dev.rockpool.pool.BatchResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Durability;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code --errors skip} it is reported as an {@code ingest_skip} notice and the rest go in; exit
 * {@link Rockpool#EXIT_SKIPPED} when any was skipped.
 *
 * <p>A remote pool ({@code http(s)://host:port/POOL}) is fed the same way through {@link Remote}: the records are
 * checked here, the batches appended by the server.
 */
final class FeedCommand extends CliCommand {
    /** Most messages appended under one lock acquisition. */
    static final int MAX_BATCH = 4096;
    /** Most data bytes in one batch (also at most a quarter of the ring). */
    static final int MAX_BATCH_BYTES = 1 << 20;

    private final Rockpool root;
    private final PositionalParamSpec poolArg = Options.pool();
    private final PositionalParamSpec dataArg = PositionalParamSpec.builder().index("1").arity("0..1").paramLabel("DATA")
            .type(String.class).description("One JSON object to append. Without it, messages are read from -f FILE or "
                    + "stdin (DATA and -f exclude each other).").build();
    private final OptionSpec fileArg = OptionSpec.builder("-f", "--file").paramLabel("FILE").type(String.class)
            .description("Read messages from FILE ('-': stdin).").build();
    private final OptionSpec tagArg = Options.repeatable(String.class, "-t", "--tag").paramLabel("TAG")
            .converters(new Converters.Tag()).description("Tag every message (repeatable, not empty).").build();
    /** {@code --create [--create-size SIZE]}: the size only goes with creating. */
    private final OptionSpec createArg = OptionSpec.builder("--create").type(boolean.class).required(true)
            .description("Create the pool if it does not exist.").build();
    private final OptionSpec createSizeArg = OptionSpec.builder("--create-size").paramLabel("SIZE").type(Long.class)
            .converters(new Converters.PoolSize())
            .description("Size of a pool made by --create: 64K to 1T (default: 64M).").build();
    private final OptionSpec durabilityArg = OptionSpec.builder("--durability").paramLabel("fast|flush")
            .type(Durability.class).defaultValue("fast")
            .description("fast: readable once appended, survives a process crash; flush: msync before the receipt, "
                    + "survives an OS crash (default: ${DEFAULT-VALUE}).").build();
    private final OptionSpec errorsArg = OptionSpec.builder("--errors").paramLabel("stop|skip")
            .type(BadDraftPolicy.class).defaultValue("stop")
            .description("On a bad record: stop (exit 2, nothing from it on is appended) or skip it with a notice and "
                    + "go on (exit 10 when any was skipped) (default: ${DEFAULT-VALUE}).").build();
    private final Options.Remote remote = new Options.Remote();

    FeedCommand(Rockpool root) {
        super("feed", false, "Append one message (DATA), or a stream from stdin or -f FILE: JSON Lines, "
                + "concatenated JSON or json-seq (RS-separated), detected per record.",
                "Prints a receipt {\"seq\",\"time\",\"meta\"} per message.");
        this.root = root;
    }

    @Override
    Arguments declare() {
        return new Arguments().add(poolArg, dataArg, fileArg, tagArg)
                .add(ArgGroupSpec.builder().exclusive(false).addArg(createArg).addArg(createSizeArg).build())
                .add(durabilityArg, errorsArg).add(remote.arguments());
    }

    // What this run was asked to do, read from the arguments when it starts.
    private PoolRef target;
    private String data;
    private String file;
    private List<String> tags;
    private boolean create;
    private Long createSize;
    private Durability durability;
    private BadDraftPolicy errors;

    private Output out;
    private byte[] metaJson;
    private long lastReceiptTime = Long.MIN_VALUE;
    private byte[] lastReceiptTimeBytes;

    @Override
    public Integer call() throws IOException {
        Io io = root.io();
        target = poolArg.getValue();
        data = dataArg.getValue();
        file = fileArg.getValue();
        tags = Options.values(tagArg);
        create = Options.isSet(createArg);
        createSize = createSizeArg.getValue();
        durability = durabilityArg.getValue();
        errors = errorsArg.getValue();
        if (data != null && file != null) {
            throw Rockpool.usageError("rockpool feed", "DATA and -f FILE exclude each other");
        }
        if (data == null && file == null && io.stdinTerminal()) {
            throw new PoolException(ErrorKind.USAGE, "no input: give DATA, -f FILE, or pipe JSON into stdin",
                    null, null, null, "e.g. rockpool feed " + target + " '{\"msg\":\"hello\"}'", null);
        }
        remote.check(target.remote());
        out = Output.discardingWhenClosed(io.out());
        metaJson = Envelope.meta(tags, null);
        if (data != null) {
            return feedOne();
        }
        // The pool first: a corrupt pool is Corrupt whatever is wrong with the input.
        try (Target pool = openOrCreate(); InputStream in = openInput(io)) {
            return stream(io, pool, in);
        }
    }

    /**
     * Where the messages go: a local pool, or a remote one ({@link Remote}). A local pool refuses a message too large
     * for it within its batch (the others go in); a remote batch is all or nothing, so {@link #check} refuses such a
     * message before it joins a batch.
     */
    interface Target extends AutoCloseable {
        /** The most one message's frame may take. */
        long maxFrameLength();

        /** The pool's file, for errors; null for a remote pool. */
        Path path();

        /** The most data bytes to send in one batch. */
        long maxBatchBytes();

        /** Throws the Usage error an append of {@code draft} would meet before the batch is sent, if any. */
        void check(Draft draft);

        AppendResult append(Draft draft, Durability durability);

        /** Appends a batch; returns the receipts in order and adds each draft refused to {@code refused}. */
        List<AppendResult> appendBatch(List<Draft> drafts, Durability durability, BadDraftPolicy policy,
                                       List<BatchResult.Rejection> refused);

        @Override
        void close();
    }

    /** A pool file of this host. */
    private record LocalTarget(Pool pool) implements Target {
        @Override
        public long maxFrameLength() {
            return pool.maxFrameLength();
        }

        @Override
        public Path path() {
            return pool.path();
        }

        @Override
        public long maxBatchBytes() {
            return MAX_BATCH_BYTES;
        }

        @Override
        public void check(Draft draft) {
            // The engine checks each message within the batch.
        }

        @Override
        public AppendResult append(Draft draft, Durability durability) {
            return pool.append(draft, durability);
        }

        @Override
        public List<AppendResult> appendBatch(List<Draft> drafts, Durability durability, BadDraftPolicy policy,
                                              List<BatchResult.Rejection> refused) {
            BatchResult result = pool.appendBatch(drafts, durability, policy);
            refused.addAll(result.rejections());
            return result.receipts();
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /**
     * Appends DATA. The pool is opened first (a corrupt pool is Corrupt whatever DATA holds); one that
     * {@code --create} would make is made only once DATA parsed, so bad input changes nothing (a remote pool with
     * {@code --create}: opened or made once DATA parsed, one request fewer).
     */
    private int feedOne() {
        Target pool = create && (target.remote() || !Files.exists(root.directory().pathOf(target.text()))) ? null
                : open();
        try {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            JsonData json = parseRecord(bytes, 0, bytes.length, 1, 1);
            if (pool == null) {
                pool = openOrCreate();
            }
            AppendResult r;
            try {
                Draft draft = Draft.of(json, tags);
                pool.check(draft);
                r = pool.append(draft, durability);
            } catch (PoolException e) {
                throw e.kind() == ErrorKind.USAGE ? new RecordException(e, 1, 1) : e;
            }
            receipt(r);
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
        out.flush();
        return 0;
    }

    private Target open() {
        return target.remote() ? Remote.feedTarget(target, remote, 0) : new LocalTarget(root.open(target));
    }

    private Target openOrCreate() {
        if (!create) {
            return open();
        }
        long size = createSize == null ? PoolOptions.DEFAULT_SIZE : createSize;
        return target.remote() ? Remote.feedTarget(target, remote, size)
                : new LocalTarget(root.directory().openOrCreate(target.text(), PoolOptions.ofSize(size)));
    }

    private InputStream openInput(Io io) {
        if (file == null || file.equals("-")) {
            return io.in();
        }
        Path path = Paths.get(PoolDirectory.expandHome(file));
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new PoolException(ErrorKind.NOT_FOUND, "input file not found: " + file, path);
        } catch (AccessDeniedException e) {
            throw new PoolException(ErrorKind.PERMISSION, "cannot read input file: " + file, path);
        } catch (IOException e) {
            throw new PoolException(ErrorKind.IO, "cannot open input file " + file + ": " + e, path);
        }
    }

    private int stream(Io io, Target pool, InputStream in) throws IOException {
        long maxFrame = pool.maxFrameLength();
        // The reader buffers one record at most; past the pool's limit (or a quarter of the heap) it only counts.
        int maxRecord = (int) Math.min(Math.min(maxFrame, Integer.MAX_VALUE - 16),
                Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 4));
        long maxBatchBytes = Math.max(1, Math.min(pool.maxBatchBytes(), maxFrame / 4));
        Batch batch = new Batch(pool, io);
        RecordReader reader = new RecordReader(in, maxRecord, batch::flush);
        while (reader.next()) {
            JsonData json;
            Draft draft;
            try {
                if (reader.oversized()) {
                    throw new RecordException(tooLarge(pool, reader.oversizedLength(), maxRecord),
                            reader.recordNumber(), reader.recordLine());
                }
                json = parseRecord(reader.array(), reader.start(), reader.length(), reader.recordNumber(),
                        reader.recordLine());
                draft = Draft.of(json, tags);
                pool.check(draft);
            } catch (PoolException e) {
                batch.flush();
                batch.refused(e instanceof RecordException ? (RecordException) e
                        : new RecordException(e, reader.recordNumber(), reader.recordLine()));
                continue;
            }
            batch.add(draft, reader.recordNumber(), reader.recordLine(), json.length());
            if (batch.size() >= MAX_BATCH || batch.bytes >= maxBatchBytes) {
                batch.flush();
            }
        }
        batch.flush();
        return batch.summary();
    }

    /** Messages parsed but not yet appended, with where each came from, and what the feed did so far. */
    private final class Batch {
        private final Target pool;
        private final Io io;
        private final List<Draft> drafts = new ArrayList<>(MAX_BATCH);
        private final List<BatchResult.Rejection> rejections = new ArrayList<>();
        private long[] records = new long[MAX_BATCH];
        private long[] lines = new long[MAX_BATCH];
        long bytes;
        private long appended;
        private long skipped;

        Batch(Target pool, Io io) {
            this.pool = pool;
            this.io = io;
        }

        int size() {
            return drafts.size();
        }

        void add(Draft d, long record, long line, int length) {
            int i = drafts.size();
            if (i == records.length) {
                records = Arrays.copyOf(records, i * 2);
                lines = Arrays.copyOf(lines, i * 2);
            }
            drafts.add(d);
            records[i] = record;
            lines[i] = line;
            bytes += length;
        }

        /**
         * Appends the batch under one lock acquisition and one publish, prints the receipts, and hands each draft the
         * pool refused to {@link #refused}: with {@code --errors stop} the engine appended nothing after the first.
         */
        void flush() {
            if (!drafts.isEmpty()) {
                rejections.clear();
                for (AppendResult r : pool.appendBatch(drafts, durability, errors, rejections)) {
                    receipt(r);
                    appended++;
                }
                drafts.clear();
                bytes = 0;
                for (BatchResult.Rejection r : rejections) {
                    refused(new RecordException(r.error(), records[r.index()], lines[r.index()]));
                }
            }
            out.flush();
        }

        /** A bad record: the end of the feed with {@code --errors stop}, else an {@code ingest_skip} notice. */
        void refused(RecordException e) {
            if (errors == BadDraftPolicy.STOP) {
                out.flush();
                throw e;
            }
            skipped++;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("index", e.record());
            details.put("line", e.line());
            details.put("error_kind", e.kind().label());
            details.put("error", e.getCause().getMessage());
            io.notice("ingest_skip", "feed", target.text(), "skipped " + e.getMessage(), details);
        }

        /** The {@code ingest_summary} notice when records were skipped, and the exit code. */
        int summary() {
            if (skipped == 0) {
                return 0;
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("total", appended + skipped);
            details.put("ok", appended);
            details.put("failed", skipped);
            io.notice("ingest_summary", "feed", target.text(), "appended " + appended + " of "
                    + (appended + skipped) + " records; skipped " + skipped, details);
            return Rockpool.EXIT_SKIPPED;
        }
    }

    private static JsonData parseRecord(byte[] bytes, int offset, int length, long record, long line) {
        try {
            return JsonData.parse(bytes, offset, length);
        } catch (PoolException e) {
            throw new RecordException(e, record, line);
        }
    }

    /** A record the reader did not even keep: longer than the pool holds, or than this process buffers. */
    private static PoolException tooLarge(Target pool, long length, int maxRecord) {
        if (maxRecord < pool.maxFrameLength()) {
            return new PoolException(ErrorKind.USAGE, "message too large: " + length + " bytes of input; this process"
                    + " buffers at most " + maxRecord + " bytes per record (a quarter of its heap)", pool.path(), null,
                    null, "give the JVM more heap, e.g. JAVA_OPTS=-Xmx1g", null);
        }
        return new PoolException(ErrorKind.USAGE, "message too large: " + length + " bytes of input; this pool holds"
                + " at most " + pool.maxFrameLength() + " bytes per message", pool.path(), null, null,
                Hints.LARGER_POOL, null);
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
        out.write(RECEIPT_META);
        out.write(metaJson);
        out.write(RECEIPT_END);
    }

    private static final byte[] RECEIPT_SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIPT_TIME = ",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIPT_META = "\",\"meta\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RECEIPT_END = "}\n".getBytes(StandardCharsets.US_ASCII);
}
