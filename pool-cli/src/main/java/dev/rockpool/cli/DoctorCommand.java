package dev.rockpool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rockpool.pool.DoctorReport;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolDirectory;
import dev.rockpool.pool.PoolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code rockpool doctor POOL | --all}: validates the header, every frame and every index slot. Prints one report per
 * pool ({@code OK}/{@code CORRUPT} lines, or {@code {"reports":[...]}} with {@code --json}); exit 7 (Corrupt) when
 * any pool is corrupt, with a Corrupt error on stderr naming how many.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Validate pools (header, every frame, every index slot); exit 7 when one is corrupt.")
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    Rockpool root;

    @Parameters(index = "0", arity = "0..1", paramLabel = "POOL", description = "Pool name (or a path).")
    String poolRef;

    @Option(names = "--all", description = "Validate every pool of the directory.")
    boolean all;

    @Option(names = "--json", description = "Print {\"reports\":[...]} instead of text.")
    boolean json;

    @Override
    public Integer call() {
        Io io = root.io();
        if (all == (poolRef != null)) {
            throw new PoolException(ErrorKind.USAGE, "give either POOL or --all");
        }
        PoolDirectory dir = root.directory();
        List<String> names = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        if (all) {
            for (Path p : dir.list()) {
                names.add(PoolDirectory.nameOf(p));
                files.add(p);
            }
        } else {
            Path file = dir.pathOf(Rockpool.checkRef(poolRef));
            if (!Files.exists(file)) {
                throw new PoolException(ErrorKind.NOT_FOUND, "no such pool: " + file, file);
            }
            names.add(poolRef);
            files.add(file);
        }
        Output out = new Output(io.out());
        ArrayNode reports = JsonNodeFactory.instance.arrayNode();
        int corrupt = 0;
        Path firstCorrupt = null;
        for (int i = 0; i < files.size(); i++) {
            DoctorReport report = Pool.doctor(files.get(i));
            if (!report.clean()) {
                corrupt++;
                firstCorrupt = firstCorrupt == null ? files.get(i) : firstCorrupt;
            }
            ObjectNode r = reports.addObject();
            r.put("pool", names.get(i));
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
            if (!json) {
                out.line((report.clean() ? "OK       " : "CORRUPT  ") + names.get(i) + "  (" + report.messageCount()
                        + " messages, " + report.path() + ")");
                for (DoctorReport.Issue issue : report.issues()) {
                    out.line("  issue: " + issue);
                }
                for (String note : report.notes()) {
                    out.line("  note: " + note);
                }
            }
        }
        if (json) {
            out.line(PoolCommand.render(io, PoolCommand.wrap("reports", reports)));
        }
        out.flush();
        if (corrupt > 0) {
            throw new PoolException(ErrorKind.CORRUPT, corrupt + " of " + files.size() + " pools corrupt",
                    corrupt == 1 ? firstCorrupt : null, null, null,
                    "copy out what is readable (rockpool follow --no-follow), then recreate the pool", null);
        }
        return 0;
    }
}
