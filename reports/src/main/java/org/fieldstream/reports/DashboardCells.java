package org.fieldstream.reports;

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

    enum Kind { ID, TEXT, COUNT, RATE, NUMBER, TIME, LAG }

    /** A column of a dashboard table: the report row's key, its heading, how it is shown. */
    record Column(String key, String label, Kind kind) {
    }

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

    /** The figure as the report has it: a lag in seconds, null as "". */
    static String value(Column column, Map<String, String> row) {
        String value = row.get(column.kind() == Kind.LAG ? "lag_seconds" : column.key());
        return value == null ? "" : value;
    }

    static String shown(Column column, Map<String, String> row, Names names) {
        String value = value(column, row);
        return switch (column.kind()) {
            case ID -> names.of(value);
            case LAG -> text(row.get("lag"));
            case COUNT -> count(value);
            case RATE -> percent(value);
            case NUMBER -> number(value);
            case TEXT, TIME -> text(value);
        };
    }

    static boolean isNumeric(Kind kind) {
        return kind == Kind.COUNT || kind == Kind.RATE || kind == Kind.NUMBER || kind == Kind.LAG;
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
