package dev.rockpool.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binds the usual command lines without starting picocli, whose start (its model, built-in converters and help
 * machinery) costs a short command about as much as the JVM's own. A plain command line (command names, options
 * spelled out in full, {@code --name=value} or {@code --name value}, and positional parameters) is bound here to the
 * very argument objects picocli would fill, with the same conversions; the command then runs as it would after
 * picocli. Everything else is picocli's to parse and to explain: help and version flags, {@code --}, {@code @files},
 * clustered short options, unknown or repeated options, values a converter refuses, missing parameters, group
 * constraints not met, a command that has subcommands run without one ({@code serve} without {@code init} or
 * {@code check}). {@link #bind} then returns null, and picocli parses the whole command line again, resetting every
 * argument first. {@code QuickParserTest} holds the two to the same results.
 */
final class QuickParser {
    private QuickParser() {
    }

    /** The command the arguments name, its arguments bound; null when picocli has to parse them. */
    static CliCommand bind(CliCommand root, String... args) {
        CliCommand command = root;
        Binding binding = new Binding(root.arguments());
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("@") || arg.equals("--")) {
                return null;
            }
            if (isOptionLike(arg)) {
                int consumed = binding.option(args, i);
                if (consumed < 0) {
                    return null;
                }
                i += consumed;
            } else if (!command.subcommandNames().isEmpty()) {
                command = binding.complete() ? command.subcommand(arg) : null;
                if (command == null) {
                    return null;
                }
                binding = new Binding(command.arguments());
            } else if (!binding.positional(arg)) {
                return null;
            }
        }
        return command.subcommandNames().isEmpty() && binding.complete() ? command : null;
    }

    /** What picocli could take for an option name (a lone {@code -} is a value: stdin). */
    private static boolean isOptionLike(String arg) {
        return arg.length() > 1 && arg.charAt(0) == '-';
    }

    /** The arguments of one command and which of them were given. */
    private static final class Binding {
        private final Map<String, OptionSpec> options = new HashMap<>();
        private final List<PositionalParamSpec> positionals = new ArrayList<>();
        private final List<ArgSpec> ungrouped;
        private final List<ArgGroupSpec> groups;
        private final Set<ArgSpec> given = Collections.newSetFromMap(new IdentityHashMap<>());
        private int positionalCount;

        Binding(Arguments arguments) {
            ungrouped = arguments.ungrouped();
            groups = arguments.groups();
            // Loops, not lambdas: the first lambda of a run costs a few ms of method-handle set-up.
            for (ArgSpec arg : ungrouped) {
                index(arg);
            }
            for (ArgGroupSpec group : groups) {
                for (ArgSpec arg : group.args()) {
                    index(arg);
                }
            }
        }

        private void index(ArgSpec arg) {
            if (arg instanceof OptionSpec) {
                for (String name : ((OptionSpec) arg).names()) {
                    options.put(name, (OptionSpec) arg);
                }
            } else {
                positionals.add((PositionalParamSpec) arg);
            }
        }

        /** Binds the option at {@code args[i]}; how many more arguments it took (its value), or -1 for picocli. */
        int option(String[] args, int i) {
            String name = args[i];
            String value = null;
            int separator = name.indexOf('=');
            if (name.startsWith("--") && separator > 0) {
                value = name.substring(separator + 1);
                name = name.substring(0, separator);
            }
            OptionSpec option = options.get(name);
            if (option == null || given.contains(option) && !option.isMultiValue()) {
                return -1;
            }
            int consumed = 0;
            if (isFlag(option)) {
                if (value != null) {
                    return -1;
                }
                option.setValue(Boolean.TRUE);
            } else {
                if (option.arity().min() != 1 || option.arity().max() != 1) {
                    return -1;
                }
                if (value == null) {
                    if (i + 1 >= args.length || isOptionLike(args[i + 1])) {
                        return -1;
                    }
                    value = args[i + 1];
                    consumed = 1;
                }
                if (!bind(option, value)) {
                    return -1;
                }
            }
            given.add(option);
            return consumed;
        }

        /** Binds the next positional parameter; false for picocli (none left, or a refused value). */
        boolean positional(String value) {
            for (PositionalParamSpec p : positionals) {
                if (p.index().contains(positionalCount) && (p.isMultiValue() || !given.contains(p))) {
                    positionalCount++;
                    given.add(p);
                    return bind(p, value);
                }
            }
            return false;
        }

        /**
         * True if nothing is missing and no group rule is broken, as picocli would find it, after giving every option
         * left out its default value; false for picocli.
         */
        boolean complete() {
            for (ArgSpec arg : ungrouped) {
                if (arg.required() && !given.contains(arg)) {
                    return false;
                }
                if (!given.contains(arg) && arg.defaultValue() != null && !bind(arg, arg.defaultValue())) {
                    return false;
                }
            }
            for (ArgGroupSpec group : groups) {
                int count = 0;
                boolean requiredMissing = false;
                for (ArgSpec arg : group.args()) {
                    if (arg.defaultValue() != null) {
                        return false; // picocli gives a group's defaults only with the group: not mirrored here
                    }
                    if (given.contains(arg)) {
                        count++;
                    } else if (arg.required()) {
                        requiredMissing = true;
                    }
                }
                boolean broken = group.exclusive() ? count > 1 : count > 0 && requiredMissing;
                if (broken || count < group.multiplicity().min()) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isFlag(OptionSpec option) {
            return option.arity().max() == 0 && (option.type() == boolean.class || option.type() == Boolean.class);
        }

        /** Converts and sets (or, for a repeatable argument, adds) one value; false if it is not one picocli takes. */
        private static boolean bind(ArgSpec arg, String text) {
            Object value;
            try {
                value = convert(arg, text);
            } catch (Exception e) {
                return false;
            }
            if (arg.isMultiValue()) {
                List<Object> values = arg.getValue();
                if (values == null) {
                    values = new ArrayList<>();
                    arg.setValue(values);
                }
                values.add(value);
            } else {
                arg.setValue(value);
            }
            return true;
        }

        /** The value as picocli converts it: the argument's own converter, else its built-in one for the type. */
        private static Object convert(ArgSpec arg, String text) throws Exception {
            ITypeConverter<?>[] converters = arg.converters();
            if (converters.length > 0) {
                return converters[0].convert(text);
            }
            Class<?> type = arg.isMultiValue() ? arg.auxiliaryTypes()[0] : arg.type();
            if (type == String.class) {
                return text;
            } else if (type == Long.class || type == long.class) {
                return Long.valueOf(text);
            } else if (type == Path.class) {
                return Paths.get(text);
            } else if (type.isEnum()) {
                return enumConstant(type, text);
            }
            throw new IllegalArgumentException("no quick conversion to " + type);
        }

        /** picocli's enum conversion with case-insensitive values allowed: by name, else by text, any case. */
        private static Object enumConstant(Class<?> type, String text) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(text)) {
                    return constant;
                }
            }
            for (Object constant : type.getEnumConstants()) {
                if (text.equalsIgnoreCase(constant.toString()) || text.equalsIgnoreCase(((Enum<?>) constant).name())) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("not a constant of " + type + ": " + text);
        }
    }
}
