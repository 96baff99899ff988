package dev.rockpool.server;

import dev.rockpool.pool.testing.ChildProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server in a JVM of its own, to be killed with SIGKILL and started again on the same port:
 * {@code ServerProcess DIR PORT [token=FILE] [heartbeat=MS] [retry=MS] [cors=ORIGIN]}. Prints {@code ready URL} once it
 * serves.
 */
public final class ServerProcess {
    private ServerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        ServerConfig.Builder b = ServerConfig.builder(Path.of(args[0])).port(Integer.parseInt(args[1]));
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "token": b.tokenFile(Path.of(kv[1])); break;
                case "heartbeat": b.heartbeat(Duration.ofMillis(Long.parseLong(kv[1]))); break;
                case "retry": b.sseRetry(Duration.ofMillis(Long.parseLong(kv[1]))); break;
                case "cors": b.corsOrigin(kv[1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        PoolServer server = new PoolServer(b.build().check());
        server.start();
        System.out.println("ready " + server.url());
        server.join();
    }

    /** Starts a server process over {@code dir} on {@code port} (0: any); its URL is {@link #url(ChildProcess)}. */
    static ChildProcess start(Path dir, int port, Path logDir, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = dir.toString();
        args[1] = Integer.toString(port);
        System.arraycopy(options, 0, args, 2, options.length);
        try {
            Files.createDirectories(logDir);
            return ChildProcess.start(ServerProcess.class, Files.createTempFile(logDir, "server", ".err"), args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the server's ready line; its URL. */
    static String url(ChildProcess child) {
        return child.await("ready ", 60).substring("ready ".length());
    }
}
