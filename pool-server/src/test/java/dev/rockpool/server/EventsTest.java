package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.rockpool.server.ProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server-Sent Events against the real server: event types, filters, ids and resume, heartbeats, Plasma's endpoint. */
class EventsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** Appends {@code {"n":i}} with the given tags to a pool (made if missing); the seqs. */
    private List<Long> feed(String pool, String[]... tagsPerMessage) {
        List<Long> seqs = new ArrayList<>();
        Path file = dir.resolve(pool + ".pool");
        try (Pool p = file.toFile().exists() ? Pool.open(file) : Pool.create(file, PoolOptions.ofSize(1 << 20))) {
            for (String[] tags : tagsPerMessage) {
                long next = p.info().nextSeq();
                seqs.add(p.append(Draft.of("{\"n\":" + next + "}", tags)).seq());
            }
        }
        return seqs;
    }

    private static String[] tags(String... tags) {
        return tags;
    }

    private static List<Long> seqs(List<SseClient.Event> events) {
        List<Long> out = new ArrayList<>();
        events.forEach(e -> out.add(e.seq()));
        return out;
    }

    private static List<String> types(List<SseClient.Event> events) {
        List<String> out = new ArrayList<>();
        events.forEach(e -> out.add(e.type()));
        return out;
    }

    @Test
    void eventTypesAreAnOrAndNameTheEvent() {
        feed("p", tags("a"), tags("b"), tags("c"), tags("a", "b"), tags("b", "prod"), tags());
        try (TestServer s = new TestServer(dir);
             SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a,b&since_seq=1")) {
            assertEquals(200, sse.status());
            assertEquals("text/event-stream", sse.response.headers().firstValue("content-type").orElse(""));
            List<SseClient.Event> events = sse.take(4, WAIT);
            assertEquals(List.of(1L, 2L, 4L, 5L), seqs(events));
            assertEquals(List.of("a", "b", "a", "b"), types(events), "the first of the types asked for");
            assertEquals(List.of("1", "2", "4", "5"), events.stream().map(SseClient.Event::id).toList());
            assertEquals(2000L, sse.retryMillis, "retry: Plasma's 2 s");
            JsonNode first = events.get(0).json();
            assertEquals(ProtocolTest.fields(first), java.util.Set.of("seq", "time", "meta", "data"), "the envelope");
            assertEquals("{\"n\":1}", first.get("data").toString());
        }
        try (TestServer s = new TestServer(dir)) {
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=b,a&since_seq=4")) {
                assertEquals("b", sse.take(1, WAIT).get(0).type(), "in the order asked");
            }
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a&eventType=c&since_seq=1")) {
                assertEquals(List.of(1L, 3L, 4L), seqs(sse.take(3, WAIT)), "repeated, the types add up");
            }
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a,b&tag=prod&since_seq=1")) {
                assertEquals(List.of(5L), seqs(sse.take(1, WAIT)), "tag= is still required");
            }
            String where = URLEncoder.encode(".data.n > 3", StandardCharsets.UTF_8);
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a,b&where=" + where + "&tail=10")) {
                assertEquals(List.of(4L, 5L), seqs(sse.take(2, WAIT)), "and where=");
            }
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?since_seq=5")) {
                assertEquals(List.of("message", "message"), types(sse.take(2, WAIT)), "no types: plain messages");
            }
        }
    }

    @Test
    void aStreamStartsNowAndCarriesWhatIsAppended() {
        feed("p", tags("a"), tags("a"));
        try (TestServer s = new TestServer(dir);
             SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a")) {
            s.post("/v0/pools/p/append", "{\"data\":{\"live\":true},\"tags\":[\"a\"]}");
            SseClient.Event e = sse.take(1, WAIT).get(0);
            assertEquals(3, e.seq(), "not the history: from now on");
            assertEquals("a", e.type());
        }
    }

    @Test
    void theEventQueryNameIsConfigurable() {
        feed("p", tags("a"), tags("b"));
        try (TestServer s = new TestServer(dir, b -> b.eventQuery("types"));
             SseClient sse = SseClient.open(s, "/v0/pools/p/events?types=b&since_seq=1")) {
            assertEquals(List.of(2L), seqs(sse.take(1, WAIT)));
            assertEquals("types", s.get("/v0/server").json().at("/server/event_query").asText());
        }
    }

    @Test
    void lastEventIdResumesRightAfterItWithoutLossOrDuplicate() {
        feed("p", tags("a"), tags("b"), tags("a"), tags("a"));
        try (TestServer s = new TestServer(dir)) {
            String id;
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a&since_seq=1")) {
                id = sse.take(2, WAIT).get(1).id();
                assertEquals("3", id);
            }
            feed("p", tags("b"), tags("a"));
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a&since_seq=1", "Last-Event-ID", id)) {
                assertEquals(List.of(4L, 6L), seqs(sse.take(2, WAIT)), "Last-Event-ID wins over since_seq");
            }
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a&lastEventId=4")) {
                assertEquals(List.of(6L), seqs(sse.take(1, WAIT)), "as EventSource polyfills send it");
            }
            assertEquals(400, SseClient.open(s, "/v0/pools/p/events", "Last-Event-ID", "p:one").status());
            assertEquals(400, SseClient.open(s, "/v0/pools/p/events", "Last-Event-ID", "-3").status());
            // The pool deleted and made again: an id beyond its next seq means all of the new one.
            assertEquals(200, s.delete("/v0/pools/p").status());
            feed("p", tags("a"), tags("a"));
            try (SseClient sse = SseClient.open(s, "/v0/pools/p/events?eventType=a", "Last-Event-ID", "6")) {
                assertEquals(List.of(1L, 2L), seqs(sse.take(2, WAIT)));
            }
        }
    }

    @Test
    void acrossPoolsTheIdNamesEveryPoolsSeq() {
        String odd = "odd,name:x";
        String encoded = URLEncoder.encode(odd, StandardCharsets.UTF_8);
        feed("a", tags("t"), tags("t"));
        feed(odd, tags("t"));
        String pools = "pool=a&pool=" + encoded;
        try (TestServer s = new TestServer(dir)) {
            String id;
            try (SseClient sse = SseClient.open(s, "/v0/events?" + pools + "&eventType=t&since_seq=1")) {
                List<SseClient.Event> events = sse.take(3, WAIT);
                assertEquals(List.of("a:1," + encoded + ":0", "a:2," + encoded + ":0"), events.stream()
                        .filter(e -> e.json().get("pool").asText().equals("a")).limit(2).map(SseClient.Event::id)
                        .map(i -> i.replaceFirst(":1$", ":0")).toList(), "every pool's last seq, pools in order");
                assertEquals(List.of("a", "a", odd), events.stream().map(e -> e.json().get("pool").asText())
                        .sorted().toList(), "each envelope names its pool");
                id = events.get(2).id();
                assertEquals("a:2," + encoded + ":1", id);
            }
            feed(odd, tags("t"));
            feed("a", tags("t"));
            try (SseClient sse = SseClient.open(s, "/v0/events?" + pools + "&eventType=t", "Last-Event-ID", id)) {
                List<String> got = new ArrayList<>();
                for (SseClient.Event e : sse.take(2, WAIT)) {
                    got.add(e.json().get("pool").asText() + "#" + e.seq());
                }
                assertEquals(List.of("a#3", odd + "#2"), got.stream().sorted().toList());
                assertNull(sse.next(300), "nothing twice");
                assertEquals("a:3," + encoded + ":2", sse.lastEventId);
            }
            assertError(s.get("/v0/events"), 400, "Usage");
            assertError(s.get("/v0/events?pool=a&pool=missing"), 404, "NotFound");
        }
    }

    @Test
    void heartbeatsKeepAQuietStreamOpen() throws Exception {
        feed("p");
        try (TestServer s = new TestServer(dir, b -> b.heartbeat(Duration.ofSeconds(1)).sseRetry(Duration.ofMillis(500)));
             SseClient sse = SseClient.open(s, "/v0/pools/p/events")) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sse.comments.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(sse.comments.size() >= 2, "comments: " + sse.comments);
            assertEquals(": heartbeat", sse.comments.get(0));
            assertEquals(500L, sse.retryMillis);
            s.post("/v0/pools/p/append", "{\"data\":{}}");
            assertEquals(1, sse.take(1, WAIT).get(0).seq(), "still open after its heartbeats");
        }
    }

    @Test
    void plasmasRootEndpointSendsPlasmasPayload() {
        feed("plasma");
        try (TestServer s = new TestServer(dir, b -> b.plasmaPool("plasma"));
             SseClient sse = SseClient.open(s, "/?eventType=program:1234:views,program:1234:poll")) {
            assertEquals(200, sse.status());
            feed("plasma", tags("program:1234:annotation"), tags("program:1234:poll"), tags("x", "program:1234:views"));
            List<SseClient.Event> events = sse.take(2, WAIT);
            assertEquals(List.of("message", "message"), types(events), "no event: line, as Plasma");
            assertEquals("{\"data\":\"{\\\"n\\\":2}\",\"meta\":{\"type\":\"program:1234:poll\"}}", events.get(0).data());
            assertEquals("{\"data\":\"{\\\"n\\\":3}\",\"meta\":{\"type\":\"program:1234:views\"}}", events.get(1).data());
            assertEquals(List.of("2", "3"), events.stream().map(SseClient.Event::id).toList());
            assertEquals(400, SseClient.open(s, "/").status(), "Plasma wants event types");
            TestServer.Reply browser = s.get("/", "Accept", "text/html");
            assertEquals(302, browser.status());
            assertEquals("/ui/", browser.header("location"));
        }
        try (TestServer s = new TestServer(dir)) {
            assertEquals(404, SseClient.open(s, "/?eventType=a").status(), "no pool configured for Plasma");
        }
    }

    @Test
    void badRequestsArePlainErrors() {
        feed("p");
        try (TestServer s = new TestServer(dir)) {
            assertError(s.get("/v0/pools/missing/events"), 404, "NotFound");
            assertError(s.get("/v0/pools/p/events?where=.data%5B"), 400, "Usage");
            assertError(s.get("/v0/pools/p/events?eventType=a%0Ab"), 400, "Usage");
            assertError(s.get("/v0/pools/p/events?since_seq=1&tail=2"), 400, "Usage");
        }
    }

    @Test
    void stoppingTheServerEndsStreamsWithAnErrorEventNamingWhereToResume() throws Exception {
        feed("p", tags("a"), tags("a"));
        TestServer s = new TestServer(dir);
        SseClient sse = SseClient.open(s, "/v0/pools/p/events?since_seq=1");
        assertEquals(2, sse.take(2, WAIT).size());
        s.close();
        List<SseClient.Event> rest = sse.rest(WAIT);
        SseClient.Event last = rest.get(rest.size() - 1);
        assertEquals("error", last.type(), rest.toString());
        assertEquals("Busy", last.json().at("/error/kind").asText());
        assertEquals("2", last.id(), "resume after seq 2");
        sse.close();
    }
}
