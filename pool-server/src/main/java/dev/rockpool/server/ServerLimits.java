package dev.rockpool.server;

import java.time.Duration;

/**
 * What one client may take from the server.
 *
 * @param maxBodyBytes            the largest request body; larger is 413
 * @param maxStreamDuration       the longest a stream (tail) stays open; a longer {@code timeout_ms} is 400, and a
 *                                stream without one ends after this (the client reconnects where it left off)
 * @param maxConcurrentStreams    streams open at once over all pools; one more is 423
 * @param maxBufferedBytesPerClient the bytes a stream may hold for a client that reads slower than the pool fills;
 *                                past it the client gets a last error line naming where to resume, and is
 *                                disconnected
 */
public record ServerLimits(long maxBodyBytes, Duration maxStreamDuration, int maxConcurrentStreams,
                           long maxBufferedBytesPerClient) {
    /** 1 MiB bodies, 30 s streams, 64 streams, 1 MiB per client (plasmite's defaults where it has them). */
    public static final ServerLimits DEFAULTS = new ServerLimits(1L << 20, Duration.ofSeconds(30), 64, 1L << 20);
}
