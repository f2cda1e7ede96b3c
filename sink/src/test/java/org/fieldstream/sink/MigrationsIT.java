package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import org.fieldstream.platform.TestServices;
import org.junit.jupiter.api.Test;

/** Migration bookkeeping on a real server: recorded, skipped when applied, refused when changed. */
class MigrationsIT {

    private static final MigrationFile V1 = MigrationFile.of("V001__t.sql",
            "CREATE TABLE IF NOT EXISTS ${db}.t (x UInt8) ENGINE = MergeTree ORDER BY x;\n");
    private static final MigrationFile V2 = MigrationFile.of("V002__v.sql",
            "CREATE VIEW IF NOT EXISTS ${db}.v AS SELECT x FROM ${db}.t;\n");

    @Test
    void appliesOnceRecordsAndRefusesAChangedFile() {
        String db = "it_mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (ClickHouseGateway gateway = new ClickHouseGateway(TestServices.clickHouse().httpUrl(), "default", "")) {
            assertEquals(List.of(1), Migrations.apply(gateway, db, List.of(V1)));
            assertEquals(List.of(), Migrations.apply(gateway, db, List.of(V1)));
            assertEquals(List.of(2), Migrations.apply(gateway, db, List.of(V1, V2)));
            assertEquals("0", gateway.queryValue("SELECT count() FROM " + db + ".v"));
            assertEquals(V1.checksum(), gateway.queryValue("SELECT checksum FROM " + db + ".schema_migrations FINAL WHERE version = 1"));

            MigrationFile changed = MigrationFile.of("V001__t.sql",
                    "CREATE TABLE IF NOT EXISTS ${db}.t (x UInt16) ENGINE = MergeTree ORDER BY x;\n");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Migrations.apply(gateway, db, List.of(changed, V2)));
            assertTrue(e.getMessage().contains("V001__t"), e.getMessage());
            gateway.execute("DROP DATABASE IF EXISTS " + db);
        }
    }
}
