package org.fieldstream.sink;

import org.fieldstream.clickhouse.Sql;

/** Where one topic's records go and how each becomes a row. */
public record TableMapping(String topic, String table, RecordMapper mapper) {
    public TableMapping {
        Sql.identifier(table);
    }
}
