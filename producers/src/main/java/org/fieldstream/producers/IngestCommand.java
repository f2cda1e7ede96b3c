package org.fieldstream.producers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fieldstream.events.ConfigOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code ingest --program P --partner X [--source auto|csv|json|kobo|odk] [--form MAPPING] [--config FILE] [--base DIR] [--dry-run] FILE...}
 *
 * <p>Reads partner files, publishes accepted rows as events and bad rows as rejections, prints progress
 * to stderr and a summary to stdout: per file, rows accepted and rejected, and the accepted ones as new,
 * already there or superseded against the events topic ({@link LandedRecords}). {@code --dry-run} reads,
 * validates and summarises the same way and publishes nothing. Exit status: 0 when every file was read (whatever rows were
 * rejected), 2 for unusable input or configuration (missing file, unknown layout, missing secret,
 * partner not in program, a secret missing or not the program's), 1 when Kafka did not acknowledge (send again: event
 * ids are deterministic), 3 when Kafka did not answer, 4 when the data folder's disk is short of space.
 * FILEs are named in source refs as given (relative to {@code --base DIR} when set), so
 * {@code ndp/2026-01/attendance.csv:17} stays unambiguous. CSV files are processed in layout order (cohorts, dialogues, sessions, ...) whatever order they are
 * given in, so rows can refer to cohorts registered in the same run.
 */
public final class IngestCommand {

    public static final int OK = 0;
    public static final int PUBLISH_FAILED = 1;
    public static final int UNUSABLE = 2;
    public static final int KAFKA_UNREACHABLE = 3;
    public static final int DISK_LOW = 4;

    private IngestCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Parsed command line; {@code base}, when given, is the folder FILEs are relative to (and named from). */
    record Arguments(String program, String partner, String source, String form, Path config, Path base, List<String> files,
                     boolean dryRun) {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Arguments a;
        try {
            a = parse(args, out);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            new CommandLine(new Options()).usage(err);
            return UNUSABLE;
        }
        if (a == null) {
            return OK;
        }
        List<RowSource> sources = new ArrayList<>();
        try (IngestSession session = IngestSession.open(a.config(), env)) {
            Map<String, RowConverter> converters = session.converters(a.program(), a.partner());
            sources = InputFiles.open(new InputFiles.Selection(a.source(), a.form(), a.base(), a.files()), session.maxRowBytes());
            return publish(session, converters, sources, new LandedRecords(a.program(), a.partner()), a.dryRun(), out, err);
        } catch (KafkaClients.BrokerUnreachable e) {
            err.println("cannot ingest: " + e.getMessage());
            return KAFKA_UNREACHABLE;
        } catch (DiskGuard.DiskLow e) {
            err.println("cannot ingest: " + e.getMessage());
            return DISK_LOW;
        } catch (UnusableInputException | IllegalStateException e) {
            err.println("cannot ingest: " + e.getMessage());
            return UNUSABLE;
        } catch (IOException e) {
            err.println("cannot read input: " + e.getMessage());
            return UNUSABLE;
        } finally {
            InputFiles.closeAll(sources);
        }
    }

    private static int publish(IngestSession session, Map<String, RowConverter> converters, List<RowSource> sources,
                               LandedRecords landed, boolean dryRun, PrintStream out, PrintStream err) throws IOException {
        List<Ingest.Result> results = new ArrayList<>();
        Progress progress = new Progress(err, System::nanoTime);
        try {
            session.publish(converters, sources, progress, results, landed, dryRun);
        } catch (EventPublisher.PublishException | org.apache.kafka.common.KafkaException e) {
            err.println("cannot ingest: " + e.getMessage());
            printSummary(results, progress, dryRun, out);
            return PUBLISH_FAILED;
        }
        printSummary(results, progress, dryRun, out);
        return OK;
    }

