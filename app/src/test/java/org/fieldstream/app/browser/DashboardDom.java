package org.fieldstream.app.browser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's figures read back from the DOM a browser dumped: every table cell with a
 * {@code data-col} (its {@code data-value} and the text shown), the summary tiles, the bars and the
 * survival points of the charts. Only the dashboard's own markup is read, so a few patterns suffice.
 */
public record DashboardDom(Map<String, List<Map<String, Cell>>> tables, List<Tile> tiles, List<Map<String, String>> bars,
                           List<Map<String, String>> points, String readAt, String freshnessReadAt, String error, boolean outreachShown) {

    /** One table cell: the figure in data-value and the text a reader sees. */
    public record Cell(String value, String shown) {
    }

    public record Tile(String metric, String key, String value, String shown) {
    }

    private static final Pattern TABLE = Pattern.compile("<table data-section=\"([^\"]+)\">(.*?)</table>", Pattern.DOTALL);
    private static final Pattern ROW = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td([^>]*)>(.*?)</td>", Pattern.DOTALL);
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)=\"([^\"]*)\"");
    private static final Pattern TILE = Pattern.compile(
            "<div class=\"tile[^\"]*\"([^>]*)><div class=\"value\">(.*?)</div>", Pattern.DOTALL);
    private static final Pattern BAR = Pattern.compile("<rect class=\"bar\"([^>]*)>");
    private static final Pattern POINT = Pattern.compile("<circle([^>]*data-curve[^>]*)>");
    private static final Pattern READ_AT = Pattern.compile("data-read-at=\"([^\"]+)\"");
    private static final Pattern FRESHNESS_READ_AT = Pattern.compile("data-freshness-read-at=\"([^\"]+)\"");
    private static final Pattern ERROR = Pattern.compile("data-error=\"true\">(.*?)</p>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");

    private static final Pattern PAGER = Pattern.compile("data-pager=\"([^\"]+)\" data-total=\"(\\d+)\" data-offset=\"(\\d+)\" data-rows=\"(\\d+)\"");

    /** Each paged table's rows in all and on this page: table to {total, offset, rows shown}. */
    public static Map<String, long[]> pagers(String html) {
        Map<String, long[]> pagers = new LinkedHashMap<>();
        Matcher m = PAGER.matcher(html);
        while (m.find()) {
            pagers.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))});
        }
        return pagers;
    }

    /** This page with the rows of another page of one of its tables added. */
    public DashboardDom withRows(String table, List<Map<String, Cell>> more) {
        Map<String, List<Map<String, Cell>>> joined = new LinkedHashMap<>(tables);
        List<Map<String, Cell>> rows = new java.util.ArrayList<>(joined.getOrDefault(table, List.of()));
        rows.addAll(more);
        joined.put(table, rows);
        return new DashboardDom(joined, tiles, bars, points, readAt, freshnessReadAt, error, outreachShown);
    }

    public static DashboardDom parse(String html) {
        Map<String, List<Map<String, Cell>>> tables = new LinkedHashMap<>();
        Matcher table = TABLE.matcher(html);
        while (table.find()) {
            List<Map<String, Cell>> rows = new ArrayList<>();
            Matcher row = ROW.matcher(table.group(2));
            while (row.find()) {
                Map<String, Cell> cells = new LinkedHashMap<>();
                Matcher cell = CELL.matcher(row.group(1));
                while (cell.find()) {
                    Map<String, String> attributes = attributes(cell.group(1));
                    if (attributes.containsKey("data-col")) {
                        cells.put(attributes.get("data-col"), new Cell(attributes.getOrDefault("data-value", ""), text(cell.group(2))));
                    }
                }
                if (!cells.isEmpty()) {
                    rows.add(cells);
                }
            }
            if (tables.put(table.group(1), rows) != null) {
                throw new AssertionError("two tables " + table.group(1));
            }
        }
        List<Tile> tiles = new ArrayList<>();
        Matcher tile = TILE.matcher(html);
        while (tile.find()) {
            Map<String, String> attributes = attributes(tile.group(1));
            tiles.add(new Tile(attributes.get("data-metric"), attributes.get("data-key"), attributes.get("data-value"), text(tile.group(2))));
        }
        Matcher readAt = READ_AT.matcher(html);
        Matcher freshnessReadAt = FRESHNESS_READ_AT.matcher(html);
        Matcher error = ERROR.matcher(html);
        return new DashboardDom(tables, tiles, all(BAR, html), all(POINT, html), readAt.find() ? readAt.group(1) : null,
                freshnessReadAt.find() ? freshnessReadAt.group(1) : null,
                error.find() ? text(error.group(1)) : null, !html.contains("data-outreach=\"none\""));
    }

    /** A table's rows as column to data-value. */
    public List<Map<String, String>> values(String section) {
        List<Map<String, Cell>> rows = tables.get(section);
        if (rows == null) {
            throw new AssertionError("no table " + section + " on the page; tables: " + tables.keySet());
        }
        List<Map<String, String>> values = new ArrayList<>();
        for (Map<String, Cell> row : rows) {
            Map<String, String> plain = new LinkedHashMap<>();
            row.forEach((column, cell) -> plain.put(column, cell.value()));
            values.add(plain);
        }
        return values;
    }

    public Tile tile(String metric, String key) {
        return tiles.stream().filter(t -> t.metric().equals(metric) && (key == null || key.equals(t.key()))).findFirst()
                .orElseThrow(() -> new AssertionError("no tile " + metric + " " + key + " among " + tiles));
    }

    private static List<Map<String, String>> all(Pattern pattern, String html) {
        List<Map<String, String>> found = new ArrayList<>();
        Matcher m = pattern.matcher(html);
        while (m.find()) {
            found.add(attributes(m.group(1)));
        }
        return found;
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(text);
        while (m.find()) {
            attributes.put(m.group(1), unescape(m.group(2)));
        }
        return attributes;
    }

    private static String text(String html) {
        return unescape(TAG.matcher(html).replaceAll("")).strip();
    }

    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }
}
