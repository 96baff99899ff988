package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Push fan-out under load: a subscriber that stops reading is cut off with where to resume, while the writer and the
 * subscribers that keep up get everything.
 */
class PushLoadTest {
    private static final int MESSAGES = 40_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private TestServer server() {
        // 2 MiB per client: a fast client on a loaded machine may lag thousands of messages behind the writer (40,000
        // appended at full speed, ~10 MB) without being cut off; the slow one, which reads nothing, still is.
        TestServer s = new TestServer(dir, b -> b.limits(new ServerLimits(1 << 20, Duration.ofSeconds(30), 16,
                2 << 20)));
        Pool.create(dir.resolve("p.pool"), PoolOptions.ofSize(64 << 20)).close();
        return s;
    }

    private void write() {
        String pad = "y".repeat(200);
        try (Pool writer = Pool.open(dir.resolve("p.pool"))) {
            for (int i = 1; i <= MESSAGES; i++) {
                writer.append(Draft.of("{\"i\":" + i + ",\"pad\":\"" + pad + "\"}"));
            }
        }
    }

    @Test
    void aSlowSseSubscriberIsCutOffWithItsResumeIdWhileTheOthersGetEverything() throws Exception {
        try (TestServer s = server()) {
            RawClient slow = new RawClient(s.address, "/v0/pools/p/events", 4096);
            List<SseClient> fast = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fast.add(SseClient.open(s, "/v0/pools/p/events"));
            }
            StreamTest.awaitStreams(s, 4);
            write();
            for (SseClient f : fast) {
                List<SseClient.Event> all = f.take(MESSAGES, WAIT);
                assertEquals(MESSAGES, all.get(MESSAGES - 1).seq());
                assertEquals(Integer.toString(MESSAGES), f.lastEventId);
                f.close();
            }
            // The slow one: every event up to some seq K in order, then an error event whose id is K.
            List<Long> seqs = new ArrayList<>();
            JsonNode error = null;
            String errorId = null;
            String id = null;
            for (String line : slow.lines()) {
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    JsonNode data = JsonTrees.MAPPER.readTree(line.substring(6));
                    if (data.has("error")) {
                        error = data;
                        errorId = id;
                    } else {
                        seqs.add(data.get("seq").asLong());
                    }
                }
            }
            assertTrue(error != null && error.at("/error/kind").asText().equals("Busy"), String.valueOf(error));
            assertTrue(error.at("/error/message").asText().contains("Last-Event-ID: " + errorId), error.toString());
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(i + 1, seqs.get(i));
            }
            assertEquals(Long.toString(seqs.size()), errorId, "the id of the last event it was sent");
            assertTrue(seqs.size() < MESSAGES);
            slow.close();
            try (SseClient again = SseClient.open(s, "/v0/pools/p/events", "Last-Event-ID", errorId)) {
                assertEquals(seqs.size() + 1, again.take(1, WAIT).get(0).seq(), "it resumes right after");
            }
            assertTrue(s.get("/metrics").body().contains(
                    "rockpool_server_slow_client_disconnects_total{pool=\"p\"} 1.0"));
            StreamTest.awaitStreams(s, 0);
        }
    }

    @Test
    void aSlowWebSocketIsCutOffWithItsResumeSeqWhileTheOthersGetEverything() throws Exception {
        try (TestServer s = server(); WsClient client = new WsClient()) {
            RawClient slow = RawClient.webSocket(s.address, "/v0/pools/p/ws", 4096);
            assertEquals(101, slow.status(), slow.head);
            String url = s.base.replaceFirst("^http", "ws") + "/v0/pools/p/ws";
            List<WsClient.Socket> fast = List.of(client.connect(url), client.connect(url));
            StreamTest.awaitStreams(s, 3);
            write();
            Predicate<JsonNode> message = f -> f.has("message");
            for (WsClient.Socket f : fast) {
                List<JsonNode> all = f.await(MESSAGES, message, WAIT);
                assertEquals(MESSAGES, all.get(MESSAGES - 1).at("/message/seq").asLong());
            }
            List<String> frames = slow.webSocketTexts();
            assertEquals("1013", frames.get(frames.size() - 1), "closed: try again later");
            JsonNode error = JsonTrees.MAPPER.readTree(frames.get(frames.size() - 2));
            assertEquals("Busy", error.at("/error/kind").asText(), error.toString());
            long resume = error.at("/error/seq").asLong();
            for (int i = 0; i < frames.size() - 2; i++) {
                assertEquals(i + 1, JsonTrees.MAPPER.readTree(frames.get(i)).at("/message/seq").asLong());
            }
            assertEquals(frames.size() - 2 + 1, resume, "everything before the resume seq was sent, nothing after");
            assertTrue(error.at("/error/message").asText().contains("since_seq=" + resume));
            slow.close();
            StreamTest.awaitStreams(s, 2);
        }
    }
}
