package org.fieldstream.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Writes the live metric rows of some families again, from what the aggregate stores kept of them
 * (the figures and envelope each row was last written with), each once with a higher version: the
 * rewrite after a change of a family's row schema ({@link OutputSchemas}). The figures are not
 * recomputed, so a rewritten row says what the row it replaces said. Stores are read in batches,
 * so the rewrite holds few values in memory at a time.
 */
final class StoredRows {

    private static final int BATCH = 256;
    private static final Set<String> HEADER_FAMILIES = Set.of(OutputSchemas.RETENTION, OutputSchemas.CURVE, OutputSchemas.DIALOGUES,
            OutputSchemas.ATTENDANCE);

    private final KeyValueStore<String, PersonState> persons;
    private final KeyValueStore<String, AggregateHeader> headers;
    private final AggregateRows.Forward out;
    private final long now;
    private long written;

    StoredRows(KeyValueStore<String, PersonState> persons, KeyValueStore<String, AggregateHeader> headers, AggregateRows.Forward out,
               long now) {
        this.persons = persons;
        this.headers = headers;
        this.out = out;
        this.now = now;
    }

    /** Writes every live row of {@code families} (Avro schema names) again; returns how many rows it wrote. */
    long rewrite(Set<String> families) {
        if (families.stream().anyMatch(HEADER_FAMILIES::contains)) {
            eachBatch(headers, (aggregate, header) -> {
                long before = written;
                headerRows(aggregate, header, families);
                if (written != before) {
                    headers.put(aggregate, header);
                }
            });
        }
        if (families.contains(OutputSchemas.PARTICIPANTS)) {
            participants();
        }
        return written;
    }

    private void headerRows(String aggregate, AggregateHeader h, Set<String> families) {
        AggregateHeader.Envelope cohort = h.cohortEnvelope;
        if (cohort != null && families.contains(OutputSchemas.RETENTION)) {
            again(h.totals, (f, stamp) -> out.forward(AggregateRows.totalKey(aggregate),
                    new MetricRow.Retention(cohort, MetricRow.ALL, MetricRow.ALL, f, stamp)));
            for (int g = 0; g < Groups.COUNT; g++) {
                String sex = Groups.sexOf(g);
                String band = Groups.bandOf(g);
                again(h.groupRows.get(g), (f, stamp) -> out.forward(Keys.join(aggregate, sex, band),
                        new MetricRow.Retention(cohort, sex, band, f, stamp)));
            }
        }
        if (cohort != null && families.contains(OutputSchemas.CURVE)) {
            curve(aggregate, cohort, h.curve, MetricRow.ALL, MetricRow.ALL);
            for (int g = 0; g < Groups.COUNT; g++) {
                curve(aggregate, cohort, h.groupCurves.get(g), Groups.sexOf(g), Groups.bandOf(g));
            }
        }
        AggregateHeader.Envelope dialogue = h.dialogueEnvelope;
        if (dialogue != null && families.contains(OutputSchemas.DIALOGUES)) {
            again(h.summary, (f, stamp) -> out.forward(aggregate, new MetricRow.Dialogue(dialogue, f, stamp)));
        }
        if (dialogue != null && families.contains(OutputSchemas.ATTENDANCE)) {
            h.attendance.forEach((roleSex, e) -> again(e, (f, stamp) -> out.forward(Keys.join(aggregate, roleSex),
                    new MetricRow.Attendance(dialogue, roleSex, f, stamp))));
        }
    }

    private void curve(String aggregate, AggregateHeader.Envelope envelope, TreeMap<Integer, AggregateHeader.Emitted<CurveFigures>> points,
                       String sex, String band) {
        points.forEach((session, e) -> again(e, (f, stamp) -> out.forward(AggregateRows.curveKey(aggregate, session, sex, band),
                new MetricRow.CurvePoint(envelope, session, sex, band, f, stamp))));
    }

    private <F> void again(AggregateHeader.Emitted<F> row, BiConsumer<F, RowStamp> write) {
        if (row != null && row.live) {
            row.version = Versions.next(row.version, now);
            write.accept(row.figures, new RowStamp(row.version, now, false));
            written++;
        }
    }

    /** Participant rows take their cohort's envelope from its header (persons are stored in aggregate order: one read per cohort). */
    private void participants() {
        String[] cached = {null};
        AggregateHeader.Envelope[] envelope = {null};
        eachBatch(persons, (key, state) -> {
            if (!state.rowLive || state.derived == null) {
                return;
            }
            int split = key.indexOf(Keys.SEP);
            String aggregate = key.substring(0, split);
            if (!aggregate.equals(cached[0])) {
                AggregateHeader header = headers.get(aggregate);
                cached[0] = aggregate;
                envelope[0] = header == null ? null : header.cohortEnvelope;
            }
            if (envelope[0] == null) {
                return;
            }
            state.rowVersion = Versions.next(state.rowVersion, now);
            out.forward(key, new MetricRow.Participant(envelope[0], key.substring(split + 1), state.derived,
                    new RowStamp(state.rowVersion, now, false)));
            persons.put(key, state);
            written++;
        });
    }

    /** Every entry of a store in key order, read {@link #BATCH} at a time so that the action may write to the store. */
    private static <V> void eachBatch(KeyValueStore<String, V> store, BiConsumer<String, V> action) {
        String from = null;
        while (true) {
            List<KeyValue<String, V>> batch = new ArrayList<>(BATCH);
            try (KeyValueIterator<String, V> it = store.range(from, null)) {
                while (it.hasNext() && batch.size() < BATCH) {
                    batch.add(it.next());
                }
            }
            batch.forEach(kv -> action.accept(kv.key, kv.value));
            if (batch.size() < BATCH) {
                return;
            }
            from = batch.get(batch.size() - 1).key + '\u0000';
        }
    }
}
