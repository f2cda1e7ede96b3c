package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.fieldstream.events.DialogueKind;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.Sex;
import org.fieldstream.metrics.OutreachCount;
import org.junit.jupiter.api.Test;

/**
 * A start whose row schemas differ from those the stores' rows were written with writes every live
 * row of the changed families again, once, with a higher version and the same content, and nothing of
 * the other families; a start with the schemas recorded writes nothing. Each start is a new processor
 * on the same stores, as after a restart.
 */
class OutputSchemaRewriteTest {

    private static final String COHORT = "p1/ngo/c1";
    private static final String DIALOGUE = "p1/ngo/d1";
    private static final LocalDate MARCH = LocalDate.of(2026, 3, 2);
    private static final Map<String, Set<String>> CHILDREN = Map.of(
            OutputSchemas.RETENTION, Set.of(MetricRow.TOTALS, MetricRow.GROUPS),
            OutputSchemas.CURVE, Set.of(MetricRow.CURVE),
            OutputSchemas.PARTICIPANTS, Set.of(MetricRow.PARTICIPANTS),
            OutputSchemas.DIALOGUES, Set.of(MetricRow.DIALOGUES),
            OutputSchemas.ATTENDANCE, Set.of(MetricRow.ATTENDANCE));

    private final ProcessorFixture<String, AggregateOutput> f = new ProcessorFixture<>();
    private final TestEvents ev = new TestEvents("p1", "ngo", "upz-1");

    private AggregateProcessor start(OutputSchemas schemas) {
        AggregateProcessor processor = new AggregateProcessor(TopologyHarness.PUNCTUATE, schemas);
        processor.init(f.context);
        return processor;
    }

    @Test
    void aChangedRowSchemaRewritesTheLiveRowsOfItsFamilyOnceAndAnUnchangedOneNothing() {
        f.store(AggregateProcessor.ROOTS_STORE, InternalSerdes.rootRecord());
        f.store(AggregateProcessor.PERSONS_STORE, InternalSerdes.personState());
        f.store(AggregateProcessor.HEADERS_STORE, InternalSerdes.header());
        f.store(AggregateProcessor.DIRTY_STORE, Serdes.ByteArray());
        f.store(AggregateProcessor.SCHEMAS_STORE, Serdes.Long());
        AggregateProcessor first = start(OutputSchemas.current());
        List<FieldEvent> history = new ArrayList<>();
        history.add(ev.registered(COHORT, 4, MARCH));
        for (int s = 1; s <= 3; s++) {
            history.add(ev.held(COHORT, s, MARCH.plusDays(7L * (s - 1))));
        }
        for (int p = 0; p < 6; p++) {
            history.add(ev.enrolled(COHORT, "t" + p, Sex.values()[p % 4], 12 + 9 * p, MARCH.minusDays(1)));
            for (int s = 1; s <= p % 4; s++) {
                history.add(ev.present(COHORT, s, "t" + p));
            }
        }
        history.add(ev.dialogueHeld(DIALOGUE, DialogueKind.values()[0], MARCH));
        history.add(ev.dialogueAttended(DIALOGUE, "a1", "t1", "member", Sex.FEMALE, 30));
        history.add(ev.dialogueAttended(DIALOGUE, "a2", null, "official", Sex.MALE, 40));
        history.forEach(e -> first.process(new Record<>(e.getAggregateId(), e, 0L)));
        f.punctuate();
        // a participant withdrawn: its row and its group's are written once more as deleted, and are not live
        FieldEvent retraction = ev.retract(COHORT, TestEvents.enrolmentRoot(COHORT, "t5"), 2);
        first.process(new Record<>(COHORT, retraction, 0L));
        f.punctuate();
        Map<String, Map<String, SpecificRecordBase>> written = latestByChild(f.context.forwarded());
        Map<String, Map<String, SpecificRecordBase>> live = live(written);
        assertTrue(written.get(MetricRow.PARTICIPANTS).get(COHORT + "|t5").get("deleted").equals(true), "a deleted row exists");
        CHILDREN.values().stream().flatMap(Set::stream)
                .forEach(child -> assertTrue(!live.getOrDefault(child, Map.of()).isEmpty(), "live rows of " + child));

        f.reset();
        start(OutputSchemas.current());
        f.punctuate();
        assertEquals(0, f.forwardedCount(), "the schemas the rows were written with: nothing is written again");

        OutputSchemas schemas = OutputSchemas.current();
        long changed = 1;
        for (String family : List.of(OutputSchemas.RETENTION, OutputSchemas.CURVE, OutputSchemas.PARTICIPANTS,
                OutputSchemas.DIALOGUES, OutputSchemas.ATTENDANCE)) {
            schemas = schemas.with(family, changed++);
            f.reset();
            start(schemas);
            f.punctuate();
            List<MockProcessorContext.CapturedForward<? extends String, ? extends AggregateOutput>> again = f.context.forwarded();
            Map<String, Map<String, SpecificRecordBase>> rewritten = latestByChild(again);
            assertEquals(CHILDREN.get(family), rewritten.keySet(), family + ": only its family's rows are written again");
            int expected = 0;
            for (String child : CHILDREN.get(family)) {
                Map<String, SpecificRecordBase> before = live.get(child);
                Map<String, SpecificRecordBase> after = rewritten.get(child);
                assertEquals(before.keySet(), after.keySet(), child + ": every live row, and no deleted one");
                before.forEach((key, row) -> {
                    assertEquals(TopologyHarness.render(row), TopologyHarness.render(after.get(key)), child + " " + key);
                    assertTrue((Long) after.get(key).get("version") > (Long) row.get("version"), "a higher version: " + key);
                });
                expected += before.size();
                live.put(child, after);
            }
            assertEquals(expected, again.size(), family + ": each row once");

            f.reset();
            start(schemas);
            f.punctuate();
            assertEquals(0, f.forwardedCount(), family + ": recorded, so the next start writes nothing again");
        }
    }

