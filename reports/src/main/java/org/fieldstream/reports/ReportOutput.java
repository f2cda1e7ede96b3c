package org.fieldstream.reports;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a report found: titled tables, and the charts the HTML page draws. */
public record ReportOutput(String title, String filters, List<Section<?>> sections, List<Chart> charts) {

    public ReportOutput {
        sections = List.copyOf(sections);
        charts = List.copyOf(charts);
    }

    /**
     * One table of typed rows; {@code note} says what the table does or does not cover (may be empty).
     * Its columns are its row record's ({@link RowType}).
     */
    public record Section<R extends Record>(String title, String note, RowType<R> type, List<R> rows) {
        public Section {
            rows = List.copyOf(rows);
        }

        static <R extends Record> Section<R> of(String title, String note, Class<R> type, List<R> rows) {
            return new Section<>(title, note, RowType.of(type), rows);
        }

        /** The rows' figures by column name ({@link RowType#values}). */
        List<Map<String, String>> values() {
            return rows.stream().map(type::values).toList();
        }

        /** The rows as the report prints them ({@link RowType#printed}). */
        List<Map<String, String>> printed() {
            return rows.stream().map(type::printed).toList();
        }

        /** The rows as records of the given type; any other type is a programming error. */
        <T extends Record> List<T> rows(Class<T> wanted) {
            if (type.type() != wanted) {
                throw new IllegalStateException("section " + title + " holds " + type.type().getSimpleName() + ", not " + wanted.getSimpleName());
            }
            return rows.stream().map(wanted::cast).toList();
        }
    }

    public sealed interface Chart permits SurvivalCurves, MonthlyReach {
        String title();
    }

    /**
     * One curve per cohort (survival rate 0..1 by session number) and the pooled curve with its band
     * (may be empty). The retention report draws the cohorts' own curves only when it shows at most
     * {@value #DRAWN_ONE_BY_ONE} cohorts; more would be a tangle no one reads.
     */
    public record SurvivalCurves(String title, Map<String, List<CurvePoint>> curves, List<PooledPoint> pooled) implements Chart {
        /** Up to this many cohorts the chart draws each one's curve beside the pooled one. */
        public static final int DRAWN_ONE_BY_ONE = 10;

        public SurvivalCurves {
            curves = Collections.unmodifiableMap(new LinkedHashMap<>(curves));
            pooled = List.copyOf(pooled);
        }

        public SurvivalCurves(String title, Map<String, List<CurvePoint>> curves) {
            this(title, curves, List.of());
        }
    }

    /** A point of the pooled curve: persons pooled, and the 10th and 90th percentiles of the cohorts' rates. */
    public record PooledPoint(int session, double rate, double low, double high) {
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
