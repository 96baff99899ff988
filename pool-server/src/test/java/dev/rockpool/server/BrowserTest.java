package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.testing.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI and a page using the browser's own EventSource, in a real headless Chromium. Skipped only when chromium
 * is not installed (CI installs it: .ci/run).
 */
class BrowserTest {
    private static final String TOKEN = "browser-test-token-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path shared;
    private static Browser browser;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBrowser() throws Exception {
        Path chromium = Browser.binary();
        Assumptions.assumeTrue(chromium != null, "chromium is not installed (apt-get install -y chromium): the "
                + "browser tests are skipped");
        browser = new Browser(chromium, shared);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    private long append(Path pool, String data, String... tags) {
        try (Pool p = Pool.open(pool)) {
            return p.append(Draft.of(data, tags)).seq();
        }
    }

    /** The rows of the live view, newest first. */
    private static final String ROWS = "document.querySelectorAll('#messages tbody tr')";

    @Test
    void theUiListsPoolsShowsLiveMessagesFiltersThemAndPublishes() throws Exception {
        Path pools = Files.createDirectory(dir.resolve("pools"));
        Path builds = pools.resolve("builds.pool");
        Pool.create(builds, PoolOptions.ofSize(1 << 20)).close();
        Pool.create(pools.resolve("logs.pool"), PoolOptions.ofSize(2 << 20)).close();
        for (int n = 1; n <= 6; n++) {
            append(builds, "{\"n\":" + n + "}", n % 2 == 0 ? "deploy" : "build");
        }
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN);
        try (TestServer s = new TestServer(pools, b -> b.tokenFile(tokenFile))) {
            Browser.Page page = browser.open(s.base + "/ui/");
            page.await("!document.getElementById('token-form').hidden", WAIT);
            page.type("#token", TOKEN);
            page.click("#token-form button");
            page.await("document.querySelectorAll('#pools tbody tr').length === 2", WAIT);
            assertEquals("6", page.eval("document.querySelector('#pools tr[data-pool=\"builds\"] .count')"
                    + ".textContent").asText());
            assertEquals("read-write", page.eval("document.getElementById('server-mode').textContent").asText());

            page.click("#pools a[href='#/pools/builds']");
            page.await("document.getElementById('stream-status').textContent === 'live'", WAIT);
            page.await(ROWS + ".length === 6", WAIT);
            long seq = append(builds, "{\"n\":7,\"status\":\"green\"}", "deploy");
            Duration shown = page.await("document.querySelector('#messages tr[data-seq=\"" + seq + "\"]') !== null",
                    Duration.ofSeconds(1));
            System.out.println("BrowserTest: a message appended by the engine showed in the UI after " + shown);

            page.type("#filter-tags", "deploy");
            page.click("#filters button[type=submit]");
            page.await(ROWS + ".length === 4 && [..." + ROWS + "].every(r => r.querySelector('.tags')"
                    + ".textContent === 'deploy')", WAIT);
            page.click("#clear-filters");
            page.type("#filter-where", ".data.n > 5");
            page.click("#filters button[type=submit]");
            page.await(ROWS + ".length === 2 && [..." + ROWS + "].map(r => r.dataset.seq).join() === "
                    + "'7,6'", WAIT);

            page.click("#messages tr[data-seq=\"7\"]");
            JsonNode details = JsonTrees.MAPPER.readTree(page.eval("document.getElementById('detail-json')"
                    + ".textContent").asText());
            assertEquals(7, details.get("seq").asLong());
            assertEquals("green", details.at("/data/status").asText());

            page.click("#clear-filters");
            page.type("#publish-data", "{\"from\": \"the browser\"}");
            page.type("#publish-tags", "ui, test");
            page.click("#publish button");
            page.await("document.getElementById('publish-result').textContent === 'Appended as seq 8.'", WAIT);
            page.await("document.querySelector('#messages tr[data-seq=\"8\"]') !== null", WAIT);
            try (Pool p = Pool.open(builds)) {
                Message m = p.get(8).orElseThrow();
                assertEquals("{\"from\":\"the browser\"}", m.dataString());
                assertEquals(List.of("ui", "test"), m.tags());
            }

            assertEquals(TOKEN, page.eval("sessionStorage.getItem('rockpool.token')").asText(), "kept for the tab");
            assertFalse(page.eval("location.href + performance.getEntriesByType('resource').map(e => e.name).join()")
                    .asText().contains(TOKEN), "the token is never put in a URL");
            page.checkNoExceptions();
            page.close();
        }
    }

