package org.fieldstream.reports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * The Indicator Performance Tracking Table of one program's fiscal year on the dashboard
 * ({@code /iptt?program=P&fiscal_year=Y}) and as downloads ({@code /iptt.csv}, {@code /iptt.xlsx}):
 * the rows of {@code report iptt} ({@link IpttReport}), its CSV and its workbook, read only on this page
 * and its downloads (never on the main page). Without {@code fiscal_year}, the fiscal year holding
 * today in the program's fiscal calendar; the choices are the fiscal years with a program target or
 * actual, that year and the one shown. Every text passes {@link Html#escape}; every cell carries the
 * CSV's text in {@code data-value}, so a test or a tool reads the page back as the command's CSV.
 */
final class IpttPage {

    static final String PATH = "/iptt";
    static final String CSV_PATH = "/iptt.csv";
    static final String XLSX_PATH = "/iptt.xlsx";
    static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final List<String> PARAMETERS = List.of("program", "fiscal_year");
    /** The columns shown as figures: baseline to the fourth quarter's actual. */
    private static final int FIRST_FIGURE = IpttReport.HEADER.indexOf("baseline");
    private static final int LAST_FIGURE = IpttReport.HEADER.indexOf("q4_actual");
    private static final int DEVIATION = IpttReport.HEADER.indexOf("deviation");
    private static final String STYLE = """
            tr.indicator td { font-weight: 600; border-top: 1px solid #b9c7cc; }
            tr.sub td.label { padding-left: 26px; color: #4a5a64; font-weight: 400; }
            td.flag { font-weight: 600; } td.flag.below { color: #8a1c12; background: #fdecea; } td.flag.above { color: #7a4d00; background: #fff4dc; }
            form.year { display: flex; gap: 12px; align-items: flex-end; background: #fff; padding: 12px 16px; border: 1px solid #d5dde1;
                        border-radius: 6px; margin: 16px 0; }
            form.year label { display: flex; flex-direction: column; font-size: 12px; color: #4a5a64; gap: 3px; }
            form.year button { font-size: 14px; padding: 6px 16px; background: #17494d; color: #fff; border: 0; border-radius: 4px; }
            p.downloads a { margin-right: 16px; color: #17494d; font-weight: 600; }
            """;

    /** The table asked for: a program, and a fiscal year (null: the one holding today). */
    record Key(String program, Integer fiscalYear) {
    }

    /** What the page shows: the program with its name, the fiscal year shown, the years offered (latest first) and the rows. */
    record Iptt(String program, String name, int fiscalYear, List<Integer> years, List<IpttReport.Row> rows) {
    }

    private IpttPage() {
    }

    static Key parse(String rawQuery) {
        Map<String, String> values = DashboardQuery.values(rawQuery, PARAMETERS);
        String program = values.get("program");
        if (program == null || program.isEmpty()) {
            throw new ReportError("the IPTT page needs a program: /iptt?program=P&fiscal_year=FY2026");
        }
        String year = values.get("fiscal_year");
        return new Key(Filters.id("program", program), year == null || year.isEmpty() ? null : IpttRequest.fiscalYear("fiscal_year", year));
    }

    /** The page of a program; with {@code fiscalYear} null, the default year. */
    static String href(String program, Integer fiscalYear) {
        return PATH + query(program, fiscalYear);
    }

    private static String query(String program, Integer fiscalYear) {
        return "?program=" + URLEncoder.encode(program, StandardCharsets.UTF_8) + (fiscalYear == null ? "" : "&fiscal_year=FY" + fiscalYear);
    }

    /**
     * Reads the table from {@code db} (the main database, or an analyst's scope database read as them):
     * the program's name, settings, fiscal years and the rows of the year asked or of today's.
     * An unknown program is a {@link ReportError}.
     */
    static Iptt read(ClickHouseGateway gateway, String db, Key key, Clock clock) {
        IpttReport report = new IpttReport(gateway, db);
        String name = report.name(key.program());
        int today = IpttReport.fiscalYearOf(LocalDate.now(clock), report.program(key.program()).fiscalStartMonth());
        int year = key.fiscalYear() == null ? today : key.fiscalYear();
        TreeSet<Integer> years = new TreeSet<>(Comparator.reverseOrder());
        years.addAll(report.fiscalYears(key.program()));
        years.add(today);
        years.add(year);
        return new Iptt(key.program(), name, year, List.copyOf(years), report.rows(key.program(), year));
    }

    /**
     * The key a logged-in analyst may read: their own program. A program analyst's scope holds the
     * IPTT's views (v_programs, v_targets, actuals_by_period, actuals_by_breakdown); a partner
     * analyst's does not: v_programs (the fiscal year's start and the deviation threshold) has no
     * partner column and is offered to no partner scope, and the IPTT's indicator rows are the program's
     * figures, which pool every partner. Both refusals are {@link DashboardScope.Outside} (403).
     */
    static Key inScope(Key key, DashboardScope scope, ClickHouseGateway analyst) {
        scope.narrow(new Filters(key.program(), null, null, null, null), scope.choices(analyst));
        if (scope.partner() != null) {
            throw new DashboardScope.Outside("the IPTT is a program's table and is not in your scope (" + scope.describe() + "): its"
                    + " indicator rows pool every partner of the program; your partner's figures are on the dashboard");
        }
        return key;
    }

    /** The command's CSV of the table: byte order mark, CRLF lines, formula-safe text cells. */
    static byte[] csv(Iptt iptt) {
        return IpttReport.csv(iptt.rows()).getBytes(StandardCharsets.UTF_8);
    }

    /** The command's workbook of the table: the fiscal year's sheet and the life-of-program sheet. */
    static byte[] xlsx(Iptt iptt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            IpttWorkbook.write(out, iptt.name(), Map.of(iptt.fiscalYear(), iptt.rows()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A download's file name: {@code iptt-P-FY2026.csv}. */
    static String fileName(Iptt iptt, String extension) {
        return "iptt-" + iptt.program() + "-FY" + iptt.fiscalYear() + "." + extension;
    }

    static String render(Iptt iptt, int refreshSeconds, DashboardPage.SignedIn signedIn) {
        StringBuilder html = DashboardPage.head(refreshSeconds);
        html.insert(html.indexOf("</style>"), STYLE);
        String shown = iptt.name() + " (" + iptt.program() + ") · FY" + iptt.fiscalYear();
        html.append("<header><h1>Indicator Performance Tracking Table</h1><p data-iptt=\"").append(Html.escape(iptt.program()))
                .append("\" data-fiscal-year=\"FY").append(iptt.fiscalYear()).append("\">").append(Html.escape(shown)).append("</p>")
                .append(DashboardPage.signedIn(signedIn)).append("</header>\n");
        html.append("<nav><a href=\"").append(Html.escape("/?program=" + URLEncoder.encode(iptt.program(), StandardCharsets.UTF_8)))
                .append("\">Back to the dashboard</a></nav>\n<main>\n");
        html.append("<form class=\"year\" method=\"get\" action=\"").append(PATH).append("\">\n")
                .append("<input type=\"hidden\" name=\"program\" value=\"").append(Html.escape(iptt.program())).append("\">\n")
                .append("<label>Fiscal year <select name=\"fiscal_year\">");
        for (int year : iptt.years()) {
            html.append("<option value=\"FY").append(year).append('"').append(year == iptt.fiscalYear() ? " selected" : "").append(">FY")
                    .append(year).append("</option>");
        }
        html.append("</select></label><button type=\"submit\">Show</button>\n</form>\n");
        String query = query(iptt.program(), iptt.fiscalYear());
        html.append("<section id=\"iptt\">\n<h2>").append(Html.escape("FY" + iptt.fiscalYear())).append("</h2>\n<p class=\"note\">")
                .append(Html.escape("Per indicator: baseline, life-of-program (LOP) target and actual to date, the fiscal year's target,"
                        + " actual and share achieved, each fiscal quarter's actual, and a flag where the year's actual lies further than"
                        + " the program's deviation threshold from its target; under it its rows by sex and by age band (DNA: the records"
                        + " give no such breakdown) and dialogues by kind. Rates are shares of the persons enrolled in the cohorts that"
                        + " started in the period, empty where none did; their targets are fractions shown as percentages."))
                .append("</p>\n<p class=\"downloads\"><a data-download=\"csv\" href=\"").append(Html.escape(CSV_PATH + query))
                .append("\">Download CSV</a><a data-download=\"xlsx\" href=\"").append(Html.escape(XLSX_PATH + query))
                .append("\">Download workbook (.xlsx)</a></p>\n");
        html.append(table(iptt.rows()));
        return html.append("</section>\n</main>\n</body>\n</html>\n").toString();
    }

    /** The rows as the command's CSV shows them: figures right-aligned, rates as percentages, flags marked, disaggregation rows indented. */
    private static String table(List<IpttReport.Row> rows) {
        StringBuilder out = new StringBuilder("<div class=\"scroll\"><table data-section=\"iptt\">\n<thead>\n<tr>");
        for (int c = 0; c < IpttReport.HEADER.size(); c++) {
            out.append(figure(c) ? "<th class=\"num\">" : "<th>").append(Html.escape(IpttReport.HEADER.get(c))).append("</th>");
        }
        out.append("</tr>\n</thead>\n<tbody>\n");
        for (IpttReport.Row row : rows) {
            List<String> cells = row.cells();
            out.append(row.isIndicator() ? "<tr class=\"indicator\">" : "<tr class=\"sub\">");
            for (int c = 0; c < cells.size(); c++) {
                List<String> classes = new ArrayList<>();
                if (c == 0) {
                    classes.add("label");
                }
                if (figure(c)) {
                    classes.add("num");
                }
                if (c == DEVIATION && !cells.get(c).isEmpty()) {
                    classes.add("flag");
                    classes.add(cells.get(c).startsWith("below") ? "below" : "above");
                }
                out.append("<td").append(classes.isEmpty() ? "" : " class=\"" + String.join(" ", classes) + "\"")
                        .append(" data-col=\"").append(Html.escape(IpttReport.HEADER.get(c))).append("\" data-value=\"")
                        .append(Html.escape(cells.get(c))).append("\">").append(Html.escape(cells.get(c))).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</tbody>\n</table></div>\n").toString();
    }

    private static boolean figure(int column) {
        return column >= FIRST_FIGURE && column <= LAST_FIGURE;
    }
}
