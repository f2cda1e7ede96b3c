package org.fieldstream.reports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fieldstream.events.ConfigOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One parsed {@code report iptt --program P --fiscal-year Y [--fiscal-year Y2 ...] [--xlsx FILE] [--csv FILE]}
 * command line: the fiscal years in the order asked, without repeats.
 */
record IpttRequest(String program, List<Integer> fiscalYears, Path csv, Path xlsx, Path config, boolean publish) {

    static final String NAME = "iptt";

    @Command(name = "report iptt", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Indicator Performance Tracking Table of one program's fiscal year: per indicator the baseline,",
                "life-of-program target and actual to date, the year's target, actual and % achieved, the four fiscal",
                "quarters' actuals and a deviation flag where the actual is outside the program's deviation_threshold",
                "(default 10 %) of the target; under each indicator its rows by sex and by age band (DNA where the",
                "records give none) and dialogues held by kind. --csv writes it as UTF-8 CSV with a byte order mark, formula-safe.",
                "--xlsx writes a workbook: one sheet per fiscal year asked and one for life of program.",
                "--publish hides small cells in every output: actuals of 1 to k - 1 people (the program's",
                "small_cell_threshold, default 5), the actuals that would give them away and rates over them show as <k."})
    static final class Options {
        @Parameters(index = "0", paramLabel = "REPORT", description = "iptt") String kind;
        @Option(names = "--program", paramLabel = "P", required = true) String program;
        @Option(names = "--fiscal-year", paramLabel = "Y", required = true,
                description = "FY2026 or 2026: the year it ends in; repeat for more years in the workbook")
        List<String> fiscalYears;
        @Option(names = "--csv", paramLabel = "FILE", description = "also write the table as CSV (one fiscal year)") Path csv;
        @Option(names = "--xlsx", paramLabel = "FILE", description = "also write the tables as an .xlsx workbook") Path xlsx;
        @Option(names = "--publish", description = "figures meant for publication: small cells hidden in text, CSV and xlsx") boolean publish;
        @Mixin ConfigOption config = new ConfigOption();
    }

    static String usage() {
        return new CommandLine(new Options()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    static boolean names(String[] args) {
        return args.length > 0 && NAME.equals(args[0]);
    }

    static IpttRequest parse(String[] args) {
        Options o = new Options();
        try {
            new CommandLine(o).parseArgs(args);
        } catch (CommandLine.MissingParameterException e) {
            throw new ReportError("iptt needs --program P and --fiscal-year Y");
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            throw new ReportError((first.startsWith("-") ? "unknown option " : "unexpected argument ") + Filters.shown(first));
        } catch (CommandLine.ParameterException e) {
            throw new ReportError("cannot read the command line");
        }
        List<Integer> years = new ArrayList<>();
        for (String asked : o.fiscalYears) {
            int year = fiscalYear("--fiscal-year", asked);
            if (!years.contains(year)) {
                years.add(year);
            }
        }
        if (o.csv != null && years.size() > 1) {
            throw new ReportError("--csv writes one fiscal year; ask one --fiscal-year or use --xlsx for several");
        }
        return new IpttRequest(Filters.id("--program", o.program), List.copyOf(years), o.csv, o.xlsx, o.config.file(), o.publish);
    }

    /** A fiscal year as asked, FY2026 or 2026: the year it ends in; {@code option} names where it was asked in the refusal. */
    static int fiscalYear(String option, String asked) {
        String year = asked != null && asked.startsWith("FY") ? asked.substring(2) : asked;
        if (year == null || !year.matches("(19|20|21)[0-9]{2}")) {
            throw new ReportError(option + " " + Filters.shown(asked) + " is not a year such as FY2026 or 2026");
        }
        return Integer.parseInt(year);
    }

    /** The first fiscal year asked: the one printed and written as CSV. */
    int fiscalYear() {
        return fiscalYears.get(0);
    }
}
