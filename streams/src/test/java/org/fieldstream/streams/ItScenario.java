package org.fieldstream.streams;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.events.Topics;
import org.fieldstream.reference.OrgUnit;

/** Input of the integration tests and what the streams application must compute from it. */
public final class ItScenario {

    public static final String PROGRAM = "p-it";
    public static final LocalDate PROGRAM_START = LocalDate.of(2026, 1, 1);
    public static final List<OrgUnit> ORG_UNITS = List.of(
            ItKafka.orgUnit("dist-1", "district", "dist-1", null),
            ItKafka.orgUnit("upz-1", "upazila", "dist-1", "upz-1"),
            ItKafka.orgUnit("upz-2", "upazila", "dist-1", "upz-2"));

    private ItScenario() {
    }

    /** Many cohorts with seeded attendance, exits, corrections, retractions and duplicates, plus dialogues. */
    public static List<FieldEvent> generated(int cohorts, int persons, long seed) {
        Random random = new Random(seed);
        List<FieldEvent> events = new ArrayList<>();
        generate(cohorts, persons, random, events::add);
        for (int d = 0; d < events.size() / 20; d++) {
            events.add(events.get(random.nextInt(events.size()))); // duplicates, late
        }
        return events;
    }

    /** The events of {@link #generated} without the trailing duplicates, handed over cohort by cohort (for large benchmarks). */
    public static void generate(int cohorts, int persons, Random random, Consumer<FieldEvent> out) {
        generate(cohorts, persons, Integer.MAX_VALUE, random, out);
    }

    /** As {@link #generate(int, int, Random, Consumer)}, with at most {@code maxSessions} planned sessions per cohort. */
    public static void generate(int cohorts, int persons, int maxSessions, Random random, Consumer<FieldEvent> out) {
        for (int c = 0; c < cohorts; c++) {
            List<FieldEvent> events = new ArrayList<>();
            TestEvents ev = new TestEvents(PROGRAM, "partner-" + (c % 3), c % 2 == 0 ? "upz-1" : "upz-2");
            String cohort = "c" + c;
            LocalDate start = PROGRAM_START.plusDays(random.nextInt(120));
            int planned = Math.min(maxSessions, 4 + random.nextInt(4));
            events.add(ev.registered(cohort, planned, start));
            for (int p = 0; p < persons; p++) {
                String person = "person-" + random.nextInt(cohorts * persons / 2); // persons join several cohorts
                events.add(ev.enrolled(cohort, person, Sex.values()[random.nextInt(4)], 10 + random.nextInt(40),
                        start.plusDays(random.nextInt(10))));
            }
            int held = Math.max(1, planned - random.nextInt(2));
            for (int s = 1; s <= held; s++) {
                events.add(ev.held(cohort, s, start.plusDays(7L * (s - 1))));
            }
            List<FieldEvent> enrolments = events.stream()
                    .filter(e -> e.getPayload() instanceof org.fieldstream.events.ParticipantEnrolled).toList();
            for (FieldEvent e : enrolments) {
                String person = ((org.fieldstream.events.ParticipantEnrolled) e.getPayload()).getPersonId();
                for (int s = 1; s <= held; s++) {
                    events.add(ev.attended(cohort, s, person, random.nextInt(10) < 7 ? AttendanceStatus.PRESENT : AttendanceStatus.ABSENT));
                }
                int fate = random.nextInt(20);
                if (fate == 0) {
                    events.add(ev.exited(cohort, person, ExitReason.TRANSFERRED));
                } else if (fate == 1) {
                    events.add(ev.retract(cohort, e.getRootId(), 2));
                } else if (fate == 2) {
                    events.add(ev.attended(cohort, 1, person, AttendanceStatus.ABSENT, 2));
                }
            }
            if (c % 4 == 0) {
                String dialogue = "d" + c;
                events.add(ev.dialogueHeld(dialogue, DialogueKind.values()[c % 6], start.plusDays(3)));
                for (int a = 0; a < 5; a++) {
                    String person = a == 4 ? null : "person-" + random.nextInt(cohorts * persons / 2);
                    events.add(ev.dialogueAttended(dialogue, Integer.toString(a), person, a == 4 ? "official" : "member",
                            Sex.values()[random.nextInt(4)], 10 + random.nextInt(50)));
                }
            }
            events.forEach(out);
        }
    }

    /**
     * What the streams application must compute from {@code events}, by the test oracle
     * ({@link Recompute}: every metric recomputed whole from the current records, not the topology's
     * incremental code), keyed and rendered as {@link ItKafka#comparable} reads the metric topics.
     */
    static Map<String, String> recomputed(List<FieldEvent> events) {
        Map<String, OrgUnit> units = new TreeMap<>();
        ORG_UNITS.forEach(u -> units.put(u.getOrgUnitId(), u));
        return Recompute.rows(events, Map.of(PROGRAM, ItKafka.program(PROGRAM, PROGRAM_START)), units, new Topics(""));
    }
}
