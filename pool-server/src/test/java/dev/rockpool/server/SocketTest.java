package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.eclipse.jetty.websocket.api.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static dev.rockpool.server.ProtocolTest.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket endpoint with Jetty's WebSocket client: a pool is a room. */
class SocketTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private void pool(String name) {
        Pool.create(dir.resolve(name + ".pool"), PoolOptions.ofSize(4 << 20)).close();
    }

    private static String ws(TestServer s, String pathAndQuery) {
        return s.base.replaceFirst("^http", "ws") + pathAndQuery;
    }

    private static boolean isMessage(JsonNode f) {
        return f.has("message");
    }

    private static boolean isReceipt(JsonNode f) {
        return f.has("receipt");
    }

    private static List<Long> seqs(List<JsonNode> frames) {
        List<Long> out = new ArrayList<>();
        frames.forEach(f -> out.add(f.at("/message/seq").asLong()));
        return out;
    }

    @Test
    void framesAreAppendedWithReceiptsAndEverySocketOfThePoolGetsThem() throws Exception {
        pool("room");
        try (TestServer s = new TestServer(dir); WsClient client = new WsClient()) {
            WsClient.Socket alice = client.connect(ws(s, "/v0/pools/room/ws"));
            WsClient.Socket bob = client.connect(ws(s, "/v0/pools/room/ws"));
            StreamTest.awaitStreams(s, 2);
            alice.send("{\"data\":{\"text\":\"hi\"},\"tags\":[\"chat\"]}");
            JsonNode receipt = alice.await(1, SocketTest::isReceipt, WAIT).get(0).get("receipt");
            assertEquals(1, receipt.get("seq").asLong());
            assertEquals("[\"chat\"]", receipt.at("/meta/tags").toString());
            assertTrue(receipt.get("time").asText().endsWith("Z"));
            JsonNode pushed = bob.await(1, SocketTest::isMessage, WAIT).get(0).get("message");
            assertEquals(Set.of("seq", "time", "meta", "data"), ProtocolTest.fields(pushed), "the envelope");
            assertEquals("{\"text\":\"hi\"}", pushed.get("data").toString());
            assertEquals(1, alice.await(1, SocketTest::isMessage, WAIT).get(0).at("/message/seq").asLong(),
                    "echo by default");
            bob.send("{\"data\":{\"text\":\"hello\"}}");
            assertEquals(List.of(2L), seqs(alice.await(1, SocketTest::isMessage, WAIT)));
            assertEquals(2, s.get("/v0/pools/room/info").json().at("/pool/bounds/newest").asLong());
            // Messages appended elsewhere (the engine, the CLI, the sink connector) reach the room too.
            try (Pool p = Pool.open(dir.resolve("room.pool"))) {
                p.append(Draft.of("{\"from\":\"engine\"}"));
            }
            assertEquals(List.of(3L), seqs(bob.await(1, f -> isMessage(f) && f.at("/message/seq").asLong() == 3,
                    WAIT)));
        }
    }

    @Test
    void aSocketThatAsksForNoEchoGetsEveryoneElsesMessagesButNotItsOwn() throws Exception {
        pool("room");
        int each = 100;
        try (TestServer s = new TestServer(dir); WsClient client = new WsClient()) {
            WsClient.Socket quiet = client.connect(ws(s, "/v0/pools/room/ws?echo=false"));
            WsClient.Socket loud = client.connect(ws(s, "/v0/pools/room/ws"));
            WsClient.Socket watcher = client.connect(ws(s, "/v0/pools/room/ws"));
            StreamTest.awaitStreams(s, 3);
            for (int i = 0; i < each; i++) {
                quiet.send("{\"data\":{\"who\":\"quiet\",\"i\":" + i + "}}");
                loud.send("{\"data\":{\"who\":\"loud\",\"i\":" + i + "}}");
            }
            List<JsonNode> receipts = quiet.await(each, SocketTest::isReceipt, WAIT);
            Set<Long> own = new TreeSet<>();
            receipts.forEach(r -> own.add(r.at("/receipt/seq").asLong()));
            List<JsonNode> all = watcher.await(2 * each, SocketTest::isMessage, WAIT);
            Set<Long> others = new TreeSet<>();
            for (JsonNode m : all) {
                if (!own.contains(m.at("/message/seq").asLong())) {
                    others.add(m.at("/message/seq").asLong());
                }
            }
            List<JsonNode> heard = quiet.await(each, SocketTest::isMessage, WAIT);
            assertEquals(new ArrayList<>(others), seqs(heard), "everyone else's, in order");
            assertNull(quiet.next(Duration.ofMillis(300)), "and not one of its own");
        }
    }

    @Test
    void filtersAndStartsAsOnEveryStream() throws Exception {
        pool("room");
        try (Pool p = Pool.open(dir.resolve("room.pool"))) {
            p.append(Draft.of("{\"n\":1}", "alert"));
            p.append(Draft.of("{\"n\":2}", "info"));
            p.append(Draft.of("{\"n\":3}", "alert"));
        }
        try (TestServer s = new TestServer(dir); WsClient client = new WsClient()) {
            WsClient.Socket alerts = client.connect(ws(s, "/v0/pools/room/ws?tag=alert&since_seq=1"));
            assertEquals(List.of(1L, 3L), seqs(alerts.await(2, SocketTest::isMessage, WAIT)));
            WsClient.Socket big = client.connect(ws(s, "/v0/pools/room/ws?tail=3&where=.data.n%20%3E%201"));
            assertEquals(List.of(2L, 3L), seqs(big.await(2, SocketTest::isMessage, WAIT)));
            WsClient.Socket typed = client.connect(ws(s, "/v0/pools/room/ws?eventType=info,none&since_seq=1"));
            assertEquals(List.of(2L), seqs(typed.await(1, SocketTest::isMessage, WAIT)));
            WsClient.Socket now = client.connect(ws(s, "/v0/pools/room/ws"));
            now.send("{\"data\":{\"n\":4},\"tags\":[\"alert\"]}");
            assertEquals(List.of(4L), seqs(now.await(1, SocketTest::isMessage, WAIT)), "from now on by default");
            assertEquals(List.of(4L), seqs(alerts.await(1, SocketTest::isMessage, WAIT)));
            assertEquals(400, client.refusal(ws(s, "/v0/pools/room/ws?where=.data%5B")));
            assertEquals(400, client.refusal(ws(s, "/v0/pools/room/ws?echo=maybe")));
            assertEquals(404, client.refusal(ws(s, "/v0/pools/nope/ws")));
        }
    }

    @Test
    void badFramesAreAnsweredWithErrorsAndTheSocketStaysOpen() throws Exception {
        pool("room");
        try (TestServer s = new TestServer(dir, b -> b.limits(new ServerLimits(1024, Duration.ofSeconds(30), 8,
                1 << 20)));
             WsClient client = new WsClient()) {
            WsClient.Socket socket = client.connect(ws(s, "/v0/pools/room/ws"));
            socket.send("not json");
            assertEquals("Usage", socket.next(WAIT).at("/error/kind").asText());
            socket.send("{\"data\":[1,2]}");
            assertEquals("Usage", socket.next(WAIT).at("/error/kind").asText());
            socket.session.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), Callback.NOOP);
            JsonNode binary = socket.next(WAIT);
            assertTrue(binary.at("/error/message").asText().contains("binary"), binary.toString());
            socket.send("{\"data\":{\"ok\":true}}");
            assertEquals(1, socket.await(1, SocketTest::isReceipt, WAIT).get(0).at("/receipt/seq").asLong());
            socket.send("{\"data\":{\"pad\":\"" + "x".repeat(2000) + "\"}}");
            assertEquals(1009, socket.closeStatus(WAIT), "a message over max-body-bytes closes the socket");
            assertEquals(1, s.get("/v0/pools/room/info").json().at("/pool/bounds/newest").asLong(),
                    "nothing bad was appended");
            StreamTest.awaitStreams(s, 0);
        }
    }

    @Test
    void theAccessModeDecidesWhatASocketMayDo() throws Exception {
        pool("room");
        try (TestServer s = new TestServer(dir, b -> b.access(AccessMode.READ_ONLY)); WsClient client = new WsClient()) {
            WsClient.Socket socket = client.connect(ws(s, "/v0/pools/room/ws"));
            socket.send("{\"data\":{\"n\":1}}");
            assertEquals("Permission", socket.next(WAIT).at("/error/kind").asText());
            try (Pool p = Pool.open(dir.resolve("room.pool"))) {
                p.append(Draft.of("{\"n\":2}"));
            }
            assertEquals(List.of(1L), seqs(socket.await(1, SocketTest::isMessage, WAIT)), "reads still pushed");
        }
        try (TestServer s = new TestServer(dir, b -> b.access(AccessMode.WRITE_ONLY)); WsClient client = new WsClient()) {
            WsClient.Socket socket = client.connect(ws(s, "/v0/pools/room/ws?since_seq=1"));
            socket.send("{\"data\":{\"n\":3}}");
            assertEquals(2, socket.await(1, SocketTest::isReceipt, WAIT).get(0).at("/receipt/seq").asLong());
            assertNull(socket.next(Duration.ofMillis(300)), "a write-only server pushes nothing");
        }
    }

    @Test
    void upgradesAreCheckedLikeEveryRequest() throws Exception {
        pool("room");
        try (TestServer s = new TestServer(dir, b -> b.limits(new ServerLimits(1 << 20, Duration.ofSeconds(30), 1,
                1 << 20)));
             WsClient client = new WsClient()) {
            assertError(s.get("/v0/pools/room/ws"), 426, "Usage");
            assertEquals("websocket", s.get("/v0/pools/room/ws").header("upgrade"));
            assertEquals(403, client.refusal(ws(s, "/v0/pools/room/ws"), "Origin", "https://evil.example"),
                    "a page elsewhere may not open a socket that can write");
            WsClient.Socket only = client.connect(ws(s, "/v0/pools/room/ws"));
            assertEquals(423, client.refusal(ws(s, "/v0/pools/room/ws")), "over max-streams");
            only.session.close();
            StreamTest.awaitStreams(s, 0);
            client.connect(ws(s, "/v0/pools/room/ws")).session.close();
        }
    }

    @Test
    void stoppingTheServerClosesSocketsSayingWhereToResume() throws Exception {
        pool("room");
        TestServer s = new TestServer(dir);
        try (WsClient client = new WsClient()) {
            WsClient.Socket socket = client.connect(ws(s, "/v0/pools/room/ws"));
            socket.send("{\"data\":{\"n\":1}}");
            socket.await(1, SocketTest::isMessage, WAIT);
            s.close();
            JsonNode last = socket.await(1, f -> f.has("error"), WAIT).get(0);
            assertEquals("Busy", last.at("/error/kind").asText());
            assertEquals(2, last.at("/error/seq").asLong(), "resume with since_seq=2");
            assertEquals(1013, socket.closeStatus(WAIT), "try again later");
        }
    }
}
