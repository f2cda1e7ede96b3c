package org.fieldstream.reports;

import java.io.PrintStream;
import java.util.List;
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
 * {@code fieldstream explain}: the persons a figure counts and, for each, the records behind it, in one
 * output shape: the first line is {@code FIGURE = N}, N as the figure's view holds it; then one line per
 * person counted, the person id (a pseudonym) first, their status, then every record behind it: event
 * id, type, record date, received at, source, source_ref (file and line, or push request and row),
 * revision and state (current, superseded, retraction, retracted). When the lines listed differ in
 * number from the figure (the pipeline has not caught up), a last line says so and the exit code is 1.
 * Figures: a cohort's enrolled, active, completed, dropped_out, transferred (v_cohort_retention) and
 * survival at a session (v_retention_curve); an outreach cell's people_reached and new_people_reached
 * (v_outreach); a dialogue's attendance (v_dialogue_attendance); a target's actual (actuals_by_period).
 * Exit codes: 0 done, 1 ClickHouse failure or a count that does not add up, 2 refused request.
 */
public final class ExplainCommand {

    private static final Logger LOG = LoggerFactory.getLogger(ExplainCommand.class);

    static final String REACHED = "people_reached";
    static final String NEW_REACHED = "new_people_reached";
    static final String SURVIVAL = "survival";
    static final String ATTENDANCE = "attendance";
    static final String ACTUAL = "actual";
    static final String FIGURES = "enrolled, active, completed, dropped_out, transferred, survival, people_reached, new_people_reached,"
            + " attendance, actual";
    private static final int MAX_LOCAL_ID = 128;
    private static final List<String> SEXES = List.of("all", "female", "male", "other", "unknown");
    private static final List<String> AGE_BANDS = List.of("all", "under_15", "youth_15_29", "adult_30_plus", "unknown");

    private ExplainCommand() {
    }

