package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MigrationsTest {

    private static final List<String> STATEMENTS = List.of(
            "CREATE TABLE IF NOT EXISTS db.t (x UInt8) ENGINE = MergeTree ORDER BY x",
            "DROP TABLE IF EXISTS db.v",
            "CREATE VIEW IF NOT EXISTS db.v AS\nSELECT x FROM db.t",
            "DROP TABLE IF EXISTS db.old",
            "CREATE VIEW IF NOT EXISTS db.other AS SELECT 1",
            "DROP TABLE IF EXISTS db.last");

    @Test
    void oldServersRunTheStatementsAsWritten() {
        assertEquals(STATEMENTS, Migrations.forServer(STATEMENTS, ServerVersion.parse("18.16.1")));
        assertEquals(STATEMENTS, Migrations.forServer(STATEMENTS, ServerVersion.parse("23.8.1")));
    }

    @Test
    void currentServersReplaceAViewInOneStatement() {
        assertEquals(List.of(
                "CREATE TABLE IF NOT EXISTS db.t (x UInt8) ENGINE = MergeTree ORDER BY x",
                "CREATE OR REPLACE VIEW db.v AS\nSELECT x FROM db.t",
                "DROP TABLE IF EXISTS db.old",
                "CREATE VIEW IF NOT EXISTS db.other AS SELECT 1",
                "DROP TABLE IF EXISTS db.last"), Migrations.forServer(STATEMENTS, ServerVersion.parse("26.7.2.1")));
    }

    @Test
    void theBundledReplacementRunsEveryViewAsOneStatementOnCurrentServers() {
        MigrationFile v006 = Migrations.bundled().get(5);
        List<String> old = Migrations.forServer(v006.statements("db"), ServerVersion.parse("18.16.1"));
        List<String> current = Migrations.forServer(v006.statements("db"), ServerVersion.parse("26.7.2.1"));
        assertEquals(old.size(), current.size() * 2, "one CREATE OR REPLACE VIEW per DROP + CREATE pair");
        assertTrue(current.stream().allMatch(s -> s.startsWith("CREATE OR REPLACE VIEW db.")), current.toString());
    }

    @Test
    void aSupersedingFileMustComeLaterAndNameBundledVersionsOnce() {
        MigrationFile one = MigrationFile.of("V001__a.sql", "SELECT 1");
        MigrationFile two = MigrationFile.of("V002__b.sql", "-- supersedes: V001\nSELECT 2");
        assertEquals(Map.of(1, 2), Migrations.supersededBy(List.of(one, two), Map.of(1, one, 2, two)));
        MigrationFile early = MigrationFile.of("V001__a.sql", "-- supersedes: V002\nSELECT 1");
        MigrationFile plain = MigrationFile.of("V002__b.sql", "SELECT 2");
        assertThrows(IllegalStateException.class, () -> Migrations.supersededBy(List.of(early, plain), Map.of(1, early, 2, plain)));
        MigrationFile unknown = MigrationFile.of("V002__b.sql", "-- supersedes: V009\nSELECT 2");
        assertThrows(IllegalStateException.class, () -> Migrations.supersededBy(List.of(one, unknown), Map.of(1, one, 2, unknown)));
        MigrationFile again = MigrationFile.of("V003__c.sql", "-- supersedes: V001\nSELECT 3");
        assertThrows(IllegalStateException.class,
                () -> Migrations.supersededBy(List.of(one, two, again), Map.of(1, one, 2, two, 3, again)));
    }
}
