package dev.rockpool.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** bin/rockpool-stack's failure modes, without a running stack (up twice is in {@link StackEndToEndIT}). */
class StackScriptIT {
    @TempDir
    Path state;

    /** A port taken by another process: a clear error naming the port and its variable, nothing started. */
    @ParameterizedTest
    @ValueSource(strings = {"ROCKPOOL_KAFKA_PORT", "ROCKPOOL_CONTROLLER_PORT", "ROCKPOOL_CONNECT_PORT"})
    void upRefusesAPortInUseAndStartsNothing(String variable) throws IOException {
        Scripts.Stack stack = Scripts.Stack.onFreePorts(state);
        int port = switch (variable) {
            case "ROCKPOOL_KAFKA_PORT" -> stack.kafkaPort;
            case "ROCKPOOL_CONTROLLER_PORT" -> stack.controllerPort;
            default -> stack.connectPort;
        };
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            Scripts.Result up = stack.run("up");
            assertNotEquals(0, up.exitCode(), up::describe);
            assertTrue(up.stderr().contains("port " + port) && up.stderr().contains(variable)
                    && up.stderr().contains("in use"), up::describe);
        }
        assertFalse(Files.exists(state.resolve("broker/broker.pid")), "no broker was started");
        assertFalse(Files.exists(state.resolve("connect/connect.pid")), "no worker was started");
        Scripts.Result status = stack.run("status");
        assertEquals(3, status.exitCode(), status::describe);
    }

    @Test
    void downWithNothingRunningSaysSoAndSucceeds() {
        Scripts.Stack stack = Scripts.Stack.onFreePorts(state);
        Scripts.Result down = stack.run("down");
        assertEquals(0, down.exitCode(), down::describe);
        assertTrue(down.stdout().contains("nothing runs"), down::describe);
    }

    @Test
    void statusWithNothingRunningExits3() {
        Scripts.Result status = Scripts.Stack.onFreePorts(state).run("status");
        assertEquals(3, status.exitCode(), status::describe);
        assertTrue(status.stdout().contains("broker   stopped") && status.stdout().contains("connect  stopped"),
                status::describe);
    }

    @Test
    void badPortAndUnknownCommandAreUsageErrors() {
        Scripts.Stack stack = Scripts.Stack.onFreePorts(state);
        Scripts.Result badPort = Scripts.run(java.util.List.of(Scripts.root().resolve("bin/rockpool-stack").toString(),
                "up"), withEnv(stack, "ROCKPOOL_KAFKA_PORT", "90x"), null);
        assertEquals(2, badPort.exitCode(), badPort::describe);
        assertTrue(badPort.stderr().contains("ROCKPOOL_KAFKA_PORT=90x"), badPort::describe);

        Scripts.Result unknown = stack.run("sideways");
        assertEquals(2, unknown.exitCode(), unknown::describe);
        assertTrue(unknown.stderr().contains("unknown command sideways"), unknown::describe);

        Scripts.Result help = stack.run("--help");
        assertEquals(0, help.exitCode(), help::describe);
        assertTrue(help.stdout().contains("ROCKPOOL_CONNECT_PORT"), help::describe);
    }

    private static java.util.Map<String, String> withEnv(Scripts.Stack stack, String key, String value) {
        java.util.Map<String, String> env = stack.env();
        env.put(key, value);
        return env;
    }
}
