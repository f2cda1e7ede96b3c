package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class MigrationFileTest {

    @Test
    void splitsStatementsAtSemicolonsEndingALine() {
        MigrationFile file = MigrationFile.of("V007__demo.sql", """
                -- a comment; with a semicolon
                CREATE TABLE ${db}.a (x String DEFAULT 'a;b')
                ENGINE = ReplacingMergeTree(v) ORDER BY x;

                CREATE VIEW ${db}.v AS SELECT ';' AS s FROM ${db}.a;
                SELECT 1
                """);
        assertEquals(7, file.version());
        assertEquals("demo", file.name());
        List<String> statements = file.statements("it_db");
        assertEquals(3, statements.size());
        assertEquals("CREATE TABLE it_db.a (x String DEFAULT 'a;b')\nENGINE = ReplacingMergeTree(v) ORDER BY x", statements.get(0));
        assertEquals("CREATE VIEW it_db.v AS SELECT ';' AS s FROM it_db.a", statements.get(1));
        assertEquals("SELECT 1", statements.get(2));
    }

    @Test
    void refusesBadFileNamesAndDatabaseNames() {
        assertThrows(IllegalArgumentException.class, () -> MigrationFile.of("V1__x.sql", "SELECT 1"));
        assertThrows(IllegalArgumentException.class, () -> MigrationFile.of("001__x.sql", "SELECT 1"));
        assertThrows(IllegalArgumentException.class, () -> MigrationFile.of("V001_x.sql", "SELECT 1"));
        MigrationFile file = MigrationFile.of("V001__x.sql", "SELECT 1 FROM ${db}.t");
        assertThrows(IllegalArgumentException.class, () -> file.statements("x; DROP DATABASE y"));
    }

    @Test
    void checksumChangesWithTheText() {
        MigrationFile a = MigrationFile.of("V001__x.sql", "SELECT 1");
        assertEquals(a.checksum(), MigrationFile.of("V001__x.sql", "SELECT 1").checksum());
        assertNotEquals(a.checksum(), MigrationFile.of("V001__x.sql", "SELECT 2").checksum());
        assertEquals(64, a.checksum().length());
    }

    @Test
    void bundledMigrationsAreAllListedInOrder() throws IOException {
        List<MigrationFile> bundled = Migrations.bundled();
        assertTrue(bundled.size() >= 2);
        for (int i = 0; i < bundled.size(); i++) {
            assertEquals(i + 1, bundled.get(i).version(), "versions are consecutive from 1");
        }
        Path dir = Path.of("src/main/resources/sql/migrations");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
            assertEquals(onDisk, bundled.stream().map(f -> f.label() + ".sql").toList(), "index.txt lists every migration file");
        }
    }

    @Test
    void bundledSqlAvoidsSyntaxOldServersLack() {
        Pattern forbidden = Pattern.compile("(?i)LowCardinality|\\bWITH\\s+\\w+\\s+AS\\s*\\(|\\bOVER\\s*\\(|ADD COLUMN IF NOT EXISTS"
                + "|DateTime64|\\bTTL\\b|\\{\\w+:\\w+}|MergeTree\\([^)]*,");
        for (MigrationFile file : Migrations.bundled()) {
            for (String statement : file.statements("db")) {
                assertFalse(forbidden.matcher(statement).find(), file.label() + " uses syntax 18.16 lacks: " + statement);
                // a view is replaced by DROP ... IF EXISTS then CREATE ... IF NOT EXISTS (18.16 has no CREATE OR REPLACE VIEW);
                // a table is rebuilt by a copy into a ReplacingMergeTree (a repeated copy folds into the same rows)
                // and a RENAME swap whose target is dropped IF EXISTS first
                String head = statement.strip();
                assertTrue(statement.contains("IF NOT EXISTS") || statement.contains("DROP TABLE IF EXISTS")
                                || head.startsWith("INSERT INTO") || head.startsWith("RENAME TABLE"),
                        file.label() + " statement is not idempotent: " + statement);
            }
        }
    }

    @Test
    void aFirstLineNamesTheMigrationsAFileSupersedes() {
        assertEquals(List.of(2, 3), MigrationFile.of("V004__x.sql", "-- supersedes: V002, V003\nSELECT 1").supersedes());
        assertEquals(List.of(), MigrationFile.of("V004__x.sql", "SELECT 1\n-- supersedes: V002").supersedes());
        assertThrows(IllegalArgumentException.class, () -> MigrationFile.of("V004__x.sql", "-- supersedes: 2\nSELECT 1").supersedes());
    }

    @Test
    void aSupersedingMigrationCreatesEverythingTheFilesItSupersedesCreate() {
        List<MigrationFile> bundled = Migrations.bundled();
        int superseded = 0;
        for (MigrationFile file : bundled) {
            Set<String> created = created(file);
            for (int old : file.supersedes()) {
                Set<String> before = created(bundled.get(old - 1));
                assertTrue(created.containsAll(before), file.label() + " does not create everything V" + old + " creates: " + before);
                superseded++;
            }
        }
        assertEquals(4, superseded, "V006 supersedes V002-V005");
    }

    /** A fresh database never runs a superseded file, so what it runs must mean the same on every release. */
    @Test
    void sqlThatAFreshDatabaseRunsUsesNoAnyJoin() {
        List<MigrationFile> bundled = Migrations.bundled();
        Set<Integer> superseded = new HashSet<>();
        bundled.forEach(f -> superseded.addAll(f.supersedes()));
        Pattern anyJoin = Pattern.compile("(?i)\\bANY\\s+(LEFT\\s+|INNER\\s+|RIGHT\\s+)?JOIN\\b");
        for (MigrationFile file : bundled) {
            if (!superseded.contains(file.version())) {
                for (String statement : file.statements("db")) {
                    assertFalse(anyJoin.matcher(statement).find(), file.label() + " uses an ANY join: " + statement);
                }
            }
        }
    }

    private static Set<String> created(MigrationFile file) {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("CREATE (?:TABLE|VIEW) IF NOT EXISTS db\\.(\\w+)").matcher(String.join("\n", file.statements("db")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
