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

    static void draw(BenchMain.Results r, Path file) throws IOException {
        Map<String, String> engine = new LinkedHashMap<>();
        engine.put("append rockpool trusted", "AppendBenchmark.rockpoolTrusted");
        engine.put("append rockpool parse", "AppendBenchmark.rockpoolParse");
        engine.put("append raw mmap", "AppendBenchmark.rawMmap");
        engine.put("append Chronicle", "AppendBenchmark.chronicle");
        engine.put("append FileChannel", "AppendBenchmark.fileChannel");
        engine.put("batch 100 rockpool", "WriterBenchmark.rockpoolBatch100");
        engine.put("2 writers rockpool", "WriterBenchmark.rockpoolTwoWriters");
        engine.put("2 writers Chronicle", "WriterBenchmark.chronicleTwoWriters");
        engine.put("read rockpool", "ReadBenchmark.rockpoolSequentialInPlace");
        engine.put("read rockpool, no CRC", "ReadBenchmark.rockpoolSequentialInPlaceNoCrc");
        engine.put("read Chronicle", "ReadBenchmark.chronicleSequentialInPlace");
        engine.put("read raw mmap", "ReadBenchmark.rawMmapSequentialInPlace");
        engine.put("get rockpool", "ReadBenchmark.rockpoolGetRandom");
        engine.put("get Chronicle", "ReadBenchmark.chronicleGetRandom");

        List<BufferedImage> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String label : engine.keySet()) {
            // A log axis cannot show a missing case: chart only cases measured at both sizes.
            if (r.score(engine.get(label) + "@128") > 0 && r.score(engine.get(label) + "@1024") > 0) {
                names.add(label);
            }
        }
        if (!names.isEmpty()) {
            CategoryChart chart = chart("Engine throughput (messages/s, log scale) — " + r.machine.get("cores")
                    + " cores, " + r.machine.get("jdk"));
            for (String size : List.of("128", "1024")) {
                List<Double> values = new ArrayList<>();
                for (String n : names) {
                    values.add(r.score(engine.get(n) + "@" + size));
                }
                chart.addSeries(size.equals("128") ? "128 B" : "1 KiB", names, values);
            }
            // Bars start at the axis minimum, which a log axis cannot put at 0: start one decade below the least.
            double least = names.stream().flatMap(n -> List.of("128", "1024").stream()
                    .map(size -> r.score(engine.get(n) + "@" + size))).mapToDouble(Double::doubleValue).min()
                    .orElse(1);
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisDecimalPattern("#,###");
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
            images.add(BitmapEncoder.getBufferedImage(chart));
        }
        if (!r.e2e.isEmpty()) {
            CategoryChart chart = chart("End to end, " + r.e2e.values().iterator().next().messages()
                    + " messages of " + EndToEnd.SIZE + " B (messages/s)");
            List<String> cases = new ArrayList<>(r.e2e.keySet());
            // rockpool's cases and the baselines as two colours; overlapped, so each bar stays over its label.
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
            images.add(BitmapEncoder.getBufferedImage(chart));
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
