package org.fieldstream.clickhouse;

import java.util.List;
import java.util.Map;

/**
 * What the schema migrations and reports need from a ClickHouse: run a statement, read rows. The
 * HTTP {@link ClickHouseGateway} is the one the sink and reports use; the sink's tests add the
 * ClickHouse engine as a library, to run the same migrations on a current release.
 */
public interface ClickHouseSql {

    /** Runs a statement that returns no rows; a failure carries the server's message. */
    void execute(String sql);

    /** Runs a SELECT (without a FORMAT clause): its rows as column name to text value, SQL NULL as null. */
    List<Map<String, String>> query(String sql);

    /**
     * Whether {@code database.table} (a table or a view) exists. Asks for the one name instead of
     * reading {@code system.tables}: on 18.16 a read of {@code system.tables} fails while another
     * client (a sink migrating) drops a table of that database.
     */
    default boolean tableExists(String database, String table) {
        for (String name : List.of(database, table)) {
            if (!name.matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("not a plain ClickHouse name: " + name);
            }
        }
        List<Map<String, String>> databases = query("SELECT count() AS n FROM system.databases WHERE name = '" + database + "'");
        if ("0".equals(databases.get(0).get("n"))) {
            return false;
        }
        return "1".equals(query("EXISTS TABLE " + database + "." + table).get(0).values().iterator().next());
    }
}
