package dev.rockpool.cli;

import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command of the tool, {@code rockpool} itself included. It declares its arguments once, as picocli's model objects
 * ({@link #declare()}), and reads their values when it runs. {@link QuickParser} binds the usual command lines to
 * them without starting picocli, whose start alone costs about as much as the JVM's; picocli parses all the rest (help,
 * completion, every mistake) from {@link #spec()}, built of the same objects. A command is made for one run, and only
 * when it is named.
 */
abstract class CliCommand implements Callable<Integer> {
    private final String name;
    private final boolean sortOptions;
    private final String[] description;
    private Arguments arguments;

    /** A command called {@code name}; its help lists the options sorted by name, or as declared. */
    CliCommand(String name, boolean sortOptions, String... description) {
        this.name = name;
        this.sortOptions = sortOptions;
        this.description = description;
    }

    /** Declares the command's options, positional parameters and groups, in help order; called once. */
    Arguments declare() {
        return new Arguments();
    }

    /** The command's options, positional parameters and groups. */
    final Arguments arguments() {
        if (arguments == null) {
            arguments = declare();
        }
        return arguments;
    }

    /**
     * picocli's model of this command alone (the caller adds the subcommands): its name, help texts and arguments, the
     * standard help options after them (where the help lists them). Made only when picocli parses.
     */
    CommandSpec spec() {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(this).name(name);
        spec.usageMessage().description(description).sortOptions(sortOptions);
        arguments().addTo(spec);
        spec.mixinStandardHelpOptions(true);
        return spec;
    }

    /** The names of the subcommands, in help order (none for a command that does the work itself). */
    List<String> subcommandNames() {
        return List.of();
    }

    /** The subcommand called {@code name}, made now, or null when there is none. */
    CliCommand subcommand(String name) {
        return null;
    }
}
