package org.fieldstream.sink;

/** Where one topic's records go and how each becomes a row. */
public record TableMapping(String topic, String table, RecordMapper mapper) {
    public TableMapping {
        Sql.identifier(table);
    }
}
