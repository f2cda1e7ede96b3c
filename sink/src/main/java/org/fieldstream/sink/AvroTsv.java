package org.fieldstream.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Copies Avro binary data straight into TabSeparated fields, without building records: the fast
 * path of the mappers. It handles only messages written with the very schema the sink's classes
 * were generated from; each field comes out byte for byte as {@link TsvRow#value} writes the
 * decoded value (a test holds both paths to that). Anything else — another writer schema, a value
 * the columns refuse, bytes that do not parse — makes it give up, and the mapper decodes the
 * message the ordinary way, which either succeeds or reports the reason.
 */
final class AvroTsv {

    /** Single-object encoding: marker C3 01, then the writer schema's 64-bit fingerprint, little-endian. */
    static final int HEADER_BYTES = 10;

    /** Copies one value from the input to one field of the row. */
    @FunctionalInterface
    interface FieldCopier {
        void copy(AvroInput in, TsvRow row);
    }

    /** Thrown inside the fast path to hand the message to the ordinary decoder. */
    static final class GiveUp extends RuntimeException {
        GiveUp(String why) {
            super(why, null, false, false);
        }
    }

    private AvroTsv() {
    }

    /** The input positioned after the header, or null when the message was not written with {@code schema}. */
    static AvroInput open(byte[] message, long fingerprint) {
        if (message == null || message.length < HEADER_BYTES || message[0] != (byte) 0xC3 || message[1] != 0x01) {
            return null;
        }
        long written = 0;
        for (int i = 0; i < 8; i++) {
            written |= (message[2 + i] & 0xFFL) << 8 * i;
        }
        return written == fingerprint ? new AvroInput(message, HEADER_BYTES) : null;
    }

    static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /**
     * Copiers for the given fields, in order. {@code nonNegative} names long fields whose negative
     * values the mapper refuses (the fast path leaves those to the ordinary one).
     *
     * @throws UnsupportedOperationException when a field has a type the fast path does not know
     */
    static FieldCopier[] copiers(List<Schema.Field> fields, Set<String> nonNegative) {
        FieldCopier[] copiers = new FieldCopier[fields.size()];
        for (int i = 0; i < copiers.length; i++) {
            Schema.Field field = fields.get(i);
            copiers[i] = copier(field.name(), field.schema(), nonNegative.contains(field.name()));
        }
        return copiers;
    }

    static FieldCopier copier(String field, Schema schema, boolean nonNegative) {
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.Date) {
            return (in, row) -> row.epochDay(field, in.readInt());
        }
        if (logical instanceof LogicalTypes.TimestampMillis) {
            return (in, row) -> row.epochMilli(field, in.readLong());
        }
        if (logical != null) {
            throw new UnsupportedOperationException("logical type " + logical.getName());
        }
        return switch (schema.getType()) {
            case STRING -> (in, row) -> {
                int length = in.readStringLength();
                row.utf8(in.bytes(), in.position(), length);
                in.skip(length);
            };
            case INT -> (in, row) -> row.integer(in.readInt());
            case LONG -> nonNegative ? (in, row) -> row.integer(nonNegative(in.readLong())) : (in, row) -> row.integer(in.readLong());
            case BOOLEAN -> (in, row) -> row.flag(in.readBoolean());
            case DOUBLE -> (in, row) -> row.floating(in.readDouble());
            case FLOAT -> (in, row) -> row.floating(in.readFloat());
            case ENUM -> enumCopier(schema);
            case UNION -> unionCopier(field, schema, nonNegative);
            default -> throw new UnsupportedOperationException("type " + schema.getType());
        };
    }

    private static long nonNegative(long value) {
        if (value < 0) {
            throw new GiveUp("negative");
        }
        return value;
    }

    private static FieldCopier enumCopier(Schema schema) {
        byte[][] symbols = schema.getEnumSymbols().stream()
                .map(s -> s.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        return (in, row) -> row.raw(symbols[in.readInt()]);
    }

    private static FieldCopier unionCopier(String field, Schema union, boolean nonNegative) {
        List<Schema> branches = union.getTypes();
        FieldCopier[] copiers = new FieldCopier[branches.size()];
        for (int i = 0; i < copiers.length; i++) {
            copiers[i] = branches.get(i).getType() == Schema.Type.NULL
                    ? (in, row) -> row.nullValue()
                    : copier(field, branches.get(i), nonNegative);
        }
        return (in, row) -> copiers[in.readInt()].copy(in, row);
    }
}
