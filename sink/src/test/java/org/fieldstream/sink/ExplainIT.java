package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * reached them. An unknown cohort is refused by name.
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

            Map<String, String> first = cohorts.get(0);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int code = ExplainCommand.run(new String[] {"--program", first.get("program_id"), "--partner", first.get("partner_id"),
                "--cohort", "no-such-cohort", "enrolled"}, env, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals(2, code);
            assertEquals("explain: no cohort no-such-cohort of partner " + first.get("partner_id") + " in program " + first.get("program_id"),
                    bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow());
        }
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
