package org.fieldstream.schema;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.platform.TestServices;

/**
 * One test database on both engines FieldStream supports: ClickHouse 18.16 (the test server) and the
 * current engine ({@link Chdb#shared()}). A test writes its rows into 18.16, then {@link #copy()}
 * migrates the current engine and copies every base table across, so both answer over the same rows.
 * Closing drops the database on both.
 */
public final class BothEngines implements AutoCloseable {

    private final String database;
    private final ClickHouseGateway old;
    private Chdb current;

    private BothEngines(String database, ClickHouseGateway old) {
        this.database = database;
        this.old = old;
    }

    /** {@code database} migrated, still empty, on the 18.16 test server. */
    public static BothEngines migrated(String database) {
        ClickHouseGateway old = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "");
        Migrations.apply(old, database);
        return new BothEngines(database, old);
    }

    /** The 18.16 side, where the test writes its rows. */
    public ClickHouseGateway old() {
        return old;
    }

    /** Migrates the current engine and copies the base tables' rows of 18.16 into it; returns it. */
    public Chdb copy() {
        current = Chdb.shared();
        Migrations.apply(current, database);
        TableCopy.baseTables(old, current, database);
        return current;
    }

    @Override
    public void close() {
        old.execute("DROP DATABASE IF EXISTS " + database);
        old.close();
        if (current != null) {
            current.execute("DROP DATABASE IF EXISTS " + database);
        }
    }
}
