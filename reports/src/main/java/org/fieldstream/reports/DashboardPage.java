package org.fieldstream.reports;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.reports.DashboardCells.Names;
import org.fieldstream.reports.ReportRows.ReachByGroupRow;

/**
 * The dashboard page: server-side HTML with the report tables and the reports' SVG charts, no
 * script and nothing fetched from elsewhere. A {@code <meta http-equiv="refresh">} reloads it with
 * the same filters. Every figure sits in an element with {@code data-section} / {@code data-col} /
 * {@code data-value} (tables) or {@code data-metric} / {@code data-value} (summary tiles), the
 * report's own text, so a test or a tool can read the page back; every text passes {@link Html#escape}.
 */
final class DashboardPage {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'");

    private static final String STYLE = """
            * { box-sizing: border-box; }
            body { font-family: system-ui, "DejaVu Sans", Arial, sans-serif; margin: 0; color: #1d2a33; background: #f4f6f8; font-size: 14px; }
            header { background: #17494d; color: #fff; padding: 14px 28px; }
            header h1 { margin: 0; font-size: 22px; font-weight: 600; }
            header p { margin: 4px 0 0; color: #cfe3e4; }
            nav { padding: 8px 28px; background: #e3ecee; } nav a { margin-right: 18px; color: #17494d; font-weight: 600; text-decoration: none; }
            main { padding: 8px 28px 40px; max-width: 1400px; }
            form.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; background: #fff; padding: 12px 16px;
                           border: 1px solid #d5dde1; border-radius: 6px; margin: 16px 0; }
            form.filters label { display: flex; flex-direction: column; font-size: 12px; color: #4a5a64; gap: 3px; }
            form.filters select, form.filters input { font-size: 14px; padding: 4px 6px; min-width: 150px; }
            form.filters button { font-size: 14px; padding: 6px 16px; background: #17494d; color: #fff; border: 0; border-radius: 4px; }
            form.filters a { padding: 6px 4px; color: #17494d; }
            section { background: #fff; border: 1px solid #d5dde1; border-radius: 6px; padding: 4px 18px 16px; margin: 16px 0; }
            h2 { font-size: 18px; margin: 14px 0 4px; color: #17494d; } h3 { font-size: 15px; margin: 18px 0 4px; }
            p.note { color: #5b6b75; margin: 2px 0 8px; font-size: 13px; }
            p.error { background: #fdecea; border: 1px solid #e0a39c; color: #7a1e14; padding: 10px 14px; border-radius: 6px; font-size: 15px; }
            .tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0; }
            .tile { background: #f7fafb; border: 1px solid #d5dde1; border-left: 4px solid #17494d; border-radius: 4px; padding: 8px 14px; min-width: 128px; }
            .tile.rate { border-left-color: #2a9d8f; } .tile.reach { border-left-color: #e9a23b; }
            .tile .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
            .tile .label { font-size: 12px; color: #5b6b75; }
            .scroll { overflow-x: auto; }
            table { border-collapse: collapse; font-size: 13px; margin: 4px 0 8px; }
            th, td { border-bottom: 1px solid #e1e7ea; padding: 4px 8px; text-align: left; vertical-align: top; }
            th, td.num { white-space: nowrap; } td { max-width: 260px; }
            th { background: #eef3f4; font-weight: 600; } thead tr.groups th { text-align: center; border-left: 1px solid #d5dde1; }
            tbody tr:nth-child(even) td { background: #fafcfc; }
            td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
            td.empty { color: #7b8a93; font-style: italic; }
            .meter { display: inline-block; width: 80px; height: 8px; background: #e6ecee; margin-left: 8px; vertical-align: middle; }
            .meter span { display: block; height: 8px; background: #2a9d8f; }
            details { margin: 8px 0; } summary { cursor: pointer; color: #17494d; font-weight: 600; }
            svg { max-width: 100%; height: auto; } svg text { font-size: 12px; fill: #333; }
            svg .grid { stroke: #e4e4e4; } svg .axis { stroke: #444; }
            """;

    private DashboardPage() {
    }

    /**
     * The analyst a page is shown to: their user, their scope in words, the token of the page's logout
     * form, and whether their scope holds a program's IPTT (a program analyst's does, a partner analyst's not).
     */
    record SignedIn(String user, String scope, String token, boolean iptt) {
        @Override
        public String toString() {
            return "SignedIn[" + user + ", " + scope + "]";
        }
    }

