package org.fieldstream.sink;

import java.util.List;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.fieldstream.clickhouse.Sql;

/**
 * One Kafka record to one TabSeparated row (see {@link TsvRow}) of its table. {@link #map} throws
 * {@link IllegalArgumentException} with a reason (never the payload) when the record cannot become
 * a row; the sink then dead-letters it. A mapper reuses its buffers: one thread uses it at a time.
 */
public interface RecordMapper {

    /** The columns every row fills, in order; names of the table's columns. */
    List<String> columns();

    /** The record's row, ending in a newline. */
    byte[] map(ConsumerRecord<String, byte[]> record);

    /** The Avro schema whose fields are the row's columns (with the columns it adds), or null. */
    default Schema avro() {
        return null;
    }

    static RecordMapper of(List<String> columns, Function<ConsumerRecord<String, byte[]>, byte[]> encode) {
        return of(columns, null, encode);
    }

    static RecordMapper of(List<String> columns, Schema avro, Function<ConsumerRecord<String, byte[]>, byte[]> encode) {
        List<String> checked = columns.stream().map(Sql::identifier).toList();
        return new RecordMapper() {
            @Override
            public List<String> columns() {
                return checked;
            }

            @Override
            public Schema avro() {
                return avro;
            }

            @Override
            public byte[] map(ConsumerRecord<String, byte[]> record) {
                return encode.apply(record);
            }
        };
    }
}
