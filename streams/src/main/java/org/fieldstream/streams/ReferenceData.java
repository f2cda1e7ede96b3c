package org.fieldstream.streams;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.fieldstream.events.Topics;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Program;

/**
 * Reference data as global tables (small, compacted, wanted on every instance): programs with their
 * metric parameters, org units with their ancestry. Looked up when a metric is computed; a change of
 * reference data applies to metrics computed after it, it does not recompute old ones.
 */
final class ReferenceData {

    static final String PROGRAMS_STORE = "reference-programs";
    static final String ORG_UNITS_STORE = "reference-org-units";

    private final KeyValueStore<String, ValueAndTimestamp<Program>> programs;
    private final KeyValueStore<String, ValueAndTimestamp<OrgUnit>> orgUnits;

    private ReferenceData(KeyValueStore<String, ValueAndTimestamp<Program>> programs,
                          KeyValueStore<String, ValueAndTimestamp<OrgUnit>> orgUnits) {
        this.programs = programs;
        this.orgUnits = orgUnits;
    }

    static void addGlobalTables(StreamsBuilder builder, Topics topics) {
        builder.globalTable(topics.programs.name(),
                Consumed.with(topics.programs.keySerde(), topics.programs.valueSerde()).withName("reference-programs-source"),
                Materialized.<String, Program, KeyValueStore<Bytes, byte[]>>as(PROGRAMS_STORE)
                        .withKeySerde(topics.programs.keySerde()).withValueSerde(topics.programs.valueSerde()));
        builder.globalTable(topics.orgUnits.name(),
                Consumed.with(topics.orgUnits.keySerde(), topics.orgUnits.valueSerde()).withName("reference-org-units-source"),
                Materialized.<String, OrgUnit, KeyValueStore<Bytes, byte[]>>as(ORG_UNITS_STORE)
                        .withKeySerde(topics.orgUnits.keySerde()).withValueSerde(topics.orgUnits.valueSerde()));
    }

    static ReferenceData from(ProcessorContext<?, ?> context) {
        return new ReferenceData(context.getStateStore(PROGRAMS_STORE), context.getStateStore(ORG_UNITS_STORE));
    }

    ProgramParams params(String programId) {
        ValueAndTimestamp<Program> program = programs.get(programId);
        return ProgramParams.of(program == null ? null : program.value());
    }

    OrgUnit orgUnit(String orgUnitId) {
        if (orgUnitId == null) {
            return null;
        }
        ValueAndTimestamp<OrgUnit> unit = orgUnits.get(orgUnitId);
        return unit == null ? null : unit.value();
    }

    /** The district an org unit rolls up to: itself when it is a district; null when unknown. */
    String districtOf(String orgUnitId) {
        return ancestor(orgUnit(orgUnitId), "district");
    }

    /** The upazila an org unit rolls up to: itself when it is an upazila; null when unknown or above. */
    String upazilaOf(String orgUnitId) {
        return ancestor(orgUnit(orgUnitId), "upazila");
    }

    static String ancestor(OrgUnit unit, String level) {
        if (unit == null) {
            return null;
        }
        if (level.equalsIgnoreCase(unit.getLevel())) {
            return unit.getOrgUnitId();
        }
        return "district".equals(level) ? unit.getDistrictId() : unit.getUpazilaId();
    }
}
