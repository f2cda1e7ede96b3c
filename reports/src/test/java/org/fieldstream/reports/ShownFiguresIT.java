package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.Schema;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.fieldstream.platform.TestServices;
import org.fieldstream.schema.Migrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every figure of a metric family (the numeric fields of its Avro schema) is shown wherever that
 * family is shown — each report section, each dashboard table, each Grafana panel — or is listed
 * below as hidden there, with the reason. This class is the one place where a figure is declared
 * hidden; a figure added to a metric schema fails here until it is shown or declared. Surfaces are
 * read from what runs: the report sections the report classes produce, the tables of the page the
 * dashboard renders and the columns each Grafana panel query returns, all on ClickHouse 18.16 with
 * ReportIT's known rows. A surface not listed here fails too.
 */
class ShownFiguresIT {

    private static final String DB = "it_shown_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-04-10T12:00:00Z"), ZoneOffset.UTC);
    private static final Set<String> NOT_FIGURES = Set.of("version", "deleted");

    private static final String PER_COHORT_ONLY = "a property of one cohort, not summed across cohorts";
    /** CohortRetention's present_total and expected_total: shown everywhere by their names in person rows (docs/design.md). */
    private static final Map<String, String> SHOWN_AS = Map.of("present_total", "sessions_attended", "expected_total", "sessions_expected");
    private static final String CHART = "a chart of survival_rate by session";

    /** A place a family is shown, and the figures of the family it does not show, with why. */
    private record Surface(Schema family, Map<String, String> hidden) {
    }

    /** Every report section, dashboard table and Grafana panel, by the name {@link #shownNow} gives it; null family: shows none. */
    private static final Map<String, Surface> SURFACES = new LinkedHashMap<>();

    static {
        Map<String, String> totalsHide = Map.of("sessions_planned", PER_COHORT_ONLY, "sessions_held", PER_COHORT_ONLY);
        Map<String, String> toDateHide = Map.of("new_people_reached",
                "to date everyone reached is newly reached in the program; shown per month and quarter instead");
        surface(CohortRetention.getClassSchema(), Map.of(), "report: Retention per cohort", "dashboard: retention-per-cohort");
        surface(CohortRetention.getClassSchema(), totalsHide, "report: Retention by partner and district",
                "report: Retention of all cohorts shown", "dashboard: retention-by-partner-district", "dashboard: summary tiles",
                "grafana retention.json: Retention by partner and district");
        surface(RetentionCurvePoint.getClassSchema(), Map.of(), "report: Survival curve points", "dashboard: survival-points");
        surface(RetentionCurvePoint.getClassSchema(), Map.of("enrolled", CHART, "surviving", CHART),
                "grafana retention.json: Survival curves per cohort", "grafana retention.json: Survival pooled over cohorts");
        surface(OutreachCount.getClassSchema(), Map.of(), "report: People reached per month", "report: People reached per quarter",
                "report: People reached per month by sex and age band", "report: People reached per quarter by sex and age band",
                "dashboard: reached-per-month", "dashboard: reached-per-quarter",
                "grafana outreach.json: People reached by month (program)", "grafana outreach.json: People reached by month and district");
        surface(OutreachCount.getClassSchema(), toDateHide, "report: People reached to date", "dashboard: reached-to-date");
        surface(OutreachCount.getClassSchema(), Map.of("new_people_reached", "one line per partner: people reached only"),
                "grafana outreach.json: People reached by month and partner");
        surface(null, Map.of(), "report: Targets vs actuals", "report: Freshness per table", "report: Dead letters per topic",
                "report: Data quality per partner and month", "report: Scorecard per partner and month",
                "report: Rows rejected by reason", "report: Definitions",
                "dashboard: targets-vs-actuals", "dashboard: freshness", "dashboard: dead-letters", "dashboard: pooled-survival",
                "report: Survival of the cohorts shown, persons pooled",
                "grafana outreach.json: Targets vs actuals", "grafana freshness.json: Freshness per table",
                "grafana freshness.json: Largest metric lag");
    }

    /** Metric families no report, dashboard or panel shows yet. */
    private static final Map<Schema, String> NOT_SHOWN = Map.of(
            ParticipantProgress.getClassSchema(), "person-level rows: never shown, only their counts per cohort",
            DialogueSummary.getClassSchema(), "dialogues have no report, dashboard table or panel yet",
            DialogueAttendance.getClassSchema(), "dialogues have no report, dashboard table or panel yet");

    private static ClickHouseGateway gateway;

    @BeforeAll
    static void load() {
        gateway = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");
        Migrations.apply(gateway, DB);
        KnownRows.insert(gateway, DB);
    }

    @AfterAll
    static void drop() {
        gateway.execute("DROP DATABASE IF EXISTS " + DB);
        gateway.close();
    }

    @Test
    void everyFigureOfAShownFamilyIsShownOrDeclaredHidden() {
        Map<String, Set<String>> shown = shownNow();
        assertEquals(new TreeSet<>(SURFACES.keySet()), new TreeSet<>(shown.keySet()), "surfaces listed here and surfaces that exist");
        List<String> missing = new ArrayList<>();
        Set<Schema> shownFamilies = new LinkedHashSet<>();
        SURFACES.forEach((name, surface) -> {
            if (surface.family() == null) {
                return;
            }
            shownFamilies.add(surface.family());
            Set<String> columns = shown.get(name);
            for (String figure : figures(surface.family())) {
                if (!columns.contains(shownAs(figure)) && !surface.hidden().containsKey(figure)) {
                    missing.add(name + " does not show " + surface.family().getName() + "." + figure);
                }
            }
            surface.hidden().keySet().stream().filter(figure -> columns.contains(shownAs(figure)))
                    .forEach(figure -> missing.add(name + " shows " + figure + ", which is declared hidden there"));
            surface.hidden().keySet().stream().filter(figure -> !figures(surface.family()).contains(figure))
                    .forEach(figure -> missing.add(name + " hides " + figure + ", which is no figure of " + surface.family().getName()));
        });
        assertEquals(List.of(), missing);
        for (Schema family : List.of(CohortRetention.getClassSchema(), RetentionCurvePoint.getClassSchema(), OutreachCount.getClassSchema(),
                ParticipantProgress.getClassSchema(), DialogueSummary.getClassSchema(), DialogueAttendance.getClassSchema())) {
            assertTrue(shownFamilies.contains(family) != NOT_SHOWN.containsKey(family),
                    family.getName() + ": shown somewhere or listed as not shown, exactly one of them");
        }
    }

    /** The name a metric schema's figure is shown under: its own, or the one docs/design.md ("Names of figures") gives it. */
    private static String shownAs(String figure) {
        return SHOWN_AS.getOrDefault(figure, figure);
    }

    /** The numeric fields of a metric schema, except the row's version and deletion flag; times and dates are no figures. */
    static Set<String> figures(Schema family) {
        Set<String> figures = new LinkedHashSet<>();
        for (Schema.Field field : family.getFields()) {
            Schema type = field.schema();
            if (type.getType() == Schema.Type.UNION) {
                type = type.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
            }
            boolean number = Set.of(Schema.Type.INT, Schema.Type.LONG, Schema.Type.FLOAT, Schema.Type.DOUBLE).contains(type.getType());
            if (number && type.getLogicalType() == null && !NOT_FIGURES.contains(field.name())) {
                figures.add(field.name());
            }
        }
        return figures;
    }

    /** Every surface as it is now, by name, with the columns it shows. */
    private static Map<String, Set<String>> shownNow() {
        Map<String, Set<String>> shown = new TreeMap<>();
        List<ReportOutput> reports = new ArrayList<>();
        for (ReportRequest.Kind kind : ReportRequest.Kind.values()) {
            ReportOutput report = ReportCommand.produce(new ReportRequest(kind, Filters.NONE, null, null), gateway, DB, NOW);
            reports.add(report);
            report.sections().forEach(s -> shown.put("report: " + s.title(), new LinkedHashSet<>(s.type().names())));
        }
        String page = DashboardPage.render(Dashboard.read(gateway, DB, Filters.NONE, NOW), 30);
        Matcher table = Pattern.compile("data-section=\"([^\"]+)\"(.*?)</table>", Pattern.DOTALL).matcher(page);
        while (table.find()) {
            shown.put("dashboard: " + table.group(1), all(Pattern.compile("data-col=\"([^\"]+)\""), table.group(2)));
        }
        Set<String> tiles = all(Pattern.compile("data-metric=\"([^\"]+)\" data-value="), page);
        shown.put("dashboard: summary tiles", tiles);
        for (Path file : GrafanaProvisioning.dashboardFiles()) {
            for (JsonNode panel : GrafanaProvisioning.dashboard(file).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String sql = GrafanaMacros.expand(target.path("rawSql").asText(), NOW.instant().minusSeconds(2 * 365 * 86_400L),
                            NOW.instant(), 86_400, Map.of("program", "shouhardo3")).replace("fieldstream.", DB + ".");
                    List<Map<String, String>> rows = gateway.query(sql);
                    assertTrue(!rows.isEmpty(), file + ": no rows from " + sql);
                    shown.put("grafana " + file.getFileName() + ": " + panel.path("title").asText(), new LinkedHashSet<>(rows.get(0).keySet()));
                }
            }
        }
        return shown;
    }

    private static Set<String> all(Pattern pattern, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static void surface(Schema family, Map<String, String> hidden, String... names) {
        for (String name : names) {
            SURFACES.put(name, new Surface(family, hidden));
        }
    }
}
