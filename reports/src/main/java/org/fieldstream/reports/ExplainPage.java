package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.reports.DashboardCells.Names;

/**
 * A figure's explanation on the dashboard ({@code GET /explain?...}): what {@code fieldstream explain}
 * prints, read by the same classes ({@link ExplainCommand#explain}), as a page. The query string takes
 * the command's options without their dashes ({@code program}, {@code partner}, {@code cohort},
 * {@code session}, {@code dialogue}, {@code district}, {@code upazila}, {@code period}, {@code quarter},
 * {@code year}, {@code fiscal-year}, {@code fiscal-quarter}, {@code to-date=1}, {@code sex},
 * {@code age-band}, {@code indicator}) and {@code figure} for its FIGURE, with the command's checks.
 * First the figure and its number ({@code FIGURE = N}), then one row per record of each person counted
 * (the person's pseudonym and status on the first): event id, type, record date, received at, source,
 * source_ref, revision, state. At most {@link #PERSONS} persons are shown, with the number listed and
 * a CSV of every one ({@code /explain.csv?...}, {@link CsvTable}: BOM, formula-safe).
 */
final class ExplainPage {

    /** Persons a page shows; the CSV holds every one. */
    static final int PERSONS = 100;
    static final String CSV_PATH = "/explain.csv";
    static final List<String> PARAMETERS = List.of("figure", "program", "partner", "cohort", "session", "dialogue", "district", "upazila",
            "period", "quarter", "year", "fiscal-year", "fiscal-quarter", "to-date", "sex", "age-band", "indicator");
    static final List<Column> CSV_COLUMNS = List.of(text("person_id", "Person"), text("status", "Status"), text("event_id", "Event id"),
            text("event_type", "Type"), text("record_date", "Record date"), text("received_at", "Received at"), text("source", "Source"),
            text("source_ref", "Source ref"), text("revision", "Revision"), text("record_state", "State"));

    private ExplainPage() {
    }

    /** An explanation asked for: the command's options, and the query string that asked (for the CSV link). */
    record Request(ExplainCommand.Options options, String query) {

        /** The figure's place as filters: its program, partner and district (an upazila is checked apart). */
        Filters filters() {
            return new Filters(options.program, options.partner, options.district, null, null);
        }

        /** True for a fiscal year or quarter, which needs the program's fiscal year start month. */
        boolean fiscal() {
            return options.fiscalYear != null || options.fiscalQuarter != null;
        }
    }

    /** Reads the query string into the command's options and checks them as the command does; {@link ReportError} names what is wrong. */
    static Request parse(String rawQuery) {
        Map<String, String> values = DashboardQuery.values(rawQuery, PARAMETERS);
        ExplainCommand.Options o = new ExplainCommand.Options();
        o.figure = value(values, "figure");
        if (o.figure == null) {
            throw new ReportError("an explanation needs figure: one of " + ExplainCommand.FIGURES);
        }
        o.program = value(values, "program");
        if (o.program == null) {
            throw new ReportError("an explanation needs program");
        }
        o.partner = value(values, "partner");
        o.cohort = value(values, "cohort");
        o.dialogue = value(values, "dialogue");
        o.district = value(values, "district");
        o.upazila = value(values, "upazila");
        o.period = value(values, "period");
        o.quarter = value(values, "quarter");
        o.year = value(values, "year");
        o.fiscalYear = value(values, "fiscal-year");
        o.fiscalQuarter = value(values, "fiscal-quarter");
        o.sex = value(values, "sex");
        o.ageBand = value(values, "age-band");
        o.indicator = value(values, "indicator");
        String session = value(values, "session");
        if (session != null) {
            try {
                o.session = Integer.parseInt(session);
            } catch (NumberFormatException e) {
                throw new ReportError("session must be a held session's number, not " + Filters.shown(session));
            }
        }
        String toDate = value(values, "to-date");
        if (toDate != null && !"1".equals(toDate)) {
            throw new ReportError("to-date takes 1, not " + Filters.shown(toDate));
        }
        o.toDate = toDate != null;
        try {
            ExplainCommand.check(o);
        } catch (ReportError e) {
            throw new ReportError(e.getMessage().replace("--", ""));
        }
        return new Request(o, rawQuery);
    }

