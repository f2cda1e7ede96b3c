package org.fieldstream.reports;

import java.io.PrintStream;
import java.time.YearMonth;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.ConfigOption;
import org.fieldstream.events.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fieldstream explain --program P --partner X --cohort C FIGURE}: the first line is
 * {@code FIGURE = N}, N as the cohort's row in v_cohort_retention holds it; then one line per person
 * counted, the person id (a pseudonym) first, their status, then every record behind it: event id,
 * type, record date, received at, source, source_ref (file and line, or push request and row),
 * revision and state (current, superseded, retraction, retracted). When the persons listed differ in
 * number from the figure (the pipeline has not caught up), a last line says so and the exit code is 1.
 * {@code fieldstream explain --program P [--partner X] --period yyyy-MM people_reached} explains an
 * outreach cell (program or partner, one month, sex and age band 'all') in the same shape, each
 * person's status being "reached" and their records the presences and dialogue attendances of the month.
 * Exit codes: 0 done, 1 ClickHouse failure or a count that does not add up, 2 refused request.
 */
public final class ExplainCommand {

    private static final Logger LOG = LoggerFactory.getLogger(ExplainCommand.class);

    static final String REACHED = "people_reached";

    private ExplainCommand() {
    }

    @Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The persons a cohort figure counts and, for each, the records behind their status, from ClickHouse.",
                "First line FIGURE = N (the cohort's row in v_cohort_retention), then one line per person counted:",
                "person id, status, then | event_id type record_date received_at source source_ref revision state",
                "for each record (state: current, superseded, retraction, retracted).",
                "people_reached takes --program, --period yyyy-MM and optionally --partner (the program's or the partner's cell,",
                "sex and age band 'all'); its records are the presences and dialogue attendances that reached the person that month.",
                "ClickHouse: clickhouse.url, clickhouse.database, clickhouse.user, clickhouse.password (FIELDSTREAM_CLICKHOUSE_URL, ...)."})
    static final class Options {
        @Parameters(index = "0", paramLabel = "FIGURE", description = "enrolled, active, completed, dropped_out, transferred or people_reached")
        String figure;
        @Option(names = "--program", paramLabel = "P", required = true) String program;
        @Option(names = "--partner", paramLabel = "X") String partner;
        @Option(names = "--cohort", paramLabel = "C") String cohort;
        @Option(names = "--period", paramLabel = "yyyy-MM") String period;
        @Mixin ConfigOption config = new ConfigOption();
    }

    public static String usage() {
        return new CommandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        if (ReportRequest.wantsHelp(args)) {
            out.println(usage());
            return ReportCommand.OK;
        }
        Options o = new Options();
        CohortExplanation.Figure figure = null;
        YearMonth period = null;
        ReportSettings settings;
        try {
            try {
                new CommandLine(o).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new ReportError(e instanceof CommandLine.MissingParameterException missing
                        ? "missing " + missing.getMissing().stream().map(ExplainCommand::name).toList()
                        : "cannot read the command line: give --program P --partner X --cohort C FIGURE");
            }
            Filters.id("--program", o.program);
            if (REACHED.equals(o.figure)) {
                if (o.period == null || o.cohort != null) {
                    throw new ReportError("people_reached takes --program, --period yyyy-MM and optionally --partner, no --cohort");
                }
                period = Filters.month("--period", o.period);
                if (o.partner != null) {
                    Filters.id("--partner", o.partner);
                }
            } else {
                figure = CohortExplanation.Figure.of(o.figure);
                if (o.partner == null || o.cohort == null || o.period != null) {
                    throw new ReportError(figure.column() + " takes --program, --partner and --cohort, no --period");
                }
                Filters.id("--partner", o.partner);
                Filters.id("--cohort", o.cohort);
            }
            settings = ReportSettings.load(o.config.file(), env);
        } catch (ReportError | Settings.Invalid | IllegalArgumentException e) {
            out.println("explain: " + e.getMessage());
            out.println(usage());
            return ReportCommand.REFUSED;
        }
        try (ClickHouseGateway gateway = new ClickHouseGateway(settings.url(), settings.user(), settings.password())) {
            new ReferenceCheck(gateway, settings.database()).verify(new Filters(o.program, o.partner, null, null, null));
            CohortExplanation.Result result = figure == null
                    ? new ReachExplanation(gateway, settings.database()).explain(o.program, o.partner, period)
                    : new CohortExplanation(gateway, settings.database()).explain(o.program, o.partner, o.cohort, figure);
            out.println(result.figure() + " = " + result.value());
            result.persons().forEach(p -> out.println(p.printed()));
            if (result.persons().size() != result.value()) {
                out.println("explain: " + result.persons().size() + " persons listed, but " + result.figure() + " = " + result.value()
                        + " in " + (figure == null ? "v_outreach" : "v_cohort_retention") + ": the streams or the sink have not caught up");
                return ReportCommand.FAILED;
            }
            return ReportCommand.OK;
        } catch (ReportError e) {
            out.println("explain: " + e.getMessage());
            return ReportCommand.REFUSED;
        } catch (ClickHouseGateway.ClickHouseFailure e) {
            LOG.debug("explain failed", e);
            out.println("explain: failed: " + e.getMessage());
            return ReportCommand.FAILED;
        }
    }

    private static String name(CommandLine.Model.ArgSpec spec) {
        return spec instanceof CommandLine.Model.OptionSpec option ? option.longestName() : spec.paramLabel();
    }
}