    @Test
    void aChangedOutreachSchemaRewritesTheLiveCellsOnce() {
        ProcessorFixture<String, OutreachCount> cells = new ProcessorFixture<>();
        cells.store(CellCountProcessor.COUNTS_STORE, InternalSerdes.cellState());
        cells.store(CellCountProcessor.COUNTS_DIRTY_STORE, Serdes.Long());
        cells.store(CellCountProcessor.SCHEMAS_STORE, Serdes.Long());
        CellCountProcessor first = new CellCountProcessor(TopologyHarness.PUNCTUATE, OutputSchemas.current());
        first.init(cells.context);
        String base = "p1|month|2026-03|program|p1";
        first.process(new Record<>(base, deltas(delta("female|youth", 2, 20_514), delta("male|adult", 1, 20_515)), 0L));
        cells.punctuate();
        first.process(new Record<>(base, deltas(delta("male|adult", -1, 20_515)), 0L)); // that cell empties: deleted
        cells.punctuate();
        Map<String, OutreachCount> live = new TreeMap<>();
        cells.<OutreachCount>forwarded(null).forEach(r -> live.put(r.key(), r.value()));
        live.values().removeIf(OutreachCount::getDeleted);
        assertEquals(Set.of(base + "|female|youth", base + "|all|all"), live.keySet());

        cells.reset();
        new CellCountProcessor(TopologyHarness.PUNCTUATE, OutputSchemas.current()).init(cells.context);
        cells.punctuate();
        assertEquals(0, cells.forwardedCount());

        OutputSchemas changed = OutputSchemas.current().with(OutputSchemas.OUTREACH, 1L);
        cells.reset();
        new CellCountProcessor(TopologyHarness.PUNCTUATE, changed).init(cells.context);
        cells.punctuate();
        List<Record<String, OutreachCount>> again = cells.forwarded(null);
        assertEquals(live.size(), again.size(), "each live cell once");
        again.forEach(r -> {
            assertEquals(TopologyHarness.render(live.get(r.key())), TopologyHarness.render(r.value()));
            assertTrue(r.value().getVersion() > live.get(r.key()).getVersion());
        });

        cells.reset();
        new CellCountProcessor(TopologyHarness.PUNCTUATE, changed).init(cells.context);
        cells.punctuate();
        assertEquals(0, cells.forwardedCount());
    }

    private static InternalSerdes.CellDeltas deltas(InternalSerdes.CellDelta... groups) {
        return new InternalSerdes.CellDeltas(List.of(groups));
    }

    private static InternalSerdes.CellDelta delta(String group, int persons, int day) {
        Counts days = new Counts();
        days.addSigned(day, persons);
        return new InternalSerdes.CellDelta(group, persons, persons, days);
    }

    /** The last Avro row per key of each child the metric rows went to (reach changes left out). */
    private static Map<String, Map<String, SpecificRecordBase>> latestByChild(
            List<MockProcessorContext.CapturedForward<? extends String, ? extends AggregateOutput>> forwards) {
        Map<String, Map<String, SpecificRecordBase>> out = new TreeMap<>();
        for (MockProcessorContext.CapturedForward<? extends String, ? extends AggregateOutput> fw : forwards) {
            if (fw.record().value() instanceof MetricRow<?> row) {
                out.computeIfAbsent(fw.childName().orElseThrow(), c -> new TreeMap<>()).put(fw.record().key(), row.avro());
            }
        }
        return out;
    }

    private static Map<String, Map<String, SpecificRecordBase>> live(Map<String, Map<String, SpecificRecordBase>> rows) {
        Map<String, Map<String, SpecificRecordBase>> out = new TreeMap<>();
        rows.forEach((child, byKey) -> byKey.forEach((key, row) -> {
            if (!(Boolean) row.get("deleted")) {
                out.computeIfAbsent(child, c -> new TreeMap<>()).put(key, row);
            }
        }));
        return out;
    }
}