    private static String value(Map<String, String> values, String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The page: the figure and its number, then the first {@link #PERSONS} persons counted with their records. */
    static String render(Request request, CohortExplanation.Result result, Names names, DashboardPage.SignedIn signedIn) {
        ExplainCommand.Options o = request.options();
        StringBuilder html = DashboardPage.head(0);
        html.append("<header><h1 data-figure=\"").append(Html.escape(result.figure())).append("\" data-value=\"").append(result.value())
                .append("\">").append(Html.escape(result.figure() + " = " + result.value())).append("</h1><p>")
                .append(Html.escape(describe(o, names))).append("</p>").append(DashboardPage.signedIn(signedIn)).append("</header>\n");
        html.append("<nav><a href=\"").append(Html.escape(DashboardListing.filtersQuery(new Filters(o.program, o.partner, null, null, null))
                .transform(q -> "/?" + q))).append("\">Back to the dashboard</a>");
        if (o.cohort != null && o.partner != null) {
            html.append("<a href=\"").append(Html.escape(CohortPage.href(o.program, o.partner, o.cohort))).append("\">Cohort ")
                    .append(Html.escape(o.cohort)).append("</a>");
        }
        html.append("</nav>\n<main>\n<section id=\"explanation\">\n<h2>Who this figure counts</h2>\n<p class=\"note\">")
                .append(Html.escape(counts(o))).append("</p>\n");
        List<CohortExplanation.Person> persons = result.persons();
        if (persons.size() != result.value()) {
            html.append("<p class=\"error\" role=\"alert\" data-mismatch=\"true\">").append(Html.escape(persons.size() + " listed, but "
                    + result.figure() + " = " + result.value() + " in " + ExplainCommand.view(o)
                    + ": the streams or the sink have not caught up. Reload in a moment.")).append("</p>\n");
        }
        List<CohortExplanation.Person> shown = persons.subList(0, Math.min(PERSONS, persons.size()));
        html.append("<div class=\"scroll\"><table data-explain=\"persons\">\n<thead>\n<tr>");
        for (Column column : CSV_COLUMNS) {
            html.append("<th>").append(Html.escape(column.label())).append("</th>");
        }
        html.append("</tr>\n</thead>\n");
        if (shown.isEmpty()) {
            html.append("<tbody><tr><td class=\"empty\" colspan=\"").append(CSV_COLUMNS.size()).append("\">Nobody is counted</td></tr></tbody>\n");
        }
        for (CohortExplanation.Person person : shown) {
            html.append("<tbody data-person=\"").append(Html.escape(person.personId())).append("\">\n");
            int span = Math.max(1, person.records().size());
            html.append("<tr><td rowspan=\"").append(span).append("\">").append(Html.escape(person.personId())).append("</td><td rowspan=\"")
                    .append(span).append("\">").append(Html.escape(person.status())).append("</td>");
            if (person.records().isEmpty()) {
                html.append("<td class=\"empty\" colspan=\"").append(CSV_COLUMNS.size() - 2).append("\">No records listed</td></tr>\n");
            }
            for (int i = 0; i < person.records().size(); i++) {
                CohortExplanation.Source r = person.records().get(i);
                if (i > 0) {
                    html.append("<tr>");
                }
                html.append("<td data-event-id=\"").append(Html.escape(r.eventId())).append("\" data-source=\"").append(Html.escape(r.source()))
                        .append("\" data-revision=\"").append(r.revision()).append("\" data-state=\"").append(Html.escape(r.state())).append("\">")
                        .append(Html.escape(r.eventId())).append("</td>");
                for (String text : List.of(r.eventType(), r.recordDate(), r.receivedAt(), r.source(), r.sourceRef(), String.valueOf(r.revision()),
                        r.state())) {
                    html.append("<td>").append(Html.escape(text)).append("</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</tbody>\n");
        }
        html.append("</table></div>\n<p class=\"note pager\" data-persons=\"").append(persons.size()).append("\" data-shown=\"")
                .append(shown.size()).append("\">").append(Html.escape(shown.isEmpty() ? "Nobody listed"
                        : "Persons 1–" + shown.size() + " of " + persons.size() + (shown.size() < persons.size() ? " (the CSV has every one)" : "")))
                .append(" · <a data-csv=\"explain\" href=\"").append(Html.escape(CSV_PATH + "?" + request.query())).append("\" download>all ")
                .append(persons.size()).append(" persons as CSV</a></p>\n");
        return html.append("</section>\n</main>\n</body>\n</html>\n").toString();
    }

    /** Every person counted, one line per record (a person without records on one line of their own). */
    static String csv(CohortExplanation.Result result) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (CohortExplanation.Person person : result.persons()) {
            if (person.records().isEmpty()) {
                rows.add(row(person, null));
            }
            person.records().forEach(r -> rows.add(row(person, r)));
        }
        return CsvTable.write(CSV_COLUMNS, rows);
    }

    private static Map<String, String> row(CohortExplanation.Person person, CohortExplanation.Source r) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("person_id", person.personId());
        row.put("status", person.status());
        row.put("event_id", r == null ? "" : r.eventId());
        row.put("event_type", r == null ? "" : r.eventType());
        row.put("record_date", r == null ? "" : r.recordDate());
        row.put("received_at", r == null ? "" : r.receivedAt());
        row.put("source", r == null ? "" : r.source());
        row.put("source_ref", r == null ? "" : r.sourceRef());
        row.put("revision", r == null ? "" : String.valueOf(r.revision()));
        row.put("record_state", r == null ? "" : r.state());
        return row;
    }

    /** "program shouhardo3 · partner NDP · cohort c1", with the period, sex and age band of a cell. */
    static String describe(ExplainCommand.Options o, Names names) {
        List<String> parts = new ArrayList<>();
        parts.add("program " + names.named(o.program));
        if (o.partner != null) {
            parts.add("partner " + names.of(o.partner));
        }
        if (o.district != null) {
            parts.add("district " + names.of(o.district));
        }
        if (o.upazila != null) {
            parts.add("upazila " + o.upazila);
        }
        for (String[] part : new String[][] {{"cohort", o.cohort}, {"dialogue", o.dialogue}, {"indicator", o.indicator},
            {"session", o.session == null ? null : String.valueOf(o.session)}, {"month", o.period}, {"quarter", o.quarter}, {"year", o.year},
            {"fiscal year", o.fiscalYear}, {"fiscal quarter", o.fiscalQuarter}, {"sex", o.sex}, {"age band", o.ageBand}}) {
            if (part[1] != null) {
                parts.add(part[0] + " " + part[1]);
            }
        }
        if (o.toDate) {
            parts.add("to date");
        }
        return String.join(" · ", parts);
    }

    /** What the persons listed are, by kind of figure. */
    private static String counts(ExplainCommand.Options o) {
        if (o.cohortFigure()) {
            return "enrolled".equals(o.figure) ? "The persons with a current enrolment in the cohort, transfers excluded, with every record behind"
                    + " their status (corrections and retractions marked)." : "The persons of the cohort whose status is " + o.figure
                    + ", with every record behind it (corrections and retractions marked).";
        }
        return switch (o.figure) {
            case ExplainCommand.SURVIVAL -> "The persons not transferred present at session " + o.session + " or a later one they were expected at.";
            case ExplainCommand.ATTENDANCE -> "One row per attendance counted (unidentified: a stakeholder noted by role), with every event of the record.";
            case ExplainCommand.ACTUAL -> "What the target's actual counts: persons with their records, or held dialogues.";
            default -> "The distinct persons the cell counts, each with the presences and identified dialogue attendances that reached"
                    + " them in the period and place.";
        };
    }

    private static Column text(String name, String label) {
        return new Column(name, label, Col.Kind.TEXT);
    }
}
