package dev.rockpool.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The figures and ratios of one run, as a console table, Markdown and JSON. */
final class Report {
    /** A measured figure: a throughput in messages per second, or a latency in nanoseconds. */
    record Figure(String group, String name, double value, String unit) {
    }

    /**
     * A ratio of two figures. {@code target} is the minimum we aim at (or, for latencies, the maximum: {@code
     * atMost}); NaN when the ratio is reported for information only.
     */
    record Ratio(String name, double value, double target, boolean atMost, String meaning) {
        String verdict() {
            if (Double.isNaN(target)) {
                return "";
            }
            if (Double.isNaN(value)) {
                return "not run";
            }
            return (atMost ? value <= target : value >= target) ? "met" : "MISSED";
        }
    }

    private final BenchMain.Results results;
    final List<Figure> figures = new ArrayList<>();
    final List<Ratio> ratios = new ArrayList<>();

    Report(BenchMain.Results r) {
        this.results = r;
        engineFigures();
        jqFigures();
        otherFigures(r);
        wanFigures(r);
        wanLiveFigures(r);
        engineRatios();
        jqRatios();
        otherRatios(r);
        wanRatios(r);
    }

    /** The JMH scores, by message size. */
    private void engineFigures() {
        for (String size : List.of("128", "1024")) {
            String g = "append " + label(size) + ", 1 writer, fast";
            fig(g, "rockpool (JsonData.trusted)", "AppendBenchmark.rockpoolTrusted@" + size);
            fig(g, "rockpool (JsonData.parse)", "AppendBenchmark.rockpoolParse@" + size);
            fig(g, "(a) raw MappedByteBuffer, the floor", "AppendBenchmark.rawMmap@" + size);
            fig(g, "(b) Chronicle Queue", "AppendBenchmark.chronicle@" + size);
            fig(g, "(c) FileChannel append", "AppendBenchmark.fileChannel@" + size);
            g = "writers " + label(size);
            fig(g, "rockpool appendBatch, 100 per batch", "WriterBenchmark.rockpoolBatch100@" + size);
            fig(g, "rockpool, 2 threads contending", "WriterBenchmark.rockpoolTwoWriters@" + size);
            fig(g, "Chronicle Queue, 2 threads contending", "WriterBenchmark.chronicleTwoWriters@" + size);
            g = "read " + label(size) + ", full 64 MiB pool";
            fig(g, "rockpool cursor, in place (nextView)", "ReadBenchmark.rockpoolSequentialInPlace@" + size);
            fig(g, "rockpool cursor, in place, no CRC check", "ReadBenchmark.rockpoolSequentialInPlaceNoCrc@"
                    + size);
            fig(g, "Chronicle tailer, in place", "ReadBenchmark.chronicleSequentialInPlace@" + size);
            fig(g, "raw mmap, in place (floor)", "ReadBenchmark.rawMmapSequentialInPlace@" + size);
            fig(g, "rockpool cursor, copying (next)", "ReadBenchmark.rockpoolSequential@" + size);
            fig(g, "Chronicle tailer, copying", "ReadBenchmark.chronicleSequential@" + size);
            fig(g, "raw mmap, copying (floor)", "ReadBenchmark.rawMmapSequential@" + size);
            fig(g, "rockpool get(random seq)", "ReadBenchmark.rockpoolGetRandom@" + size);
            fig(g, "Chronicle moveToIndex(random)", "ReadBenchmark.chronicleGetRandom@" + size);
        }
    }

