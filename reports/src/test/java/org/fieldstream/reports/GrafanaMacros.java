package org.fieldstream.reports;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands a panel's SQL the way Grafana and its ClickHouse datasource do before sending it: template
 * variables ({@code ${name}}, {@code $name}) and the datasource's time macros, for a fixed range.
 * A macro this class does not know stays in the text, where the tests see the leftover {@code $}.
 */
final class GrafanaMacros {

    private static final Pattern FUNCTION_MACRO = Pattern.compile("\\$__(timeFilter|dateFilter|timeInterval)\\(\\s*([^)]+?)\\s*\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(?!__)(\\w+)");

    private GrafanaMacros() {
    }

    static String expand(String sql, Instant from, Instant to, long intervalSeconds, Map<String, String> variables) {
        String from0 = "toDateTime(" + from.getEpochSecond() + ")";
        String to0 = "toDateTime(" + to.getEpochSecond() + ")";
        StringBuilder out = new StringBuilder();
        Matcher f = FUNCTION_MACRO.matcher(sql);
        while (f.find()) {
            String column = f.group(2);
            String expansion = switch (f.group(1)) {
                case "timeFilter" -> column + " >= " + from0 + " AND " + column + " <= " + to0;
                case "dateFilter" -> column + " >= toDate('" + from.atOffset(ZoneOffset.UTC).toLocalDate() + "') AND "
                        + column + " <= toDate('" + to.atOffset(ZoneOffset.UTC).toLocalDate() + "')";
                default -> "toStartOfInterval(toDateTime(" + column + "), INTERVAL " + intervalSeconds + " second)";
            };
            f.appendReplacement(out, Matcher.quoteReplacement(expansion));
        }
        f.appendTail(out);
        String expanded = out.toString().replace("$__fromTime", from0).replace("$__toTime", to0)
                .replace("$__interval_s", Long.toString(intervalSeconds));
        StringBuilder result = new StringBuilder();
        Matcher v = VARIABLE.matcher(expanded);
        while (v.find()) {
            String name = v.group(1) != null ? v.group(1) : v.group(2);
            v.appendReplacement(result, Matcher.quoteReplacement(variables.getOrDefault(name, v.group())));
        }
        v.appendTail(result);
        return result.toString();
    }
}
