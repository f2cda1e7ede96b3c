package org.fieldstream.reports;

import java.nio.file.Path;

import org.fieldstream.events.ConfigOption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One parsed {@code report iptt --program P --fiscal-year Y [--csv FILE]} command line. */
record IpttRequest(String program, int fiscalYear, Path csv, Path config) {

    static final String NAME = "iptt";

    @Command(name = "report iptt", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Indicator Performance Tracking Table of one program's fiscal year: per indicator the baseline,",
                "life-of-program target and actual to date, the year's target, actual and % achieved, the four fiscal",
                "quarters' actuals and a deviation flag where the actual is outside the program's deviation_threshold",
                "(default 10 %) of the target. --csv writes it as UTF-8 CSV with a byte order mark, formula-safe."})
    static final class Options {
        @Parameters(index = "0", paramLabel = "REPORT", description = "iptt") String kind;
        @Option(names = "--program", paramLabel = "P", required = true) String program;
        @Option(names = "--fiscal-year", paramLabel = "Y", required = true, description = "FY2026 or 2026: the year it ends in")
        String fiscalYear;
        @Option(names = "--csv", paramLabel = "FILE", description = "also write the table as CSV") Path csv;
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
        String year = o.fiscalYear.startsWith("FY") ? o.fiscalYear.substring(2) : o.fiscalYear;
        if (!year.matches("(19|20|21)[0-9]{2}")) {
            throw new ReportError("--fiscal-year " + Filters.shown(o.fiscalYear) + " is not a year such as FY2026 or 2026");
        }
        return new IpttRequest(Filters.id("--program", o.program), Integer.parseInt(year), o.csv, o.config.file());
    }
}
