package org.fieldstream.reports;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Locale;

/** One parsed {@code report} command line. */
public record ReportRequest(Kind kind, Filters filters, Path html) {

    public enum Kind { RETENTION, OUTREACH, FRESHNESS }

    public static final String USAGE = """
            usage: fieldstream report retention|outreach|freshness [--program P] [--partner X] [--district D]
                                      [--from yyyy-MM] [--to yyyy-MM] [--html FILE]
              retention   per cohort: partner, district, enrolled/active/completed/dropped_out/transferred,
                          rates; totals by partner and district; survival curve points.
                          --from/--to select cohorts by their start date
              outreach    people reached per month, quarter and to date, for the program, or for the
                          partner or district given (one of them); targets vs actuals
              freshness   as_of and updated_at per table, lag = now - as_of (takes no filters)
              --html FILE also write a self-contained HTML page with the tables and charts
            ClickHouse: FIELDSTREAM_CLICKHOUSE_URL, _DATABASE, _USER, _PASSWORD (or FIELDSTREAM_CONFIG).""";

    public static ReportRequest parse(String[] args) {
        if (args.length == 0) {
            throw new ReportError("which report? retention, outreach or freshness");
        }
        Kind kind = kind(args[0]);
        String program = null;
        String partner = null;
        String district = null;
        LocalDate from = null;
        LocalDate to = null;
        Path html = null;
        for (int i = 1; i < args.length; i += 2) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new ReportError(option + " needs a value");
            }
            String value = args[i + 1];
            switch (option) {
                case "--program" -> program = once(option, program, Filters.id(option, value));
                case "--partner" -> partner = once(option, partner, Filters.id(option, value));
                case "--district" -> district = once(option, district, Filters.id(option, value));
                case "--from" -> from = once(option, from, Filters.month(option, value).atDay(1));
                case "--to" -> to = once(option, to, Filters.month(option, value).atEndOfMonth());
                case "--html" -> html = once(option, html, Path.of(value));
                default -> throw new ReportError("unknown option " + Filters.shown(option));
            }
        }
        Filters filters = new Filters(program, partner, district, from, to);
        if (kind == Kind.FRESHNESS && !filters.isEmpty()) {
            throw new ReportError("freshness covers whole tables and takes no filters");
        }
        if (kind == Kind.OUTREACH && partner != null && district != null) {
            throw new ReportError("outreach is counted by partner or by district, not by both: give one of --partner, --district");
        }
        return new ReportRequest(kind, filters, html);
    }

    private static Kind kind(String name) {
        for (Kind kind : Kind.values()) {
            if (kind.name().toLowerCase(Locale.ROOT).equals(name)) {
                return kind;
            }
        }
        throw new ReportError("unknown report " + Filters.shown(name) + ": expected retention, outreach or freshness");
    }

    private static <T> T once(String option, T previous, T value) {
        if (previous != null) {
            throw new ReportError(option + " given twice");
        }
        return value;
    }

    /** The months covered, for titles: "2026-01 .. 2026-03". */
    static String period(Filters filters) {
        String from = filters.from() == null ? "start" : YearMonth.from(filters.from()).toString();
        String to = filters.to() == null ? "now" : YearMonth.from(filters.to()).toString();
        return from + " .. " + to;
    }
}
