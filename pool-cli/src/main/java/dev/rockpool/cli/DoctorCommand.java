package dev.rockpool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.DoctorReport;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code rockpool doctor POOL | --all}: validates the header, every frame and every index slot. Prints one report per
 * pool ({@code OK}/{@code CORRUPT} lines, or {@code {"reports":[...]}} with {@code --json}); exit 7 (Corrupt) when
 * any pool is corrupt, with a Corrupt error on stderr naming how many.
 */
final class DoctorCommand extends CliCommand {
    private final Rockpool root;
    // One pool, or all of them.
    private final PositionalParamSpec poolArg = PositionalParamSpec.builder().index("0").paramLabel("POOL")
            .type(PoolRef.class).converters(new PoolRef.Converter()).description("Pool name (or a path).").build();
    private final OptionSpec allArg = Options.flag("--all", "Validate every pool of the directory.");
    private final OptionSpec jsonArg = Options.json();

    DoctorCommand(Rockpool root) {
        super("doctor", false, "Validate pools (header, every frame, every index slot); exit 7 when one is corrupt.");
        this.root = root;
    }

    @Override
    Arguments declare() {
        return new Arguments()
                .add(ArgGroupSpec.builder().exclusive(true).multiplicity("1").addArg(poolArg).addArg(allArg).build())
                .add(jsonArg);
    }

    @Override
    public Integer call() {
        Io io = root.io();
        Map<String, Path> targets = targets();
        boolean json = Options.isSet(jsonArg);
        Output out = new Output(io.out());
        ArrayNode reports = JsonNodeFactory.instance.arrayNode();
        int corrupt = 0;
        Path firstCorrupt = null;
        for (Map.Entry<String, Path> target : targets.entrySet()) {
            DoctorReport report = Pool.doctor(target.getValue());
            if (!report.clean()) {
                corrupt++;
                firstCorrupt = firstCorrupt == null ? target.getValue() : firstCorrupt;
            }
            reports.add(json(target.getKey(), report));
            if (!json) {
                text(out, target.getKey(), report);
            }
        }
        if (json) {
            out.line(PoolCommand.render(io, PoolCommand.wrap("reports", reports)));
        }
        out.flush();
        if (corrupt > 0) {
            throw new PoolException(ErrorKind.CORRUPT, corrupt + " of " + targets.size() + " pools corrupt",
                    corrupt == 1 ? firstCorrupt : null, null, null,
                    "copy out what is readable (rockpool follow --no-follow), then recreate the pool", null);
        }
        return 0;
    }

    /** The pools to examine by name: every pool of the directory, or the one named (NotFound if missing). */
    private Map<String, Path> targets() {
        PoolDirectory dir = root.directory();
        Map<String, Path> targets = new LinkedHashMap<>();
        if (Options.isSet(allArg)) {
            for (Path p : dir.list()) {
                targets.put(PoolDirectory.nameOf(p), p);
            }
            return targets;
        }
        PoolRef pool = poolArg.getValue();
        Path file = dir.pathOf(pool.local("doctor").text());
        if (!Files.exists(file)) {
            throw Hints.missingPool(new PoolException(ErrorKind.NOT_FOUND, "pool not found: " + file, file), pool);
        }
        targets.put(pool.text(), file);
        return targets;
    }

    private static ObjectNode json(String name, DoctorReport report) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        r.put("pool", name);
        r.put("path", report.path().toString());
        r.put("status", report.clean() ? "ok" : "corrupt");
        r.put("messages", report.messageCount());
        ArrayNode issues = r.putArray("issues");
        for (DoctorReport.Issue issue : report.issues()) {
            ObjectNode o = issues.addObject().put("message", issue.message());
            if (issue.seq() != null) {
                o.put("seq", issue.seq());
            }
            if (issue.offset() != null) {
                o.put("offset", issue.offset());
            }
        }
        ArrayNode notes = r.putArray("notes");
        report.notes().forEach(notes::add);
        return r;
    }

    private static void text(Output out, String name, DoctorReport report) {
        out.line((report.clean() ? "OK       " : "CORRUPT  ") + name + "  (" + report.messageCount()
                + " messages, " + report.path() + ")");
        for (DoctorReport.Issue issue : report.issues()) {
            out.line("  issue: " + issue);
        }
        for (String note : report.notes()) {
            out.line("  note: " + note);
        }
    }
}