    static String render(Dashboard dashboard, int refreshSeconds) {
        return render(dashboard, refreshSeconds, null);
    }

    /** The page; {@code signedIn} null on an open dashboard, else the analyst, with a logout button. */
    static String render(Dashboard dashboard, int refreshSeconds, SignedIn signedIn) {
        Names names = new Names(dashboard.choices());
        StringBuilder html = head(refreshSeconds);
        html.append("<header><h1>FieldStream dashboard</h1><p data-read-at=\"").append(STAMP.format(utc(dashboard.readAt())))
                .append("\">").append(Html.escape(describe(dashboard.filters(), names) + " · read " + STAMP.format(utc(dashboard.readAt()))
                        + " · refreshes every " + refreshSeconds + " s")).append("</p>");
        html.append(signedIn(signedIn)).append("</header>\n");
        html.append("<nav><a href=\"#summary\">Summary</a><a href=\"#retention\">Retention</a><a href=\"#survival\">Survival</a>"
                + "<a href=\"#outreach\">People reached</a><a href=\"#targets\">Targets</a>"
                + (dashboard.freshness() == null ? "" : "<a href=\"#freshness\">Freshness</a>")
                + ipttLink(dashboard.filters(), signedIn) + "<a href=\"" + QualityPage.PATH + "\">Data quality</a></nav>\n");
        html.append("<main>\n").append(form(dashboard.filters(), dashboard.choices()));
        summary(html, dashboard, names);
        Map<String, Table> tables = tables(dashboard);
        retention(html, dashboard, tables, names);
        outreach(html, dashboard, tables, names);
        if (dashboard.freshness() != null) {
            freshness(html, dashboard.freshness());
        } else {
            html.append("<p class=\"note\" data-freshness=\"not-in-scope\">Freshness per table and dead letters are not shown: "
                    + "they are read from the tables of every program, which your account does not read.</p>\n");
        }
        return html.append("</main>\n</body>\n</html>\n").toString();
    }

    /** The link to the chosen program's IPTT page (its current fiscal year); none without a program or for a partner analyst. */
    private static String ipttLink(Filters filters, SignedIn signedIn) {
        if (filters.program() == null || signedIn != null && !signedIn.iptt()) {
            return "";
        }
        return "<a data-iptt=\"" + Html.escape(filters.program()) + "\" href=\"" + Html.escape(IpttPage.href(filters.program(), null))
                + "\">IPTT</a>";
    }

    /** Who is logged in and the logout button (a POST form carrying the session's token); empty when nobody is. */
    static String signedIn(SignedIn signedIn) {
        if (signedIn == null) {
            return "";
        }
        return "<form class=\"account\" method=\"post\" action=\"/logout\"><span data-analyst=\"" + Html.escape(signedIn.user()) + "\">"
                + Html.escape("Logged in as " + signedIn.user() + " · " + signedIn.scope()) + "</span> "
                + "<input type=\"hidden\" name=\"token\" value=\"" + Html.escape(signedIn.token()) + "\">"
                + "<button type=\"submit\">Log out</button></form>";
    }

    /**
     * A page that says what went wrong instead of figures: a refused filter (with the form to fix it,
     * when the choices could be read) or a ClickHouse that did not answer (it keeps refreshing).
     */
    static String error(String message, Filters filters, ReferenceCheck.Choices choices, int refreshSeconds, boolean refresh) {
        return error(message, filters, choices, refreshSeconds, refresh, null);
    }

    /** {@link #error} shown to a logged-in analyst ({@code signedIn} not null): with their logout button. */
    static String error(String message, Filters filters, ReferenceCheck.Choices choices, int refreshSeconds, boolean refresh,
                        SignedIn signedIn) {
        StringBuilder html = head(refresh ? refreshSeconds : 0);
        html.append("<header><h1>FieldStream dashboard</h1>").append(signedIn(signedIn)).append("</header>\n<main>\n");
        if (choices != null) {
            html.append(form(filters == null ? Filters.NONE : filters, choices));
        }
        html.append("<p class=\"error\" role=\"alert\" data-error=\"true\">").append(Html.escape(message)).append("</p>\n");
        html.append("<p><a href=\"/\">Show the dashboard without filters</a></p>\n");
        return html.append("</main>\n</body>\n</html>\n").toString();
    }

