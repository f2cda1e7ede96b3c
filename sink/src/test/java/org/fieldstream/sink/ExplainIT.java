package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.fieldstream.reports.ExplainCommand;
import org.fieldstream.seeds.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fieldstream explain} on a generated program landed through the real pipeline (duplicates, a
 * file pushed twice, a late upload, corrections, retractions): for every cohort and every person figure,
 * the first line is the figure of the cohort's streamed row, the persons listed are as many as the
 * figure and have the figure's status, and each person's records are exactly the events of
 * field_events that name the person in that cohort (with the retractions of those records), each with
 * the type, revision, source and source_ref field_events holds, and the state the latest-revision rule
 * gives it, recomputed here from the raw events: superseded corrections and retracted records show as such.
 * Every month's people_reached of the program and of each partner lists as many persons as the cell
 * counts, each with the current presences and dialogue attendances of that month (of that partner) that
 * reached them. Every outreach cell of every dimension, period, sex and age band lists as many persons
 * as people_reached and new_people_reached count (the command on a cell of each kind); every survival
 * point, every dialogue's attendance and a target's actual of each indicator, dimension and period form
 * list as many lines as the figure, with records as field_events holds them. An unknown cohort is
 * refused by name.
 */
class ExplainIT {

    private static final List<String> FIGURES = List.of("enrolled", "active", "completed", "dropped_out", "transferred");

    @TempDir
    Path work;

    /** A row of field_events as this test reads it. */
    private record Event(String eventId, String aggregateId, String rootId, int revision, String type, String source, String sourceRef,
                         String personId) {
        boolean retraction() {
            return type.equals("record_retracted");
        }
    }

