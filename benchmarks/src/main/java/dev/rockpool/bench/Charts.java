package dev.rockpool.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

/** Draws throughput by case (engine cases by message size; end-to-end cases) into one PNG with XChart. */
final class Charts {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 560;

    private Charts() {
    }

    /** The engine's cases by chart label: JMH benchmark names, measured at 128 B and 1 KiB. */
    private static final Map<String, String> ENGINE = new LinkedHashMap<>();

    static {
        ENGINE.put("append rockpool trusted", "AppendBenchmark.rockpoolTrusted");
        ENGINE.put("append rockpool parse", "AppendBenchmark.rockpoolParse");
        ENGINE.put("append raw mmap", "AppendBenchmark.rawMmap");
        ENGINE.put("append Chronicle", "AppendBenchmark.chronicle");
        ENGINE.put("append FileChannel", "AppendBenchmark.fileChannel");
        ENGINE.put("batch 100 rockpool", "WriterBenchmark.rockpoolBatch100");
        ENGINE.put("2 writers rockpool", "WriterBenchmark.rockpoolTwoWriters");
        ENGINE.put("2 writers Chronicle", "WriterBenchmark.chronicleTwoWriters");
        ENGINE.put("read rockpool", "ReadBenchmark.rockpoolSequentialInPlace");
        ENGINE.put("read rockpool, no CRC", "ReadBenchmark.rockpoolSequentialInPlaceNoCrc");
        ENGINE.put("read Chronicle", "ReadBenchmark.chronicleSequentialInPlace");
        ENGINE.put("read raw mmap", "ReadBenchmark.rawMmapSequentialInPlace");
        ENGINE.put("get rockpool", "ReadBenchmark.rockpoolGetRandom");
        ENGINE.put("get Chronicle", "ReadBenchmark.chronicleGetRandom");
    }

    /** Draws the engine chart above the end-to-end chart, each where there are results for it. */
    static void draw(BenchMain.Results r, Path file) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        BufferedImage engine = engineChart(r);
        if (engine != null) {
            images.add(engine);
        }
        if (!r.e2e.isEmpty()) {
            images.add(endToEndChart(r));
        }
        int height = images.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage out = new BufferedImage(WIDTH, Math.max(height, 1), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, out.getHeight());
        int y = 0;
        for (BufferedImage image : images) {
            g.drawImage(image, 0, y, null);
            y += image.getHeight();
        }
        g.dispose();
        ImageIO.write(out, "png", file.toFile());
    }

    /** The engine's throughput on a log axis; null when no case was measured at both sizes. */
    private static BufferedImage engineChart(BenchMain.Results r) {
        List<String> names = new ArrayList<>();
        for (String label : ENGINE.keySet()) {
            // A log axis cannot show a missing case: chart only cases measured at both sizes.
            if (r.score(ENGINE.get(label) + "@128") > 0 && r.score(ENGINE.get(label) + "@1024") > 0) {
                names.add(label);
            }
        }
        if (names.isEmpty()) {
            return null;
        }
        CategoryChart chart = chart("Engine throughput (messages/s, log scale) — " + r.machine.get("cores")
                + " cores, " + r.machine.get("jdk"));
        for (String size : List.of("128", "1024")) {
            List<Double> values = new ArrayList<>();
            for (String n : names) {
                values.add(r.score(ENGINE.get(n) + "@" + size));
            }
            chart.addSeries(size.equals("128") ? "128 B" : "1 KiB", names, values);
        }
        // Bars start at the axis minimum, which a log axis cannot put at 0: start one decade below the least.
        double least = names.stream().flatMap(n -> List.of("128", "1024").stream()
                .map(size -> r.score(ENGINE.get(n) + "@" + size))).mapToDouble(Double::doubleValue).min()
                .orElse(1);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The end-to-end rates: rockpool's cases and the baselines in two colours. */
    private static BufferedImage endToEndChart(BenchMain.Results r) {
        CategoryChart chart = chart("End to end, " + r.e2e.values().iterator().next().messages()
                + " messages of " + EndToEnd.SIZE + " B (messages/s)");
        List<String> cases = new ArrayList<>(r.e2e.keySet());
        // Overlapped, so each bar stays over its label.
        List<Double> ours = new ArrayList<>();
        List<Double> baselines = new ArrayList<>();
        for (String c : cases) {
            boolean rockpool = c.contains("rockpool") || c.startsWith("cli");
            ours.add(rockpool ? r.e2e.get(c).rate() : 0.0);
            baselines.add(rockpool ? 0.0 : r.e2e.get(c).rate());
        }
        chart.addSeries("rockpool", cases, ours);
        chart.addSeries("baseline (FileStream, plain clients, engine in-process)", cases, baselines);
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static CategoryChart chart(String title) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setOverlapped(false);
        return chart;
    }
}
