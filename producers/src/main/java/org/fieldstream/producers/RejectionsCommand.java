package org.fieldstream.producers;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.fieldstream.events.ConfigOption;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code rejections --program P --partner X [--since DATE]}: a partner's rejected rows, read from the
 * rejected topic, oldest first: when, where (file and line, request and row, export and instance),
 * the field, the reason and the row as published, with every personal value already {@code [redacted]}
 * at ingest (see producers/LAYOUTS.md). Exit status 0 (also when there is none), 2 for a bad command line,
 * 3 when Kafka did not answer.
 */
public final class RejectionsCommand {

    private RejectionsCommand() {
    }

    @Command(name = "rejections", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List a partner's rejected rows (redacted) from the rejected topic, oldest first.")
    static final class Options {
        @Option(names = "--program", required = true, paramLabel = "P", description = "program id")
        String program;
        @Option(names = "--partner", required = true, paramLabel = "X", description = "partner id")
        String partner;
        @Option(names = "--since", paramLabel = "DATE", description = "only rows rejected on or after this date (yyyy-MM-dd, Asia/Dhaka)")
        String since;
        @Mixin
        ConfigOption config = new ConfigOption();
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options o = new Options();
        CommandLine line = new CommandLine(o);
        Instant since;
        try {
            CommandLine.ParseResult result = line.parseArgs(args.length > 0 && args[0].equals("rejections")
                    ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
            if (result.isUsageHelpRequested()) {
                line.usage(out);
                return IngestCommand.OK;
            }
            since = o.since == null ? Instant.EPOCH : LocalDate.parse(o.since).atStartOfDay(RowConverter.ZONE).toInstant();
        } catch (CommandLine.ParameterException | DateTimeParseException e) {
            err.println(e instanceof DateTimeParseException ? "--since must be a date yyyy-MM-dd" : e.getMessage());
            line.usage(err);
            return IngestCommand.UNUSABLE;
        }
        Path config = o.config.file();
        ProducerSettings settings = ProducerSettings.load(config, env);
        List<RejectedRecord> rows = new ArrayList<>();
        try {
            KafkaClients.awaitBroker(settings);
            KafkaClients.readToEnd(settings, new Topics(settings.topicPrefix()).rejected, (key, r) -> {
                if (o.partner.equals(r.getPartnerId()) && o.program.equals(r.getProgramId())
                        && !r.getRejectedAt().isBefore(since)) {
                    rows.add(r);
                }
            });
        } catch (KafkaClients.BrokerUnreachable e) {
            err.println("cannot list rejections: " + e.getMessage());
            return IngestCommand.KAFKA_UNREACHABLE;
        }
        rows.sort(Comparator.comparing(RejectedRecord::getRejectedAt));
        for (RejectedRecord r : rows) {
            out.println(describe(r));
        }
        out.printf("%d rejected rows of %s / %s%s%n", rows.size(), o.program, o.partner, o.since == null ? "" : " since " + o.since);
        return IngestCommand.OK;
    }

    /** One line: when, source and ref, field, reason, then the redacted row. */
    static String describe(RejectedRecord r) {
        return r.getRejectedAt() + " " + r.getSource() + " " + r.getSourceRef()
                + (r.getField() == null ? "" : " " + r.getField() + ":") + " " + r.getReason() + "  " + r.getRaw();
    }
}
