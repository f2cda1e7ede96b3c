package org.fieldstream.reports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a report found: titled tables, and the charts the HTML page draws. */
public record ReportOutput(String title, String filters, List<Section> sections, List<Chart> charts) {

    public ReportOutput {
        sections = List.copyOf(sections);
        charts = List.copyOf(charts);
    }

    /** One table; {@code note} says what the table does or does not cover (may be empty). */
    public record Section(String title, String note, List<Map<String, String>> rows) {
        public Section {
            rows = List.copyOf(rows);
        }
    }

    public sealed interface Chart permits SurvivalCurves, MonthlyReach {
        String title();
    }

    /** One curve per cohort: survival rate (0..1) by session number. */
    public record SurvivalCurves(String title, Map<String, List<CurvePoint>> curves) implements Chart {
        public SurvivalCurves {
            curves = Collections.unmodifiableMap(new LinkedHashMap<>(curves));
        }
    }

    public record CurvePoint(int session, double rate) {
    }

    /** People reached per month, one bar series per dimension id; months in order. */
    public record MonthlyReach(String title, List<String> months, Map<String, Map<String, Long>> series) implements Chart {
        public MonthlyReach {
            months = List.copyOf(months);
            series = Collections.unmodifiableMap(new LinkedHashMap<>(series));
        }
    }
}
