package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecordBase;
import org.fieldstream.events.AttendanceStatus;
import org.fieldstream.events.ExitReason;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.events.Topic;
import org.junit.jupiter.api.Test;

/**
 * Invariants 1 and 2: any arrival order of a cohort's events, with duplicates, ends in the same
 * metrics — every field of every live row, as_of included, outreach cells too.
 */
class ArrivalOrderTest {

    private static final LocalDate D1 = LocalDate.of(2026, 2, 23);

    private static List<FieldEvent> cohortEvents() {
        TestEvents ev = new TestEvents("p1", "partnerA", "upz-1");
        List<FieldEvent> list = new ArrayList<>();
        list.add(ev.registered("c1", 6, D1));
        String[] persons = {"a", "b", "c", "d", "e", "f"};
        Sex[] sexes = {Sex.FEMALE, Sex.MALE, Sex.FEMALE, Sex.OTHER, Sex.FEMALE, Sex.MALE};
        for (int i = 0; i < persons.length; i++) {
            list.add(ev.enrolled("c1", persons[i], sexes[i], 12 + 7 * i, i == 5 ? D1.plusDays(10) : D1));
        }
        for (int s = 1; s <= 6; s++) {
            list.add(ev.held("c1", s, D1.plusDays(7L * (s - 1)))); // sessions cross from February into April
            for (int i = 0; i < persons.length; i++) {
                boolean present = (s + i) % 3 != 0 || i == 0;
                list.add(ev.attended("c1", s, persons[i], present ? AttendanceStatus.PRESENT : AttendanceStatus.ABSENT));
            }
        }
        list.add(ev.exited("c1", "d", ExitReason.TRANSFERRED));
        list.add(ev.attended("c1", 2, "b", AttendanceStatus.ABSENT, 2)); // correction
        list.add(ev.enrolled("c1", "c", Sex.MALE, 40, D1, 2)); // correction of sex and age
        list.add(ev.retract("c1", TestEvents.enrolmentRoot("c1", "e"), 2)); // e leaves the cohort
        list.add(ev.retract("c1", TestEvents.attendanceRoot("c1", 3, "a"), 3));
        list.add(ev.held("c1", 4, D1.plusDays(22), 2)); // session 4 re-dated
        return list;
    }

    private static Map<String, String> run(List<FieldEvent> events, int settleEvery) {
        try (TopologyHarness h = new TopologyHarness()) {
            h.orgUnit("upz-1", "upazila", "dist-1", "upz-1");
            for (int i = 0; i < events.size(); i++) {
                h.send(events.get(i));
                if (settleEvery > 0 && i % settleEvery == settleEvery - 1) {
                    h.settle();
                }
            }
            h.settle();
            Map<String, String> out = new TreeMap<>();
            for (Topic<String, ?> topic : h.topics.metrics()) {
                @SuppressWarnings("unchecked")
                Topic<String, SpecificRecordBase> t = (Topic<String, SpecificRecordBase>) topic;
                h.live(t).forEach((k, v) -> out.put(t.name() + "/" + k, TopologyHarness.render(v)));
            }
            return out;
        }
    }

    @Test
    void anyOrderWithDuplicatesEndsInTheSameMetrics() {
        List<FieldEvent> events = cohortEvents();
        Map<String, String> expected = run(events, 0);
        assertCoversOutreachAsOf(expected);
        Random random = new Random(42);
        for (int round = 0; round < 12; round++) {
            List<FieldEvent> shuffled = new ArrayList<>(events);
            for (int d = 0; d < 10; d++) {
                shuffled.add(events.get(random.nextInt(events.size()))); // duplicates
            }
            Collections.shuffle(shuffled, random);
            assertSameMetrics(expected, run(shuffled, 0), "order " + round);
        }
    }

    /**
     * With recomputations between arrivals, intermediate states are written and replaced; the final
     * rows are the same, as_of included (it depends on the records, not on which intermediate states
     * existed): an outreach cell whose persons' first days moved while the events arrived still ends
     * with the latest of their final first days.
     */
    @Test
    void recomputingBetweenArrivalsEndsInTheSameMetrics() {
        List<FieldEvent> events = cohortEvents();
        Map<String, String> expected = run(events, 0);
        assertCoversOutreachAsOf(expected);
        Random random = new Random(7);
        for (int round = 0; round < 6; round++) {
            List<FieldEvent> shuffled = new ArrayList<>(events);
            shuffled.addAll(events.subList(0, 8));
            Collections.shuffle(shuffled, random);
            assertSameMetrics(expected, run(shuffled, 1 + random.nextInt(9)), "order " + round);
        }
    }

    private static void assertSameMetrics(Map<String, String> expected, Map<String, String> actual, String what) {
        if (!expected.equals(actual)) {
            fail(what + " ends in other metrics: " + TopologyHarness.differences(expected, actual, 3));
        }
    }

    /** The comparison covers outreach rows and their as_of: cells in more than one month, dated by their persons. */
    private static void assertCoversOutreachAsOf(Map<String, String> metrics) {
        List<String> outreach = metrics.entrySet().stream().filter(e -> e.getKey().contains(".metrics.outreach/"))
                .map(Map.Entry::getValue).toList();
        assertFalse(outreach.isEmpty(), "no outreach rows");
        assertTrue(outreach.stream().allMatch(row -> row.contains(" as_of=2026-")), "outreach rows carry an event-time as_of");
        assertTrue(outreach.stream().map(row -> row.replaceAll(".* as_of=(\\S+) .*", "$1")).distinct().count() > 1,
                "outreach cells with different as_of");
    }
}
