package org.fieldstream.sink;

import java.util.Set;

import org.apache.avro.Schema;
import org.fieldstream.sink.AvroTsv.FieldCopier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fast path (see {@link AvroTsv}) for a flat record: its fields, in order, one column each. */
final class RecordCopier {

    private static final Logger LOG = LoggerFactory.getLogger(RecordCopier.class);

    private final long fingerprint;
    private final FieldCopier[] copiers;

    private RecordCopier(long fingerprint, FieldCopier[] copiers) {
        this.fingerprint = fingerprint;
        this.copiers = copiers;
    }

    /** A copier for records of {@code schema}; one that always gives up if a field type is not supported. */
    static RecordCopier of(Schema schema, Set<String> nonNegative) {
        try {
            return new RecordCopier(AvroTsv.fingerprint(schema), AvroTsv.copiers(schema.getFields(), nonNegative));
        } catch (UnsupportedOperationException e) {
            LOG.info("{} rows are built from decoded records: {}", schema.getName(), e.getMessage());
            return new RecordCopier(0, null);
        }
    }

    /** Writes the message's fields to the row; false (row half written) when the ordinary decoder must do it. */
    boolean copy(byte[] message, TsvRow row) {
        if (copiers == null) {
            return false;
        }
        AvroInput in = AvroTsv.open(message, fingerprint);
        if (in == null) {
            return false;
        }
        try {
            for (FieldCopier copier : copiers) {
                copier.copy(in, row);
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
