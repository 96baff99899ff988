package dev.rockpool.bench.server;

import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Pool;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Java side of {@code benchmarks/push-bench.sh} (docs/BENCHMARKS.md, "Push"), each in a process of its own:
 * <ul>
 * <li>{@code write DIR POOL RATE SECONDS}: appends RATE messages a second of ~200 bytes for SECONDS through the engine
 * (as the CLI or the sink connector would), each carrying its append time in microseconds ({@code "t"}), then one
 * end marker; prints {@code written N}.
 * <li>{@code sse URL POOL N} and {@code ws URL POOL N}: N subscribers of the pool from now on, over SSE or WebSocket,
 * opened in waves of 500; prints {@code ready SECONDS} once all are open, reads until every one has the end marker,
 * then prints one line of results: deliveries, their rate, the fewest one subscriber got, messages lost (gaps in a
 * subscriber's seqs) and the append-to-delivery latency (its maximum, for one message, is the time until the last
 * subscriber had it).
 * </ul>
 */
public final class PushBench {
    private static final String PAD = "x".repeat(150);

    private PushBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write": write(Path.of(args[1]), args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
                break;
            case "sse":
            case "ws": fanOut(args[0], args[1], args[2], Integer.parseInt(args[3])); break;
            default: throw new IllegalArgumentException("usage: write DIR POOL RATE SECONDS | sse|ws URL POOL N");
        }
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static void write(Path dir, String pool, int rate, int seconds) {
        long total = (long) rate * seconds;
        long intervalNanos = 1_000_000_000L / rate;
        try (Pool p = Pool.open(dir.resolve(pool + ".pool"))) {
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                long due = start + i * intervalNanos;
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                p.append(Draft.of("{\"t\":" + nowMicros() + ",\"i\":" + i + ",\"pad\":\"" + PAD + "\"}", "bench"));
            }
            p.append(Draft.of("{\"end\":true}", "bench"));
        }
        System.out.println("written " + total);
    }

    /** One subscriber's view: seqs in order, the latency of each, the end marker. */
    static final class Tally {
        final Histogram latency = new Histogram(60_000_000L, 3);
        long count;
        long lastSeq = -1;
        long lost;
        long firstMicros;
        long lastMicros;
        final CountDownLatch done = new CountDownLatch(1);

        /** A message's JSON (an envelope, or a frame holding one). */
        void message(byte[] json, int from, int to) {
            long seq = numberAfter(json, from, to, SEQ);
            if (indexOf(json, from, to, END) >= 0) {
                done.countDown();
                return;
            }
            long now = nowMicros();
            latency.recordValue(Math.max(0, now - numberAfter(json, from, to, T)));
            if (lastSeq >= 0 && seq != lastSeq + 1) {
                lost += seq - lastSeq - 1;
            }
            lastSeq = seq;
            if (count++ == 0) {
                firstMicros = now;
            }
            lastMicros = now;
        }
    }

    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] T = "{\"t\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "{\"end\":true}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA_LINE = "data: ".getBytes(StandardCharsets.US_ASCII);

    static int indexOf(byte[] a, int from, int to, byte[] what) {
        outer:
        for (int i = from; i <= to - what.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (a[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static long numberAfter(byte[] a, int from, int to, byte[] field) {
        int i = indexOf(a, from, to, field) + field.length;
        long n = 0;
        while (i < to && a[i] >= '0' && a[i] <= '9') {
            n = n * 10 + (a[i++] - '0');
        }
        return n;
    }

    /** An SSE subscriber on Jetty's HTTP client: splits the body into lines and tallies each data line. */
    static final class SseSubscriber implements Response.Listener {
        final Tally tally = new Tally();
        final CountDownLatch open;
        private byte[] line = new byte[1024];
        private int length;
        private byte[] chunk = new byte[16384];

        SseSubscriber(CountDownLatch open) {
            this.open = open;
        }

        @Override
        public void onHeaders(Response response) {
            if (response.getStatus() == 200) {
                open.countDown();
            } else {
                System.err.println("push-bench: subscriber refused: " + response.getStatus());
            }
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            while (content.hasRemaining()) {
                int n = Math.min(chunk.length, content.remaining());
                content.get(chunk, 0, n);
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        if (length > DATA_LINE.length && indexOf(line, 0, DATA_LINE.length, DATA_LINE) == 0) {
                            tally.message(line, DATA_LINE.length, length);
                        }
                        length = 0;
                    } else {
                        if (length == line.length) {
                            line = Arrays.copyOf(line, length * 2);
                        }
                        line[length++] = b;
                    }
                }
            }
        }

        @Override
        public void onComplete(Result result) {
            if (result.isFailed() && tally.done.getCount() > 0) {
                System.err.println("push-bench: a stream ended: " + result.getFailure());
            }
            tally.done.countDown();
        }
    }

    /** A WebSocket subscriber: each text frame is {@code {"message":ENVELOPE}}. */
    public static final class SocketSubscriber implements Session.Listener.AutoDemanding {
        final Tally tally = new Tally();

        @Override
        public void onWebSocketText(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            tally.message(bytes, 0, bytes.length);
        }

        @Override
        public void onWebSocketClose(int status, String reason) {
            if (tally.done.getCount() > 0) {
                System.err.println("push-bench: a socket closed: " + status + " " + reason);
            }
            tally.done.countDown();
        }
    }

    static HttpClient httpClient(int connections) throws Exception {
        HttpClient http = new HttpClient();
        http.setMaxConnectionsPerDestination(connections + 16);
        http.setMaxRequestsQueuedPerDestination(connections + 16);
        http.setIdleTimeout(0);
        http.setConnectTimeout(60_000);
        http.start();
        return http;
    }

    private static void fanOut(String kind, String url, String pool, int n) throws Exception {
        List<Tally> tallies = new ArrayList<>();
        HttpClient http = httpClient(n);
        WebSocketClient ws = new WebSocketClient(http);
        ws.start();
        long start = System.nanoTime();
        for (int i = 0; i < n; i += WAVE) {
            CountDownLatch open = new CountDownLatch(Math.min(WAVE, n - i));
            for (int k = i; k < i + open.getCount(); k++) {
                tallies.add(kind.equals("sse") ? sse(http, url, pool, open) : socket(ws, url, pool, open));
            }
            if (!open.await(20, TimeUnit.SECONDS)) {
                http.getDestinations().forEach(d -> System.err.println("DEBUG " + d + " " + ((org.eclipse.jetty.client.transport.HttpDestination) d).getConnectionPool()));
                throw new IllegalStateException(open.getCount() + " subscribers did not open");
            }
        }
        System.out.println(String.format(Locale.ROOT, "ready %.2f", (System.nanoTime() - start) / 1e9));
        for (Tally t : tallies) {
            t.done.await();
        }
        report(kind, tallies);
        ws.stop();
        http.stop();
    }

    /** Subscribers opened at once: a wave waits for the one before, so the server's accept queue keeps up. */
    private static final int WAVE = 100;

    private static Tally sse(HttpClient http, String url, String pool, CountDownLatch open) {
        SseSubscriber s = new SseSubscriber(open);
        http.newRequest(url + "/v0/pools/" + pool + "/events").headers(h -> h.put("Accept", "text/event-stream"))
                .idleTimeout(0, TimeUnit.MILLISECONDS).send(s);
        return s.tally;
    }

    private static Tally socket(WebSocketClient ws, String url, String pool, CountDownLatch open) throws Exception {
        SocketSubscriber s = new SocketSubscriber();
        ws.connect(s, URI.create(url.replaceFirst("^http", "ws") + "/v0/pools/" + pool + "/ws")).thenRun(
                open::countDown);
        return s.tally;
    }

    private static void report(String kind, List<Tally> tallies) {
        Histogram all = new Histogram(60_000_000L, 3);
        long deliveries = 0;
        long lost = 0;
        long first = Long.MAX_VALUE;
        long last = 0;
        long fewest = Long.MAX_VALUE;
        for (Tally t : tallies) {
            all.add(t.latency);
            deliveries += t.count;
            lost += t.lost;
            first = Math.min(first, t.firstMicros);
            last = Math.max(last, t.lastMicros);
            fewest = Math.min(fewest, t.count);
        }
        double seconds = Math.max(1e-6, (last - first) / 1e6);
        double cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        System.out.println(String.format(Locale.ROOT, "%s subscribers=%d deliveries=%d fewest=%d seconds=%.2f "
                + "rate=%.0f lost=%d p50_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f client_cpu_s=%.1f", kind,
                tallies.size(), deliveries, fewest, seconds, deliveries / seconds, lost,
                all.getValueAtPercentile(50) / 1e3, all.getValueAtPercentile(99) / 1e3,
                all.getValueAtPercentile(99.9) / 1e3, all.getMaxValue() / 1e3, cpu));
    }
}
