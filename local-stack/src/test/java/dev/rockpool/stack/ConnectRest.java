package dev.rockpool.stack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The Connect REST API of a running worker, through the JDK's HTTP client. */
final class ConnectRest {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    ConnectRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A response: status and body. */
    record Response(int status, String body) {
        JsonNode json() {
            try {
                return Examples.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE());
    }

    /** PUT /connectors/NAME/config: creates or updates, so a rerun is harmless. */
    Response putConfig(String name, Map<String, String> config) {
        try {
            String body = Examples.MAPPER.writeValueAsString(config);
            return send(HttpRequest.newBuilder(URI.create(baseUrl + "/connectors/" + name + "/config"))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Deploys a connector and waits until it and all its tasks are RUNNING; fails with its status otherwise. */
    void deployAndAwaitRunning(Examples.Connector connector, Duration timeout) {
        Response put = putConfig(connector.name(), connector.config());
        if (put.status() != 200 && put.status() != 201) {
            throw new AssertionError("PUT config of " + connector.name() + " answered " + put.status() + ": "
                    + put.body());
        }
        awaitRunning(connector.name(), timeout);
    }

    void awaitRunning(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = get("/connectors/" + name + "/status");
            if (last.status() == 200) {
                JsonNode status = last.json();
                JsonNode tasks = status.path("tasks");
                boolean running = "RUNNING".equals(status.path("connector").path("state").asText())
                        && tasks.size() > 0;
                for (JsonNode task : tasks) {
                    String state = task.path("state").asText();
                    if (state.equals("FAILED")) {
                        throw new AssertionError("task of " + name + " failed: " + status.toPrettyString());
                    }
                    running &= state.equals("RUNNING");
                }
                if (running) {
                    return;
                }
            }
            sleep(300);
        }
        throw new AssertionError(name + " not RUNNING within " + timeout + "; last status: "
                + (last == null ? "none" : last.status() + " " + last.body()));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError("Connect REST request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
