package org.fieldstream.sink;

import java.util.List;
import java.util.regex.Pattern;

import org.fieldstream.events.AvroCodec;
import org.fieldstream.events.RejectedRecord;

/**
 * A rejected row (a record of the rejected topic) as a row of {@code rejected_rows}: the metadata of
 * the rejection only (program, partner, source kind, field, a reason code, when), never the row's
 * raw text, its source_ref or the reason's wording, which may quote a value. The reason code is the
 * record's own {@code reason_code}, set by the producers where they reject the row; a record without
 * one (a malformed row, or one written before the field existed) gets the code read from the wording. One row per record of
 * the topic, keyed by where it sits there, so a retried or replayed write is one row; a row sent and
 * rejected twice is two.
 */
final class RejectedRows {

    static final List<String> COLUMNS = List.of("program_id", "partner_id", "source", "field", "reason_code", "rejected_at",
            "version", "source_topic", "source_partition", "source_offset");

    /** Reason codes of records without one, first match wins; the patterns read the wording of the producers' rejections. */
    private static final List<Code> CODES = List.of(
            new Code("missing_value", "^required value is missing|^no \"layout\" field|^an empty"),
            new Code("too_long", "^longer than \\d+ characters|longer than the row limit"),
            new Code("personal_identifier", "looks like a phone number or national id"),
            new Code("repeated_value", "^repeats the row's"),
            new Code("invalid_id", "^an id has 1 to 80"),
            new Code("not_a_flag", "is not a flag"),
            new Code("not_allowed_value", "is not one of"),
            new Code("not_a_number", "is not a whole number|is not a number"),
            new Code("not_a_date", "is not a date"),
            new Code("date_in_future", "is in the future"),
            new Code("before_program_start", "is before the program start"),
            new Code("after_program_end", "is after the program end"),
            new Code("end_before_start", "is before start_date"),
            new Code("out_of_range", "is outside"),
            new Code("unknown_org_unit", "^unknown org unit"),
            new Code("unknown_cohort", "^unknown cohort"),
            new Code("unknown_dialogue", "^unknown dialogue"),
            new Code("unknown_layout", "^unknown layout"),
            new Code("other_program", "^row is for program"),
            new Code("other_partner", "^row is for partner"),
            new Code("malformed_row", "JSON|UTF-8|field count|fields?, expected|columns?, expected|quote|malformed"));

    private record Code(String code, Pattern pattern) {
        Code(String code, String regex) {
            this(code, Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
        }
    }

    private RejectedRows() {
    }

    /** The reason code of a rejection's wording: {@code other} when no pattern knows it. */
    static String code(String reason) {
        for (Code code : CODES) {
            if (reason != null && code.pattern().matcher(reason).find()) {
                return code.code();
            }
        }
        return "other";
    }

    /** The record's own reason code, else the code of its wording. */
    static String code(RejectedRecord rejected) {
        String own = rejected.getReasonCode();
        return own != null && !own.isBlank() ? own : code(rejected.getReason());
    }

    static RecordMapper mapper() {
        AvroCodec<RejectedRecord> codec = AvroCodec.of(RejectedRecord.class);
        TsvRow row = new TsvRow();
        return RecordMapper.of(COLUMNS, record -> {
            if (record.value() == null) {
                throw new IllegalArgumentException("null value (tombstone) on a topic that is not deleted by tombstones");
            }
            RejectedRecord rejected = codec.decode(record.value());
            return row.begin().text(orEmpty(rejected.getProgramId())).text(orEmpty(rejected.getPartnerId()))
                    .text(rejected.getSource()).text(orEmpty(rejected.getField())).text(code(rejected))
                    .timestamp("rejected_at", rejected.getRejectedAt()).integer(record.offset())
                    .text(record.topic()).integer(record.partition()).integer(record.offset()).end();
        });
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
