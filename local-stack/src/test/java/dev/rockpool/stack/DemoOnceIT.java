package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/rockpool-demo --once} as the README describes it: the walk-through unattended, every message checked (in
 * the mirror pool, then streamed by the demo's {@code rockpool serve} as Server-Sent Events), and nothing left behind
 * but data, so that the next {@code bin/rockpool-stack up} does not resume the demo's connectors
 * next to the user's own. (The interactive demo runs in {@link DocsIT}, as the README's first command.)
 */
class DemoOnceIT {
    @TempDir
    Path temp;
    private Scripts.Stack stack;

    @AfterEach
    void down() {
        if (stack != null) {
            stack.run("down");
        }
    }

    @Test
    void onceChecksEveryMessageThenLeavesNoConnectorsForTheNextUp() {
        stack = Scripts.Stack.onFreePorts(temp.resolve("stack"));
        Scripts.Stack started = stack;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.run("down"), "stack-down"));

        Scripts.Result demo = Scripts.run(List.of(Scripts.root().resolve("bin/rockpool-demo").toString(), "--once"),
                demoEnv(), null);
        assertEquals(0, demo.exitCode(), demo::describe);
        assertTrue(demo.stdout().contains("all 8 messages went pool demo-events -> topic demo-events -> pool "
                + "demo-mirror, tags included."), demo::describe);
        assertTrue(demo.stdout().contains("all 8 messages streamed to an EventSource"), demo::describe);
        assertTrue(demo.stdout().contains("http://127.0.0.1:" + stack.demoServePort + "/ui#/pools/demo-mirror"),
                demo::describe);
        assertFalse(Files.exists(stack.stateDir.resolve("demo-serve.pid")), "the stack's down stopped the server");
        assertEquals(3, stack.run("status").exitCode(), "--once leaves the stack down");

        Scripts.Result up = stack.run("up");
        assertEquals(0, up.exitCode(), up::describe);
        ConnectRest.Response connectors = new ConnectRest(stack.restUrl()).get("/connectors");
        assertEquals(200, connectors.status(), connectors.body());
        assertEquals(0, connectors.json().size(), "the demo's connectors were removed: " + connectors.body());
        assertFalse(connectors.body().contains("rockpool-demo"), connectors.body());
    }

    /** The stack's environment and this build's CLI, as the other stack tests run it. */
    private Map<String, String> demoEnv() {
        Map<String, String> env = stack.env();
        env.put("ROCKPOOL_CLASSPATH", Scripts.required("rockpool.cli.classpath"));
        return env;
    }
}