    /** The jq plugins beside hand-written Java floors. */
    private void jqFigures() {
        String jq = "jq plugins, 128 B JSON values, 1 core";
        fig(jq, "JqMatches$Value .level == \"error\", byte[]", "JqTransformsBenchmark.jqMatchesBytes@128");
        fig(jq, "  Java floor: streaming parse to level", "JqTransformsBenchmark.javaMatchesBytes@128");
        fig(jq, "JqMatches$Value, schemaless Map", "JqTransformsBenchmark.jqMatchesMap@128");
        fig(jq, "  Java floor: map.get(\"level\")", "JqTransformsBenchmark.javaMatchesMap@128");
        fig(jq, "JqTransform$Value {level, msg}, byte[]", "JqTransformsBenchmark.jqTransformBytes@128");
        fig(jq, "  Java floor: tree, 2-field object, bytes", "JqTransformsBenchmark.javaTransformBytes@128");
        fig(jq, "JqTransform$Value {level, msg}, schemaless Map", "JqTransformsBenchmark.jqTransformMap@128");
        fig(jq, "  Java floor: a 2-entry map", "JqTransformsBenchmark.javaTransformMap@128");
    }

    /** Follow latencies and end-to-end rates. */
    private void otherFigures(BenchMain.Results r) {
        for (FollowLatency.Result f : r.follow.values()) {
            String g = "follow latency, " + (f.strategy().equals("spin") ? "busy-spin" : "default backoff")
                    + " (" + f.samples() + " samples)";
            figures.add(new Figure(g, "p50", f.p50(), "ns"));
            figures.add(new Figure(g, "p99", f.p99(), "ns"));
            figures.add(new Figure(g, "p99.9", f.p999(), "ns"));
            figures.add(new Figure(g, "max", f.max(), "ns"));
        }
        for (EndToEnd.Figure f : r.e2e.values()) {
            String g = f.name().startsWith("source") ? "source: pool/file → topic"
                    : f.name().startsWith("sink") ? "sink: topic → pool/file" : "CLI ingest";
            figures.add(new Figure(g, f.name() + " (" + f.messages() + " msgs, wall "
                    + String.format(Locale.ROOT, "%.1f s", f.wallSeconds()) + ")", f.rate(), "msg/s"));
        }
    }

    /** A WAN uplink's speed, to show what the bytes per message mean: 10 Mbit/s, in bytes per second. */
    static final double UPLINK_BYTES_PER_SECOND = 10e6 / 8;

    /** Per codec: the source's rate, bytes per message on the wire and in the topic, what a 10 Mbit/s link carries. */
    private void wanFigures(BenchMain.Results r) {
        for (WanCompression.Result w : r.wan.values()) {
            String g = "WAN edge: journald-like JSON (" + w.messages() + " msgs, "
                    + String.format(Locale.ROOT, "%.0f", w.jsonBytes()) + " B each on average), compression.type="
                    + w.codec();
            figures.add(new Figure(g, "source rockpool, recommended (wall "
                    + String.format(Locale.ROOT, "%.1f s", w.wallSeconds()) + ")", w.rate(), "msg/s"));
            figures.add(new Figure(g, "bytes on the wire per message (producer outgoing-byte-total)", w.wireBytes(),
                    "B"));
            figures.add(new Figure(g, "bytes in the topic per message (log size)", w.topicBytes(), "B"));
            figures.add(new Figure(g, "messages a 10 Mbit/s uplink carries", UPLINK_BYTES_PER_SECOND / w.wireBytes(),
                    "msg/s"));
        }
    }

    /** Live traffic: bytes per message on the wire per codec and linger.ms. */
    private void wanLiveFigures(BenchMain.Results r) {
        for (WanCompression.Live w : r.wanLive) {
            String g = "WAN edge, live: " + w.messages() + " journald-like entries at " + w.rate() + "/s, caught up";
            figures.add(new Figure(g, "compression.type=" + w.codec() + ", linger.ms=" + w.lingerMs() + ": bytes "
                    + "on the wire per message (" + String.format(Locale.ROOT, "%.1f", w.recordsPerBatch())
                    + " records per batch)", w.wireBytes(), "B"));
        }
    }

