package dev.rockpool.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The shell examples of a markdown document, as {@link DocsIT} runs them. The conventions, which a reader of the
 * document also understands:
 * <ul>
 *   <li>Fenced blocks tagged {@code sh}, {@code bash}, {@code shell} or {@code console} are run; others (json,
 *       properties) are not.</li>
 *   <li>A block with lines starting {@code $ } is a transcript: each {@code $ } line is a command, the lines after it
 *       are its output. Otherwise every line is a command, continued on the next line after a trailing {@code \},
 *       {@code |}, {@code &&} or {@code ||}; {@code #} lines are comments.</li>
 *   <li>{@code # → TEXT}, on a line of its own after a command or at the end of the command's last line, is a line
 *       of its output; {@code # → exit N} its exit code (0 when not given). In output lines {@code ...} stands for
 *       any text, and times (RFC 3339) and pool ids match any time and any id.</li>
 *   <li>A command whose comment, or the comment line right before it, says {@code not run by the docs test} (and
 *       why) is not run; the test lists it.</li>
 * </ul>
 */
final class DocExamples {
    private static final Set<String> SHELL_LANGUAGES = Set.of("sh", "bash", "shell", "console");
    private static final Pattern FENCE = Pattern.compile("^```\\s*([A-Za-z]*).*$");
    private static final Pattern EXPECT_LINE = Pattern.compile("^#\\s*→\\s?(.*)$");
    private static final Pattern EXPECT_TRAILING = Pattern.compile("\\s#\\s*→\\s?(.*)$");
    private static final Pattern EXIT = Pattern.compile("exit (\\d+)");
    /** A trailing comment: blank, '#', blank (a '#' inside a sed expression such as s#a#b# is not one). */
    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s#\\s.*$");
    private static final Pattern NOT_RUN = Pattern.compile("#\\s*(.*not run by the docs test.*)$");
    private static final Pattern TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern POOL_ID = Pattern.compile("\\b[0-9a-f]{32}\\b");
    private static final Pattern CONTINUED = Pattern.compile("(\\\\|\\||&&)\\s*$");

    private DocExamples() {
    }

    /**
     * One command of a document and what the document says it does.
     *
     * @param line     line of the document where the command starts (1-based)
     * @param expected output lines the document shows, in order ({@code ...} stands for any text)
     * @param notRun   why the command is not run, or null
     */
    record Step(String doc, int line, String command, List<String> expected, int exitCode, String notRun) {
        String where() {
            return doc + ":" + line;
        }

        /** The step with each key of {@code substitutions} replaced by its value, in its command and output. */
        Step substituted(Map<String, String> substitutions) {
            return new Step(doc, line, substitute(command, substitutions),
                    expected.stream().map(e -> substitute(e, substitutions)).toList(), exitCode, notRun);
        }

        private static String substitute(String text, Map<String, String> substitutions) {
            String result = text;
            for (Map.Entry<String, String> s : substitutions.entrySet()) {
                result = result.replace(s.getKey(), s.getValue());
            }
            return result;
        }
    }

    /**
     * Null when a command did what its step says, else what differs: its exit code, and each expected output line
     * found in {@code output} after the previous one (other lines may come between; a terminal shows a background
     * job's output too).
     */
    static String check(Step step, int exitCode, String output) {
        List<String> actual = output.lines().map(DocExamples::normalise).toList();
        List<String> problems = new ArrayList<>();
        if (exitCode != step.exitCode()) {
            problems.add("exit " + exitCode + ", the document says " + step.exitCode());
        }
        int from = 0;
        for (String expected : step.expected()) {
            Pattern pattern = pattern(normalise(expected));
            int found = from;
            while (found < actual.size() && !pattern.matcher(actual.get(found)).matches()) {
                found++;
            }
            if (found == actual.size()) {
                problems.add("missing (after the lines matched so far): " + expected);
            } else {
                from = found + 1;
            }
        }
        return problems.isEmpty() ? null : String.join("\n", problems) + "\n--- it printed:\n" + output;
    }

    /** Times, pool ids and runs of blanks differ from run to run and from the document: each becomes one form. */
    static String normalise(String line) {
        String timeless = TIME.matcher(line).replaceAll("<time>");
        return POOL_ID.matcher(timeless).replaceAll("<id>").strip().replaceAll("\\s+", " ");
    }

    /** A document's output line as a pattern: {@code ...} stands for any text. */
    static Pattern pattern(String expected) {
        return Pattern.compile(Stream.of(expected.split("\\.\\.\\.", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }

    /** The steps of {@code doc} (a path relative to {@code root}), in document order. */
    static List<Step> read(Path root, String doc) {
        try {
            return parse(doc, Files.readAllLines(root.resolve(doc), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The steps of the markdown {@code lines} of {@code doc}, in document order. */
    static List<Step> parse(String doc, List<String> lines) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher fence = FENCE.matcher(lines.get(i));
            if (!fence.matches()) {
                continue;
            }
            int first = i + 1;
            int end = first;
            while (end < lines.size() && !lines.get(end).startsWith("```")) {
                end++;
            }
            if (SHELL_LANGUAGES.contains(fence.group(1))) {
                List<String> block = lines.subList(first, end);
                boolean transcript = block.stream().anyMatch(l -> l.startsWith("$ "));
                steps.addAll(transcript ? transcript(doc, first + 1, block) : script(doc, first + 1, block));
            }
            i = end;
        }
        return steps;
    }

    /** {@code $ command} lines, each followed by its output. */
    private static List<Step> transcript(String doc, int firstLine, List<String> block) {
        List<Step> steps = new ArrayList<>();
        StepBuilder current = null;
        for (int k = 0; k < block.size(); k++) {
            String line = block.get(k);
            if (line.startsWith("$ ")) {
                current = finish(steps, current);
                current = new StepBuilder(doc, firstLine + k, line.substring(2));
            } else if (current != null && current.continued()) {
                current.append(line);
            } else if (current != null && !line.isBlank()) {
                current.expected.add(line);
            }
        }
        finish(steps, current);
        return steps;
    }

    /** Command lines with {@code # →} expectations. */
    private static List<Step> script(String doc, int firstLine, List<String> block) {
        List<Step> steps = new ArrayList<>();
        StepBuilder current = null;
        String notRunNext = null;
        for (int k = 0; k < block.size(); k++) {
            String line = block.get(k);
            Matcher expect = EXPECT_LINE.matcher(line.strip());
            Matcher notRun = NOT_RUN.matcher(line.strip());
            if (line.isBlank() || line.strip().startsWith("#")) {
                if (current != null && current.continued()) {
                    throw new IllegalStateException(doc + ":" + (firstLine + k) + ": a command continues into a "
                            + "comment or a blank line");
                }
                if (expect.matches() && current != null) {
                    current.expect(expect.group(1));
                } else if (notRun.lookingAt()) {
                    notRunNext = notRun.group(1).strip();
                }
            } else if (current != null && current.continued()) {
                current.append(line);
            } else {
                current = finish(steps, current);
                current = new StepBuilder(doc, firstLine + k, line);
                current.notRun = current.notRun == null ? notRunNext : current.notRun;
                notRunNext = null;
            }
        }
        finish(steps, current);
        return steps;
    }

    private static StepBuilder finish(List<Step> steps, StepBuilder builder) {
        if (builder != null) {
            steps.add(builder.build());
        }
        return null;
    }

    private static final class StepBuilder {
        final String doc;
        final int line;
        final StringBuilder command = new StringBuilder();
        final List<String> expected = new ArrayList<>();
        int exitCode;
        String notRun;

        StepBuilder(String doc, int line, String first) {
            this.doc = doc;
            this.line = line;
            append(first);
        }

        void append(String text) {
            if (command.length() > 0) {
                command.append('\n');
            }
            command.append(text);
            Matcher trailing = EXPECT_TRAILING.matcher(text);
            if (trailing.find()) {
                expect(trailing.group(1));
            }
            Matcher notRunComment = NOT_RUN.matcher(text);
            if (notRunComment.find()) {
                notRun = notRunComment.group(1).strip();
            }
        }

        void expect(String text) {
            Matcher exit = EXIT.matcher(text.strip());
            if (exit.matches()) {
                exitCode = Integer.parseInt(exit.group(1));
            } else {
                expected.add(text);
            }
        }

        /** Whether the command goes on on the next line. */
        boolean continued() {
            String last = command.substring(command.lastIndexOf("\n") + 1);
            return CONTINUED.matcher(TRAILING_COMMENT.matcher(last).replaceFirst("")).find();
        }

        Step build() {
            return new Step(doc, line, command.toString(), List.copyOf(expected), exitCode, notRun);
        }
    }
}
