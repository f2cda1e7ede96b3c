package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificRecord;
import org.fieldstream.metrics.CohortRetention;
import org.fieldstream.metrics.DialogueAttendance;
import org.fieldstream.metrics.DialogueSummary;
import org.fieldstream.metrics.OutreachCount;
import org.fieldstream.metrics.ParticipantProgress;
import org.fieldstream.metrics.RetentionCurvePoint;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build gate for schema evolution: the current schema of every published type must read data
 * written with every released version. Releasing a new version = adding {@code v<N+1>.avsc}, which
 * {@link ReleasedSchemasTest} writes.
 */
class SchemaCompatibilityTest {

    static Stream<Class<? extends SpecificRecord>> publishedTypes() {
        return Stream.of(FieldEvent.class, RejectedRecord.class, CohortRetention.class, ParticipantProgress.class,
                RetentionCurvePoint.class, OutreachCount.class, DialogueSummary.class, DialogueAttendance.class,
                Program.class, Partner.class, OrgUnit.class, Target.class);
    }

    @ParameterizedTest
    @MethodSource("publishedTypes")
    void currentSchemaReadsEveryReleasedVersion(Class<? extends SpecificRecord> type) {
        AvroCodec<? extends SpecificRecord> codec = AvroCodec.of(type);
        List<Schema> released = codec.releasedSchemas();
        assertFalse(released.isEmpty(), "no released schema bundled for " + type.getSimpleName());
        for (int i = 0; i < released.size(); i++) {
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(codec.schema(), released.get(i));
            assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
                    type.getSimpleName() + " cannot read released v" + (i + 1) + ": " + result.getDescription());
        }
    }

    @ParameterizedTest
    @MethodSource("publishedTypes")
    void latestReleasedVersionIsTheCurrentSchema(Class<? extends SpecificRecord> type) {
        AvroCodec<? extends SpecificRecord> codec = AvroCodec.of(type);
        List<Schema> released = codec.releasedSchemas();
        assertEquals(codec.schema(), released.get(released.size() - 1),
                type.getSimpleName() + " changed since its last release: run " + ReleasedSchemasTest.COMMAND);
    }

    @ParameterizedTest
    @MethodSource("publishedTypes")
    void incompatibleChangeIsDetected(Class<? extends SpecificRecord> type) {
        // A reader that adds a required field without a default cannot read old data: the check must say so.
        Schema current = AvroCodec.of(type).schema();
        String broken = current.toString().replaceFirst("\"fields\":\\[",
                "\"fields\":[{\"name\":\"added_without_default\",\"type\":\"string\"},");
        Schema reader = new Schema.Parser().parse(broken);
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(reader, current).getType());
    }
}