    /** Each codec against none: bytes saved on the wire, and what compressing costs the task's rate. */
    private void wanRatios(BenchMain.Results r) {
        WanCompression.Result none = r.wan.get("none");
        for (WanCompression.Result w : r.wan.values()) {
            if (none == null || w == none) {
                continue;
            }
            ratios.add(new Ratio("WAN: wire bytes none / " + w.codec(), none.wireBytes() / w.wireBytes(), Double.NaN,
                    false, "how many times fewer bytes cross the link"));
            ratios.add(new Ratio("WAN: source rate " + w.codec() + " / none", w.rate() / none.rate(), Double.NaN,
                    false, "compressing on the task's thread, broker in the same JVM"));
        }
    }

    /** The engine against Chronicle Queue, the raw mapping and a plain file. */
    private void engineRatios() {
        ratio("append 128 B: rockpool / Chronicle", "AppendBenchmark.rockpoolTrusted@128",
                "AppendBenchmark.chronicle@128", 2.0, "trusted bytes; target ≥ 2");
        ratio("append 128 B: rockpool / raw mmap", "AppendBenchmark.rockpoolTrusted@128",
                "AppendBenchmark.rawMmap@128", 0.3, "trusted bytes; target ≥ 0.3");
        ratio("append 128 B: rockpool parse / Chronicle", "AppendBenchmark.rockpoolParse@128",
                "AppendBenchmark.chronicle@128", Double.NaN, "with Jackson validation");
        ratio("append 128 B: parse / trusted", "AppendBenchmark.rockpoolParse@128",
                "AppendBenchmark.rockpoolTrusted@128", Double.NaN, "what validation costs");
        ratio("append 128 B: rockpool / FileChannel", "AppendBenchmark.rockpoolTrusted@128",
                "AppendBenchmark.fileChannel@128", Double.NaN, "");
        ratio("append 1 KiB: rockpool / Chronicle", "AppendBenchmark.rockpoolTrusted@1024",
                "AppendBenchmark.chronicle@1024", Double.NaN, "");
        ratio("append 1 KiB: rockpool / raw mmap", "AppendBenchmark.rockpoolTrusted@1024",
                "AppendBenchmark.rawMmap@1024", Double.NaN, "");
        ratio("batch of 100 / single append, 128 B", "WriterBenchmark.rockpoolBatch100@128",
                "AppendBenchmark.rockpoolTrusted@128", Double.NaN, "what one lock per batch buys");
        ratio("2 writers 128 B: rockpool / Chronicle", "WriterBenchmark.rockpoolTwoWriters@128",
                "WriterBenchmark.chronicleTwoWriters@128", Double.NaN, "");
        ratio("sequential read 128 B: rockpool / Chronicle", "ReadBenchmark.rockpoolSequentialInPlace@128",
                "ReadBenchmark.chronicleSequentialInPlace@128", 1.5, "in place, CRC checked; target ≥ 1.5");
        ratio("sequential read 1 KiB: rockpool / Chronicle", "ReadBenchmark.rockpoolSequentialInPlace@1024",
                "ReadBenchmark.chronicleSequentialInPlace@1024", 1.5, "in place, CRC checked; target ≥ 1.5");
        ratio("sequential read 128 B, no CRC check: rockpool / Chronicle",
                "ReadBenchmark.rockpoolSequentialInPlaceNoCrc@128", "ReadBenchmark.chronicleSequentialInPlace@128",
                Double.NaN, "verifyChecksums(false), as Chronicle checks none");
        ratio("sequential read 1 KiB, no CRC check: rockpool / Chronicle",
                "ReadBenchmark.rockpoolSequentialInPlaceNoCrc@1024",
                "ReadBenchmark.chronicleSequentialInPlace@1024", Double.NaN, "");
        ratio("sequential read 128 B copying: rockpool / Chronicle", "ReadBenchmark.rockpoolSequential@128",
                "ReadBenchmark.chronicleSequential@128", Double.NaN, "next() vs a copying tailer");
        ratio("sequential read 128 B: rockpool / raw mmap", "ReadBenchmark.rockpoolSequentialInPlace@128",
                "ReadBenchmark.rawMmapSequentialInPlace@128", Double.NaN, "in place");
        ratio("random get 128 B: rockpool / Chronicle", "ReadBenchmark.rockpoolGetRandom@128",
                "ReadBenchmark.chronicleGetRandom@128", Double.NaN, "");
    }

