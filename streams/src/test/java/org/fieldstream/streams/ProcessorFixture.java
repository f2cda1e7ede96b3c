package org.fieldstream.streams;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.fieldstream.events.AvroSerde;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Program;

/** A {@link MockProcessorContext} with in-memory stores (no changelog) and the reference tables, for processor unit tests. */
final class ProcessorFixture<K, V> {

    final MockProcessorContext<K, V> context = new MockProcessorContext<>();
    private long wallClock = 1_000_000L;

    ProcessorFixture() {
        context.setCurrentSystemTimeMs(wallClock);
        TimestampedKeyValueStore<String, Program> programs = Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ReferenceData.PROGRAMS_STORE), Serdes.String(), AvroSerde.of(Program.class))
                .withLoggingDisabled().build();
        programs.init(context.getStateStoreContext(), programs);
        context.addStateStore(programs);
        TimestampedKeyValueStore<String, OrgUnit> units = Stores.timestampedKeyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ReferenceData.ORG_UNITS_STORE), Serdes.String(), AvroSerde.of(OrgUnit.class))
                .withLoggingDisabled().build();
        units.init(context.getStateStoreContext(), units);
        context.addStateStore(units);
    }

    <T> KeyValueStore<String, T> store(String name, Serde<T> values) {
        KeyValueStore<String, T> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    void orgUnit(String id, String level, String district, String upazila) {
        KeyValueStore<String, ValueAndTimestamp<OrgUnit>> units = context.getStateStore(ReferenceData.ORG_UNITS_STORE);
        units.put(id, ValueAndTimestamp.make(OrgUnit.newBuilder().setOrgUnitId(id).setName(id).setNameBn(null).setLevel(level)
                .setParentId(null).setDivisionId(null).setDistrictId(district).setUpazilaId(upazila).setUnionId(null).build(), 0L));
    }

    /** Moves the wall clock on by {@code millis} without running a punctuator. */
    void advance(long millis) {
        wallClock += millis;
        context.setCurrentSystemTimeMs(wallClock);
    }

    /** Runs every scheduled punctuator once, as the wall clock passes the interval. */
    void punctuate() {
        wallClock += TopologyHarness.PUNCTUATE.toMillis();
        context.setCurrentSystemTimeMs(wallClock);
        context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(wallClock));
    }

    /** Records forwarded to one child (null: forwarded to all children) since the last {@link #reset()}. */
    @SuppressWarnings("unchecked")
    <T> List<Record<String, T>> forwarded(String child) {
        return (child == null ? context.forwarded() : context.forwarded(child)).stream().map(f -> (Record<String, T>) (Record<?, ?>) f.record()).collect(Collectors.toList());
    }

    /** The metric rows forwarded to one child since the last {@link #reset()}, as their Avro rows. */
    <A> List<Record<String, A>> rows(String child, Class<A> avro) {
        return context.forwarded(child).stream()
                .map(f -> new Record<>((String) f.record().key(), avro.cast(((MetricRow<?>) f.record().value()).avro()), f.record().timestamp()))
                .collect(Collectors.toList());
    }

    /** Records forwarded to any child (or none named) since the last {@link #reset()}. */
    int forwardedCount() {
        return context.forwarded().size();
    }

    /** True when the processor asked for a commit since the last {@link #reset()}. */
    boolean commitRequested() {
        return context.committed();
    }

    void reset() {
        context.resetForwards();
        context.resetCommit();
    }
}
