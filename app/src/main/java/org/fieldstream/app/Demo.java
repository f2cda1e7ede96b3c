package org.fieldstream.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.LocalServices;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reports.ReportCommand;
import org.fieldstream.seeds.ExpectedMetrics;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;

/**
 * The demo: real Kafka and ClickHouse on free loopback ports, a generated program pushed through
 * ingest → streams → sink, and the metrics read back from ClickHouse. The landed figures are checked
 * against the generator's own expectation before they are printed, so a wrong pipeline fails loudly.
 * Usage: {@code fieldstream demo [seed] [size]}.
 */
final class Demo {

    private static final Duration WAIT_FOR_METRICS = Duration.ofSeconds(180);
    private static final String DATABASE = "fieldstream";

    private Demo() {
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) throws Exception {
        Path work = (env.containsKey("FIELDSTREAM_DEMO_DIR") ? Path.of(env.get("FIELDSTREAM_DEMO_DIR")) : LocalRun.home().resolve("var/demo")).toAbsolutePath();
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42L;
        Size size = args.length > 1 ? Size.parse(args[1]) : Size.DEMO;
        LocalRun.clearDirectory(work);
        out.println("Starting a Kafka broker and a ClickHouse server on free loopback ports (" + work + ") ...");
        ReferenceData reference = ReferenceData.bundled();
        try (LocalServices services = LocalServices.start(work.resolve("services"))) {
            String clickHouseUrl = "http://127.0.0.1:" + services.clickHouse().httpPort();
            Map<String, String> settings = Map.of(
                    "FIELDSTREAM_BOOTSTRAP_SERVERS", services.kafka().bootstrapServers(),
                    "FIELDSTREAM_CLICKHOUSE_URL", clickHouseUrl,
                    "FIELDSTREAM_CLICKHOUSE_DATABASE", DATABASE,
                    "FIELDSTREAM_STREAMS_STATE_DIR", work.resolve("streams-state").toString());
            try (Pipeline pipeline = Pipeline.start(settings, reference);
                 ClickHouseGateway clickHouse = new ClickHouseGateway(clickHouseUrl, "default", "")) {
                out.printf("Generating a program (seed %d, size %s) ...%n", seed, size.name());
                Path input = work.resolve("input");
                ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, seed, size).generate(input);
                out.printf("Ingesting %d partner files (%d rows, %d of them planted malformed) ...%n",
                        scenario.manifest().size(), scenario.rows(), scenario.rejected().size());
                List<String> rejections = pipeline.ingest(scenario, input, reference);
                out.println("Rejected rows are reported with file, line, field and reason; the run goes on:");
                rejections.forEach(r -> out.println("  " + r));

                // Compared per cohort, dialogue and outreach grain: person ids do not enter the comparison.
                ExpectedMetrics expected = scenario.expected(reference, Function.identity());
                out.println("Waiting for the metrics to land in ClickHouse ...");
                boolean matched = MetricsCheck.awaitMatch(clickHouse, DATABASE, expected, WAIT_FOR_METRICS, out);
                out.println();
                Map<String, String> reportEnv = Map.of("FIELDSTREAM_CLICKHOUSE_URL", clickHouseUrl,
                        "FIELDSTREAM_CLICKHOUSE_DATABASE", DATABASE);
                ReportCommand.run(new String[] {"retention"}, reportEnv, out);
                out.println();
                ReportCommand.run(new String[] {"outreach"}, reportEnv, out);
                out.println();
                howToQuery(services, out);
                if (!matched) {
                    out.println("The metrics in ClickHouse did not reach the generator's expected values within "
                            + WAIT_FOR_METRICS.toSeconds() + " s (differences above).");
                    return 1;
                }
                out.println("Every landed metric equals the generator's independently computed expectation.");
                waitForEnterIfInteractive(out);
            }
        }
        return 0;
    }

    private static void howToQuery(LocalServices services, PrintStream out) {
        out.println("Query ClickHouse while the demo runs:");
        out.printf("  clickhouse-client --port %d --query \"SELECT * FROM %s.v_cohort_retention FORMAT PrettyCompact\"%n",
                services.clickHouse().tcpPort(), DATABASE);
        out.printf("  curl 'http://127.0.0.1:%d/' --data-binary \"SELECT * FROM %s.dash_people_reached_by_month FORMAT PrettyCompact\"%n",
                services.clickHouse().httpPort(), DATABASE);
    }

    private static void waitForEnterIfInteractive(PrintStream out) throws IOException {
        if (System.console() == null) {
            return;
        }
        out.println("Press Enter to stop Kafka and ClickHouse.");
        System.in.read();
    }
}
