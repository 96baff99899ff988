package dev.rockpool.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's launchers ({@code bin/rockpool-stack}, {@code bin/rockpool}) as a user would, against the build
 * output of this Maven run (the failsafe configuration passes its paths, which differ only with -Dbuild.suffix).
 */
final class Scripts {
    /** Longest any one script run may take: a stack start on a loaded 2-core machine stays well below. */
    private static final long RUN_TIMEOUT_SECONDS = 300;

    private Scripts() {
    }

    /** The repository root. */
    static Path root() {
        return Path.of(required("rockpool.root")).toAbsolutePath().normalize();
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run this test through "
                    + "Maven (mvn -B verify), whose failsafe configuration sets it");
        }
        return value;
    }

    /** A port nothing listens on now, different from every port in {@code taken}. */
    static int freePort(Set<Integer> taken) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                int port = socket.getLocalPort();
                if (taken.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port found");
    }

    /** What a finished script printed and returned. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Everything, for assertion messages. */
        String describe() {
            return String.join(" ", command) + " exited " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n"
                    + stderr;
        }
    }

    /** The environment of one stack: its own state directory, its own free ports, this build's jars. */
    static final class Stack {
        final Path stateDir;
        final int kafkaPort;
        final int controllerPort;
        final int connectPort;
        /** Where bin/rockpool-demo's server listens. */
        final int demoServePort;

        Stack(Path stateDir, int kafkaPort, int controllerPort, int connectPort, int demoServePort) {
            this.stateDir = stateDir;
            this.kafkaPort = kafkaPort;
            this.controllerPort = controllerPort;
            this.connectPort = connectPort;
            this.demoServePort = demoServePort;
        }

        /** A stack in {@code stateDir} on free ports. */
        static Stack onFreePorts(Path stateDir) {
            Set<Integer> taken = new HashSet<>(List.of(9092, 9093, 8083, 9700));
            return new Stack(stateDir, freePort(taken), freePort(taken), freePort(taken), freePort(taken));
        }

        Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            env.put("ROCKPOOL_STACK_DIR", stateDir.toString());
            env.put("ROCKPOOL_KAFKA_PORT", Integer.toString(kafkaPort));
            env.put("ROCKPOOL_CONTROLLER_PORT", Integer.toString(controllerPort));
            env.put("ROCKPOOL_CONNECT_PORT", Integer.toString(connectPort));
            env.put("ROCKPOOL_DEMO_SERVE_PORT", Integer.toString(demoServePort));
            env.put("ROCKPOOL_PLUGIN_DIR", required("rockpool.plugin.dir"));
            env.put("ROCKPOOL_KAFKA_LIB", required("rockpool.kafka.lib"));
            return env;
        }

        /** Runs {@code bin/rockpool-stack ARGS}. */
        Result run(String... args) {
            List<String> command = new ArrayList<>(List.of(root().resolve("bin/rockpool-stack").toString()));
            command.addAll(List.of(args));
            return Scripts.run(command, env(), null);
        }

        String bootstrapServers() {
            return "127.0.0.1:" + kafkaPort;
        }

        String restUrl() {
            return "http://127.0.0.1:" + connectPort;
        }

        /** The PID recorded for the worker or the broker, or -1. */
        long recordedPid(String part) {
            Path file = stateDir.resolve(part.equals("connect") ? "connect/connect.pid" : "broker/broker.pid");
            try {
                return Files.exists(file) ? Long.parseLong(Files.readString(file).trim()) : -1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The last lines of a part's log, for failure messages. */
        String logTail(String part) {
            Path log = stateDir.resolve("logs").resolve(part + ".log");
            try {
                if (!Files.exists(log)) {
                    return "(no " + log + ")";
                }
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }
    }

    /** Runs {@code bin/rockpool ARGS} against this build's CLI, with {@code stdin} as its input (null: none). */
    static Result rockpool(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(root().resolve("bin/rockpool").toString()));
        command.addAll(List.of(args));
        return run(command, Map.of("ROCKPOOL_CLASSPATH", required("rockpool.cli.classpath")), stdin);
    }

    static Result run(List<String> command, Map<String, String> env, String stdin) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile());
        builder.environment().putAll(env);
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        try {
            Process process = builder.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + RUN_TIMEOUT_SECONDS
                        + " s; stderr so far:\n" + err.getNow("(not read)"));
            }
            return new Result(command, process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read: " + e + ")";
        }
    }

    /** Whether a process with this PID is alive. */
    static boolean alive(long pid) {
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
