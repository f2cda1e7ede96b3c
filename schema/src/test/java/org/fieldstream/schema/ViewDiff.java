package org.fieldstream.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.clickhouse.Sql;

/**
 * Every view of a database on two ClickHouse releases, compared row for row: the same views, the
 * same column names and types in the same order, and the same rows as text (as a multiset: views
 * promise no order). Nothing is rounded or normalised; a difference is reported as the rows only
 * one side has.
 */
public final class ViewDiff {

    private static final int SHOWN_PER_VIEW = 3;

    /** Per view, the rows compared (the count on the first side), and every difference found. */
    public record Result(Map<String, Integer> rowsPerView, List<String> differences) {
        public int rows() {
            return rowsPerView.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private ViewDiff() {
    }

    public static List<String> viewNames(ClickHouseSql sql, String database) {
        return sql.query("SELECT name FROM system.tables WHERE database = " + Sql.literal(database)
                + " AND engine = 'View' ORDER BY name").stream().map(r -> r.get("name")).toList();
    }

    public static Result compare(ClickHouseSql left, String leftName, ClickHouseSql right, String rightName, String database) {
        List<String> differences = new ArrayList<>();
        List<String> views = viewNames(left, database);
        List<String> otherViews = viewNames(right, database);
        if (!views.equals(otherViews)) {
            differences.add("views differ: " + leftName + " " + views + ", " + rightName + " " + otherViews);
        }
        Map<String, Integer> rowsPerView = new LinkedHashMap<>();
        for (String view : views) {
            if (!otherViews.contains(view)) {
                continue;
            }
            List<String> columns = columns(left, database, view);
            List<String> otherColumns = columns(right, database, view);
            if (!columns.equals(otherColumns)) {
                differences.add(view + ": columns " + leftName + " " + columns + ", " + rightName + " " + otherColumns);
                continue;
            }
            Map<String, Integer> rows = rows(left, database, view);
            Map<String, Integer> otherRows = rows(right, database, view);
            rowsPerView.put(view, rows.values().stream().mapToInt(Integer::intValue).sum());
            List<String> onlyLeft = minus(rows, otherRows);
            List<String> onlyRight = minus(otherRows, rows);
            if (!onlyLeft.isEmpty() || !onlyRight.isEmpty()) {
                differences.add(view + ": " + onlyLeft.size() + " rows only on " + leftName + ", " + onlyRight.size()
                        + " only on " + rightName + "; e.g. " + leftName + " " + first(onlyLeft) + ", " + rightName + " " + first(onlyRight));
            }
        }
        return new Result(rowsPerView, differences);
    }

    /** Name and type of every column, in order. */
    private static List<String> columns(ClickHouseSql sql, String database, String view) {
        return sql.query("DESCRIBE TABLE " + Sql.qualified(database, view)).stream().map(r -> r.get("name") + " " + r.get("type")).toList();
    }

    /** Each distinct row as its text (tab-separated, NULL as \N) with how often it occurs. */
    private static Map<String, Integer> rows(ClickHouseSql sql, String database, String view) {
        Map<String, Integer> rows = new TreeMap<>();
        for (Map<String, String> row : sql.query("SELECT * FROM " + Sql.qualified(database, view))) {
            List<String> values = new ArrayList<>(row.size());
            row.values().forEach(v -> values.add(v == null ? "\\N" : v));
            rows.merge(String.join("\t", values), 1, Integer::sum);
        }
        return rows;
    }

    private static List<String> minus(Map<String, Integer> a, Map<String, Integer> b) {
        List<String> out = new ArrayList<>();
        a.forEach((row, n) -> {
            for (int i = b.getOrDefault(row, 0); i < n; i++) {
                out.add(row);
            }
        });
        return out;
    }

    private static List<String> first(List<String> rows) {
        return rows.size() <= SHOWN_PER_VIEW ? rows : rows.subList(0, SHOWN_PER_VIEW);
    }
}
