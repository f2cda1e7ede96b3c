package org.fieldstream.reference;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fieldstream.events.AggregateIds;

/**
 * The cells of the reference files as {@link ReferenceFiles} reads them: rows with their file and
 * line, typed values with their ranges, and every problem found, each naming the file, the line, the
 * field and the reason.
 */
final class ReferenceCells {

    final List<ReferenceFiles.Problem> problems = new ArrayList<>();

    /** A row with its file and line, values by column (empty cells null). */
    record Line(String file, long line, Map<String, String> values) {
        String get(String column) {
            String value = values.get(column);
            return value == null ? null : value.trim();
        }
    }

    List<Line> rows(Map<String, Csv.Table> tables, String file, List<String> required) {
        Csv.Table table = tables.get(file);
        if (table.header().isEmpty()) {
            problem(file, 1, null, "no header row");
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        for (String column : table.header()) {
            if (!seen.add(column)) {
                problem(file, 1, column, "column appears twice in the header");
            }
        }
        boolean complete = true;
        for (String column : required) {
            if (!table.header().contains(column)) {
                problem(file, 1, column, "required column is missing from the header");
                complete = false;
            }
        }
        if (!complete) {
            return List.of();
        }
        List<Line> lines = new ArrayList<>();
        for (Csv.Row row : table.rows()) {
            if (row.cells().size() != table.header().size()) {
                problem(file, row.line(), null, "row has " + row.cells().size() + " fields, the header has " + table.header().size());
                continue;
            }
            Line line = new Line(file, row.line(), table.map(row));
            boolean filled = true;
            for (String column : required) {
                if (line.get(column) == null) {
                    problem(file, row.line(), column, "required value is missing");
                    filled = false;
                }
            }
            if (filled) {
                lines.add(line);
            }
        }
        return lines;
    }

    boolean ownerId(Line l, String column) {
        if (AggregateIds.OWNER_ID.matcher(l.get(column)).matches()) {
            return true;
        }
        problem(l, column, "an id has 1 to 64 ASCII letters, digits or . _ -, starting with a letter or digit");
        return false;
    }

    boolean duplicate(Line l, String column, boolean seen) {
        if (seen) {
            problem(l, column, "duplicate id " + l.get(column));
        }
        return seen;
    }

    LocalDate date(Line l, String column) {
        try {
            LocalDate date = LocalDate.parse(l.get(column));
            if (date.getYear() < 1970 || date.getYear() > 2105) {
                problem(l, column, date + " is outside 1970-01-01..2105-12-31");
                return null;
            }
            return date;
        } catch (DateTimeParseException e) {
            problem(l, column, "'" + l.get(column) + "' is not a date yyyy-MM-dd");
            return null;
        }
    }

    Integer integer(Line l, String column, int min, int max) {
        try {
            int value = Integer.parseInt(l.get(column));
            if (value >= min && value <= max) {
                return value;
            }
            problem(l, column, value + " is outside " + min + ".." + max);
        } catch (NumberFormatException e) {
            problem(l, column, "'" + l.get(column) + "' is not a whole number");
        }
        return null;
    }

    Double share(Line l, String column) {
        Double value = number(l, column);
        if (value != null && (value <= 0 || value > 1)) {
            problem(l, column, value + " is not a share in (0, 1]");
            return null;
        }
        return value;
    }

    /**
     * A rate's target or baseline: a fraction from 0 to 1. A value above 1 is refused rather than read
     * as a percentage, so that 0.8 and 80 cannot both mean 80 %.
     */
    Double fraction(Line l, String column) {
        Double value = number(l, column);
        if (value != null && value > 1) {
            problem(l, column, "'" + l.get(column) + "' is not a fraction from 0 to 1: a rate's " + column + " is written as a fraction ("
                    + "80 % is 0.8)");
            return null;
        }
        return value;
    }

    Double number(Line l, String column) {
        try {
            double value = Double.parseDouble(l.get(column));
            if (Double.isFinite(value) && value >= 0) {
                return value;
            }
            problem(l, column, "'" + l.get(column) + "' is not a number >= 0");
        } catch (NumberFormatException e) {
            problem(l, column, "'" + l.get(column) + "' is not a number");
        }
        return null;
    }

    void problem(Line l, String field, String reason) {
        problem(l.file(), l.line(), field, reason);
    }

    void problem(String file, long line, String field, String reason) {
        problems.add(new ReferenceFiles.Problem(file, line, field, reason));
    }
}
