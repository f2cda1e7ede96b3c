package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** Syntax ClickHouse 18.16 lacks; the views are held to it too ({@code ViewsTest}). */
    static final Pattern FORBIDDEN = Pattern.compile("(?i)LowCardinality|\\bWITH\\s+\\w+\\s+AS\\s*\\(|\\bOVER\\s*\\(|ADD COLUMN IF NOT EXISTS"
            + "|DateTime64|\\bTTL\\b|\\{\\w+:\\w+}|MergeTree\\([^)]*,");

    @Test
    void bundledSqlAvoidsSyntaxOldServersLackAndHoldsTablesOnly() {
        for (MigrationFile file : Migrations.bundled()) {
            for (String statement : file.statements("db")) {
                assertFalse(FORBIDDEN.matcher(statement).find(), file.label() + " uses syntax 18.16 lacks: " + statement);
                assertFalse(statement.matches("(?is).*\\bCREATE\\s+(OR\\s+REPLACE\\s+)?VIEW\\b.*"),
                        file.label() + " creates a view; views live in sql/views: " + statement);
                // a table is rebuilt by a copy into a ReplacingMergeTree (a repeated copy folds into the same rows)
                // and a RENAME swap whose target is dropped IF EXISTS first
                String head = statement.strip();
                assertTrue(statement.contains("IF NOT EXISTS") || statement.contains("DROP TABLE IF EXISTS")
                                || head.startsWith("INSERT INTO") || head.startsWith("RENAME TABLE"),
                        file.label() + " statement is not idempotent: " + statement);
            }
        }
    }
}
