package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Record;
import org.fieldstream.metrics.OutreachCount;
import org.junit.jupiter.api.Test;

/** The person and cell stages alone, with a mock context: deltas only for moved cells, a cell's as_of from its persons' days. */
class OutreachProcessorsTest {

    private static final int MAR_2 = EventDays.of(LocalDate.of(2026, 3, 2));
    private static final int MAR_9 = EventDays.of(LocalDate.of(2026, 3, 9));
    private static final int MAR_16 = EventDays.of(LocalDate.of(2026, 3, 16));

    private static Reach reach(int... days) {
        List<Reach.Place> places = new java.util.ArrayList<>();
        for (int d : days) {
            places.add(new Reach.Place(Periods.month(EventDays.date(d)), "ngo", null, d));
        }
        return Reach.sorted("p1", null, places);
    }

    @Test
    void aFurtherPresenceInAMonthAlreadyCountedSendsNoDelta() {
        ProcessorFixture<String, InternalSerdes.CellDelta> f = new ProcessorFixture<>();
        f.store(OutreachTopology.PERSON_STORE, InternalSerdes.personReaches());
        f.store(OutreachTopology.PERSON_PENDING_STORE, InternalSerdes.sentPlacement());
        PersonReachProcessor persons = new PersonReachProcessor(TopologyHarness.PUNCTUATE);
        persons.init(f.context);
        persons.process(new Record<>("p1|a", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_9)), 0L));
        f.punctuate();
        Map<String, InternalSerdes.CellDelta> first = byCell(f.forwarded(null));
        assertEquals(12, first.size(), "month, quarter, to date x program, partner x group, all");
        InternalSerdes.CellDelta month = first.get("p1|month|2026-03|program|p1|all|all");
        assertEquals(1, month.reached());
        assertEquals(1, month.newlyReached());
        assertEquals(1, month.days().get(MAR_9));
        f.reset();
        persons.process(new Record<>("p1|a", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_9, MAR_16)), 0L));
        f.punctuate();
        assertEquals(0, f.forwardedCount(), "the placement did not change");
        persons.process(new Record<>("p1|a", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_2, MAR_16)), 0L));
        f.punctuate();
        InternalSerdes.CellDelta moved = byCell(f.forwarded(null)).get("p1|quarter|2026-Q1|partner|ngo|all|all");
        assertEquals(0, moved.reached());
        assertEquals(0, moved.newlyReached());
        assertEquals(1, moved.days().get(MAR_2));
        assertEquals(-1, moved.days().get(MAR_9));
    }

    @Test
    void aCellsAsOfIsTheLatestFirstDayOfThePersonsItCounts() {
        ProcessorFixture<String, OutreachCount> f = new ProcessorFixture<>();
        f.store(OutreachTopology.COUNTS_STORE, InternalSerdes.cellState());
        f.store(OutreachTopology.COUNTS_DIRTY_STORE, Serdes.Long());
        CellCountProcessor cells = new CellCountProcessor(TopologyHarness.PUNCTUATE);
        cells.init(f.context);
        String cell = "p1|month|2026-03|program|p1|all|all";
        cells.process(new Record<>(cell, delta(2, 2, MAR_2, 1, MAR_16, 1), 0L));
        f.punctuate();
        OutreachCount row = f.<OutreachCount>forwarded(null).get(0).value();
        assertEquals(2, row.getPeopleReached());
        assertEquals(EventDays.instant(MAR_16), row.getAsOf());
        f.reset();
        cells.process(new Record<>(cell, delta(-1, -1, MAR_16, -1), 0L)); // the person of the 16th leaves
        f.punctuate();
        row = f.<OutreachCount>forwarded(null).get(0).value();
        assertEquals(1, row.getPeopleReached());
        assertEquals(EventDays.instant(MAR_2), row.getAsOf(), "as_of falls back with the count");
        f.reset();
        cells.process(new Record<>(cell, delta(-1, -1, MAR_2, -1), 0L));
        f.punctuate();
        row = f.<OutreachCount>forwarded(null).get(0).value();
        assertTrue(row.getDeleted());
        assertEquals(1, row.getPeopleReached(), "written once more with its last figures");
    }

    private static InternalSerdes.CellDelta delta(int reached, int newly, int... dayCounts) {
        Counts days = new Counts();
        for (int i = 0; i < dayCounts.length; i += 2) {
            days.addSigned(dayCounts[i], dayCounts[i + 1]);
        }
        return new InternalSerdes.CellDelta(reached, newly, days);
    }

    private static Map<String, InternalSerdes.CellDelta> byCell(List<Record<String, InternalSerdes.CellDelta>> records) {
        Map<String, InternalSerdes.CellDelta> out = new TreeMap<>();
        records.forEach(r -> out.put(r.key(), r.value()));
        return out;
    }
}
