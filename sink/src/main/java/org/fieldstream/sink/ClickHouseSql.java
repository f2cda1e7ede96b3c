package org.fieldstream.sink;

import java.util.List;
import java.util.Map;

/**
 * What the schema migrations need from a ClickHouse: run a statement, read rows. The HTTP
 * {@link ClickHouseGateway} is the one the sink uses; the tests add the ClickHouse engine as a
 * library, to run the same migrations on a current release.
 */
public interface ClickHouseSql {

    /** Runs a statement that returns no rows; a failure carries the server's message. */
    void execute(String sql);

    /** Runs a SELECT (without a FORMAT clause): its rows as column name to text value, SQL NULL as null. */
    List<Map<String, String>> query(String sql);
}
