package org.fieldstream.reports;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which rows of the dashboard's long tables a page shows: the page of each table (the cohort list's
 * is {@code page}, another table's {@code page-<table>}), the cohort list's order ({@code sort}, one
 * of {@link #SORTS}, never SQL text from the request) and its search ({@code q}, part of a cohort id,
 * reaching SQL only through {@link SqlText#literal}).
 */
record DashboardListing(String sort, String q, Map<String, Integer> pages) {

    /** Rows a long table shows per page. */
    static final int ROWS = 25;
    static final String COHORTS = "retention-per-cohort";
    /** The tables shown a page at a time, each with its page parameter. */
    static final List<String> PAGED = List.of(COHORTS, "survival-points", "pooled-survival", "retention-by-partner-district", "reached-per-month",
            "reached-per-quarter", "reached-to-date", "targets-vs-actuals");
    /** The paged tables the retention report holds; the others are the outreach report's. */
    static final List<String> RETENTION_TABLES = List.of(COHORTS, "survival-points", "pooled-survival", "retention-by-partner-district");
    /** The cohort list's orders: the ORDER BY of each, at-risk cohorts (highest dropout, then lowest attendance) by default. */
    static final Map<String, String> SORTS = sorts();
    static final String DEFAULT_SORT = "risk";
    static final DashboardListing DEFAULT = new DashboardListing(DEFAULT_SORT, "", Map.of());
    private static final int MAX_SEARCH = 64;
    private static final int MAX_PAGE = 1_000_000;

    DashboardListing {
        pages = Map.copyOf(pages);
    }

    private static Map<String, String> sorts() {
        Map<String, String> sorts = new LinkedHashMap<>();
        sorts.put("risk", "dropout_rate DESC, attendance_rate ASC");
        sorts.put("retention", "retention_rate DESC");
        sorts.put("low-retention", "retention_rate ASC");
        sorts.put("dropout", "dropout_rate DESC");
        sorts.put("size", "enrolled DESC");
        return java.util.Collections.unmodifiableMap(sorts);
    }

    /** The page parameter of a paged table. */
    static String pageParameter(String table) {
        return COHORTS.equals(table) ? "page" : "page-" + table;
    }

    /** The table a page parameter names, or null when it is none. */
    static String pagedTable(String parameter) {
        return PAGED.stream().filter(t -> pageParameter(t).equals(parameter)).findFirst().orElse(null);
    }

    static DashboardListing of(String sort, String q, Map<String, String> pageValues) {
        String order = sort == null || sort.isEmpty() ? DEFAULT_SORT : sort;
        if (!SORTS.containsKey(order)) {
            throw new ReportError("sort " + Filters.shown(sort) + " is none of " + String.join(", ", SORTS.keySet()));
        }
        String search = q == null ? "" : q.strip();
        if (search.length() > MAX_SEARCH) {
            throw new ReportError("the search is longer than " + MAX_SEARCH + " characters");
        }
        if (search.chars().anyMatch(Character::isISOControl)) {
            throw new ReportError("the search " + Filters.shown(search) + " holds control characters");
        }
        Map<String, Integer> pages = new TreeMap<>();
        pageValues.forEach((table, value) -> {
            if (value != null && !value.isEmpty()) {
                int page;
                try {
                    page = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    page = -1;
                }
                if (page < 0 || page > MAX_PAGE) {
                    throw new ReportError(pageParameter(table) + " must be a page number from 0, not " + Filters.shown(value));
                }
                if (page > 0) {
                    pages.put(table, page);
                }
            }
        });
        return new DashboardListing(order, search, pages);
    }

    int page(String table) {
        return pages.getOrDefault(table, 0);
    }

    /** The first row of a table's page. */
    long offset(String table) {
        return (long) page(table) * ROWS;
    }

    /** The ORDER BY of the cohort list, with the cohort's key after it so that pages never overlap. */
    String orderBy() {
        return SORTS.get(sort) + ", program_id, partner_id, cohort_id";
    }

    DashboardListing withPage(String table, int page) {
        Map<String, Integer> changed = new TreeMap<>(pages);
        if (page > 0) {
            changed.put(table, page);
        } else {
            changed.remove(table);
        }
        return new DashboardListing(sort, q, changed);
    }

    /** The query string of the filters alone (what a CSV link and the filter form keep). */
    static String filtersQuery(Filters filters) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("program", filters.program());
        values.put("partner", filters.partner());
        values.put("district", filters.district());
        values.put("from", filters.from() == null ? null : Filters.monthOf(filters.from()));
        values.put("to", filters.to() == null ? null : Filters.monthOf(filters.to()));
        return join(values);
    }

    /** The query string of the filters and this listing, without defaults. */
    String query(Filters filters) {
        Map<String, String> values = new LinkedHashMap<>();
        String base = filtersQuery(filters);
        if (!DEFAULT_SORT.equals(sort)) {
            values.put("sort", sort);
        }
        if (!q.isEmpty()) {
            values.put("q", q);
        }
        PAGED.stream().filter(pages::containsKey).forEach(table -> values.put(pageParameter(table), String.valueOf(pages.get(table))));
        String rest = join(values);
        return base.isEmpty() ? rest : rest.isEmpty() ? base : base + "&" + rest;
    }

    private static String join(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                out.append(out.length() == 0 ? "" : "&").append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return out.toString();
    }
}
