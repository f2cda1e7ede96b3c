package org.fieldstream.app;

import java.util.Arrays;

import org.fieldstream.producers.IngestCommand;
import org.fieldstream.producers.http.HttpPushServer;
import org.fieldstream.seeds.GenerateMain;
import org.fieldstream.sink.SinkMain;
import org.fieldstream.streams.StreamsMain;
import picocli.CommandLine;

/** The {@code fieldstream} command: one entry point, one subcommand per stage. */
public final class FieldStream {

    private static final String USAGE = """
            usage: fieldstream <command> [args]
              demo                          local Kafka + ClickHouse, a generated program end to end, metrics printed
              up [--data DIR] [--foreground] a local stack for your own data (persistent under var/), left running
              down [--data DIR]             stop the local stack (its data stays)
              status [--data DIR]           processes, lag, rows landed, rejected and dead-lettered counts
              ingest --program P --partner X [--source auto|csv|json|kobo|odk] [--form MAPPING] FILE...
                                            validate, pseudonymise and publish partner files
              serve                         the HTTP push endpoint
              streams                       the retention and outreach topologies
              sink                          events and metrics into ClickHouse
              reference load DIR | show     check and publish a program's reference files (programs, partners, org units, targets)
              partner token PARTNER         issue a push token for a partner (shown once, only its hash kept)
              generate DIR [SEED] [SIZE]    write a generated program's partner files and expected metrics
              report retention|outreach|freshness [--program P] [--partner X] [--district D] [--from yyyy-MM] [--to yyyy-MM] [--html FILE]
              bench [--events N] [--out FILE.json] [--profile]   end-to-end benchmark with its baselines (README, Benchmarks)
              test                          (script only) install what the tests need, run every test
            Settings: defaults, then a properties file (FIELDSTREAM_CONFIG), then FIELDSTREAM_* variables (README).""";

    private FieldStream() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (command) {
            case "demo" -> System.exit(Demo.run(rest, System.getenv(), System.out));
            case "ingest" -> IngestCommand.main(rest);
            case "serve" -> HttpPushServer.main(rest);
            case "streams" -> StreamsMain.main(rest);
            case "sink" -> SinkMain.main(rest);
            case "generate" -> GenerateMain.main(rest);
            case "bench" -> System.exit(org.fieldstream.app.bench.Bench.run(rest, System.getenv(), System.out));
            case "report" -> System.exit(org.fieldstream.reports.ReportCommand.run(rest, System.getenv(), System.out));
            case "up" -> System.exit(new CommandLine(new StackCommand.Up()).execute(rest));
            case "down" -> System.exit(new CommandLine(new StackCommand.Down()).execute(rest));
            case "status" -> System.exit(new CommandLine(new StackCommand.Status()).execute(rest));
            case "reference" -> System.exit(new CommandLine(new ReferenceCommand()).execute(rest));
            case "partner" -> System.exit(new CommandLine(new PartnerCommand()).execute(rest));
            case "help", "--help", "-h" -> System.out.println(USAGE);
            default -> {
                System.err.println("unknown command: " + command);
                System.err.println(USAGE);
                System.exit(2);
            }
        }
    }
}