    @Test
    void everyCohortFigureListsItsPersonsAndTheirRecordsAsFieldEventsHoldThem() throws Exception {
        try (LandedProgram program = LandedProgram.land(11L, Size.TINY, work)) {
            Map<String, String> env = Map.of("FIELDSTREAM_CLICKHOUSE_URL", program.clickHouse.url(),
                    "FIELDSTREAM_CLICKHOUSE_DATABASE", program.database);
            Map<String, Event> events = new HashMap<>();
            Map<String, List<Event>> byRoot = new HashMap<>();
            for (Map<String, String> r : program.clickHouse.query("SELECT event_id, aggregate_id, root_id, revision, event_type, source,"
                    + " source_ref, ifNull(person_id, '') AS person_id FROM " + program.database + ".field_events FINAL"
                    + " WHERE event_type IN ('participant_enrolled', 'attendance_recorded', 'participant_exited', 'record_retracted',"
                    + " 'dialogue_attended')")) {
                Event e = new Event(r.get("event_id"), r.get("aggregate_id"), r.get("root_id"), Integer.parseInt(r.get("revision")),
                        r.get("event_type"), r.get("source"), r.get("source_ref"), r.get("person_id"));
                events.put(e.eventId(), e);
                byRoot.computeIfAbsent(e.aggregateId() + "|" + e.rootId(), k -> new ArrayList<>()).add(e);
            }
            Map<String, String> states = states(byRoot);

            Map<String, Integer> statesSeen = new TreeMap<>();
            int checked = 0;
            List<Map<String, String>> cohorts = program.clickHouse.query("SELECT program_id, partner_id, cohort_id, "
                    + String.join(", ", FIGURES) + " FROM " + program.database + ".v_cohort_retention ORDER BY program_id, partner_id, cohort_id");
            assertTrue(cohorts.size() >= 3, "cohorts landed: " + cohorts.size());
            for (Map<String, String> cohort : cohorts) {
                String aggregate = cohort.get("program_id") + "/" + cohort.get("partner_id") + "/" + cohort.get("cohort_id");
                for (String figure : FIGURES) {
                    String what = aggregate + " " + figure;
                    List<String> lines = explain(env, cohort.get("program_id"), cohort.get("partner_id"), cohort.get("cohort_id"), figure);
                    long value = Long.parseLong(cohort.get(figure));
                    assertEquals(figure + " = " + value, lines.get(0), what);
                    List<String> persons = lines.subList(1, lines.size());
                    assertEquals(value, persons.size(), what + ": persons listed\n" + String.join("\n", lines));
                    for (String line : persons) {
                        String[] parts = line.split(" \\| ");
                        String[] head = parts[0].split(" ");
                        String person = head[0];
                        String status = head[1].substring("status=".length());
                        assertTrue(figure.equals("enrolled") ? !status.equals("transferred") : status.equals(figure), what + ": " + parts[0]);
                        Set<String> listed = new TreeSet<>();
                        for (int i = 1; i < parts.length; i++) {
                            Map<String, String> record = fields(parts[i]);
                            Event event = events.get(record.get("event_id"));
                            assertTrue(event != null, what + ": " + record.get("event_id") + " not in field_events");
                            assertEquals(aggregate, event.aggregateId(), what + " " + record);
                            assertEquals(List.of(event.type(), event.source(), event.sourceRef(), String.valueOf(event.revision()),
                                            states.get(event.eventId())),
                                    List.of(record.get("type"), record.get("source"), record.get("source_ref"), record.get("revision"),
                                            record.get("state")), what + " " + person + " " + event.eventId());
                            statesSeen.merge(record.get("state"), 1, Integer::sum);
                            listed.add(event.eventId());
                            checked++;
                        }
                        assertEquals(recordsOf(byRoot, aggregate, person), listed, what + ": records of " + person);
                        assertTrue(listed.stream().anyMatch(id -> events.get(id).type().equals("participant_enrolled")
                                && states.get(id).equals("current")), what + ": " + person + " without a current enrolment");
                    }
                }
            }
            System.out.println("explained " + cohorts.size() + " cohorts, " + checked + " records by state " + statesSeen);
            for (String state : List.of("current", "superseded", "retraction", "retracted")) {
                assertTrue(statesSeen.getOrDefault(state, 0) > 0, "no " + state + " record in any explanation: " + statesSeen);
            }

            int cells = 0;
            for (Map<String, String> cell : program.clickHouse.query("SELECT program_id, dimension, dimension_id, period, people_reached FROM "
                    + program.database + ".v_outreach WHERE period_kind = 'month' AND dimension IN ('program', 'partner')"
                    + " AND sex = 'all' AND age_band = 'all' ORDER BY program_id, dimension, dimension_id, period")) {
                String what = cell.get("program_id") + " " + cell.get("dimension") + " " + cell.get("dimension_id") + " " + cell.get("period");
                List<String> args = new ArrayList<>(List.of("--program", cell.get("program_id"), "--period", cell.get("period")));
                if (cell.get("dimension").equals("partner")) {
                    args.addAll(List.of("--partner", cell.get("dimension_id")));
                }
                args.add("people_reached");
                List<String> lines = explain(env, args.toArray(String[]::new));
                assertEquals("people_reached = " + cell.get("people_reached"), lines.get(0), what);
                assertEquals(Long.parseLong(cell.get("people_reached")), lines.size() - 1L, what + ": persons listed");
                for (String line : lines.subList(1, lines.size())) {
                    String[] parts = line.split(" \\| ");
                    String person = parts[0].split(" ")[0];
                    assertTrue(parts.length > 1, what + ": " + person + " without a record");
                    for (int i = 1; i < parts.length; i++) {
                        Map<String, String> record = fields(parts[i]);
                        Event event = events.get(record.get("event_id"));
                        assertTrue(event != null, what + ": " + record.get("event_id") + " not in field_events");
                        assertEquals(List.of(person, event.type(), event.source(), event.sourceRef(), String.valueOf(event.revision()), "current"),
                                List.of(event.personId(), record.get("type"), record.get("source"), record.get("source_ref"),
                                        record.get("revision"), states.get(event.eventId())), what + " " + event.eventId());
                        assertTrue(cell.get("dimension").equals("program") || event.aggregateId().startsWith(cell.get("program_id") + "/"
                                + cell.get("dimension_id") + "/"), what + ": a record of another partner " + event.aggregateId());
                        assertTrue(record.get("record_date").startsWith(cell.get("period") + "-"), what + " " + record);
                    }
                }
                cells++;
            }
            System.out.println("explained " + cells + " outreach cells");
            assertTrue(cells > 3, "outreach cells explained: " + cells);

            explainEveryOutreachCell(program, env, events, states);
            explainEverySurvivalPoint(program, env, events, states);
            explainEveryDialogue(program, env, events, states);
            explainActuals(program, env, events);

            Map<String, String> first = cohorts.get(0);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int code = ExplainCommand.run(new String[] {"--program", first.get("program_id"), "--partner", first.get("partner_id"),
                "--cohort", "no-such-cohort", "enrolled"}, env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals(2, code);
            assertEquals("explain: no cohort no-such-cohort of partner " + first.get("partner_id") + " in program " + first.get("program_id"),
                    bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
            for (String place : List.of("--upazila", "--district")) {
                bytes.reset();
                code = ExplainCommand.run(new String[] {"--program", first.get("program_id"), place, "bd-nowhere", "--to-date", "people_reached"},
                        env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
                String said = bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
                assertEquals(2, code, said);
                assertTrue(said.startsWith("explain: unknown " + place.substring(2) + " bd-nowhere (known: "), said);
            }
        }
    }

    /**
     * Every outreach cell (program, partner, district, upazila x month, quarter, year, fiscal years, to
     * date x sex x age band): the persons explain lists for it (recompute_outreach_persons, read in one
     * query and compared here) are as many as v_outreach's people_reached and new_people_reached, and
     * each has a reach of the cell's place in the cell's period (explain_reach_records). The command
     * itself runs on a cell of every dimension x period kind, for both figures, in total and for a sex x
     * age band: as many lines as the figure, each record in field_events as listed.
     */
    private static void explainEveryOutreachCell(LandedProgram program, Map<String, String> env, Map<String, Event> events,
                                                 Map<String, String> states) {
        String db = program.database;
        Map<String, long[]> figures = new TreeMap<>();
        for (Map<String, String> c : program.clickHouse.query("SELECT program_id, period_kind, period, dimension, dimension_id, sex, age_band,"
                + " people_reached, new_people_reached FROM " + db + ".v_outreach")) {
            figures.put(cellKey(c), new long[] {Long.parseLong(c.get("people_reached")), Long.parseLong(c.get("new_people_reached"))});
        }
        Map<String, long[]> listed = new TreeMap<>();
        Map<String, Set<String>> cellPersons = new HashMap<>();
        for (Map<String, String> c : program.clickHouse.query("SELECT program_id, period_kind, period, dimension, dimension_id, sex, age_band,"
                + " person_id, is_new FROM " + db + ".recompute_outreach_persons")) {
            long[] n = listed.computeIfAbsent(cellKey(c), k -> new long[2]);
            n[0]++;
            n[1] += c.get("is_new").equals("1") ? 1 : 0;
            cellPersons.computeIfAbsent(cellKey(c), k -> new HashSet<>()).add(c.get("person_id"));
        }
        assertEquals(figures.keySet(), listed.keySet(), "outreach cells with persons");
        figures.forEach((cell, n) -> assertEquals(List.of(n[0], n[1]), List.of(listed.get(cell)[0], listed.get(cell)[1]),
                cell + ": people_reached, new_people_reached and the persons listed"));
        Set<String> kinds = new TreeSet<>();
        figures.keySet().forEach(cell -> kinds.add(cell.split("\\|")[1] + " " + cell.split("\\|")[3]));
        assertTrue(kinds.containsAll(List.of("month district", "quarter upazila", "year partner", "to_date program")), "cells " + kinds);

        Map<String, Set<String>> reaches = new HashMap<>();
        for (Map<String, String> r : program.clickHouse.query("SELECT program_id, partner_id, district_id, upazila_id, person_id,"
                + " toString(month) AS month FROM " + db + ".explain_reach_records")) {
            String month = r.get("month").substring(0, 7);
            for (String place : List.of("program|" + r.get("program_id"), "partner|" + r.get("partner_id"),
                    "district|" + r.get("district_id"), "upazila|" + r.get("upazila_id"))) {
                reaches.computeIfAbsent(r.get("program_id") + "|" + place + "|" + r.get("person_id"), k -> new HashSet<>()).add(month);
            }
        }
        cellPersons.forEach((cell, persons) -> {
            String[] c = cell.split("\\|");
            for (String person : persons) {
                Set<String> months = reaches.getOrDefault(c[0] + "|" + c[3] + "|" + c[4] + "|" + person, Set.of());
                assertTrue(months.stream().anyMatch(m -> inPeriod(m, c[1], c[2])), cell + ": " + person + " without a reach there " + months);
            }
        });

        // per dimension x period kind, in total and by sex x age band: the cell where the two figures differ most
        Map<String, String> sample = new TreeMap<>();
        for (String cell : figures.keySet()) {
            String[] c = cell.split("\\|");
            boolean total = c[5].equals("all") && c[6].equals("all");
            sample.merge(c[1] + " " + c[3] + " " + total + " " + (c[2].startsWith("FY") ? c[2].substring(6) : ""), cell,
                    (kept, other) -> gap(figures.get(other)) > gap(figures.get(kept)) ? other : kept);
        }
        assertTrue(sample.values().stream().anyMatch(cell -> gap(figures.get(cell)) > 0), "no sampled cell with persons reached before");
        int run = 0;
        for (String cell : sample.values()) {
            String[] c = cell.split("\\|");
            for (String figure : List.of("people_reached", "new_people_reached")) {
                List<String> args = new ArrayList<>(List.of("--program", c[0]));
                switch (c[1]) {
                    case "month" -> args.addAll(List.of("--period", c[2]));
                    case "quarter" -> args.addAll(List.of("--quarter", c[2]));
                    case "year" -> args.addAll(List.of("--year", c[2]));
                    case "fiscal_year" -> args.addAll(List.of("--fiscal-year", c[2].substring(0, 6)));
                    default -> args.add("--to-date");
                }
                if (c[1].equals("fiscal_year") && !c[2].endsWith("-" + fiscalStart(program, c[0]))) {
                    continue;
                }
                if (!c[3].equals("program")) {
                    args.addAll(List.of("--" + c[3], c[4]));
                }
                args.addAll(List.of("--sex", c[5], "--age-band", c[6], figure));
                List<String> lines = explain(env, args.toArray(String[]::new));
                long value = figures.get(cell)[figure.equals("people_reached") ? 0 : 1];
                assertEquals(figure + " = " + value, lines.get(0), cell);
                assertEquals(value, lines.size() - 1L, cell + " " + figure + ": persons listed");
                for (String line : lines.subList(1, lines.size())) {
                    String[] parts = line.split(" \\| ");
                    String person = parts[0].split(" ")[0];
                    assertTrue(cellPersons.get(cell).contains(person), cell + ": " + person);
                    assertTrue(parts.length > 1, cell + ": " + person + " without a record");
                    for (int i = 1; i < parts.length; i++) {
                        Map<String, String> record = fields(parts[i]);
                        Event event = events.get(record.get("event_id"));
                        assertTrue(event != null, cell + ": " + record.get("event_id") + " not in field_events");
                        assertEquals(List.of(person, event.type(), event.source(), event.sourceRef(), String.valueOf(event.revision()), "current"),
                                List.of(event.personId(), record.get("type"), record.get("source"), record.get("source_ref"),
                                        record.get("revision"), states.get(event.eventId())), cell + " " + event.eventId());
                        assertTrue(inPeriod(record.get("record_date").substring(0, 7), c[1], c[2]), cell + " " + record);
                        assertTrue(!c[3].equals("partner") || event.aggregateId().startsWith(c[0] + "/" + c[4] + "/"), cell + " " + record);
                    }
                }
                run++;
            }
        }
        System.out.println("compared " + figures.size() + " outreach cells; explained " + run + " of them by the command");
        assertTrue(run >= 30, "outreach cells explained by the command: " + run);
    }

    private static long gap(long[] figures) {
        return figures[0] - figures[1];
    }

    private static String cellKey(Map<String, String> c) {
        return String.join("|", c.get("program_id"), c.get("period_kind"), c.get("period"), c.get("dimension"), c.get("dimension_id"),
                c.get("sex"), c.get("age_band"));
    }

    /** Whether month yyyy-MM lies in an outreach period (FY2026-10: October 2025 to September 2026). */
    private static boolean inPeriod(String month, String kind, String period) {
        YearMonth m = YearMonth.parse(month);
        return switch (kind) {
            case "month" -> month.equals(period);
            case "quarter" -> period.equals(m.getYear() + "-Q" + ((m.getMonthValue() + 2) / 3));
            case "year" -> period.equals(String.valueOf(m.getYear()));
            case "fiscal_year" -> {
                int start = Integer.parseInt(period.substring(7));
                yield period.startsWith("FY" + m.plusMonths(13 - start).getYear());
            }
            default -> true;
        };
    }

    private static String fiscalStart(LandedProgram program, String programId) {
        return String.format("%02d", Integer.parseInt(program.clickHouse.query("SELECT toString(fiscal_year_start_month) AS s FROM "
                + program.database + ".v_programs WHERE program_id = '" + programId + "'").get(0).get("s")));
    }

    /**
     * Every survival point of every cohort, in total and per sex x age band: the command lists as many
     * persons as v_retention_curve's surviving, each not transferred, with their records in the cohort
     * as field_events holds them.
     */
    private static void explainEverySurvivalPoint(LandedProgram program, Map<String, String> env, Map<String, Event> events,
                                                  Map<String, String> states) {
        int points = 0;
        for (Map<String, String> p : program.clickHouse.query("SELECT program_id, partner_id, cohort_id, toString(session_number) AS n, sex,"
                + " age_band, surviving FROM " + program.database + ".v_retention_curve ORDER BY program_id, partner_id, cohort_id, session_number,"
                + " sex, age_band")) {
            String what = String.join(" ", p.values());
            List<String> lines = explain(env, "--program", p.get("program_id"), "--partner", p.get("partner_id"), "--cohort", p.get("cohort_id"),
                    "--session", p.get("n"), "--sex", p.get("sex"), "--age-band", p.get("age_band"), "survival");
            assertEquals("survival = " + p.get("surviving"), lines.get(0), what);
            assertEquals(Long.parseLong(p.get("surviving")), lines.size() - 1L, what + ": persons listed\n" + String.join("\n", lines));
            String aggregate = p.get("program_id") + "/" + p.get("partner_id") + "/" + p.get("cohort_id");
            for (String line : lines.subList(1, lines.size())) {
                String[] parts = line.split(" \\| ");
                assertTrue(!parts[0].contains("status=transferred"), what + ": " + parts[0]);
                assertTrue(parts.length > 1, what + ": " + parts[0] + " without a record");
                for (int i = 1; i < parts.length; i++) {
                    Map<String, String> record = fields(parts[i]);
                    Event event = events.get(record.get("event_id"));
                    assertTrue(event != null, what + ": " + record.get("event_id") + " not in field_events");
                    assertEquals(List.of(aggregate, event.source(), event.sourceRef(), states.get(event.eventId())),
                            List.of(event.aggregateId(), record.get("source"), record.get("source_ref"), record.get("state")), what);
                }
            }
            points++;
        }
        System.out.println("explained " + points + " survival points");
        assertTrue(points > 10, "survival points explained: " + points);
    }

    /**
     * Every held dialogue's attendance: one line per attendance counted, as many as v_dialogue_attendance
     * counts, each with every event of its record as field_events holds it (source, revision, state).
     */
    private static void explainEveryDialogue(LandedProgram program, Map<String, String> env, Map<String, Event> events,
                                             Map<String, String> states) {
        int dialogues = 0;
        Map<String, Integer> statesSeen = new TreeMap<>();
        for (Map<String, String> d : program.clickHouse.query("SELECT program_id, partner_id, dialogue_id, toString(sum(attendees)) AS n FROM "
                + program.database + ".v_dialogue_attendance GROUP BY program_id, partner_id, dialogue_id ORDER BY program_id, partner_id, dialogue_id")) {
            String what = String.join(" ", d.values());
            List<String> lines = explain(env, "--program", d.get("program_id"), "--partner", d.get("partner_id"), "--dialogue", d.get("dialogue_id"),
                    "attendance");
            assertEquals("attendance = " + d.get("n"), lines.get(0), what);
            assertEquals(Long.parseLong(d.get("n")), lines.size() - 1L, what + ": attendances listed\n" + String.join("\n", lines));
            String aggregate = d.get("program_id") + "/" + d.get("partner_id") + "/" + d.get("dialogue_id");
            for (String line : lines.subList(1, lines.size())) {
                String[] parts = line.split(" \\| ");
                String person = parts[0].split(" ")[0];
                int current = 0;
                for (int i = 1; i < parts.length; i++) {
                    Map<String, String> record = fields(parts[i]);
                    Event event = events.get(record.get("event_id"));
                    assertTrue(event != null, what + ": " + record.get("event_id") + " not in field_events");
                    assertEquals(List.of(aggregate, event.type(), event.source(), event.sourceRef(), String.valueOf(event.revision()),
                                    states.get(event.eventId())),
                            List.of(event.aggregateId(), record.get("type"), record.get("source"), record.get("source_ref"), record.get("revision"),
                                    record.get("state")), what + " " + line);
                    if (record.get("state").equals("current")) {
                        current++;
                        assertEquals(person.equals("unidentified") ? "" : person, event.personId(), what + " " + line);
                    }
                    statesSeen.merge(record.get("state"), 1, Integer::sum);
                }
                assertEquals(1, current, what + ": one current record per attendance " + line);
            }
            dialogues++;
        }
        System.out.println("explained " + dialogues + " dialogues, records by state " + statesSeen);
        assertTrue(dialogues > 0, "dialogues explained");
    }

    /**
     * Targets' actuals of every indicator, dimension and form of period the command takes: as many lines
     * as actuals_by_period's actual, persons' records in field_events.
     */
    private static void explainActuals(LandedProgram program, Map<String, String> env, Map<String, Event> events) {
        Map<String, Map<String, String>> sample = new TreeMap<>();
        for (Map<String, String> a : program.clickHouse.query("SELECT program_id, indicator, period, dimension, dimension_id,"
                + " toString(toInt64(actual)) AS actual FROM " + program.database + ".actuals_by_period"
                + " ORDER BY program_id, indicator, dimension, period, dimension_id")) {
            String form = a.get("period").equals("all") ? "all" : a.get("period").startsWith("FY") ? a.get("period").contains("-Q") ? "fq" : "fy"
                    : a.get("period").contains("-Q") ? "quarter" : a.get("period").length() == 7 ? "month" : "year";
            sample.putIfAbsent(a.get("indicator") + " " + a.get("dimension") + " " + form, a);
        }
        for (Map<String, String> a : sample.values()) {
            String what = String.join(" ", a.values());
            String period = a.get("period");
            List<String> args = new ArrayList<>(List.of("--program", a.get("program_id"), "--indicator", a.get("indicator")));
            args.addAll(period.equals("all") ? List.of("--to-date") : period.startsWith("FY")
                    ? List.of(period.contains("-Q") ? "--fiscal-quarter" : "--fiscal-year", period)
                    : period.contains("-Q") ? List.of("--quarter", period) : period.length() == 7 ? List.of("--period", period) : List.of("--year", period));
            if (!a.get("dimension").equals("program")) {
                args.addAll(List.of("--" + a.get("dimension"), a.get("dimension_id")));
            }
            args.add("actual");
            List<String> lines = explain(env, args.toArray(String[]::new));
            assertEquals(a.get("indicator") + " = " + a.get("actual"), lines.get(0), what);
            assertEquals(Long.parseLong(a.get("actual")), lines.size() - 1L, what + ": listed\n" + String.join("\n", lines));
            for (String line : lines.subList(1, lines.size())) {
                String[] parts = line.split(" \\| ");
                assertTrue(a.get("indicator").equals("dialogues_held") ? parts[0].startsWith("dialogue:") : parts.length > 1, what + ": " + line);
                for (int i = 1; i < parts.length; i++) {
                    Map<String, String> record = fields(parts[i]);
                    Event event = events.get(record.get("event_id"));
                    assertTrue(event != null, what + ": " + record.get("event_id") + " not in field_events");
                    assertEquals(List.of(event.source(), event.sourceRef()), List.of(record.get("source"), record.get("source_ref")), what);
                }
            }
        }
        System.out.println("explained " + sample.size() + " actuals");
        assertTrue(sample.size() >= 20, "actuals explained: " + sample.keySet());
    }

    /**
     * Each event's state by the latest-revision rule: the root's current event is the highest revision,
     * on equal revisions a retraction, then the greater event_id; a root whose current event is a
     * retraction is void.
     */
    private static Map<String, String> states(Map<String, List<Event>> byRoot) {
        Comparator<Event> order = Comparator.comparingInt(Event::revision).thenComparing(Event::retraction).thenComparing(Event::eventId);
        Map<String, String> states = new HashMap<>();
        byRoot.values().forEach(root -> {
            Event current = root.stream().max(order).orElseThrow();
            for (Event e : root) {
                states.put(e.eventId(), e == current ? (current.retraction() ? "retraction" : "current")
                        : current.retraction() ? "retracted" : "superseded");
            }
        });
        return states;
    }

    /** The events of every record of the cohort that names the person, retractions of those records included. */
    private static Set<String> recordsOf(Map<String, List<Event>> byRoot, String aggregate, String person) {
        Set<String> ids = new TreeSet<>();
        byRoot.values().stream()
                .filter(root -> root.get(0).aggregateId().equals(aggregate) && root.stream().anyMatch(e -> e.personId().equals(person)))
                .forEach(root -> root.forEach(e -> ids.add(e.eventId())));
        return ids;
    }

    private static Map<String, String> fields(String record) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : record.split(" ")) {
            int eq = field.indexOf('=');
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        return fields;
    }

    private static List<String> explain(Map<String, String> env, String program, String partner, String cohort, String figure) {
        return explain(env, "--program", program, "--partner", partner, "--cohort", cohort, figure);
    }

    private static List<String> explain(Map<String, String> env, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ExplainCommand.run(args, env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        return out.lines().toList();
    }
}
