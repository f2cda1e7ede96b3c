package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.RejectedRecord;
import org.junit.jupiter.api.Test;

class RejectedRowsTest {

    private static final RecordMapper MAPPER = RejectedRows.mapper();

    private static Map<String, String> row(RejectedRecord rejected) {
        byte[] value = AvroCodec.of(RejectedRecord.class).encode(rejected);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("t.fieldstream.rejected", 1, 42, 1_767_225_600_000L,
                TimestampType.CREATE_TIME, 1, value.length, "k", value, new RecordHeaders(), Optional.empty());
        return InMemoryTableWriter.decode(MAPPER.columns(), MAPPER.map(record));
    }

    @Test
    void landsTheRejectionsMetadataWithAReasonCodeAndNeverTheRowOrTheReasonsWording() {
        RejectedRecord rejected = RejectedRecord.newBuilder().setProgramId("shouhardo3").setPartnerId("ndp").setSource("csv")
                .setSourceRef("ndp/2026-01/enrolments.csv:7").setField("enrolled_on").setReason("'2026-13-01' is not a date yyyy-MM-dd")
                .setRaw("Rahima Begum,01711000000,2026-13-01").setRejectedAt(Instant.parse("2026-02-03T04:05:06Z")).build();
        Map<String, String> row = row(rejected);
        assertEquals(Map.of("program_id", "shouhardo3", "partner_id", "ndp", "source", "csv", "field", "enrolled_on",
                "reason_code", "not_a_date", "rejected_at", "2026-02-03 04:05:06", "version", "42", "source_topic", "t.fieldstream.rejected",
                "source_partition", "1", "source_offset", "42"), row);
        assertFalse(row.values().stream().anyMatch(v -> v.contains("Rahima") || v.contains("2026-13-01") || v.contains(".csv")),
                row.toString());
    }

    @Test
    void theProducersOwnReasonCodeWinsOverTheWording() {
        RejectedRecord rejected = RejectedRecord.newBuilder().setProgramId("shouhardo3").setPartnerId("ndp").setSource("csv")
                .setSourceRef("ndp/2026-01/sessions.csv:4").setField("session_number").setReasonCode("session_above_planned")
                .setReason("21 is outside 1..20 (the cohort's planned sessions)").setRaw("c1,21,2026-01-05")
                .setRejectedAt(Instant.parse("2026-02-03T04:05:06Z")).build();
        assertEquals("session_above_planned", row(rejected).get("reason_code"));
        // without one, the wording's code
        rejected.setReasonCode(null);
        assertEquals("out_of_range", row(rejected).get("reason_code"));
    }

    @Test
    void aRejectionWithoutProgramPartnerOrFieldLandsWithEmptyOnes() {
        Map<String, String> row = row(RejectedRecord.newBuilder().setSource("json").setSourceRef("push:3")
                .setReason("not valid JSON at column 4").setRaw("{").setRejectedAt(Instant.parse("2026-02-03T00:00:00Z")).build());
        assertEquals(List.of("", "", "", "malformed_row"), List.of(row.get("program_id"), row.get("partner_id"), row.get("field"),
                row.get("reason_code")));
    }

    @Test
    void everyWordingOfTheProducersHasItsCode() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("required value is missing", "missing_value"),
                Map.entry("longer than 200 characters", "too_long"),
                Map.entry("looks like a phone number or national id; person keys go in person_key", "personal_identifier"),
                Map.entry("repeats the row's person_key", "repeated_value"),
                Map.entry("an id has 1 to 80 letters, digits, spaces or . _ - : / # ( ), starting with a letter or digit", "invalid_id"),
                Map.entry("'maybe' is not a flag (1/0, true/false)", "not_a_flag"),
                Map.entry("'x' is not one of present, absent, excused", "not_allowed_value"),
                Map.entry("'ten' is not a whole number", "not_a_number"),
                Map.entry("140 is outside 0..120", "out_of_range"),
                Map.entry("'2026-02-30' is not a date yyyy-MM-dd", "not_a_date"),
                Map.entry("2027-01-01 is in the future (latest accepted 2026-12-07)", "date_in_future"),
                Map.entry("2025-01-01 is before the program start 2025-10-01", "before_program_start"),
                Map.entry("2028-01-01 is after the program end 2027-09-30", "after_program_end"),
                Map.entry("2026-01-01 is before start_date 2026-02-01", "end_before_start"),
                Map.entry("unknown org unit bd-x", "unknown_org_unit"),
                Map.entry("unknown cohort c9 of partner ndp", "unknown_cohort"),
                Map.entry("unknown dialogue d9 of partner ndp", "unknown_dialogue"),
                Map.entry("row is for program iid-edu", "other_program"),
                Map.entry("row is for partner mms", "other_partner"),
                Map.entry("something never seen", "other"));
        expected.forEach((reason, code) -> assertEquals(code, RejectedRows.code(reason), reason));
    }
}