    static StringBuilder head(int refreshSeconds) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        if (refreshSeconds > 0) {
            html.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">\n");
        }
        return html.append("<title>FieldStream dashboard</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    }

    private static String form(Filters filters, ReferenceCheck.Choices choices) {
        StringBuilder form = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/\">\n");
        form.append(select("program", "Program", "All programs", choices.programs(), filters.program(), false));
        form.append(select("partner", "Partner", "All partners", choices.partners(), filters.partner(), true));
        form.append(select("district", "District", "All districts", choices.districts(), filters.district(), false));
        form.append(month("from", "From month", filters.from() == null ? "" : Filters.monthOf(filters.from())));
        form.append(month("to", "To month", filters.to() == null ? "" : Filters.monthOf(filters.to())));
        return form.append("<button type=\"submit\">Apply</button><a href=\"/\">Clear filters</a>\n</form>\n").toString();
    }

    private static String select(String name, String label, String all, List<ReferenceCheck.Choice> choices, String chosen,
                                 boolean byProgram) {
        StringBuilder select = new StringBuilder("<label>").append(label).append(" <select name=\"").append(name).append("\">")
                .append("<option value=\"\">").append(all).append("</option>");
        for (ReferenceCheck.Choice choice : choices) {
            String shown = choice.name() == null || choice.name().isBlank() || choice.name().equals(choice.id())
                    ? choice.id() : choice.name() + " (" + choice.id() + ")";
            if (byProgram) {
                shown += " · " + choice.program();
            }
            select.append("<option value=\"").append(Html.escape(choice.id())).append('"')
                    .append(choice.id().equals(chosen) ? " selected" : "").append('>').append(Html.escape(shown)).append("</option>");
        }
        return select.append("</select></label>\n").toString();
    }

    private static String month(String name, String label, String value) {
        return "<label>" + label + " <input type=\"month\" name=\"" + name + "\" value=\"" + Html.escape(value)
                + "\" placeholder=\"yyyy-mm\" pattern=\"[0-9]{4}-[0-9]{2}\"></label>\n";
    }

    private static void summary(StringBuilder html, Dashboard dashboard, Names names) {
        html.append("<section id=\"summary\">\n<h2>Summary</h2>\n<p class=\"note\">")
                .append(Html.escape(cohortScope(dashboard.filters()) + " Rates from summed counts: retention = (active + completed) / enrolled."))
                .append("</p>\n<div class=\"tiles\">\n");
        ReportOutput.Section<?> overall = Dashboard.section(dashboard.retention(), RetentionReport.ALL_COHORTS);
        List<Map<String, String>> rows = overall.values();
        if (rows.size() != 1) {
            throw new ViewMismatch("the sum over all cohorts shown has " + rows.size() + " rows, not one");
        }
        for (Column column : overall.type().columns()) {
            tile(html, column.kind() == Col.Kind.RATE ? "tile rate" : "tile", column.name(), null, DashboardCells.value(column, rows.get(0)),
                    DashboardCells.shown(column, rows.get(0), names), column.label());
        }
        html.append("</div>\n");
        if (dashboard.outreach() != null) {
            html.append("<div class=\"tiles\">\n");
            Column reached = new Column("people_reached", "People reached", Col.Kind.COUNT);
            ReportOutput.Section<?> toDate = Dashboard.section(dashboard.outreach(), OutreachReport.TO_DATE);
            for (Map<String, String> row : toDate.values()) {
                tile(html, "tile reach", "people_reached_to_date", row.get("dimension_id"), DashboardCells.value(reached, row),
                        DashboardCells.shown(reached, row, names), "People reached to date · " + names.named(row.get("dimension_id")));
            }
            html.append("</div>\n");
        }
        html.append("</section>\n");
    }

    private static void tile(StringBuilder html, String css, String metric, String key, String value, String shown, String label) {
        html.append("<div class=\"").append(css).append("\" data-metric=\"").append(metric).append('"');
        if (key != null) {
            html.append(" data-key=\"").append(Html.escape(key)).append('"');
        }
        html.append(" data-value=\"").append(Html.escape(value)).append("\"><div class=\"value\">").append(Html.escape(shown))
                .append("</div><div class=\"label\">").append(Html.escape(label)).append("</div></div>\n");
    }

    private static void retention(StringBuilder html, Dashboard dashboard, Map<String, Table> tables, Names names) {
        ReportOutput retention = dashboard.retention();
        html.append("<section id=\"retention\">\n<h2>Retention by partner and district</h2>\n<p class=\"note\">")
                .append("Counts of persons summed over cohorts; rates from those sums. Dropout: 3 missed sessions in a row, or exited as dropped out.")
                .append("</p>\n");
        paged(html, dashboard, "retention-by-partner-district", tables, names);
        html.append("<h3 id=\"cohorts\">Cohorts</h3>\n");
        Table cohorts = tables.get(DashboardListing.COHORTS);
        if (!cohorts.note().isEmpty()) {
            html.append("<p class=\"note\">").append(Html.escape(cohorts.note())).append("</p>\n");
        }
        html.append(listingForm(dashboard.filters(), dashboard.listing()));
        paged(html, dashboard, DashboardListing.COHORTS, tables, names);
        html.append("</section>\n<section id=\"survival\">\n<h2>Survival curves</h2>\n<p class=\"note\">")
                .append(Html.escape("Share of the enrolled present at a session or at any later one: the dark line pools the persons of every cohort "
                        + "shown that held the session, the band spans the cohorts' 10th to 90th percentile; with at most "
                        + ReportOutput.SurvivalCurves.DRAWN_ONE_BY_ONE + " cohorts, one line per cohort too.")).append("</p>\n");
        for (ReportOutput.Chart chart : retention.charts()) {
            ReportOutput.SurvivalCurves curves = (ReportOutput.SurvivalCurves) chart;
            html.append(curves.curves().isEmpty() && curves.pooled().isEmpty() ? "<p class=\"note\">No held sessions for these filters.</p>\n" : SvgCharts.survival(curves));
        }
        html.append("<h3>Persons pooled, by session</h3>\n");
        paged(html, dashboard, "pooled-survival", tables, names);
        html.append("<details><summary>Survival curve points (")
                .append(dashboard.total("survival-points", tables.get("survival-points").rows().size())).append(")</summary>\n");
        paged(html, dashboard, "survival-points", tables, names);
        html.append("</details>\n</section>\n");
    }

    /** The cohort list's order and search, keeping the filters. */
    private static String listingForm(Filters filters, DashboardListing listing) {
        StringBuilder form = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/\" data-listing=\"true\">\n");
        hidden(form, "program", filters.program());
        hidden(form, "partner", filters.partner());
        hidden(form, "district", filters.district());
        hidden(form, "from", filters.from() == null ? null : Filters.monthOf(filters.from()));
        hidden(form, "to", filters.to() == null ? null : Filters.monthOf(filters.to()));
        form.append("<label>Order <select name=\"sort\">");
        Map<String, String> labels = Map.of("risk", "At risk first (dropout, then attendance)", "retention", "Highest retention",
                "low-retention", "Lowest retention", "dropout", "Highest dropout", "size", "Most enrolled");
        for (String sort : DashboardListing.SORTS.keySet()) {
            form.append("<option value=\"").append(sort).append('"').append(sort.equals(listing.sort()) ? " selected" : "").append('>')
                    .append(Html.escape(labels.getOrDefault(sort, sort))).append("</option>");
        }
        form.append("</select></label>\n<label>Cohort id contains <input type=\"search\" name=\"q\" maxlength=\"64\" value=\"")
                .append(Html.escape(listing.q())).append("\"></label>\n");
        return form.append("<button type=\"submit\">List</button>\n</form>\n").toString();
    }

    private static void hidden(StringBuilder form, String name, String value) {
        if (value != null) {
            form.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(Html.escape(value)).append("\">\n");
        }
    }

    /**
     * A long table a page at a time: at most {@link DashboardListing#ROWS} rows, links to the pages
     * before and after, and a link to the whole table as CSV for the same filters.
     */
    private static void paged(StringBuilder html, Dashboard dashboard, String name, Map<String, Table> tables, Names names) {
        Table table = tables.get(name);
        long total = dashboard.total(name, table.rows().size());
        List<Map<String, String>> rows = table.rows();
        long offset = dashboard.listing().offset(name);
        if (!dashboard.totals().containsKey(name)) {
            rows = rows.subList((int) Math.min(offset, rows.size()), (int) Math.min(offset + DashboardListing.ROWS, rows.size()));
        }
        html.append(table(name, table.columns(), rows, names, table.groupHeader()));
        int page = dashboard.listing().page(name);
        html.append("<p class=\"note pager\" data-pager=\"").append(name).append("\" data-total=\"").append(total)
                .append("\" data-offset=\"").append(offset).append("\" data-rows=\"").append(rows.size()).append("\">");
        html.append(Html.escape(rows.isEmpty() ? "No rows" : "Rows " + (offset + 1) + "–" + (offset + rows.size())))
                .append(Html.escape(" of " + total)).append(' ');
        if (page > 0) {
            html.append(pageLink(dashboard, name, page - 1, "previous", "← previous")).append(' ');
        }
        if (offset + rows.size() < total) {
            html.append(pageLink(dashboard, name, page + 1, "next", "next →")).append(' ');
        }
        String query = DashboardListing.filtersQuery(dashboard.filters());
        html.append("· <a data-csv=\"").append(name).append("\" href=\"").append(Html.escape("/csv/" + name + (query.isEmpty() ? "" : "?" + query)))
                .append("\" download>all ").append(total).append(" rows as CSV</a></p>\n");
    }

    private static String pageLink(Dashboard dashboard, String name, int page, String rel, String text) {
        String query = dashboard.listing().withPage(name, page).query(dashboard.filters());
        return "<a rel=\"" + rel + "\" data-page=\"" + page + "\" href=\"" + Html.escape("/" + (query.isEmpty() ? "" : "?" + query)) + "#"
                + name + "\">" + Html.escape(text) + "</a>";
    }

    /** A table's columns and every row the dashboard read for it, its group header row (or null) and its note. */
    record Table(List<Column> columns, List<Map<String, String>> rows, String groupHeader, String note) {
    }

    /** The tables shown a page at a time, by name: the page shows some rows, the CSV download every row. */
    static Map<String, Table> tables(Dashboard dashboard) {
        Map<String, Table> tables = retentionTables(dashboard.retention());
        if (dashboard.outreach() != null) {
            tables.putAll(outreachTables(dashboard.outreach()));
        }
        return tables;
    }

    /** The retention report's long tables, by name. */
    static Map<String, Table> retentionTables(ReportOutput retention) {
        Map<String, Table> tables = new LinkedHashMap<>();
        section(tables, "retention-by-partner-district", Dashboard.section(retention, RetentionReport.BY_PARTNER_DISTRICT));
        section(tables, DashboardListing.COHORTS, Dashboard.section(retention, RetentionReport.PER_COHORT));
        section(tables, "survival-points", Dashboard.section(retention, RetentionReport.CURVE_POINTS));
        section(tables, "pooled-survival", Dashboard.section(retention, RetentionReport.POOLED));
        return tables;
    }

    /** The outreach report's long tables, by name. */
    static Map<String, Table> outreachTables(ReportOutput outreach) {
        Map<String, Table> tables = new LinkedHashMap<>();
        tables.put("reached-per-month", pivot(Dashboard.section(outreach, OutreachReport.PER_MONTH),
                Dashboard.section(outreach, OutreachReport.PER_MONTH_BY_GROUP)));
        tables.put("reached-per-quarter", pivot(Dashboard.section(outreach, OutreachReport.PER_QUARTER),
                Dashboard.section(outreach, OutreachReport.PER_QUARTER_BY_GROUP)));
        section(tables, "reached-to-date", Dashboard.section(outreach, OutreachReport.TO_DATE));
        section(tables, "targets-vs-actuals", Dashboard.section(outreach, OutreachReport.TARGETS));
        return tables;
    }

    private static void section(Map<String, Table> tables, String name, ReportOutput.Section<?> section) {
        tables.put(name, new Table(section.type().columns(), section.values(), null, section.note()));
    }

    private static void outreach(StringBuilder html, Dashboard dashboard, Map<String, Table> tables, Names names) {
        ReportOutput outreach = dashboard.outreach();
        html.append("<section id=\"outreach\">\n<h2>People reached</h2>\n");
        if (outreach == null) {
            html.append("<p class=\"note\" data-outreach=\"none\">").append(Html.escape(Dashboard.OUTREACH_NEEDS_ONE)).append("</p>\n")
                    .append("</section>\n<section id=\"targets\">\n<h2>Targets vs actuals</h2>\n<p class=\"note\">")
                    .append(Html.escape(Dashboard.OUTREACH_NEEDS_ONE)).append("</p>\n</section>\n");
            return;
        }
        html.append("<p class=\"note\">Distinct people present at a training session or a dialogue in the period. ")
                .append("A month, a quarter and the time to date are each counted on their own: they do not add up across periods.</p>\n");
        for (ReportOutput.Chart chart : outreach.charts()) {
            ReportOutput.MonthlyReach reach = (ReportOutput.MonthlyReach) chart;
            html.append(reach.months().isEmpty() ? "<p class=\"note\">Nobody reached in these months.</p>\n" : SvgCharts.monthlyBars(reach));
        }
        for (String[] part : new String[][] {{"reached-per-month", "Per month, by sex and age band"},
                {"reached-per-quarter", "Per quarter, by sex and age band"}, {"reached-to-date", "To date"}}) {
            html.append("<h3>").append(part[1]).append("</h3>\n");
            String note = tables.get(part[0]).note();
            if (!note.isEmpty() && !part[0].equals("reached-to-date")) {
                html.append("<p class=\"note\">").append(Html.escape(note)).append("</p>\n");
            }
            paged(html, dashboard, part[0], tables, names);
        }
        html.append("</section>\n<section id=\"targets\">\n<h2>Targets vs actuals</h2>\n<p class=\"note\">")
                .append("Every period's actual is exact: months, quarters, years, the program's fiscal years and fiscal quarters"
                        + " (FY2026 ends in 2026) and life of program (all); people reached are distinct persons of the period.</p>\n");
        paged(html, dashboard, "targets-vs-actuals", tables, names);
        html.append("</section>\n");
    }

    private static void freshness(StringBuilder html, ReportOutput freshness) {
        Names none = new Names(new ReferenceCheck.Choices(List.of(), List.of(), List.of()));
        String readAt = freshness.filters().replaceFirst("^now ", "");
        html.append("<section id=\"freshness\">\n<h2>Freshness</h2>\n<p class=\"note\" data-freshness-read-at=\"").append(Html.escape(readAt))
                .append("\">").append(Html.escape("As of: the latest event time a table reflects; lag: how far that is behind " + readAt
                        + ", when this table was read (apart from the page, and again every half reload while the page is open)."
                        + " Whole database, not filtered.")).append("</p>\n");
        html.append(table("freshness", Dashboard.section(freshness, FreshnessReport.PER_TABLE), none));
        ReportOutput.Section<?> dead = Dashboard.section(freshness, FreshnessReport.DEAD_LETTERS);
        html.append("<h3>Dead letters per topic</h3>\n<p class=\"note\">").append(Html.escape(dead.note())).append("</p>\n");
        html.append(table("dead-letters", dead, none));
        html.append("</section>\n");
    }

    /**
     * People reached per period: the totals, then one column per sex × age band cell that has a row
     * for these filters. A cell with no row is a cell nobody is in: shown as 0. A period with cells
     * but no total row (not expected: both come from the same table) shows its totals empty.
     */
    private static Table pivot(ReportOutput.Section<?> totals, ReportOutput.Section<?> groups) {
        List<ReachByGroupRow> cellRows = groups.rows(ReachByGroupRow.class);
        List<String[]> cells = DashboardGroups.cells(cellRows);
        List<Column> totalColumns = totals.type().columns();
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Map<String, String> total : totals.values()) {
            rows.put(key(total.get("program_id"), total.get("dimension_id"), total.get("period")), new LinkedHashMap<>(total));
        }
        for (ReachByGroupRow group : cellRows) {
            rows.computeIfAbsent(key(group.programId(), group.dimensionId(), group.period()), k -> withoutTotal(group, totalColumns))
                    .put(group.sex() + "/" + group.ageBand(), String.valueOf(group.peopleReached()));
        }
        List<Column> columns = new ArrayList<>(totalColumns);
        for (String[] cell : cells) {
            String key = cell[0] + "/" + cell[1];
            columns.add(new Column(key, DashboardGroups.bandLabel(cell[1]), Col.Kind.COUNT));
            rows.values().forEach(row -> row.putIfAbsent(key, "0"));
        }
        StringBuilder groupHeader = new StringBuilder("<tr class=\"groups\"><th colspan=\"" + totalColumns.size() + "\"></th>");
        for (String[] sex : DashboardGroups.spans(cells)) {
            groupHeader.append("<th colspan=\"").append(sex[1]).append("\">").append(Html.escape(DashboardGroups.sexLabel(sex[0]))).append("</th>");
        }
        groupHeader.append("</tr>\n");
        return new Table(columns, List.copyOf(rows.values()), cells.isEmpty() ? null : groupHeader.toString(), totals.note());
    }

    private static String key(String program, String dimensionId, String period) {
        return program + "\u0000" + dimensionId + "\u0000" + period;
    }

    /** A period's row from a cell's grain, its totals explicitly empty. */
    private static Map<String, String> withoutTotal(ReachByGroupRow group, List<Column> columns) {
        Map<String, String> row = new LinkedHashMap<>();
        columns.forEach(column -> row.put(column.name(), ""));
        row.put("program_id", group.programId());
        row.put("dimension", group.dimension());
        row.put("dimension_id", group.dimensionId());
        row.put("period", group.period());
        return row;
    }

    private static String table(String name, ReportOutput.Section<?> section, Names names) {
        return table(name, section.type().columns(), section.values(), names, null);
    }

    static String table(String name, List<Column> columns, List<Map<String, String>> rows, Names names, String groupHeader) {
        return table(name, columns, rows, names, groupHeader, (column, row) -> ExplainLinks.of(name, column, row));
    }

    /** A table whose figures link where {@code explain} says ({@link ExplainLinks}; null: no link). */
    static String table(String name, List<Column> columns, List<Map<String, String>> rows, Names names, String groupHeader,
                        java.util.function.BiFunction<String, Map<String, String>, String> explain) {
        StringBuilder out = new StringBuilder("<div class=\"scroll\"><table data-section=\"").append(name).append("\">\n<thead>\n");
        if (groupHeader != null) {
            out.append(groupHeader);
        }
        out.append("<tr>");
        for (Column column : columns) {
            out.append(DashboardCells.isNumeric(column.kind()) ? "<th class=\"num\">" : "<th>").append(Html.escape(column.label())).append("</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        if (rows.isEmpty()) {
            out.append("<tr><td class=\"empty\" colspan=\"").append(columns.size()).append("\">No rows for these filters</td></tr>\n");
        }
        for (Map<String, String> row : rows) {
            out.append("<tr>");
            for (Column column : columns) {
                String value = DashboardCells.value(column, row);
                out.append("<td").append(DashboardCells.isNumeric(column.kind()) ? " class=\"num\"" : "")
                        .append(" data-col=\"").append(Html.escape(column.name())).append("\" data-value=\"").append(Html.escape(value))
                        .append("\">");
                String shown = Html.escape(DashboardCells.shown(column, row, names));
                String href = DashboardListing.COHORTS.equals(name) && "cohort_id".equals(column.name())
                        ? CohortPage.href(row.get("program_id"), row.get("partner_id"), value) : explain.apply(column.name(), row);
                if (href != null) {
                    out.append("<a href=\"").append(Html.escape(href)).append("\">").append(shown).append("</a>");
                } else {
                    out.append(shown);
                }
                if ("achievement".equals(column.name())) {
                    out.append(meter(value));
                }
                out.append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</tbody>\n</table></div>\n").toString();
    }

    private static String meter(String rate) {
        double value = RetentionReport.rate(rate);
        if (!Double.isFinite(value)) {
            return "";
        }
        long width = Math.round(Math.max(0, Math.min(1, value)) * 100);
        return "<span class=\"meter\"><span style=\"width:" + width + "%\"></span></span>";
    }

    private static String describe(Filters filters, Names names) {
        List<String> parts = new ArrayList<>();
        parts.add(filters.program() == null ? "All programs" : names.named(filters.program()));
        if (filters.partner() != null) {
            parts.add("partner " + names.of(filters.partner()));
        }
        if (filters.district() != null) {
            parts.add("district " + names.of(filters.district()));
        }
        if (filters.hasPeriod()) {
            parts.add(ReportRequest.period(filters));
        }
        return String.join(", ", parts);
    }

    private static String cohortScope(Filters filters) {
        return filters.hasPeriod() ? "Cohorts that started " + ReportRequest.period(filters) + "." : "All cohorts matching the filters.";
    }

    private static java.time.OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