    /** The jq plugins against their targets and floors. */
    private void jqRatios() {
        absolute("JqMatches byte[] (M records/s)", "JqTransformsBenchmark.jqMatchesBytes@128", 1.0, "target ≥ 1");
        ratio("JqMatches byte[] / Java floor", "JqTransformsBenchmark.jqMatchesBytes@128",
                "JqTransformsBenchmark.javaMatchesBytes@128", Double.NaN, "parse the whole value + jq");
        absolute("JqMatches Map (M records/s)", "JqTransformsBenchmark.jqMatchesMap@128", 1.0, "target ≥ 1");
        ratio("JqMatches Map / Java floor", "JqTransformsBenchmark.jqMatchesMap@128",
                "JqTransformsBenchmark.javaMatchesMap@128", Double.NaN, "map → JSON tree + jq vs one get");
        absolute("JqTransform byte[] (M records/s)", "JqTransformsBenchmark.jqTransformBytes@128", 0.5,
                "target ≥ 0.5");
        ratio("JqTransform byte[] / Java floor", "JqTransformsBenchmark.jqTransformBytes@128",
                "JqTransformsBenchmark.javaTransformBytes@128", Double.NaN, "");
        absolute("JqTransform Map (M records/s)", "JqTransformsBenchmark.jqTransformMap@128", 0.5, "target ≥ 0.5");
        ratio("JqTransform Map / Java floor", "JqTransformsBenchmark.jqTransformMap@128",
                "JqTransformsBenchmark.javaTransformMap@128", Double.NaN, "");
    }

    /** Follow latency against its targets, the connectors and the CLI against their ceilings. */
    private void otherRatios(BenchMain.Results r) {
        FollowLatency.Result spin = r.follow.get("spin");
        FollowLatency.Result backoff = r.follow.get("backoff");
        ratios.add(new Ratio("follow p99, busy-spin (µs)", spin == null ? Double.NaN : spin.p99() / 1e3, 50, true,
                "target ≤ 50 µs"));
        ratios.add(new Ratio("follow p99, default backoff (µs)", backoff == null ? Double.NaN
                : backoff.p99() / 1e3, 2000, true, "target ≤ 2 ms"));
        e2eRatio("source / raw producer", "source rockpool", "source raw producer", 0.9, "target ≥ 0.9");
        e2eRatio("source / FileStream", "source rockpool", "source FileStream", 3.0, "target ≥ 3");
        e2eRatio("source, no headers / raw producer", "source rockpool, no headers", "source raw producer",
                Double.NaN, "headers= (none)");
        e2eRatio("source, no headers / default headers", "source rockpool, no headers", "source rockpool",
                Double.NaN, "what the 4 headers cost");
        e2eRatio("source, 256 KiB batches / default", "source rockpool, 256 KiB batches", "source rockpool",
                Double.NaN, "what larger producer batches buy");
        e2eRatio("source, recommended / raw producer", "source rockpool, recommended", "source raw producer",
                Double.NaN, "config-examples' settings vs the stock producer");
        e2eRatio("source, recommended / raw producer, 256 KiB batches", "source rockpool, recommended",
                "source raw producer, 256 KiB batches", Double.NaN, "both with 256 KiB batches");
        e2eRatio("source, recommended / FileStream", "source rockpool, recommended", "source FileStream",
                Double.NaN, "config-examples' settings vs the stock file source");
        e2eRatio("FileStream + Filter/JqMatches / FileStream", "source FileStream, Filter + JqMatches",
                "source FileStream", 0.8, "target ≥ 0.8");
        e2eRatio("sink / raw consumer", "sink rockpool", "sink raw consumer", 0.8, "target ≥ 0.8");
        e2eRatio("sink, 5000 per poll / raw consumer", "sink rockpool, 5000 per poll", "sink raw consumer",
                Double.NaN, "consumer.override.max.poll.records=5000");
        e2eRatio("sink / FileStream", "sink rockpool", "sink FileStream", Double.NaN, "");
        e2eRatio("CLI feed / engine parse+append", "cli feed -f", "engine parse+append", Double.NaN,
                "process, file reading and receipts");
    }