    @Test
    void aReadOnlyServerHasNoPublishForm() throws Exception {
        Pool.create(dir.resolve("p.pool"), PoolOptions.ofSize(1 << 20)).close();
        try (TestServer s = new TestServer(dir, b -> b.access(AccessMode.READ_ONLY))) {
            Browser.Page page = browser.open(s.base + "/ui/#/pools/p");
            page.await("document.getElementById('stream-status').textContent === 'live'", WAIT);
            assertTrue(page.eval("document.getElementById('publish').hidden").asBoolean());
            assertEquals("read-only", page.eval("document.getElementById('server-mode').textContent").asText());
            page.checkNoExceptions();
            page.close();
        }
    }

    @Test
    void aPageUsingEventSourceGetsEventsByTypeAndResumesAfterTheServerIsKilledAndRestarted() throws Exception {
        Path pools = Files.createDirectory(dir.resolve("pools"));
        Path file = pools.resolve("p.pool");
        Pool.create(file, PoolOptions.ofSize(1 << 20)).close();
        HttpServer pageServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String pageOrigin = "http://127.0.0.1:" + pageServer.getAddress().getPort();
        ChildProcess server = ServerProcess.start(pools, 0, dir.resolve("logs"), "cors=" + pageOrigin, "retry=300");
        String url = ServerProcess.url(server);
        byte[] html = eventSourcePage(url).getBytes(StandardCharsets.UTF_8);
        pageServer.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, html.length);
            exchange.getResponseBody().write(html);
            exchange.close();
        });
        pageServer.start();
        ChildProcess again = null;
        try {
            Browser.Page page = browser.open(pageOrigin + "/");
            page.await("window.opens === 1", WAIT);
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                String tag = i % 3 == 0 ? "other" : i % 2 == 0 ? "alert" : "deploy";
                long seq = append(file, "{\"i\":" + i + "}", tag);
                if (!tag.equals("other")) {
                    expected.add(tag + ":" + seq);
                }
            }
            page.await("window.received.length === " + expected.size(), WAIT);
            server.kill();
            for (int i = 7; i <= 12; i++) {
                String tag = i % 3 == 0 ? "other" : i % 2 == 0 ? "alert" : "deploy";
                long seq = append(file, "{\"i\":" + i + "}", tag);
                if (!tag.equals("other")) {
                    expected.add(tag + ":" + seq);
                }
            }
            again = ServerProcess.start(pools, URI.create(url).getPort(), dir.resolve("logs"), "cors=" + pageOrigin,
                    "retry=300");
            ServerProcess.url(again);
            page.await("window.received.length === " + expected.size() + " && window.opens === 2", WAIT);
            assertEquals(String.join(",", expected), page.eval("window.received.join()").asText(),
                    "every event of the asked types once, in order, the ones sent while the server was down too");
            assertEquals(0, page.eval("window.plainMessages").asInt(), "typed events only");
            page.checkNoExceptions();
            page.close();
        } finally {
            pageServer.stop(0);
            server.close();
            if (again != null) {
                again.kill();
            }
        }
    }

    /** A page of another origin, written for Plasma: EventSource by event type, nothing else. */
    private static String eventSourcePage(String server) {
        return "<!doctype html><title>events</title><script>\n"
                + "window.received = []; window.opens = 0; window.plainMessages = 0;\n"
                + "const source = new EventSource(" + Browser.json(server + "/v0/pools/p/events?eventType=deploy,alert")
                + ");\n"
                + "source.addEventListener('open', () => { window.opens++; });\n"
                + "for (const type of ['deploy', 'alert']) {\n"
                + "  source.addEventListener(type, (e) => {\n"
                + "    window.received.push(type + ':' + JSON.parse(e.data).seq);\n"
                + "    if (e.lastEventId !== String(JSON.parse(e.data).seq)) { throw new Error('id ' + e.lastEventId); }\n"
                + "  });\n"
                + "}\n"
                + "source.onmessage = () => { window.plainMessages++; };\n"
                + "</script>";
    }
}
