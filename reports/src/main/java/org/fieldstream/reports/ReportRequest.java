package org.fieldstream.reports;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;

import org.fieldstream.events.ConfigOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One parsed {@code report} command line. */
public record ReportRequest(Kind kind, Filters filters, Path html, Path config, boolean full, boolean publish) {

    /** Rows a section prints without {@code --full}. */
    public static final int SUMMARY_ROWS = DashboardListing.ROWS;

    /** Every row of every section. */
    public ReportRequest(Kind kind, Filters filters, Path html, Path config) {
        this(kind, filters, html, config, true, false);
    }

    public enum Kind { RETENTION, OUTREACH, FRESHNESS, QUALITY }

    /** The command line as picocli reads it; values are checked by {@link Filters}, never echoed raw. */
    @Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Tables for analysts from the ClickHouse views, and optionally an HTML page with charts.",
                "  retention   per cohort: partner, district, enrolled/active/completed/dropped_out/transferred, rates;",
                "              totals by partner and district and of all cohorts shown; survival curve points",
                "              (--from/--to select cohorts by start)",
                "  outreach    people reached per month, quarter (each also by sex and age band) and to date, for the",
                "              program, or for the partner or district given (one of them); targets vs actuals",
                "  freshness   as_of and updated_at per table, lag = now - as_of, dead letters per topic (no filters)",
                "  iptt        Indicator Performance Tracking Table: report iptt --program P --fiscal-year Y [--csv FILE]",
                "  quality     per partner and month (of the record date): days to receipt, share on time, corrections,",
                "              retractions, sessions without attendance, unknown sex or age, records outside cohort dates,",
                "              sessions with more present than enrolled (--program, --partner, --from/--to)",
                "Without --full a section prints its first 25 rows and how many there are; retention lists the 25 cohorts",
                "at risk (highest dropout rate, then lowest attendance) and the survival of all cohorts, persons pooled.",
                "--publish (retention, outreach, iptt) prints every row with small cells hidden: counts of 1 to k - 1 people",
                "(the program's small_cell_threshold, default 5) and the counts that would give them away show as <k.",
                "ClickHouse: clickhouse.url, clickhouse.database, clickhouse.user, clickhouse.password (FIELDSTREAM_CLICKHOUSE_URL, ...)."})
    static final class Options {
        @Parameters(index = "0", paramLabel = "REPORT", description = "retention, outreach, freshness or quality")
        String kind;
        @Option(names = "--program", paramLabel = "P") String program;
        @Option(names = "--partner", paramLabel = "X") String partner;
        @Option(names = "--district", paramLabel = "D") String district;
        @Option(names = "--from", paramLabel = "yyyy-MM") String from;
        @Option(names = "--to", paramLabel = "yyyy-MM") String to;
        @Option(names = "--html", paramLabel = "FILE", description = "also write a self-contained HTML page") Path html;
        @Option(names = "--full", description = "print every row of every section (every cohort, every curve point)") boolean full;
        @Option(names = "--publish", description = "figures meant for publication: every row, small cells hidden (not with --html)")
        boolean publish;
        @Mixin ConfigOption config = new ConfigOption();
    }

    /** The usage text, for refusals and {@code --help}. */
    public static String usage() {
        return new CommandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    /** True when the arguments ask for help (any of --help, -h, help as the first word). */
    public static boolean wantsHelp(String[] args) {
        return args.length > 0 && List.of("--help", "-h", "help").contains(args[0]);
    }

    public static ReportRequest parse(String[] args) {
        if (args.length == 0) {
            throw new ReportError("which report? retention, outreach, freshness or quality");
        }
        Options o = new Options();
        try {
            new CommandLine(o).parseArgs(args);
        } catch (CommandLine.OverwrittenOptionException e) {
            throw new ReportError(optionName(e.getOverwritten()) + " given twice");
        } catch (CommandLine.MissingParameterException e) {
            throw new ReportError(e.getMissing().get(0).paramLabel().equals("REPORT") ? "which report? retention, outreach, freshness or quality"
                    : optionName(e.getMissing().get(0)) + " needs a value");
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            throw new ReportError((first.startsWith("-") ? "unknown option " : "unexpected argument ") + Filters.shown(first));
        } catch (CommandLine.ParameterException e) {
            throw new ReportError("cannot read the command line");
        }
        Kind kind = kind(o.kind);
        Filters filters = new Filters(
                o.program == null ? null : Filters.id("--program", o.program),
                o.partner == null ? null : Filters.id("--partner", o.partner),
                o.district == null ? null : Filters.id("--district", o.district),
                o.from == null ? null : Filters.month("--from", o.from).atDay(1),
                o.to == null ? null : Filters.month("--to", o.to).atEndOfMonth());
        if (kind == Kind.FRESHNESS && !filters.isEmpty()) {
            throw new ReportError("freshness covers whole tables and takes no filters");
        }
        if (kind == Kind.QUALITY && o.district != null) {
            throw new ReportError("quality is measured per partner and month: give --program or --partner, not --district");
        }
        if (kind == Kind.OUTREACH && o.partner != null && o.district != null) {
            throw new ReportError("outreach is counted by partner or by district, not by both: give one of --partner, --district");
        }
        if (o.publish && kind != Kind.RETENTION && kind != Kind.OUTREACH) {
            throw new ReportError("--publish applies to retention, outreach and iptt, not to " + o.kind);
        }
        if (o.publish && o.html != null) {
            throw new ReportError("--html draws charts from exact figures; publish with --publish alone");
        }
        return new ReportRequest(kind, filters, o.html, o.config.file(), o.full || o.publish, o.publish);
    }

    private static String optionName(CommandLine.Model.ArgSpec spec) {
        return spec instanceof CommandLine.Model.OptionSpec option ? option.longestName() : spec.paramLabel();
    }

    private static Kind kind(String name) {
        for (Kind kind : Kind.values()) {
            if (kind.name().toLowerCase(Locale.ROOT).equals(name)) {
                return kind;
            }
        }
        throw new ReportError("unknown report " + Filters.shown(name) + ": expected retention, outreach, freshness or quality");
    }

    /** The months covered, for titles: "2026-01 .. 2026-03". */
    static String period(Filters filters) {
        String from = filters.from() == null ? "start" : YearMonth.from(filters.from()).toString();
        String to = filters.to() == null ? "now" : YearMonth.from(filters.to()).toString();
        return from + " .. " + to;
    }
}
