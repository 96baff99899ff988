package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.JsonTrees;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client on the JDK's HTTP client, parsing the wire as a browser's EventSource does: an event is
 * dispatched at its blank line (an event cut off by a dropped connection is not), {@code id:} sets the last event id
 * even on an event without data, comment lines are kept apart (heartbeats).
 */
final class SseClient implements AutoCloseable {
    /** One dispatched event. */
    record Event(String type, String id, String data) {
        JsonNode json() {
            try {
                return JsonTrees.MAPPER.readTree(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        long seq() {
            return json().get("seq").asLong();
        }
    }

    private static final Event END = new Event("", "", "");

    final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    volatile String lastEventId;
    volatile Long retryMillis;

    /** Reads the events of a stream (status 200); an error status leaves the body to {@link #errorBody()}. */
    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        } else {
            events.add(END);
        }
    }

    /** Opens {@code url} with {@code Accept: text/event-stream} and the given header pairs. */
    static SseClient open(HttpClient http, String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return new SseClient(http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static SseClient open(TestServer s, String path, String... headers) {
        return open(s.http, s.base + path, headers);
    }

    int status() {
        return response.statusCode();
    }

    /** The body when the server answered with an error status instead of a stream. */
    String errorBody() throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void read() {
        String type = null;
        StringBuilder data = null;
        String idBuffer = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty()) {
                    lastEventId = idBuffer; // committed at the event's end: a cut-off event moves nothing
                    if (data != null) {
                        events.add(new Event(type == null ? "message" : type, lastEventId, data.toString()));
                    }
                    type = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else {
                    int colon = line.indexOf(':');
                    String name = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (name) {
                        case "event": type = value; break;
                        case "data": data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                            break;
                        case "id": idBuffer = value; break;
                        case "retry": retryMillis = Long.parseLong(value); break;
                        default: break;
                    }
                }
            }
        } catch (IOException e) {
            // the connection broke: what was dispatched stays, an event cut off is dropped, as EventSource does
        } finally {
            events.add(END);
        }
    }

    /** The next event, or null at the end of the stream or after {@code timeoutMillis}. */
    Event next(long timeoutMillis) {
        try {
            Event e = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (e == END) {
                events.add(END);
                return null;
            }
            return e;
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next {@code n} events; fails if the stream ends or they do not come within the timeout. */
    List<Event> take(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> out = new ArrayList<>();
        while (out.size() < n) {
            Event e = next(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (e == null) {
                throw new AssertionError("got " + out.size() + " of " + n + " events: " + out);
            }
            out.add(e);
        }
        return out;
    }

    /** Every event until the stream ends (the server ended it or the connection broke). */
    List<Event> rest(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Event> out = new ArrayList<>();
        for (Event e = next(timeout.toMillis()); e != null; e = next(Math.max(1,
                TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())))) {
            out.add(e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