    @Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The persons a figure counts and, for each, the records behind it, from ClickHouse.",
                "First line FIGURE = N (the figure as its view holds it), then one line per person counted:",
                "person id, status, then | event_id type record_date received_at source source_ref revision state",
                "for each record (state: current, superseded, retraction, retracted).",
                "Cohort figures (enrolled, active, completed, dropped_out, transferred): --program --partner --cohort.",
                "survival: --program --partner --cohort --session N [--sex S --age-band B]: the persons surviving at held session N.",
                "people_reached, new_people_reached: --program, one period, optionally one of --partner, --district, --upazila,",
                "  and --sex, --age-band (default all): the outreach cell's persons and their reaches in the period.",
                "attendance: --program --partner --dialogue D: one line per attendance counted (unidentified for a stakeholder noted by role).",
                "actual: --program --indicator I, one period, optionally one of --partner, --district, --upazila: a target's actual;",
                "  I one of enrolled, completed, dropped_out (one line per person and cohort), dialogues_held (one line per",
                "  dialogue, dialogue:<id>), people_reached, new_people_reached.",
                "A period is one of --period yyyy-MM, --quarter yyyy-Qn, --year yyyy, --fiscal-year FYyyyy, --fiscal-quarter FYyyyy-Qn",
                "  (the program's fiscal year and its quarters, named by the year it ends in), --to-date.",
                "An unknown --partner, --district or --upazila is refused with the ids known.",
                "ClickHouse: clickhouse.url, clickhouse.database, clickhouse.user, clickhouse.password (FIELDSTREAM_CLICKHOUSE_URL, ...)."})
    static final class Options {
        @Parameters(index = "0", paramLabel = "FIGURE", description = "enrolled, active, completed, dropped_out, transferred, survival, "
                + "people_reached, new_people_reached, attendance or actual")
        String figure;
        @Option(names = "--program", paramLabel = "P", required = true) String program;
        @Option(names = "--partner", paramLabel = "X") String partner;
        @Option(names = "--cohort", paramLabel = "C") String cohort;
        @Option(names = "--session", paramLabel = "N", description = "a held session's number (survival)") Integer session;
        @Option(names = "--dialogue", paramLabel = "D") String dialogue;
        @Option(names = "--district", paramLabel = "D") String district;
        @Option(names = "--upazila", paramLabel = "U") String upazila;
        @Option(names = "--period", paramLabel = "yyyy-MM") String period;
        @Option(names = "--quarter", paramLabel = "yyyy-Qn") String quarter;
        @Option(names = "--year", paramLabel = "yyyy") String year;
        @Option(names = "--fiscal-year", paramLabel = "FYyyyy", description = "the program's fiscal year, named by the year it ends in")
        String fiscalYear;
        @Option(names = "--fiscal-quarter", paramLabel = "FYyyyy-Qn", description = "a quarter of the program's fiscal year, e.g. FY2026-Q1")
        String fiscalQuarter;
        @Option(names = "--to-date", description = "the program to date") boolean toDate;
        @Option(names = "--sex", paramLabel = "S", description = "all (default), female, male, other, unknown") String sex;
        @Option(names = "--age-band", paramLabel = "B", description = "all (default), under_15, youth_15_29, adult_30_plus, unknown")
        String ageBand;
        @Option(names = "--indicator", paramLabel = "I", description = "the target's indicator (actual)") String indicator;
        @Mixin ConfigOption config = new ConfigOption();

        boolean cohortFigure() {
            return !List.of(REACHED, NEW_REACHED, SURVIVAL, ATTENDANCE, ACTUAL).contains(figure);
        }

        int periods() {
            return (period == null ? 0 : 1) + (quarter == null ? 0 : 1) + (year == null ? 0 : 1) + (fiscalYear == null ? 0 : 1)
                + (fiscalQuarter == null ? 0 : 1) + (toDate ? 1 : 0);
        }

        int places() {
            return (partner == null ? 0 : 1) + (district == null ? 0 : 1) + (upazila == null ? 0 : 1);
        }
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
        ReportSettings settings;
        try {
            try {
                new CommandLine(o).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new ReportError(e instanceof CommandLine.MissingParameterException missing
                        ? "missing " + missing.getMissing().stream().map(ExplainCommand::name).toList()
                        : "cannot read the command line: give --program P --partner X --cohort C FIGURE");
            }
            check(o);
            settings = ReportSettings.load(o.config.file(), env);
        } catch (ReportError | Settings.Invalid | IllegalArgumentException e) {
            out.println("explain: " + e.getMessage());
            out.println(usage());
            return ReportCommand.REFUSED;
        }
        try (ClickHouseGateway gateway = new ClickHouseGateway(settings.url(), settings.user(), settings.password())) {
            verify(o, gateway, settings.database());
            CohortExplanation.Result result = explain(o, gateway, settings.database());
            out.println(result.figure() + " = " + result.value());
            result.persons().forEach(p -> out.println(p.printed()));
            if (result.persons().size() != result.value()) {
                out.println("explain: " + result.persons().size() + " listed, but " + result.figure() + " = " + result.value()
                        + " in " + view(o) + ": the streams or the sink have not caught up");
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

    /**
     * Refuses a request naming what the reference views do not hold: an unknown program, partner (or one
     * of another program), district or upazila, with the ids known, instead of a figure of 0.
     */
    static void verify(Options o, ClickHouseGateway gateway, String db) {
        ReferenceCheck references = new ReferenceCheck(gateway, db);
        references.verify(new Filters(o.program, o.partner, o.district, null, null));
        verifyPlaces(o, references);
    }

    /** Refuses an unknown district or upazila (v_org_units, shared by every analyst's scope). */
    static void verifyPlaces(Options o, ReferenceCheck references) {
        if (o.district != null) {
            references.requireOrgUnit("district", o.district);
        }
        if (o.upazila != null) {
            references.requireOrgUnit("upazila", o.upazila);
        }
    }

    /** Refuses a request whose options do not fit its figure, before anything reaches ClickHouse. */
    static void check(Options o) {
        Filters.id("--program", o.program);
        for (String[] id : new String[][] {{"--partner", o.partner}, {"--district", o.district}, {"--upazila", o.upazila}}) {
            if (id[1] != null) {
                Filters.id(id[0], id[1]);
            }
        }
        for (String[] id : new String[][] {{"--cohort", o.cohort}, {"--dialogue", o.dialogue}}) {
            if (id[1] != null) {
                localId(id[0], id[1]);
            }
        }
        boolean outreach = REACHED.equals(o.figure) || NEW_REACHED.equals(o.figure) || ACTUAL.equals(o.figure);
        if (o.cohortFigure() || SURVIVAL.equals(o.figure)) {
            String figure = o.cohortFigure() ? CohortExplanation.Figure.of(o.figure).column() : SURVIVAL;
            boolean survival = SURVIVAL.equals(o.figure);
            if (o.partner == null || o.cohort == null || o.periods() > 0 || o.district != null || o.upazila != null || o.dialogue != null
                    || o.indicator != null || survival != (o.session != null) || (!survival && (o.sex != null || o.ageBand != null))) {
                throw new ReportError(figure + (survival ? " takes --program, --partner, --cohort, --session N and optionally --sex, --age-band"
                        : " takes --program, --partner and --cohort, no --period"));
            }
        } else if (ATTENDANCE.equals(o.figure)) {
            if (o.partner == null || o.dialogue == null || o.cohort != null || o.periods() > 0 || o.district != null || o.upazila != null
                    || o.session != null || o.sex != null || o.ageBand != null || o.indicator != null) {
                throw new ReportError("attendance takes --program, --partner and --dialogue");
            }
        } else if (outreach) {
            boolean actual = ACTUAL.equals(o.figure);
            if (o.periods() != 1 || o.places() > 1 || o.cohort != null || o.dialogue != null || o.session != null
                    || actual != (o.indicator != null) || (actual && (o.sex != null || o.ageBand != null))) {
                throw new ReportError(o.figure + " takes --program, " + (actual ? "--indicator I, " : "")
                        + "one of --period yyyy-MM, --quarter yyyy-Qn, --year yyyy, --fiscal-year FYyyyy, --fiscal-quarter FYyyyy-Qn, --to-date,"
                        + " and optionally one of"
                        + " --partner, --district, --upazila" + (actual ? "" : ", --sex, --age-band") + "; no --cohort");
            }
            if (actual && !ActualExplanation.INDICATORS.contains(o.indicator)) {
                throw new ReportError("unknown --indicator " + Filters.shown(o.indicator) + ": expected one of "
                        + String.join(", ", ActualExplanation.INDICATORS.stream().sorted().toList()));
            }
            if (o.sex != null && !SEXES.contains(o.sex)) {
                throw new ReportError("invalid --sex " + Filters.shown(o.sex) + ": expected one of " + String.join(", ", SEXES));
            }
            if (o.ageBand != null && !AGE_BANDS.contains(o.ageBand)) {
                throw new ReportError("invalid --age-band " + Filters.shown(o.ageBand) + ": expected one of " + String.join(", ", AGE_BANDS));
            }
            period(o, 1);
        }
        if (SURVIVAL.equals(o.figure) && (o.session < 1 || (o.sex != null && !SEXES.contains(o.sex))
                || (o.ageBand != null && !AGE_BANDS.contains(o.ageBand)))) {
            throw new ReportError("survival takes --session N (1 or more), --sex one of " + String.join(", ", SEXES)
                    + " and --age-band one of " + String.join(", ", AGE_BANDS));
        }
    }

    /** The figure and the persons it counts, read from {@code db} (the main database, or an analyst's scope database). */
    /**
     * A cohort's or dialogue's id as partners name them (letters, digits, spaces, {@code . _ - : / # ( )}: the
     * producers' rule), refused when it holds control characters or is longer than {@value #MAX_LOCAL_ID};
     * it reaches SQL only as a literal ({@link SqlText#equal}).
     */
    static String localId(String option, String value) {
        if (value.isEmpty() || value.length() > MAX_LOCAL_ID || value.chars().anyMatch(Character::isISOControl)) {
            throw new ReportError("invalid " + option + " " + Filters.shown(value) + ": a cohort or dialogue id is 1 to " + MAX_LOCAL_ID
                    + " characters without control characters");
        }
        return value;
    }

    static CohortExplanation.Result explain(Options o, ClickHouseGateway gateway, String db) {
        String sex = o.sex == null ? "all" : o.sex;
        String ageBand = o.ageBand == null ? "all" : o.ageBand;
        if (o.cohortFigure()) {
            return new CohortExplanation(gateway, db).explain(o.program, o.partner, o.cohort, CohortExplanation.Figure.of(o.figure));
        }
        if (SURVIVAL.equals(o.figure)) {
            return new CohortExplanation(gateway, db).survival(o.program, o.partner, o.cohort, o.session, sex, ageBand);
        }
        if (ATTENDANCE.equals(o.figure)) {
            return new DialogueExplanation(gateway, db).attendance(o.program, o.partner, o.dialogue);
        }
        int fiscalStart = 1;
        if (o.fiscalYear != null || o.fiscalQuarter != null) {
            String start = gateway.queryValue("SELECT toString(max(fiscal_year_start_month)) FROM " + db + ".v_programs WHERE "
                    + SqlText.equal("program_id", o.program));
            fiscalStart = Integer.parseInt(start);
        }
        ExplainPeriod period = period(o, fiscalStart);
        String dimension = o.partner != null ? "partner" : o.district != null ? "district" : o.upazila != null ? "upazila" : "program";
        String dimensionId = o.partner != null ? o.partner : o.district != null ? o.district : o.upazila != null ? o.upazila : o.program;
        ReachExplanation.Cell cell = new ReachExplanation.Cell(o.program, dimension, dimensionId, period, sex, ageBand);
        return ACTUAL.equals(o.figure)
                ? new ActualExplanation(gateway, db).explain(cell, o.indicator)
                : new ReachExplanation(gateway, db).explain(cell, o.figure);
    }

    private static ExplainPeriod period(Options o, int fiscalStart) {
        if (o.period != null) {
            return ExplainPeriod.month(o.period);
        }
        if (o.quarter != null) {
            return ExplainPeriod.quarter(o.quarter);
        }
        if (o.year != null) {
            return ExplainPeriod.year(o.year);
        }
        if (o.fiscalYear != null) {
            return ExplainPeriod.fiscalYear(ExplainPeriod.fiscalYearEnding(o.fiscalYear), fiscalStart);
        }
        if (o.fiscalQuarter != null) {
            int[] quarter = ExplainPeriod.fiscalQuarterOf(o.fiscalQuarter);
            return ExplainPeriod.fiscalQuarter(quarter[0], quarter[1], fiscalStart);
        }
        return ExplainPeriod.TO_DATE;
    }

    /** The view holding the figure, for the line that says the counts differ. */
    static String view(Options o) {
        return o.cohortFigure() ? "v_cohort_retention" : switch (o.figure) {
            case SURVIVAL -> "v_retention_curve";
            case ATTENDANCE -> "v_dialogue_attendance";
            case ACTUAL -> "actuals_by_period";
            default -> "v_outreach";
        };
    }

    private static String name(CommandLine.Model.ArgSpec spec) {
        return spec instanceof CommandLine.Model.OptionSpec option ? option.longestName() : spec.paramLabel();
    }
}
