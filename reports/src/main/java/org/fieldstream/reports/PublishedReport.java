package org.fieldstream.reports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A retention or outreach report as published ({@code report ... --publish}): its printed rows with
 * small-cell suppression ({@link SmallCells}) over every count of people and every sum a reader can
 * find in it. Retention: a cohort's enrolled is its active + completed + dropped out; each partner
 * and district row is the sum of its cohorts, the row of all cohorts the sum of those rows (every
 * count column, transfers included); a session point's persons add up to the pooled point; sessions
 * attended and expected of a hidden enrolment are hidden too (they describe those few people), with
 * their own sums, and so is the whole survival curve of a cohort with any hidden count (its last
 * point is close to its completions); a curve's enrolled that the cohort row shows is never chosen to
 * protect another. Outreach: the sex × age band cells of a month or quarter add up to its total
 * (unknown sex and age are cells like the others), the same for people newly reached; a target's
 * actual of people reached is the same figure as the report's month, quarter or to-date count and is
 * hidden with it. Rates are hidden when a count they come from is ({@link #RATE_HIDDEN}). Cohort,
 * session and dialogue counts are not people and stay exact. Pure: the report is read, not changed.
 */
final class PublishedReport {

    /** What a hidden rate shows. */
    static final String RATE_HIDDEN = "hidden";

    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern QUARTER = Pattern.compile("\\d{4}-Q[1-4]");
    private static final List<String> PEOPLE = List.of("active", "completed", "dropped_out");
    private static final List<String> PERSON_COUNTS = List.of("enrolled", "active", "completed", "dropped_out", "transferred");
    private static final List<String> SESSION_COUNTS = List.of("sessions_attended", "sessions_expected");

    private final ReportOutput report;
    private final int k;
    private final Map<String, List<Map<String, String>>> rows = new LinkedHashMap<>();

    private PublishedReport(ReportOutput report, int k) {
        this.report = report;
        this.k = k;
        for (ReportOutput.Section<?> section : report.sections()) {
            List<Map<String, String>> copy = new ArrayList<>();
            section.printed().forEach(row -> copy.add(new LinkedHashMap<>(row)));
            rows.put(section.title(), copy);
        }
    }

    /** The report published at threshold {@code k}. */
    static PublishedReport of(ReportOutput report, int k) {
        PublishedReport published = new PublishedReport(report, k);
        if (report.title().equals("Retention")) {
            published.retention();
        } else if (report.title().equals("Outreach")) {
            published.outreach();
        } else {
            throw new ReportError(report.title().toLowerCase(java.util.Locale.ROOT) + " is not published; --publish applies to retention,"
                    + " outreach and iptt");
        }
        return published;
    }

    /**
     * k for the programs a report covers: the program's {@code small_cell_threshold}, or the largest of
     * every program's without one ({@link SmallCells#DEFAULT_K} when none is known).
     */
    static int threshold(org.fieldstream.clickhouse.ClickHouseGateway gateway, String db, String program) {
        String k = gateway.queryValue("SELECT toString(max(small_cell_threshold)) FROM " + db + ".v_programs"
                + (program == null ? "" : " WHERE " + SqlText.equal("program_id", program)));
        int threshold = k == null || k.isEmpty() ? 0 : Integer.parseInt(k);
        return threshold < 1 ? SmallCells.DEFAULT_K : threshold;
    }

    ReportOutput report() {
        return report;
    }

    int k() {
        return k;
    }

    /** The rows of the section titled {@code title} as published. */
    List<Map<String, String>> printed(String title) {
        return rows.getOrDefault(title, List.of());
    }

    /** Cells of one suppression: where each is printed, and the rates that come from them. */
    private final class Marks {
        final SmallCells.Cells cells = new SmallCells.Cells();
        final Map<Integer, List<String[]>> places = new LinkedHashMap<>();
        final Map<String, Integer> byKey = new LinkedHashMap<>();
        final List<Object[]> rates = new ArrayList<>();

        /** The count printed at (section, row, column), one cell per key (null: its own cell). */
        int put(String section, int row, String column, String key, boolean hide) {
            long count = Long.parseLong(printed(section).get(row).get(column));
            Integer known = key == null ? null : byKey.get(key);
            int id;
            if (known != null && cells.count(known) == count) {
                id = known;
            } else {
                id = hide ? cells.addHidden(count) : cells.add(count);
                if (key != null && known == null) {
                    byKey.put(key, id);
                }
            }
            places.computeIfAbsent(id, i -> new ArrayList<>()).add(new String[] {section, Integer.toString(row), column});
            return id;
        }

        /** The count printed at (section, row, column), which another table of the report shows too. */
        int known(String section, int row, String column) {
            int id = cells.addKnown(Long.parseLong(printed(section).get(row).get(column)));
            places.computeIfAbsent(id, i -> new ArrayList<>()).add(new String[] {section, Integer.toString(row), column});
            return id;
        }

        /** {@code total} = the sum of {@code parts}, when the counts add up (only then can a reader use it). */
        void sum(Integer total, List<Integer> parts) {
            if (total != null && !parts.isEmpty() && cells.addsUp(total, parts)) {
                cells.sum(total, parts);
            }
        }

        void rate(String section, int row, String column, Integer... from) {
            rates.add(new Object[] {section, row, column, from});
        }

        /** Suppresses at k and writes the markers into the printed rows. */
        SmallCells.Published apply() {
            SmallCells.Published published = cells.suppress(k);
            places.forEach((id, where) -> {
                if (published.isHidden(id)) {
                    for (String[] w : where) {
                        printed(w[0]).get(Integer.parseInt(w[1])).put(w[2], SmallCells.marker(k));
                    }
                }
            });
            for (Object[] r : rates) {
                for (Integer id : (Integer[]) r[3]) {
                    if (id != null && published.isHidden(id)) {
                        printed((String) r[0]).get((Integer) r[1]).put((String) r[2], RATE_HIDDEN);
                    }
                }
            }
            return published;
        }
    }

    private void retention() {
        Marks people = new Marks();
        List<Map<String, Integer>> cohortCells = countCells(people, RetentionReport.PER_COHORT, row -> "cohort|" + key(row,
                "program_id", "partner_id", "cohort_id"));
        List<Map<String, Integer>> groupCells = countCells(people, RetentionReport.BY_PARTNER_DISTRICT, row -> null);
        List<Map<String, Integer>> allCells = countCells(people, RetentionReport.ALL_COHORTS, row -> null);
        sumsByGroup(people, RetentionReport.PER_COHORT, cohortCells, RetentionReport.BY_PARTNER_DISTRICT, groupCells, PERSON_COUNTS,
                "program_id", "partner_id", "district_id");
        sumsByGroup(people, RetentionReport.BY_PARTNER_DISTRICT, groupCells, RetentionReport.ALL_COHORTS, allCells, PERSON_COUNTS);
        rates(people, RetentionReport.PER_COHORT, cohortCells);
        rates(people, RetentionReport.BY_PARTNER_DISTRICT, groupCells);
        rates(people, RetentionReport.ALL_COHORTS, allCells);
        SmallCells.Published shown = people.apply();
        // a second suppression, of figures about the people of the first: survival points and sessions attended
        Marks sessions = new Marks();
        Map<String, Map<String, Integer>> cohortOf = new LinkedHashMap<>();
        Map<String, Integer> cohortIndex = new LinkedHashMap<>();
        for (int i = 0; i < cohortCells.size(); i++) {
            String cohort = key(printed(RetentionReport.PER_COHORT).get(i), "program_id", "partner_id", "cohort_id");
            cohortOf.put(cohort, cohortCells.get(i));
            cohortIndex.put(cohort, i);
        }
        // survival points: persons enrolled and present then or later; a cohort with a hidden count hides its whole curve
        // (its last point is close to its completions), and its enrolled, where the cohort row shows that figure, is known
        List<Map<String, String>> points = printed(RetentionReport.CURVE_POINTS);
        Map<String, List<Integer>> enrolledBySession = new LinkedHashMap<>();
        Map<String, List<Integer>> survivingBySession = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            Map<String, String> row = points.get(i);
            Map<String, Integer> cohort = cohortOf.get(key(row, "program_id", "partner_id", "cohort_id"));
            boolean hide = cohort == null || cohort.values().stream().anyMatch(shown::isHidden);
            boolean known = !hide && printed(RetentionReport.PER_COHORT).get(cohortIndex.get(key(row, "program_id", "partner_id", "cohort_id")))
                    .get("enrolled").equals(row.get("enrolled"));
            int enrolled = known ? sessions.known(RetentionReport.CURVE_POINTS, i, "enrolled")
                    : sessions.put(RetentionReport.CURVE_POINTS, i, "enrolled", null, hide);
            int surviving = sessions.put(RetentionReport.CURVE_POINTS, i, "surviving", null, hide);
            sessions.rate(RetentionReport.CURVE_POINTS, i, "survival_rate", enrolled, surviving);
            enrolledBySession.computeIfAbsent(row.get("session_number"), s -> new ArrayList<>()).add(enrolled);
            survivingBySession.computeIfAbsent(row.get("session_number"), s -> new ArrayList<>()).add(surviving);
        }
        List<Map<String, String>> pooled = printed(RetentionReport.POOLED);
        for (int i = 0; i < pooled.size(); i++) {
            String session = pooled.get(i).get("session_number");
            int enrolled = sessions.put(RetentionReport.POOLED, i, "enrolled", null, false);
            int surviving = sessions.put(RetentionReport.POOLED, i, "surviving", null, false);
            sessions.sum(enrolled, enrolledBySession.getOrDefault(session, List.of()));
            sessions.sum(surviving, survivingBySession.getOrDefault(session, List.of()));
            sessions.rate(RetentionReport.POOLED, i, "survival_rate", enrolled, surviving);
            // the cohorts' percentiles are some cohorts' own rates: hidden with any hidden point of the session
            List<Integer> ofSession = new ArrayList<>(enrolledBySession.getOrDefault(session, List.of()));
            ofSession.addAll(survivingBySession.getOrDefault(session, List.of()));
            sessions.rate(RetentionReport.POOLED, i, "survival_p10", ofSession.toArray(Integer[]::new));
            sessions.rate(RetentionReport.POOLED, i, "survival_p90", ofSession.toArray(Integer[]::new));
        }
        // sessions attended and expected: hidden where the enrolment they describe is, then protected by their sums
        List<Map<String, Integer>> cohortSessions = sessionCells(sessions, RetentionReport.PER_COHORT, cohortCells, shown);
        List<Map<String, Integer>> groupSessions = sessionCells(sessions, RetentionReport.BY_PARTNER_DISTRICT, groupCells, shown);
        List<Map<String, Integer>> allSessions = sessionCells(sessions, RetentionReport.ALL_COHORTS, allCells, shown);
        sumsByGroup(sessions, RetentionReport.PER_COHORT, cohortSessions, RetentionReport.BY_PARTNER_DISTRICT, groupSessions, SESSION_COUNTS,
                "program_id", "partner_id", "district_id");
        sumsByGroup(sessions, RetentionReport.BY_PARTNER_DISTRICT, groupSessions, RetentionReport.ALL_COHORTS, allSessions, SESSION_COUNTS);
        for (String section : List.of(RetentionReport.PER_COHORT, RetentionReport.BY_PARTNER_DISTRICT, RetentionReport.ALL_COHORTS)) {
            List<Map<String, Integer>> of = section.equals(RetentionReport.PER_COHORT) ? cohortSessions
                    : section.equals(RetentionReport.BY_PARTNER_DISTRICT) ? groupSessions : allSessions;
            for (int i = 0; i < of.size(); i++) {
                sessions.rate(section, i, "attendance_rate", of.get(i).get("sessions_attended"), of.get(i).get("sessions_expected"));
            }
        }
        sessions.apply();
    }

    /** The person counts of each row of a section, with the row's own sum (enrolled = active + completed + dropped out). */
    private List<Map<String, Integer>> countCells(Marks marks, String section, Function<Map<String, String>, String> key) {
        List<Map<String, Integer>> out = new ArrayList<>();
        List<Map<String, String>> rows = printed(section);
        for (int i = 0; i < rows.size(); i++) {
            String prefix = key.apply(rows.get(i));
            Map<String, Integer> ids = new LinkedHashMap<>();
            for (String column : PERSON_COUNTS) {
                ids.put(column, marks.put(section, i, column, prefix == null ? null : prefix + "|" + column, false));
            }
            marks.sum(ids.get("enrolled"), PEOPLE.stream().map(ids::get).toList());
            out.add(ids);
        }
        return out;
    }

    private List<Map<String, Integer>> sessionCells(Marks marks, String section, List<Map<String, Integer>> people, SmallCells.Published shown) {
        List<Map<String, Integer>> out = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            boolean hide = shown.isHidden(people.get(i).get("enrolled"));
            Map<String, Integer> ids = new LinkedHashMap<>();
            for (String column : SESSION_COUNTS) {
                ids.put(column, marks.put(section, i, column, null, hide));
            }
            out.add(ids);
        }
        return out;
    }

    /** Retention, dropout and completion rates of each row, hidden with the counts they come from. */
    private static void rates(Marks marks, String section, List<Map<String, Integer>> ids) {
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Integer> row = ids.get(i);
            marks.rate(section, i, "retention_rate", row.get("enrolled"), row.get("active"), row.get("completed"));
            marks.rate(section, i, "dropout_rate", row.get("enrolled"), row.get("dropped_out"));
            marks.rate(section, i, "completion_rate", row.get("enrolled"), row.get("completed"));
        }
    }

    /** For each column: a total row of {@code totals} is the sum of the {@code parts} rows with the same {@code by} columns. */
    private void sumsByGroup(Marks marks, String partsSection, List<Map<String, Integer>> parts, String totalsSection,
                             List<Map<String, Integer>> totals, List<String> columns, String... by) {
        List<Map<String, String>> partRows = printed(partsSection);
        List<Map<String, String>> totalRows = printed(totalsSection);
        for (int t = 0; t < totals.size(); t++) {
            String group = key(totalRows.get(t), by);
            for (String column : columns) {
                List<Integer> members = new ArrayList<>();
                for (int p = 0; p < parts.size(); p++) {
                    if (key(partRows.get(p), by).equals(group)) {
                        members.add(parts.get(p).get(column));
                    }
                }
                marks.sum(totals.get(t).get(column), members);
            }
        }
    }

    private void outreach() {
        Marks people = new Marks();
        for (String[] grain : List.of(new String[] {OutreachReport.PER_MONTH, OutreachReport.PER_MONTH_BY_GROUP},
                new String[] {OutreachReport.PER_QUARTER, OutreachReport.PER_QUARTER_BY_GROUP})) {
            for (String column : List.of("people_reached", "new_people_reached")) {
                Map<String, Integer> totals = new LinkedHashMap<>();
                List<Map<String, String>> totalRows = printed(grain[0]);
                for (int i = 0; i < totalRows.size(); i++) {
                    String cell = key(totalRows.get(i), "program_id", "dimension", "dimension_id", "period");
                    totals.put(cell, people.put(grain[0], i, column, "reach|" + cell + "|" + column, false));
                }
                // sex x age band cells and any margins (sex or age band 'all') they carry
                Map<String, Integer> groups = new LinkedHashMap<>();
                List<Map<String, String>> groupRows = printed(grain[1]);
                for (int i = 0; i < groupRows.size(); i++) {
                    Map<String, String> row = groupRows.get(i);
                    groups.put(key(row, "program_id", "dimension", "dimension_id", "period", "sex", "age_band"),
                            people.put(grain[1], i, column, null, false));
                }
                Map<String, List<Integer>> interior = new LinkedHashMap<>();
                Map<String, List<Integer>> bySex = new LinkedHashMap<>();
                Map<String, List<Integer>> byAge = new LinkedHashMap<>();
                Map<String, List<Integer>> sexMargins = new LinkedHashMap<>();
                Map<String, List<Integer>> ageMargins = new LinkedHashMap<>();
                for (int i = 0; i < groupRows.size(); i++) {
                    Map<String, String> row = groupRows.get(i);
                    String cell = key(row, "program_id", "dimension", "dimension_id", "period");
                    int id = groups.get(key(row, "program_id", "dimension", "dimension_id", "period", "sex", "age_band"));
                    boolean sexAll = "all".equals(row.get("sex"));
                    boolean ageAll = "all".equals(row.get("age_band"));
                    if (!sexAll && !ageAll) {
                        interior.computeIfAbsent(cell, c -> new ArrayList<>()).add(id);
                        bySex.computeIfAbsent(cell + "|" + row.get("sex"), c -> new ArrayList<>()).add(id);
                        byAge.computeIfAbsent(cell + "|" + row.get("age_band"), c -> new ArrayList<>()).add(id);
                    } else if (ageAll) {
                        sexMargins.computeIfAbsent(cell, c -> new ArrayList<>()).add(id);
                    } else {
                        ageMargins.computeIfAbsent(cell, c -> new ArrayList<>()).add(id);
                    }
                }
                interior.forEach((cell, parts) -> people.sum(totals.get(cell), parts));
                sexMargins.forEach((cell, parts) -> people.sum(totals.get(cell), parts));
                ageMargins.forEach((cell, parts) -> people.sum(totals.get(cell), parts));
                bySex.forEach((cellSex, parts) -> {
                    int cut = cellSex.lastIndexOf('|');
                    people.sum(groups.get(cellSex.substring(0, cut) + "|" + cellSex.substring(cut + 1) + "|all"), parts);
                });
                byAge.forEach((cellAge, parts) -> {
                    int cut = cellAge.lastIndexOf('|');
                    people.sum(groups.get(cellAge.substring(0, cut) + "|all|" + cellAge.substring(cut + 1)), parts);
                });
            }
        }
        List<Map<String, String>> toDate = printed(OutreachReport.TO_DATE);
        for (int i = 0; i < toDate.size(); i++) {
            people.put(OutreachReport.TO_DATE, i, "people_reached", "reach|" + key(toDate.get(i), "program_id", "dimension", "dimension_id",
                    "all") + "|people_reached", false);
        }
        List<Map<String, String>> targets = printed(OutreachReport.TARGETS);
        for (int i = 0; i < targets.size(); i++) {
            Map<String, String> row = targets.get(i);
            String indicator = row.get("indicator");
            String actual = row.get("actual");
            if (indicator.equals("dialogues_held") || actual == null || actual.isEmpty() || !actual.matches("\\d+")) {
                continue;
            }
            String period = row.get("period");
            boolean reach = indicator.equals("people_reached") || indicator.equals("new_people_reached");
            boolean shared = reach && (MONTH.matcher(period).matches() || QUARTER.matcher(period).matches() || period.equals("all"));
            int id = people.put(OutreachReport.TARGETS, i, "actual", shared ? "reach|" + row.get("program_id") + "|" + row.get("dimension")
                    + "|" + row.get("dimension_id") + "|" + period + "|" + indicator : null, false);
            people.rate(OutreachReport.TARGETS, i, "achievement", id);
        }
        people.apply();
    }

    /** The key of a row: the values of {@code columns}, '|' between; a name that is no column is itself. */
    private static String key(Map<String, String> row, String... columns) {
        List<String> parts = new ArrayList<>();
        for (String c : columns) {
            parts.add(row.containsKey(c) ? String.valueOf(row.get(c)) : c);
        }
        return String.join("|", parts);
    }
}
