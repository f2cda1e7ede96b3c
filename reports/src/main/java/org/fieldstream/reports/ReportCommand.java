package org.fieldstream.reports;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code fieldstream report retention|outreach|freshness|quality [filters] [--html FILE] [--publish]} and
 * {@code fieldstream report iptt --program P --fiscal-year Y [--xlsx FILE] [--csv FILE] [--publish]}: validates the
 * filters, checks they name known reference records, runs the report's queries over the views,
 * prints aligned tables and optionally writes an HTML page with the charts. With {@code --publish}
 * every output hides small cells ({@link PublishedReport}, {@link IpttPublication}) and says so once.
 * Exit codes: 0 done, 1 ClickHouse or file failure, 2 refused request.
 */
public final class ReportCommand {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int REFUSED = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ReportCommand.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");

    private ReportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out));
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        return run(args, env, out, Clock.systemUTC());
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, Clock clock) {
        if (IpttRequest.names(args)) {
            return iptt(args, env, out);
        }
        if (ReportRequest.wantsHelp(args)) {
            out.println(ReportRequest.usage());
            return OK;
        }
        ReportRequest request;
        ReportSettings settings;
        try {
            request = ReportRequest.parse(args);
            settings = ReportSettings.load(request.config(), env);
        } catch (ReportError | Settings.Invalid | IllegalArgumentException e) {
            out.println("report: " + e.getMessage());
            out.println(ReportRequest.usage());
            return REFUSED;
        }
        try (ClickHouseGateway gateway = new ClickHouseGateway(settings.url(), settings.user(), settings.password())) {
            Produced produced = produce(request, gateway, settings.database(), clock, request.full());
            ReportOutput report = produced.report();
            if (request.publish()) {
                int k = PublishedReport.threshold(gateway, settings.database(), request.filters().program());
                print(PublishedReport.of(report, k), out);
                return OK;
            }
            print(report, out, request.full() ? null : produced.totals());
            if (request.html() != null) {
                writeHtml(request.html(), report, clock);
                out.println("wrote " + request.html());
            }
            return OK;
        } catch (ReportError e) {
            out.println("report: " + e.getMessage());
            return REFUSED;
        } catch (ClickHouseGateway.ClickHouseFailure | ViewMismatch | IOException e) {
            LOG.debug("report failed", e);
            out.println("report: failed: " + e.getMessage());
            return FAILED;
        }
    }

    private static int iptt(String[] args, Map<String, String> env, PrintStream out) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(IpttRequest.usage());
            return OK;
        }
        IpttRequest request;
        ReportSettings settings;
        try {
            request = IpttRequest.parse(args);
            settings = ReportSettings.load(request.config(), env);
        } catch (ReportError | Settings.Invalid | IllegalArgumentException e) {
            out.println("report: " + e.getMessage());
            out.println(IpttRequest.usage());
            return REFUSED;
        }
        try (ClickHouseGateway gateway = new ClickHouseGateway(settings.url(), settings.user(), settings.password())) {
            IpttReport iptt = new IpttReport(gateway, settings.database());
            Map<Integer, List<IpttReport.Row>> years = new java.util.LinkedHashMap<>();
            int k = request.publish() ? PublishedReport.threshold(gateway, settings.database(), request.program()) : 0;
            for (int fiscalYear : request.fiscalYears()) {
                years.put(fiscalYear, iptt.rows(request.program(), fiscalYear, k));
            }
            IpttPublication published = request.publish() ? IpttPublication.of(years, k) : null;
            if (published != null) {
                out.println(SmallCells.note(published.k()));
            }
            for (int fiscalYear : request.fiscalYears()) {
                List<IpttReport.Row> rows = years.get(fiscalYear);
                out.println("== Indicator Performance Tracking Table (program " + request.program() + ", FY" + fiscalYear + ")");
                List<Map<String, String>> printed = new java.util.ArrayList<>();
                for (int r = 0; r < rows.size(); r++) {
                    IpttReport.Row row = rows.get(r);
                    Map<String, String> line = new java.util.LinkedHashMap<>();
                    List<String> cells = published == null ? row.cells() : published.cells(fiscalYear, r, row);
                    for (int i = 0; i < IpttReport.HEADER.size(); i++) {
                        line.put(IpttReport.HEADER.get(i), cells.get(i));
                    }
                    printed.add(line);
                }
                TextTable.print(IpttReport.HEADER, printed, out);
            }
            if (request.csv() != null) {
                createParent(request.csv());
                Files.writeString(request.csv(), IpttReport.csv(years.get(request.fiscalYear()), request.fiscalYear(), published),
                        StandardCharsets.UTF_8);
                out.println("wrote " + request.csv());
            }
            if (request.xlsx() != null) {
                createParent(request.xlsx());
                try (java.io.OutputStream file = Files.newOutputStream(request.xlsx())) {
                    IpttWorkbook.write(file, iptt.name(request.program()), years, published);
                }
                out.println("wrote " + request.xlsx());
            }
            return OK;
        } catch (ReportError e) {
            out.println("report: " + e.getMessage());
            return REFUSED;
        } catch (ClickHouseGateway.ClickHouseFailure | IOException | NumberFormatException e) {
            LOG.debug("iptt failed", e);
            out.println("report: failed: " + e.getMessage());
            return FAILED;
        }
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** A report and, by section title, the rows of a section read a page at a time. */
    record Produced(ReportOutput report, Map<String, Long> totals) {
    }

    /** Every row of every section. */
    static ReportOutput produce(ReportRequest request, ClickHouseGateway gateway, String db, Clock clock) {
        return produce(request, gateway, db, clock, true).report();
    }

    /** Without {@code full}, retention reads the cohorts at risk first and a page of them and of the curve points. */
    static Produced produce(ReportRequest request, ClickHouseGateway gateway, String db, Clock clock, boolean full) {
        new ReferenceCheck(gateway, db).verify(request.filters());
        if (request.kind() == ReportRequest.Kind.RETENTION && !full) {
            RetentionReport.Listed listed = new RetentionReport(gateway, db).page(request.filters(), DashboardListing.DEFAULT);
            return new Produced(listed.output(), Map.of(
                    RetentionReport.PER_COHORT, listed.totals().get(DashboardListing.COHORTS),
                    RetentionReport.CURVE_POINTS, listed.totals().get("survival-points")));
        }
        return new Produced(switch (request.kind()) {
            case RETENTION -> new RetentionReport(gateway, db).run(request.filters());
            case OUTREACH -> new OutreachReport(gateway, db).run(request.filters());
            case FRESHNESS -> new FreshnessReport(gateway, db, clock).run();
            case QUALITY -> new QualityReport(gateway, db).run(request.filters());
        }, Map.of());
    }

    static void print(ReportOutput report, PrintStream out) {
        print(report, out, null);
    }

    /**
     * Prints every section; with {@code totals} (a summary) a section prints its first
     * {@link ReportRequest#SUMMARY_ROWS} rows and says how many it has ({@code totals} by title, else its own rows).
     */
    static void print(ReportOutput report, PrintStream out, Map<String, Long> totals) {
        out.println("== " + report.title() + " (" + report.filters() + ")");
        for (ReportOutput.Section<?> section : report.sections()) {
            out.println();
            String note = section.note();
            if (RetentionReport.PER_COHORT.equals(section.title()) && totals != null) {
                note = (note.isEmpty() ? "" : note + "; ") + "at risk first: highest dropout rate, then lowest attendance";
            }
            out.println(section.title() + (note.isEmpty() ? "" : " — " + note));
            List<Map<String, String>> rows = section.printed();
            if (totals == null) {
                TextTable.print(section.type().names(), rows, out);
                continue;
            }
            long total = totals.getOrDefault(section.title(), (long) rows.size());
            List<Map<String, String>> shown = rows.subList(0, Math.min(rows.size(), ReportRequest.SUMMARY_ROWS));
            TextTable.print(section.type().names(), shown, out);
            if (total > shown.size()) {
                out.println("(" + shown.size() + " of " + total + " rows; --full prints every row)");
            }
        }
    }

    /** Every row of every section as published, the note once under the title. */
    static void print(PublishedReport published, PrintStream out) {
        ReportOutput report = published.report();
        out.println("== " + report.title() + " (" + report.filters() + ")");
        out.println(SmallCells.note(published.k()));
        for (ReportOutput.Section<?> section : report.sections()) {
            out.println();
            out.println(section.title() + (section.note().isEmpty() ? "" : " — " + section.note()));
            TextTable.print(section.type().names(), published.printed(section.title()), out);
        }
    }

    private static void writeHtml(Path file, ReportOutput report, Clock clock) throws IOException {
        String generated = STAMP.format(clock.instant().atOffset(ZoneOffset.UTC));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, HtmlPage.render(report, generated), StandardCharsets.UTF_8);
    }
}
