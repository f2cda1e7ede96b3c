package org.fieldstream.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

import org.fieldstream.events.ConfigOption;
import org.fieldstream.events.StageCommand;
import org.fieldstream.events.StageExit;
import org.fieldstream.producers.IngestCommand;
import org.fieldstream.producers.RejectionsCommand;
import org.fieldstream.producers.http.HttpPushServer;
import org.fieldstream.reports.DashboardServer;
import org.fieldstream.reports.ExplainCommand;
import org.fieldstream.reports.ReportCommand;
import org.fieldstream.schema.ClusterTables;
import org.fieldstream.seeds.GenerateMain;
import org.fieldstream.sink.SinkMain;
import org.fieldstream.streams.StateCleanup;
import org.fieldstream.streams.StreamsMain;
import org.fieldstream.streams.StreamsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;
import picocli.CommandLine;

/**
 * The {@code fieldstream} command: one entry point, one subcommand per stage and task, {@code --help}
 * on each. Settings: defaults, then a properties file ({@code --config} or FIELDSTREAM_CONFIG; the
 * local stack's {@code var/fieldstream.properties} when {@code up} has run), then FIELDSTREAM_*
 * variables (docs/operations.md, "Configuration").
 */
@Command(name = "fieldstream", mixinStandardHelpOptions = true, versionProvider = FieldStream.Version.class,
        description = "FieldStream: partner field records to retention and outreach metrics in ClickHouse.",
        subcommands = {ReferenceCommand.class, PartnerCommand.class, FieldStream.Ingest.class, FieldStream.Rejections.class, FieldStream.Serve.class,
            FieldStream.Streams.class, FieldStream.StreamsCleanup.class, FieldStream.Sink.class, FieldStream.ClusterTablesCommand.class, FieldStream.Report.class,
            FieldStream.Explain.class, FieldStream.Dashboard.class,
            FieldStream.Generate.class},
        footer = {"", "Quick start: ./fieldstream demo; your own data: ./fieldstream up (README)."})
public final class FieldStream {

    public static void main(String[] args) {
        ProcessLog.install(args, System.getenv());
        CommandLine commandLine = commandLine();
        commandLine.setErr(new PrintWriter(ProcessLog.console(), true));
        System.exit(commandLine.execute(args));
    }

    /**
     * The stage subcommands, then those of every {@link Subcommands} on the class path (the local stack,
     * demo, backup and bench when the app module is there), then {@code help}.
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new FieldStream());
        for (Subcommands more : ServiceLoader.load(Subcommands.class)) {
            more.commands().forEach(commandLine::addSubcommand);
        }
        return commandLine.addSubcommand(new CommandLine.HelpCommand());
    }

    /**
     * Subcommands a module adds to {@code fieldstream} when it is on the class path, named in its
     * {@code META-INF/services/org.fieldstream.app.FieldStream$Subcommands}.
     */
    public interface Subcommands {
        /** Picocli command objects, each with its {@code @Command} name. */
        List<Object> commands();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FieldStream.class.getPackage().getImplementationVersion();
            return new String[] {"fieldstream " + (version == null ? "(development build)" : version)};
        }
    }

    /** A stage or command with its own full command line, passed on as given (its own {@code --help} included). */
    abstract static class PassThrough implements Callable<Integer> {
        @Unmatched
        List<String> args = new ArrayList<>();

        String[] args() {
            return args.toArray(String[]::new);
        }
    }

    @Command(name = "ingest", description = "Validate, pseudonymise and publish partner files (ingest --help for options).")
    static final class Ingest extends PassThrough {
        @Override
        public Integer call() {
            return IngestCommand.run(args(), System.getenv(), System.out, ProcessLog.console());
        }
    }

    @Command(name = "rejections", description = "A partner's rejected rows, redacted, from the rejected topic (rejections --help for options).")
    static final class Rejections extends PassThrough {
        @Override
        public Integer call() {
            return RejectionsCommand.run(args(), System.getenv(), System.out, ProcessLog.console());
        }
    }

    @Command(name = "report", description = "Retention, outreach and freshness tables (report --help for options).")
    static final class Report extends PassThrough {
        @Override
        public Integer call() {
            return ReportCommand.run(args(), System.getenv(), System.out);
        }
    }

    @Command(name = "explain", description = "The persons a figure counts (cohort, survival point, outreach cell, dialogue, target actual) and the records behind each (explain --help for options).")
    static final class Explain extends PassThrough {
        @Override
        public Integer call() {
            return ExplainCommand.run(args(), System.getenv(), System.out);
        }
    }

    @Command(name = "dashboard", description = "The dashboard page over HTTP, http://127.0.0.1:8089/ by default (dashboard --help for options).")
    static final class Dashboard extends PassThrough {
        @Override
        public Integer call() throws Exception {
            StageExit.exitOnUncaughtException();
            return DashboardServer.run(args(), System.getenv(), System.out);
        }
    }

    @Command(name = "serve", description = "The HTTP push endpoint: POST /v1/programs/{program}/partners/{partner}/batches (serve --help for options).")
    static final class Serve extends PassThrough {
        @Override
        public Integer call() {
            return StageCommand.execute(new HttpPushServer.Serve(), args());
        }
    }

    @Command(name = "streams", description = "The retention and outreach topologies, exactly_once_v2 (streams --help for options).")
    static final class Streams extends PassThrough {
        @Override
        public Integer call() {
            return StreamsMain.run(args());
        }
    }

    @Command(name = "streams-cleanup", mixinStandardHelpOptions = true,
            description = {"Once the streams application has caught up with the event log, delete what its older state formats "
                    + "left (<streams.application.id>-state<M>: consumer group, internal topics, state directory) and print it.",
                "Exits 1, removing nothing, while it has not caught up."})
    static final class StreamsCleanup implements Callable<Integer> {
        @Mixin
        ConfigOption config = new ConfigOption();

        @Override
        public Integer call() {
            return StateCleanup.run(StreamsSettings.load(config.file(), System.getenv()), System.out);
        }
    }

    @Command(name = "sink", description = "Events, metrics, reference data and dead letters into ClickHouse; applies migrations at start "
            + "(sink --help for options).")
    static final class Sink extends PassThrough {
        @Override
        public Integer call() {
            return SinkMain.exec(args());
        }
    }

    @Command(name = "generate", description = "Write a generated program's partner files, manifest and expected metrics (generate --help).")
    static final class Generate extends PassThrough {
        @Override
        public Integer call() {
            return GenerateMain.run(args());
        }
    }

    @Command(name = "cluster-tables", mixinStandardHelpOptions = true,
            description = "Print the tables of a ClickHouse cluster (sql/cluster/tables.sql, each Avro table's columns from its schema) "
                    + "for clickhouse-client --multiquery (docs/operations.md).")
    static final class ClusterTablesCommand implements Callable<Integer> {
        @Option(names = "--db", defaultValue = "fieldstream", description = "database name (default: ${DEFAULT-VALUE})")
        String db;

        @Override
        public Integer call() {
            ClusterTables.statements(db).forEach(statement -> System.out.println(statement + ";\n"));
            return 0;
        }
    }
}
