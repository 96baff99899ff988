package dev.rockpool.cli;

import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The options, positional parameters and groups of one command, in the order its help lists them: picocli's own model
 * objects, so that {@link QuickParser} and picocli parse against the same declarations. Making them does not start
 * picocli (its {@code CommandLine} is built only by {@link #addTo}).
 */
final class Arguments {
    private final List<Object> inOrder = new ArrayList<>();
    private final List<ArgSpec> ungrouped = new ArrayList<>();
    private final List<ArgGroupSpec> groups = new ArrayList<>();

    /** Options or positional parameters outside any group. */
    Arguments add(ArgSpec... args) {
        for (ArgSpec arg : args) {
            inOrder.add(arg);
            ungrouped.add(arg);
        }
        return this;
    }

    /** A group: options that exclude each other, or go together. */
    Arguments add(ArgGroupSpec group) {
        inOrder.add(group);
        groups.add(group);
        return this;
    }

    /** Everything of {@code other}, here, in its order. */
    Arguments add(Arguments other) {
        for (Object item : other.inOrder) {
            if (item instanceof ArgGroupSpec) {
                add((ArgGroupSpec) item);
            } else {
                add((ArgSpec) item);
            }
        }
        return this;
    }

    /** The options and positional parameters outside groups. */
    List<ArgSpec> ungrouped() {
        return ungrouped;
    }

    List<ArgGroupSpec> groups() {
        return groups;
    }

    /** Adds all of them to picocli's model of the command, in help order. */
    void addTo(CommandSpec spec) {
        for (Object item : inOrder) {
            if (item instanceof ArgGroupSpec) {
                spec.addArgGroup((ArgGroupSpec) item);
            } else if (item instanceof OptionSpec) {
                spec.addOption((OptionSpec) item);
            } else {
                spec.addPositional((PositionalParamSpec) item);
            }
        }
    }
}
