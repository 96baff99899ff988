package dev.rockpool.bench.server;

import dev.rockpool.client.RemoteClient;
import dev.rockpool.client.RemoteTail;
import dev.rockpool.client.TailOptions;
import dev.rockpool.pool.Message;
import dev.rockpool.server.PoolServer;
import dev.rockpool.server.ServerConfig;
import dev.rockpool.server.ServerLimits;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The Java side of {@code benchmarks/server-bench.sh}, each in a process of its own beside the load tools:
 * {@code serve DIR READY_FILE [MAX_STREAMS]} runs the server on a free loopback port (no token, no TLS: the HTTP cost
 * alone; 64 streams unless told, as many as push-bench.sh's subscribers there);
 * {@code tail URL POOL} reads a pool from its oldest message to the end through the Java client and prints
 * {@code messages seconds}.
 */
public final class ServerBench {
    private ServerBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve": serve(Path.of(args[1]), Path.of(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 64);
                break;
            case "tail": tail(args[1], args[2]); break;
            default: throw new IllegalArgumentException("usage: serve DIR READY_FILE [MAX_STREAMS] | tail URL POOL");
        }
    }

    private static void serve(Path dir, Path readyFile, int maxStreams) throws InterruptedException {
        // Bodies up to 16 MiB for the batch case; streams up to 10 minutes for the tail case.
        ServerLimits limits = new ServerLimits(16 << 20, Duration.ofMinutes(10), maxStreams, 8 << 20);
        PoolServer server = new PoolServer(ServerConfig.builder(dir).port(0).limits(limits).readyFile(readyFile)
                .build().check());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(Duration.ofSeconds(5))));
        server.join();
    }

    private static void tail(String url, String pool) {
        RemoteClient client = RemoteClient.builder(url).maxStream(Duration.ofMinutes(10)).build();
        long start = System.nanoTime();
        long n = 0;
        long bytes = 0;
        try (RemoteTail tail = client.tail(pool, TailOptions.builder().sinceSeq(1).follow(false).build())) {
            for (Message m = tail.next(); m != null; m = tail.next()) {
                n++;
                bytes += m.dataLength();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d %.3f %d%n", n, seconds, bytes);
    }
}
