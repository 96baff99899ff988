package dev.rockpool.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code /healthz} and {@code /hc}: a check that really looks. The pool directory must be a directory the server can
 * list, and every pool file in it must open: its header is read from the file again and checked against the file's
 * size, as every open does. Healthy is 200 {@code {"ok":true,...}}; anything else is 503 with the reason.
 */
final class Health {
    private final PoolDirectory directory;

    Health(PoolDirectory directory) {
        this.directory = directory;
    }

    /**
     * The result: {@code ok}, what was checked, and the first failure's reason. Paths, pool names and messages only
     * when {@code detailed} (the request carried the token, or none is needed).
     */
    ObjectNode check(boolean detailed) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        ObjectNode dir = result.putObject("checks").putObject("pool_dir");
        Path path = directory.dir();
        if (detailed) {
            dir.put("path", path.toString());
        }
        if (!Files.isDirectory(path)) {
            return failed(result, dir, "the pool directory " + (detailed ? path + " " : "") + "does not exist");
        }
        ArrayNode failures = JsonNodeFactory.instance.arrayNode();
        int checked = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path, "*" + PoolDirectory.SUFFIX)) {
            for (Path file : files) {
                checked++;
                try (Pool pool = Pool.open(file)) {
                    pool.info();
                } catch (PoolException e) {
                    ObjectNode f = failures.addObject().put("kind", e.kind().label());
                    if (detailed) {
                        f.put("pool", PoolDirectory.nameOf(file)).put("message", e.getMessage());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return failed(result, dir, "cannot list the pool directory"
                    + (detailed ? ": " + e.getMessage() : ""));
        }
        dir.put("ok", true);
        ObjectNode pools = ((ObjectNode) result.get("checks")).putObject("pools");
        pools.put("checked", checked);
        if (!failures.isEmpty()) {
            pools.set("failed", failures);
            JsonNode first = failures.get(0);
            return failed(result, pools, failures.size() + " of " + checked + " pools fail their check"
                    + (detailed ? ": " + first.path("pool").asText() + ": " + first.path("message").asText()
                    : " (" + first.path("kind").asText() + ")"));
        }
        pools.put("ok", true);
        result.put("ok", true);
        return result;
    }

    private static ObjectNode failed(ObjectNode result, ObjectNode check, String reason) {
        check.put("ok", false);
        result.put("ok", false);
        result.put("reason", reason);
        return result;
    }
}
