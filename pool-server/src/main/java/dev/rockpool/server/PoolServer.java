package dev.rockpool.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * {@code rockpool serve}: the pools of one directory over HTTP, on Jetty 12. Connections are served by a small
 * thread pool and the selector (no thread per connection); each pool with streams has one feed thread.
 *
 * <pre>{@code
 * PoolServer server = new PoolServer(config.check());
 * InetSocketAddress bound = server.start();   // also writes the ready file
 * ...
 * server.stop(Duration.ofSeconds(10));        // streams end, requests in flight finish, within the bound
 * }</pre>
 */
public final class PoolServer implements AutoCloseable {
    /** Default bound on {@link #stop}. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Threads for requests; requests are short and streams take none. */
    private static final int MAX_THREADS = 64;
    /**
     * Connections the kernel queues before the server accepts them (the JDK's default is 50): thousands of
     * EventSources reconnect at once after a restart.
     */
    private static final int ACCEPT_QUEUE = 1024;
    /** A connection with no traffic is closed after this; a quiet stream ends at its deadline instead. */
    private static final long IDLE_TIMEOUT_MILLIS = 30_000;

    private final ServerCheck check;
    private final PoolHandles pools;
    private final ServerMetrics metrics;
    private final FeedHub feeds;
    private final Heartbeats heartbeats;
    private final Server jetty;
    private final ServerConnector connector;

    /** A server for a checked configuration ({@link ServerConfig#check()}); nothing is bound until {@link #start}. */
    public PoolServer(ServerCheck check) {
        this.check = check;
        ServerConfig c = check.config();
        this.pools = new PoolHandles(new PoolDirectory(c.poolDir()));
        this.metrics = new ServerMetrics(pools);
        this.feeds = new FeedHub(pools, metrics);
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
        threads.setName("rockpool-http");
        this.jetty = new Server(threads);
        this.connector = connector(jetty, check);
        jetty.addConnector(connector);
        jetty.setErrorHandler(new JsonErrorHandler());
        this.heartbeats = new Heartbeats(jetty.getScheduler(), c.push().heartbeat());
        jetty.setHandler(new GracefulHandler(api(c)));
    }

    private Api api(ServerConfig c) {
        StreamSlots slots = new StreamSlots(c.limits().maxConcurrentStreams(), metrics);
        HttpStreams streams = new HttpStreams(feeds, metrics, slots, c.limits());
        PoolRoutes poolRoutes = new PoolRoutes(pools, metrics, c.limits().maxBodyBytes());
        TailRoute tails = new TailRoute(pools, streams, metrics, jetty.getScheduler());
        EventsRoute events = new EventsRoute(pools, streams, heartbeats, c.push());
        SocketRoute sockets = new SocketRoute(jetty, pools, poolRoutes, feeds, heartbeats, metrics, slots, c.access(),
                c.limits(), c.push());
        byte[] serverInfo;
        try {
            serverInfo = JsonTrees.MAPPER.writeValueAsBytes(check.clientInfo());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return new Api(new BearerAuth(check.token()), c.access(), new Cors(check.corsOrigins()), metrics,
                new Health(pools.directory()), poolRoutes, tails, events, sockets, new UiRoute(), serverInfo);
    }

    private static ServerConnector connector(Server jetty, ServerCheck check) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // Jetty reuses header fields seen earlier on a connection, matching them case-insensitively by default:
        // a bearer token is case-sensitive, so a cached "Bearer abc" must never stand in for "Bearer ABC".
        http.setHeaderCacheCaseSensitive(true);
        ServerConnector connector;
        if (check.tls() != null) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // The certificate's names are checked by clients; a client told to skip that must still get in.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(check.tls().keyStore());
            tls.setKeyStorePassword(check.tls().password());
            connector = new ServerConnector(jetty, tls, new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        }
        connector.setHost(check.bindAddress().getHostAddress());
        connector.setPort(check.config().port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        return connector;
    }

    /**
     * Creates the pool directory if needed, binds and serves; returns the bound address (the port when 0 was asked)
     * and, when the configuration names one, writes {@code host:port} to the ready file (atomically).
     */
    public InetSocketAddress start() {
        Path dir = check.config().poolDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw PoolException.io(dir, "cannot create the pool directory", e);
        }
        try {
            jetty.start();
            heartbeats.start();
        } catch (Exception e) {
            stopQuietly();
            Throwable why = e;
            while (why.getCause() != null) {
                why = why.getCause(); // Jetty's "Failed to bind" wraps the reason: "Address already in use"
            }
            throw new PoolException(ErrorKind.IO, "cannot serve on " + ServerCheck.hostPort(check.config().host(),
                    check.config().port()) + ": " + (why.getMessage() != null ? why.getMessage() : why), null, null,
                    null, why instanceof BindException ? "another process listens there: choose another port (0: any "
                    + "free one)" : null, e);
        }
        InetSocketAddress bound = new InetSocketAddress(check.bindAddress(), connector.getLocalPort());
        if (check.config().readyFile() != null) {
            writeReadyFile(check.config().readyFile(), bound);
        }
        return bound;
    }

    private static void writeReadyFile(Path file, InetSocketAddress bound) {
        String text = ServerCheck.hostPort(bound.getAddress().getHostAddress(), bound.getPort());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw PoolException.io(file, "cannot write the ready file", e);
        }
    }

    /** {@code http(s)://host:port} of the bound server. */
    public String url() {
        return check.scheme() + "://" + ServerCheck.hostPort(check.bindAddress().getHostAddress(),
                connector.getLocalPort());
    }

    /**
     * Stops within {@code bound}: no new connections; every stream ends (its client resumes elsewhere or later by
     * seq); requests in flight get up to the rest of the bound to finish; then connections close and pools unmap.
     */
    public void stop(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        heartbeats.stop();
        try {
            feeds.stop(bound.toMillis() / 2);
            jetty.setStopTimeout(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            jetty.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly();
        } catch (Exception e) {
            stopQuietly();
        } finally {
            pools.close();
        }
    }

    private void stopQuietly() {
        try {
            jetty.setStopTimeout(0);
            jetty.stop();
        } catch (Exception ignored) {
            // stopping anyway
        }
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        stop(STOP_TIMEOUT);
    }
}