    /** The command line, as picocli reads it; {@link #arguments} checks what it cannot. */
    @Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Validate, pseudonymise and publish partner files: accepted rows as events, bad rows as "
                    + "rejections with file, line, field and reason.",
            exitCodeListHeading = "%nExit status:%n",
            exitCodeList = {"0:every file was read (whatever rows were rejected)",
                "1:Kafka did not acknowledge everything (send again: event ids are deterministic)",
                "2:unusable input or configuration (a missing file, an unknown layout, a partner not in the program, a"
                        + " missing secret or one that is not the program's)",
                "3:Kafka did not answer (nothing was published; see ./fieldstream status)",
                "4:the data folder's disk is short of space (nothing was published)"})
    static final class Options {
        @Option(names = "--program", required = true, paramLabel = "P", description = "program id")
        String program;
        @Option(names = "--partner", required = true, paramLabel = "X", description = "partner id (one of the program's)")
        String partner;
        @Option(names = "--source", paramLabel = "KIND", defaultValue = "auto",
                description = "auto (by file name), csv, json, kobo or odk (default: ${DEFAULT-VALUE})")
        String source;
        @Option(names = "--form", paramLabel = "MAPPING", description = "form mapping (a bundled name or a file), for kobo and odk")
        String form;
        @Mixin
        ConfigOption config = new ConfigOption();
        @Option(names = "--base", paramLabel = "DIR", description = "folder FILEs are relative to, and named from")
        Path base;
        @Option(names = "--dry-run", description = "read, validate and summarise as an ingest would; publish nothing")
        boolean dryRun;
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "partner files, in any order")
        List<String> files;
    }

    /** Parses and checks a command line; {@code null} when it asked for help (printed to {@code out}). */
    static Arguments parse(String[] args, PrintStream out) {
        Options o = new Options();
        CommandLine line = new CommandLine(o);
        try {
            CommandLine.ParseResult result = line.parseArgs(args.length > 0 && args[0].equals("ingest")
                    ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
            if (result.isUsageHelpRequested()) {
                line.usage(out);
                return null;
            }
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return arguments(o);
    }

    static Arguments parse(String[] args) {
        return parse(args, new PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    private static Arguments arguments(Options o) {
        String source = o.source.toLowerCase(Locale.ROOT);
        if (!List.of("auto", "csv", "json", "kobo", "odk").contains(source)) {
            throw new IllegalArgumentException("--source must be auto, csv, json, kobo or odk");
        }
        if ((source.equals("kobo") || source.equals("odk")) && o.form == null) {
            throw new IllegalArgumentException("--source " + source + " needs --form (a mapping name or file)");
        }
        return new Arguments(o.program, o.partner, source, o.form, o.config.file(), o.base, List.copyOf(o.files), o.dryRun);
    }

    private static void printSummary(List<Ingest.Result> results, Progress progress, boolean dryRun, PrintStream out) {
        long accepted = 0;
        long rejected = 0;
        if (dryRun) {
            out.println("dry run: nothing was published; an ingest of these files would give:");
        }
        for (Ingest.Result r : results) {
            out.printf(Locale.ROOT, "%s%s: %d rows, %d accepted, %d rejected%s%n", r.name(),
                    r.layout() == null ? "" : " (" + r.layout().id() + ")", r.rows(), r.accepted(), r.rejected(),
                    r.failed() == 0 ? "" : ", " + r.failed() + " not acknowledged by Kafka");
            if (r.standings() != null) {
                out.printf(Locale.ROOT, "  accepted: %d new, %d already there, %d superseded%n", r.standings().fresh(),
                        r.standings().alreadyThere(), r.standings().superseded());
                if (r.standings().retracted() > 0) {
                    out.printf(Locale.ROOT, "  retracted: %d records of earlier submission versions that the latest version "
                            + "no longer gives%n", r.standings().retracted());
                }
                if (r.standings().waiting() > 0) {
                    out.printf(Locale.ROOT, "  waiting: %d accepted rows name a cohort or dialogue whose registration was "
                            + "rejected in this run; they count nowhere until a registration lands%n", r.standings().waiting());
                }
            }
            r.firstRejections().forEach(d -> out.println("  rejected " + d));
            if (r.rejected() > r.firstRejections().size()) {
                out.println("  ... " + (r.rejected() - r.firstRejections().size()) + " more on the rejected topic");
            }
            accepted += r.accepted();
            rejected += r.rejected();
        }
        out.printf(Locale.ROOT, "total: %d accepted, %d rejected (%.0f rows/s)%n", accepted, rejected, progress.rowsPerSecond());
    }
}