    private static String label(String size) {
        return size.equals("128") ? "128 B" : "1 KiB";
    }

    private void fig(String group, String name, String key) {
        double v = results.score(key);
        if (!Double.isNaN(v)) {
            figures.add(new Figure(group, name, v, "msg/s"));
        }
    }

    private void ratio(String name, String numerator, String denominator, double target, String meaning) {
        ratios.add(new Ratio(name, results.score(numerator) / results.score(denominator), target, false, meaning));
    }

    /** A JMH score in millions per second against an absolute target. */
    private void absolute(String name, String key, double targetMillions, String meaning) {
        ratios.add(new Ratio(name, results.score(key) / 1e6, targetMillions, false, meaning));
    }

    private void e2eRatio(String name, String numerator, String denominator, double target, String meaning) {
        ratios.add(new Ratio(name, results.rate(numerator) / results.rate(denominator), target, false, meaning));
    }

    static String format(double v, String unit) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (unit.equals("B")) {
            return String.format(Locale.ROOT, "%.0f B", v);
        }
        if (unit.equals("ns")) {
            return v >= 1e6 ? String.format(Locale.ROOT, "%.2f ms", v / 1e6)
                    : String.format(Locale.ROOT, "%.1f µs", v / 1e3);
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M %s", v / 1e6, unit);
        }
        return String.format(Locale.ROOT, v >= 1e4 ? "%.0f k %s" : "%.2f k %s", v / 1e3, unit);
    }

    void printTable(PrintStream out) {
        out.println();
        out.println("rockpool benchmarks — " + results.machine);
        String group = null;
        for (Figure f : figures) {
            if (!f.group().equals(group)) {
                group = f.group();
                out.println();
                out.println(group);
            }
            out.printf(Locale.ROOT, "  %-52s %18s%n", f.name(), format(f.value(), f.unit()));
        }
        out.println();
        out.println("ratios");
        for (Ratio r : ratios) {
            out.printf(Locale.ROOT, "  %-46s %8s  %-7s %s%n", r.name(), Double.isNaN(r.value()) ? "—"
                    : String.format(Locale.ROOT, "%.2f", r.value()), r.verdict(), r.meaning());
        }
        out.println();
    }

    void printMarkdown(PrintStream out) {
        out.println("| case | figure |");
        out.println("|---|---:|");
        String group = null;
        for (Figure f : figures) {
            if (!f.group().equals(group)) {
                group = f.group();
                out.println("| **" + group + "** | |");
            }
            out.println("| " + f.name() + " | " + format(f.value(), f.unit()) + " |");
        }
        out.println();
        out.println("| ratio | value | target | verdict |");
        out.println("|---|---:|---|---|");
        for (Ratio r : ratios) {
            out.println("| " + r.name() + " | " + (Double.isNaN(r.value()) ? "—"
                    : String.format(Locale.ROOT, "%.2f", r.value())) + " | " + r.meaning() + " | " + r.verdict()
                    + " |");
        }
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.set("machine", results.machineJson(mapper));
        ArrayNode figs = root.putArray("figures");
        for (Figure f : figures) {
            figs.addObject().put("group", f.group()).put("case", f.name()).put("value", f.value())
                    .put("unit", f.unit());
        }
        ArrayNode rs = root.putArray("ratios");
        for (Ratio r : ratios) {
            ObjectNode n = rs.addObject().put("ratio", r.name()).put("value", r.value());
            if (!Double.isNaN(r.target())) {
                n.put("target", r.target()).put(r.atMost() ? "atMost" : "atLeast", true).put("verdict", r.verdict());
            }
        }
        root.set("jmh", results.jmhJson(mapper));
        return root;
    }
}
