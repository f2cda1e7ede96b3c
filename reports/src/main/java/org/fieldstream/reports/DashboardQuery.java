package org.fieldstream.reports;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's query string, read into {@link Filters} with the report command's own checks:
 * {@code program}, {@code partner}, {@code district} (ids) and {@code from}, {@code to} (yyyy-MM).
 * An empty value means no filter (what the page's form sends for "all"); anything else — another
 * parameter, one given twice, a malformed escape, a value that is no id or month — is refused.
 */
final class DashboardQuery {

    static final List<String> PARAMETERS = List.of("program", "partner", "district", "from", "to");
    static final List<String> LISTING = List.of("sort", "q", "page", "page-<table>");
    private static final int MAX_LENGTH = 1024;

    private DashboardQuery() {
    }

    /** The filters and the rows to list. */
    record Request(Filters filters, DashboardListing listing) {
    }

    /** {@code rawQuery} as the request carries it (still percent-encoded), or null: the filters only. */
    static Filters parse(String rawQuery) {
        return request(rawQuery).filters();
    }

    /** {@code rawQuery} as the request carries it (still percent-encoded), or null. */
    static Request request(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return new Request(Filters.NONE, DashboardListing.DEFAULT);
        }
        Map<String, String> values = values(rawQuery,
                name -> PARAMETERS.contains(name) || "sort".equals(name) || "q".equals(name) || DashboardListing.pagedTable(name) != null,
                "the dashboard takes " + String.join(", ", PARAMETERS) + ", " + String.join(", ", LISTING));
        LocalDate from = blank(values.get("from")) ? null : Filters.month("from", values.get("from")).atDay(1);
        LocalDate to = blank(values.get("to")) ? null : Filters.month("to", values.get("to")).atEndOfMonth();
        Filters filters = new Filters(id(values, "program"), id(values, "partner"), id(values, "district"), from, to);
        Map<String, String> pages = new HashMap<>();
        for (String table : DashboardListing.PAGED) {
            pages.put(table, values.get(DashboardListing.pageParameter(table)));
        }
        return new Request(filters, DashboardListing.of(values.get("sort"), values.get("q"), pages));
    }

    /** The parameters of a query string, each at most once and each one of {@code allowed}. */
    static Map<String, String> values(String rawQuery, List<String> allowed) {
        return values(rawQuery, allowed::contains, "this page takes " + String.join(", ", allowed));
    }

    /** The parameters of a query string, each at most once and each one {@code allowed} accepts ({@code takes} says which). */
    private static Map<String, String> values(String rawQuery, java.util.function.Predicate<String> allowed, String takes) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        if (rawQuery.length() > MAX_LENGTH) {
            throw new ReportError("the query string is longer than " + MAX_LENGTH + " characters");
        }
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (!allowed.test(name)) {
                throw new ReportError("unknown parameter " + Filters.shown(name) + ": " + takes);
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new ReportError("parameter " + name + " given twice");
            }
        }
        return values;
    }

    private static String id(Map<String, String> values, String name) {
        String value = values.get(name);
        return blank(value) ? null : Filters.id(name, value);
    }

    private static boolean blank(String value) {
        return value == null || value.isEmpty();
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ReportError("malformed query string: " + Filters.shown(text));
        }
    }
}
