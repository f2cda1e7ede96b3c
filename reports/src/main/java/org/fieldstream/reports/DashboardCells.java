package org.fieldstream.reports;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a figure from a report row is shown on the dashboard. The cell's {@code data-value} is always
 * the report's own text (what {@code fieldstream report} prints; a lag in seconds); only the visible
 * text is formatted: counts with thousands separators, rates as percentages, ids as names.
 */
final class DashboardCells {

    static final String NONE = "–";

    /**
     * Display names from the reference views. In tables partners and districts are shown by name and
     * programs by id (a program's name is a sentence; its id is what a program team writes).
     */
    static final class Names {
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, String> programs = new HashMap<>();

        Names(ReferenceCheck.Choices choices) {
            for (List<ReferenceCheck.Choice> list : List.of(choices.partners(), choices.districts())) {
                list.forEach(choice -> names.putIfAbsent(choice.id(), choice.name()));
            }
            choices.programs().forEach(choice -> programs.putIfAbsent(choice.id(), choice.name()));
        }

        /** A partner's or district's name, any other id as it is. */
        String of(String id) {
            return name(names, id);
        }

        /** Any id's name, programs included (titles). */
        String named(String id) {
            return programs.containsKey(id) ? name(programs, id) : name(names, id);
        }

        private static String name(Map<String, String> names, String id) {
            if (id == null || id.isEmpty()) {
                return NONE;
            }
            String name = names.get(id);
            return name == null || name.isBlank() ? id : name;
        }
    }

    private DashboardCells() {
    }

    /**
     * The figure as the report has it ({@link RowType#values}: a lag in seconds, a legitimately empty
     * value as ""). A row without the column is an error, never shown as "–".
     */
    static String value(Column column, Map<String, String> row) {
        String value = row.get(column.name());
        if (value == null) {
            throw new ViewMismatch("a row of the dashboard table has no column " + column.name() + ": " + row.keySet());
        }
        return value;
    }

    static String shown(Column column, Map<String, String> row, Names names) {
        String value = value(column, row);
        return switch (column.kind()) {
            case ID -> names.of(value);
            case LAG -> lag(value);
            case COUNT -> count(value);
            case RATE -> percent(value);
            case NUMBER -> number(value);
            case TEXT, TIME, AUTO -> text(value);
        };
    }

    static boolean isNumeric(Col.Kind kind) {
        return kind == Col.Kind.COUNT || kind == Col.Kind.RATE || kind == Col.Kind.NUMBER || kind == Col.Kind.LAG;
    }

    /** A lag in seconds written out ("1h 00m 00s"); none for a table without rows. */
    static String lag(String seconds) {
        return seconds == null || seconds.isEmpty() ? "no rows" : FreshnessReport.lag(Duration.ofSeconds(Long.parseLong(seconds)));
    }

    static String count(String value) {
        try {
            return String.format(Locale.ROOT, "%,d", Long.parseLong(value));
        } catch (NumberFormatException e) {
            return text(value);
        }
    }

    /** A rate 0..1 as a percentage with one decimal; NULL, nan and inf as a dash. */
    static String percent(String value) {
        double rate = RetentionReport.rate(value);
        return Double.isFinite(rate) ? String.format(Locale.ROOT, "%.1f%%", rate * 100) : NONE;
    }

    static String number(String value) {
        double number = RetentionReport.rate(value);
        if (!Double.isFinite(number)) {
            return NONE;
        }
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) number);
        }
        return String.format(Locale.ROOT, "%,.2f", number);
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }
}
