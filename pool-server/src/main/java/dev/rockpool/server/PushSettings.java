package dev.rockpool.server;

import java.time.Duration;
import java.util.Objects;

/**
 * How the server pushes messages to browsers and services: Server-Sent Events, WebSocket and the Plasma-compatible
 * root endpoint.
 *
 * @param eventQuery the query parameter that names the event types a subscriber wants (Plasma's {@code EventQuery};
 *                   default {@code eventType})
 * @param plasmaPool the pool served at {@code GET /} to Plasma clients, or null for none
 * @param heartbeat  how often a quiet SSE stream gets a comment line and a WebSocket a ping, so proxies and load
 *                   balancers keep the connection (and a client that vanished is noticed)
 * @param retry      the reconnection delay SSE clients are told ({@code retry:})
 */
public record PushSettings(String eventQuery, String plasmaPool, Duration heartbeat, Duration retry) {
    /** {@code eventType}, no Plasma pool, a heartbeat every 15 s, reconnect after 2 s (Plasma's retry). */
    public static final PushSettings DEFAULTS = new PushSettings("eventType", null, Duration.ofSeconds(15),
            Duration.ofSeconds(2));

    public PushSettings {
        Objects.requireNonNull(eventQuery, "eventQuery");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(retry, "retry");
    }

    public PushSettings withEventQuery(String value) {
        return new PushSettings(value, plasmaPool, heartbeat, retry);
    }

    public PushSettings withPlasmaPool(String value) {
        return new PushSettings(eventQuery, value, heartbeat, retry);
    }

    public PushSettings withHeartbeat(Duration value) {
        return new PushSettings(eventQuery, plasmaPool, value, retry);
    }

    public PushSettings withRetry(Duration value) {
        return new PushSettings(eventQuery, plasmaPool, heartbeat, value);
    }
}
