package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.reports.DashboardCells.Names;
import org.fieldstream.reports.ReportRows.DefinitionRow;
import org.fieldstream.reports.ReportRows.ScorecardRow;

/**
 * The data-quality page ({@code /quality?program=&partner=}, both optional): the scorecard of each
 * partner's month (dq_scorecard) with its status within or outside the program's thresholds, and
 * what each measure counts. A logged-in analyst reads it as themselves from their scope database,
 * narrowed to their scope.
 */
final class QualityPage {

    static final String PATH = "/quality";
    static final List<String> PARAMETERS = List.of("program", "partner");

    private QualityPage() {
    }

    static Filters parse(String rawQuery) {
        Map<String, String> values = DashboardQuery.values(rawQuery, PARAMETERS);
        String program = values.get("program") == null || values.get("program").isEmpty() ? null : Filters.id("program", values.get("program"));
        String partner = values.get("partner") == null || values.get("partner").isEmpty() ? null : Filters.id("partner", values.get("partner"));
        return new Filters(program, partner, null, null, null);
    }

    /** The page on the main database (an open dashboard): the filters must name known programs and partners. */
    static String render(ClickHouseGateway gateway, String db, Filters filters, int refreshSeconds) {
        ReferenceCheck references = new ReferenceCheck(gateway, db);
        references.verify(filters);
        return render(gateway, db, filters, refreshSeconds, references.choices(), null);
    }

    /** The page of a logged-in analyst, read as them from their scope database, the filters narrowed to the scope. */
    static String render(ClickHouseGateway analyst, DashboardScope scope, Filters filters, int refreshSeconds, DashboardPage.SignedIn signedIn) {
        ReferenceCheck.Choices choices = scope.choices(analyst);
        return render(analyst, scope.database(), scope.narrow(filters, choices), refreshSeconds, choices, signedIn);
    }

    private static String render(ClickHouseGateway gateway, String db, Filters filters, int refreshSeconds, ReferenceCheck.Choices choices,
                                 DashboardPage.SignedIn signedIn) {
        List<String> conditions = new ArrayList<>();
        if (filters.program() != null) {
            conditions.add(SqlText.equal("program_id", filters.program()));
        }
        if (filters.partner() != null) {
            conditions.add(SqlText.equal("partner_id", filters.partner()));
        }
        RowType<ScorecardRow> type = RowType.of(ScorecardRow.class);
        List<ScorecardRow> rows = type.query(gateway, "dq_scorecard",
                "FROM (SELECT * FROM " + db + ".dq_scorecard" + SqlText.where(conditions) + ") ORDER BY program_id, partner_id, month");
        Names names = new Names(choices);
        String shown = (filters.program() == null ? "every program" : names.named(filters.program()))
                + (filters.partner() == null ? "" : " · partner " + names.of(filters.partner()));
        StringBuilder html = DashboardPage.head(refreshSeconds);
        html.append("<header><h1>Data quality</h1><p>").append(Html.escape(shown)).append("</p>")
                .append(DashboardPage.signedIn(signedIn)).append("</header>\n");
        html.append("<nav><a href=\"/\">Back to the dashboard</a></nav>\n<main>\n");
        long outside = rows.stream().filter(r -> "outside".equals(r.status())).count();
        html.append("<section id=\"scorecard\">\n<h2>Scorecard per partner and month</h2>\n<p class=\"note\" data-outside=\"").append(outside)
                .append("\">").append(Html.escape(outside + " of " + rows.size() + " partner months outside the program's thresholds"
                        + " (dq_* in programs.csv); each measure in its own month, as defined below.")).append("</p>\n")
                .append(DashboardPage.table("quality-scorecard", type.columns(), rows.stream().map(type::values).toList(), names, null))
                .append("</section>\n");
        RowType<DefinitionRow> definitions = RowType.of(DefinitionRow.class);
        html.append("<section id=\"definitions\">\n<h2>Definitions</h2>\n")
                .append(DashboardPage.table("quality-definitions", definitions.columns(),
                        QualityReport.MEASURES.stream().map(definitions::values).toList(), names, null))
                .append("</section>\n");
        return html.append("</main>\n</body>\n</html>\n").toString();
    }
}
