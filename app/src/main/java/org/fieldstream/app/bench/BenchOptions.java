package org.fieldstream.app.bench;

import java.io.PrintStream;
import java.nio.file.Path;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fieldstream bench [--events N] [--out FILE.json] [--freshness-seconds S] [--family-tries N] [--profile] [--cluster]}. */
record BenchOptions(long events, Path out, int freshnessSeconds, int familyTries, boolean profile, boolean cluster) {

    static final long DEFAULT_EVENTS = 2_000_000;
    static final long MAX_EVENTS = 20_000_000;

    @Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
            description = "The end-to-end benchmark: its own Kafka and ClickHouse under var/bench, a generated program "
                    + "ingested, streams and sink in their own JVMs, figures printed next to baselines of the same run.")
    static final class Line {
        @Option(names = "--events", paramLabel = "N", defaultValue = "2000000",
                description = "about how many events (default ${DEFAULT-VALUE}, at most 20000000)")
        long events;
        @Option(names = "--out", paramLabel = "FILE.json", description = "also write the figures as JSON")
        Path out;
        @Option(names = "--freshness-seconds", paramLabel = "S", defaultValue = "20",
                description = "how long freshness is probed (default ${DEFAULT-VALUE})")
        int freshnessSeconds;
        @Option(names = "--family-tries", paramLabel = "N", defaultValue = "20",
                description = "pushes per metric family for the freshness of every family, idle and again under load "
                        + "(default ${DEFAULT-VALUE})")
        int familyTries;
        @Option(names = "--profile", description = "JFR recordings of the streams and sink processes")
        boolean profile;
        @Option(names = "--cluster", description = "three Kafka brokers (replication 3, min.insync.replicas 2) and two "
                + "streams instances with a standby replica each, instead of one broker and one instance")
        boolean cluster;
    }

    /** Parses and checks; null when help was asked for (printed to {@code out}). */
    static BenchOptions parse(String[] args, PrintStream out) {
        Line line = new Line();
        CommandLine command = new CommandLine(line);
        try {
            if (command.parseArgs(args).isUsageHelpRequested()) {
                command.usage(out);
                return null;
            }
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (line.events < 1000 || line.events > MAX_EVENTS) {
            throw new IllegalArgumentException("--events must be between 1000 and " + MAX_EVENTS);
        }
        if (line.freshnessSeconds < 1) {
            throw new IllegalArgumentException("--freshness-seconds must be at least 1");
        }
        if (line.familyTries < 1) {
            throw new IllegalArgumentException("--family-tries must be at least 1");
        }
        return new BenchOptions(line.events, line.out, line.freshnessSeconds, line.familyTries, line.profile, line.cluster);
    }

    static BenchOptions parse(String[] args) {
        return parse(args, new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    static String usage() {
        return new CommandLine(new Line()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }
}
