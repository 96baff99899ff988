package dev.rockpool.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command of the tool, {@code rockpool} itself included. It declares its arguments once, as picocli's model objects
 * ({@link #arguments()}), and reads their values when it runs. {@link QuickParser} binds the usual command lines to
 * them without starting picocli, whose start alone costs about as much as the JVM's; picocli parses all the rest (help,
 * completion, every mistake) from {@link #spec()}, built of the same objects. A command is made for one run, and only
 * when it is named.
 */
interface CliCommand extends Callable<Integer> {
    /** The command's options, positional parameters and groups. */
    Arguments arguments();

    /** picocli's model of this command alone (its subcommands are added by the caller); built only when picocli parses. */
    CommandSpec spec();

    /** The names of the subcommands, in help order (none for a command that does the work itself). */
    default List<String> subcommandNames() {
        return List.of();
    }

    /** The subcommand called {@code name}, made now, or null when there is none. */
    default CliCommand subcommand(String name) {
        return null;
    }

    /**
     * picocli's model of {@code command}: its name, help texts and arguments, the standard help options after them
     * (where the help lists them), no subcommands.
     */
    static CommandSpec spec(CliCommand command, String name, boolean sortOptions, String... description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description).sortOptions(sortOptions);
        command.arguments().addTo(spec);
        spec.mixinStandardHelpOptions(true);
        return spec;
    }
}
