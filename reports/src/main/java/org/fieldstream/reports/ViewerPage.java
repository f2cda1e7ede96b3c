package org.fieldstream.reports;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * A viewer's dashboard page: the program's retention and outreach reports exactly as
 * {@code report retention|outreach --program P --publish} prints them ({@link PublishedReport}, k the
 * program's {@code small_cell_threshold}), every row of every section as a table, the note saying once
 * that small numbers are hidden and why; no charts (they draw exact figures), no cohort links, no
 * filters but the program (two pages of different filters could be subtracted from each other). Its
 * CSV downloads are the same published tables. Read as the program's internal reader in the
 * program's scope database, so ClickHouse bounds the figures to the program.
 */
final class ViewerPage {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");

    /** The published reports of the viewer's program. */
    record Published(String program, int k, PublishedReport retention, PublishedReport outreach, Instant readAt) {

        /** Every section of both reports by its table name (the title in lower case, words joined by -). */
        Map<String, ReportOutput.Section<?>> sections() {
            Map<String, ReportOutput.Section<?>> sections = new LinkedHashMap<>();
            for (PublishedReport report : List.of(retention, outreach)) {
                report.report().sections().forEach(section -> sections.put(name(section.title()), section));
            }
            return sections;
        }

        /** The published rows of a table. */
        List<Map<String, String>> rows(String table) {
            ReportOutput.Section<?> section = sections().get(table);
            PublishedReport report = retention.report().sections().contains(section) ? retention : outreach;
            return report.printed(section.title());
        }
    }

    private ViewerPage() {
    }

    /** A table's name: "Retention per cohort" is retention-per-cohort. */
    static String name(String title) {
        return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /**
     * Reads the published reports of the viewer's program; a filter naming another program, or any
     * partner, district or period, is {@link DashboardScope.Outside}.
     */
    static Published read(ClickHouseGateway reader, DashboardScope scope, Filters filters, Clock clock) {
        if (filters.program() != null && !filters.program().equals(scope.program())) {
            throw new DashboardScope.Outside("program " + filters.program() + " is outside your scope (" + scope.describe() + ")");
        }
        if (filters.partner() != null || filters.district() != null || filters.hasPeriod()) {
            throw new DashboardScope.Outside("published figures are shown for the whole program only: a partner, district or period"
                    + " filter is not offered (two published tables of different filters could be subtracted from each other)");
        }
        Filters program = new Filters(scope.program(), null, null, null, null);
        Instant readAt = clock.instant();
        int k = PublishedReport.threshold(reader, scope.database(), scope.program());
        return new Published(scope.program(), k, PublishedReport.of(new RetentionReport(reader, scope.database()).run(program), k),
                PublishedReport.of(new OutreachReport(reader, scope.database()).run(program), k), readAt);
    }

    /** The page: the note once, then every published table. */
    static String render(Published published, int refreshSeconds, DashboardPage.SignedIn signedIn) {
        StringBuilder html = DashboardPage.head(refreshSeconds);
        String stamp = STAMP.format(published.readAt().atOffset(ZoneOffset.UTC));
        html.append("<header><h1>FieldStream dashboard</h1><p data-read-at=\"").append(stamp).append("\">")
                .append(Html.escape("Published figures of program " + published.program() + " · read " + stamp + " · refreshes every "
                        + refreshSeconds + " s")).append("</p>").append(DashboardPage.signedIn(signedIn)).append("</header>\n<main>\n");
        html.append("<p class=\"note\" data-small-cells=\"").append(published.k()).append("\">").append(Html.escape(SmallCells.note(published.k())))
                .append("</p>\n");
        for (PublishedReport report : List.of(published.retention(), published.outreach())) {
            html.append("<section id=\"").append(name(report.report().title())).append("\">\n<h2>")
                    .append(Html.escape(report.report().title())).append("</h2>\n");
            for (ReportOutput.Section<?> section : report.report().sections()) {
                String name = name(section.title());
                html.append("<h3>").append(Html.escape(section.title())).append("</h3>\n");
                if (!section.note().isEmpty()) {
                    html.append("<p class=\"note\">").append(Html.escape(section.note())).append("</p>\n");
                }
                html.append(table(name, section.type().columns(), report.printed(section.title())));
                html.append("<p class=\"note\"><a data-csv=\"").append(name).append("\" href=\"/csv/").append(name)
                        .append("\" download>as CSV</a></p>\n");
            }
            html.append("</section>\n");
        }
        return html.append("</main>\n</body>\n</html>\n").toString();
    }

    /** A published table as CSV, the note as its last line; null when the page has no such table. */
    static String csv(Published published, String table) {
        ReportOutput.Section<?> section = published.sections().get(table);
        if (section == null) {
            return null;
        }
        StringBuilder csv = new StringBuilder(CsvTable.write(section.type().columns(), published.rows(table)));
        CsvTable.line(csv, List.of(SmallCells.note(published.k())));
        return csv.toString();
    }

    /** The tables' names, for a refused CSV download. */
    static List<String> tables(Published published) {
        return List.copyOf(published.sections().keySet());
    }

    /** Each cell's published text, shown as it is and in {@code data-value} (the dashboard's table markup). */
    private static String table(String name, List<Column> columns, List<Map<String, String>> rows) {
        StringBuilder out = new StringBuilder("<div class=\"scroll\"><table data-section=\"").append(name).append("\">\n<thead>\n<tr>");
        for (Column column : columns) {
            out.append(DashboardCells.isNumeric(column.kind()) ? "<th class=\"num\">" : "<th>").append(Html.escape(column.label())).append("</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        if (rows.isEmpty()) {
            out.append("<tr><td class=\"empty\" colspan=\"").append(columns.size()).append("\">No rows</td></tr>\n");
        }
        for (Map<String, String> row : rows) {
            out.append("<tr>");
            for (Column column : columns) {
                String value = DashboardCells.value(column, row);
                out.append("<td").append(DashboardCells.isNumeric(column.kind()) ? " class=\"num\"" : "")
                        .append(" data-col=\"").append(Html.escape(column.name())).append("\" data-value=\"").append(Html.escape(value))
                        .append("\">").append(Html.escape(value)).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</tbody>\n</table></div>\n").toString();
    }
}
