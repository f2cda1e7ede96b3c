package org.fieldstream.events;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, the settings file of every stage and command (a picocli mixin). Without it,
 * {@link Settings} reads the file {@code FIELDSTREAM_CONFIG} names, if any.
 */
public final class ConfigOption {

    @Option(names = "--config", paramLabel = "FILE",
            description = "settings file (default: the file " + Settings.CONFIG_VARIABLE + " names; docs/operations.md, \"Configuration\")")
    private Path file;

    /** The file given, or null: then {@link Settings} reads the one {@code FIELDSTREAM_CONFIG} names. */
    public Path file() {
        return file;
    }

    /** {@code --config FILE} as arguments for another command line, none when no file was given. */
    public String[] arguments() {
        return file == null ? new String[0] : new String[] {"--config", file.toString()};
    }
}
