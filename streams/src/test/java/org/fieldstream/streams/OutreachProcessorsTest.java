package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Record;
import org.fieldstream.metrics.OutreachCount;
import org.junit.jupiter.api.Test;

/**
 * The person and cell stages alone, with a mock context: deltas only for moved cells of the person's
 * group, a cell for all groups summed from its groups, a cell's as_of from its persons' days.
 */
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
        ProcessorFixture<String, InternalSerdes.CellDeltas> f = new ProcessorFixture<>();
        f.store(PersonReachProcessor.PERSON_STORE, InternalSerdes.personReaches());
        f.store(PersonReachProcessor.PENDING_STORE, InternalSerdes.sentPlacement());
        PersonReachProcessor persons = new PersonReachProcessor(TopologyHarness.PUNCTUATE);
        persons.init(f.context);
        persons.process(new Record<>("p1|a", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_9)), 0L));
        f.punctuate();
        Map<String, InternalSerdes.CellDelta> first = byCell(f.forwarded(null));
        assertEquals(14, first.size(), "month, quarter, year, three fiscal years, to date x program, partner, for the person's group only");
        assertTrue(first.keySet().stream().noneMatch(cell -> cell.endsWith("|all|all")), "all groups are summed by the count stage");
        InternalSerdes.CellDelta month = first.get("p1|month|2026-03|program|p1|unknown|unknown");
        assertEquals(1, month.reached());
        assertEquals(1, month.newlyReached());
        assertEquals(1, month.days().get(MAR_9));
        f.reset();
        persons.process(new Record<>("p1|a", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_9, MAR_16)), 0L));
        f.punctuate();
        assertEquals(0, f.forwardedCount(), "the placement did not change");
        persons.process(new Record<>("p1|a", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_2, MAR_16)), 0L));
        f.punctuate();
        InternalSerdes.CellDelta moved = byCell(f.forwarded(null)).get("p1|quarter|2026-Q1|partner|ngo|unknown|unknown");
        assertEquals(0, moved.reached());
        assertEquals(0, moved.newlyReached());
        assertEquals(1, moved.days().get(MAR_2));
        assertEquals(-1, moved.days().get(MAR_9));
    }

    @Test
    void afterAQuietSpellAPlacementChangeIsSentAtOnceRightAfterAnotherItWaitsForThePunctuation() {
        ProcessorFixture<String, InternalSerdes.CellDeltas> f = new ProcessorFixture<>();
        f.store(PersonReachProcessor.PERSON_STORE, InternalSerdes.personReaches());
        f.store(PersonReachProcessor.PENDING_STORE, InternalSerdes.sentPlacement());
        PersonReachProcessor persons = new PersonReachProcessor(TopologyHarness.PUNCTUATE);
        persons.init(f.context);
        persons.process(new Record<>("p1|a", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_9)), 1L));
        f.punctuate();
        f.reset();
        f.advance(TopologyHarness.PUNCTUATE.toMillis());
        persons.process(new Record<>("p1|b", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_16)), 2L));
        assertEquals(1, byCell(f.forwarded(null)).get("p1|month|2026-03|program|p1|unknown|unknown").reached(),
                "a new person after a quiet spell: sent at once, without a punctuation");
        assertTrue(f.commitRequested(), "and committed without waiting for the commit interval");
        f.reset();
        persons.process(new Record<>("p1|c", new InternalSerdes.ReachChange("p1/ngo/c2", reach(MAR_16)), 2L));
        assertEquals(1, byCell(f.forwarded(null)).get("p1|month|2026-03|program|p1|unknown|unknown").reached(),
                "a further person of the same upstream flush (its timestamp): sent at once too");
        assertTrue(f.commitRequested(), "and committed at once too");
        f.reset();
        f.advance(QuietSpell.PAUSE_MS - 1);
        persons.process(new Record<>("p1|d", new InternalSerdes.ReachChange("p1/ngo/c1", reach(MAR_2)), 3L));
        assertEquals(0, f.forwardedCount(), "a moment after the last record the change waits for the timer");
        f.punctuate();
        assertFalse(f.commitRequested(), "a punctuation's flush waits for the commit interval");
        InternalSerdes.CellDelta month = byCell(f.forwarded(null)).get("p1|month|2026-03|program|p1|unknown|unknown");
        assertEquals(1, month.reached());
        assertEquals(1, month.days().get(MAR_2));
    }

    @Test
    void afterAQuietSpellACellIsWrittenAtOnceRightAfterAnotherItWaitsForThePunctuation() {
        ProcessorFixture<String, OutreachCount> f = new ProcessorFixture<>();
        CellCountProcessor cells = cellStage(f);
        String base = "p1|month|2026-03|program|p1";
        String quarter = "p1|quarter|2026-Q1|program|p1";
        cells.process(new Record<>(base, deltas(delta("female|youth", 1, 1, MAR_2, 1)), 1L));
        f.punctuate();
        f.reset();
        f.advance(TopologyHarness.PUNCTUATE.toMillis());
        cells.process(new Record<>(base, deltas(delta("female|youth", 1, 1, MAR_9, 1)), 2L));
        assertEquals(2, rows(f).get(base + "|all|all").getPeopleReached(), "after a quiet spell: written at once, without a punctuation");
        assertTrue(f.commitRequested(), "and committed without waiting for the commit interval");
        cells.process(new Record<>(quarter, deltas(delta("female|youth", 1, 1, MAR_9, 1)), 2L));
        assertEquals(1, rows(f).get(quarter + "|all|all").getPeopleReached(),
                "another cell of the same upstream flush (its timestamp): written at once too");
        f.reset();
        f.advance(QuietSpell.PAUSE_MS - 1);
        cells.process(new Record<>(base, deltas(delta("female|youth", 1, 1, MAR_16, 1)), 3L));
        assertEquals(0, f.forwardedCount(), "a moment after the last record the delta waits for the timer");
        f.punctuate();
        assertFalse(f.commitRequested(), "a punctuation's flush waits for the commit interval");
        assertEquals(3, rows(f).get(base + "|all|all").getPeopleReached());
        assertEquals(EventDays.instant(MAR_16), rows(f).get(base + "|all|all").getAsOf());
    }

    private static CellCountProcessor cellStage(ProcessorFixture<String, OutreachCount> f) {
        f.store(CellCountProcessor.COUNTS_STORE, InternalSerdes.cellState());
        f.store(CellCountProcessor.COUNTS_DIRTY_STORE, Serdes.Long());
        f.store(CellCountProcessor.SCHEMAS_STORE, Serdes.Long());
        CellCountProcessor cells = new CellCountProcessor(TopologyHarness.PUNCTUATE, OutputSchemas.current());
        cells.init(f.context);
        return cells;
    }

    @Test
    void aCellsAsOfIsTheLatestFirstDayOfThePersonsItCounts() {
        ProcessorFixture<String, OutreachCount> f = new ProcessorFixture<>();
        CellCountProcessor cells = cellStage(f);
        String base = "p1|month|2026-03|program|p1";
        cells.process(new Record<>(base, deltas(delta("female|youth", 2, 2, MAR_2, 1, MAR_16, 1)), 0L));
        f.punctuate();
        OutreachCount row = rows(f).get(base + "|female|youth");
        assertEquals(2, row.getPeopleReached());
        assertEquals(EventDays.instant(MAR_16), row.getAsOf());
        f.reset();
        cells.process(new Record<>(base, deltas(delta("female|youth", -1, -1, MAR_16, -1)), 0L)); // the person of the 16th leaves
        f.punctuate();
        row = rows(f).get(base + "|female|youth");
        assertEquals(1, row.getPeopleReached());
        assertEquals(EventDays.instant(MAR_2), row.getAsOf(), "as_of falls back with the count");
        f.reset();
        cells.process(new Record<>(base, deltas(delta("female|youth", -1, -1, MAR_2, -1)), 0L));
        f.punctuate();
        row = rows(f).get(base + "|female|youth");
        assertTrue(row.getDeleted());
        assertEquals(1, row.getPeopleReached(), "written once more with its last figures");
        assertTrue(rows(f).get(base + "|all|all").getDeleted(), "the cell for all groups is empty too");
    }

    @Test
    void theCellForAllGroupsIsTheSumOfItsGroups() {
        ProcessorFixture<String, OutreachCount> f = new ProcessorFixture<>();
        CellCountProcessor cells = cellStage(f);
        String base = "p1|quarter|2026-Q1|partner|ngo";
        cells.process(new Record<>(base, deltas(delta("female|youth", 2, 1, MAR_2, 2), delta("male|adult", 1, 1, MAR_9, 1)), 0L));
        f.punctuate();
        Map<String, OutreachCount> rows = rows(f);
        assertEquals(3, rows.size(), "two groups and all");
        assertEquals(3, rows.get(base + "|all|all").getPeopleReached());
        assertEquals(2, rows.get(base + "|all|all").getNewPeopleReached());
        assertEquals(EventDays.instant(MAR_9), rows.get(base + "|all|all").getAsOf());
        f.reset();
        // the male adult is now counted as a female youth: his group cell empties, all is unchanged
        cells.process(new Record<>(base, deltas(delta("male|adult", -1, -1, MAR_9, -1), delta("female|youth", 1, 1, MAR_9, 1)), 0L));
        f.punctuate();
        rows = rows(f);
        assertEquals(2, rows.size(), "the two groups changed, all did not: " + rows.keySet());
        assertTrue(rows.get(base + "|male|adult").getDeleted());
        assertEquals(3, rows.get(base + "|female|youth").getPeopleReached());
        f.reset();
        cells.process(new Record<>(base, deltas(delta("female|youth", -1, 0, MAR_2, -1)), 0L));
        f.punctuate();
        rows = rows(f);
        assertEquals(2, rows.get(base + "|all|all").getPeopleReached());
        assertEquals(2, rows.get(base + "|female|youth").getPeopleReached());
        assertEquals(EventDays.instant(MAR_9), rows.get(base + "|all|all").getAsOf());
    }

    private static Map<String, OutreachCount> rows(ProcessorFixture<String, OutreachCount> f) {
        Map<String, OutreachCount> out = new TreeMap<>();
        f.<OutreachCount>forwarded(null).forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    private static InternalSerdes.CellDeltas deltas(InternalSerdes.CellDelta... groups) {
        return new InternalSerdes.CellDeltas(List.of(groups));
    }

    private static InternalSerdes.CellDelta delta(String group, int reached, int newly, int... dayCounts) {
        Counts days = new Counts();
        for (int i = 0; i < dayCounts.length; i += 2) {
            days.addSigned(dayCounts[i], dayCounts[i + 1]);
        }
        return new InternalSerdes.CellDelta(group, reached, newly, days);
    }

    /** The forwarded deltas by cell key (base cell and group). */
    private static Map<String, InternalSerdes.CellDelta> byCell(List<Record<String, InternalSerdes.CellDeltas>> records) {
        Map<String, InternalSerdes.CellDelta> out = new TreeMap<>();
        records.forEach(r -> r.value().groups().forEach(g -> out.put(r.key() + Keys.SEP + g.group(), g)));
        return out;
    }
}
