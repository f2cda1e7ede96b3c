package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class ViewsTest {

    private static final ViewFile BASE = new ViewFile("v_base", "-- rows of t\nSELECT x FROM ${db}.t;\n");
    private static final ViewFile TOP = new ViewFile("v_top", "SELECT x FROM ${db}.v_mid UNION ALL SELECT x FROM ${db}.v_base");
    private static final ViewFile MID = new ViewFile("v_mid", "SELECT x FROM ${db}.v_base WHERE x > 0");

    @Test
    void aViewIsItsSelectWithoutCommentsAndKnowsWhatItReads() {
        assertEquals("SELECT x FROM ${db}.t", BASE.select());
        assertEquals("SELECT x FROM it_db.t", BASE.select("it_db"));
        assertEquals(Set.of("v_mid", "v_base"), TOP.reads());
        assertEquals(BASE.checksum(), new ViewFile("v_base", "SELECT x FROM ${db}.t").checksum(), "comments do not count");
        assertNotEquals(BASE.checksum(), new ViewFile("v_base", "SELECT x + 1 AS x FROM ${db}.t").checksum());
        assertThrows(IllegalArgumentException.class, () -> new ViewFile("v; DROP", "SELECT 1"));
        assertThrows(IllegalArgumentException.class, () -> new ViewFile("v_empty", "-- nothing\n"));
    }

    @Test
    void viewsComeAfterTheViewsTheyRead() {
        assertEquals(List.of("v_base", "v_mid", "v_top"), names(Views.ordered(List.of(TOP, MID, BASE))));
        ViewFile a = new ViewFile("a", "SELECT * FROM ${db}.b");
        ViewFile b = new ViewFile("b", "SELECT * FROM ${db}.a");
        IllegalStateException cycle = assertThrows(IllegalStateException.class, () -> Views.ordered(List.of(a, b)));
        assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
        assertThrows(IllegalStateException.class, () -> Views.ordered(List.of(BASE, BASE)));
    }

    @Test
    void oldServersDropAndCreateCurrentOnesReplaceInOneStatement() {
        assertEquals(List.of("DROP TABLE IF EXISTS db.v_base", "CREATE VIEW IF NOT EXISTS db.v_base AS\nSELECT x FROM db.t"),
                Views.statements(BASE, "db", ServerVersion.parse("18.16.1")));
        assertEquals(List.of("DROP TABLE IF EXISTS db.v_base", "CREATE VIEW IF NOT EXISTS db.v_base AS\nSELECT x FROM db.t"),
                Views.statements(BASE, "db", ServerVersion.parse("23.8.1")));
        assertEquals(List.of("CREATE OR REPLACE VIEW db.v_base AS\nSELECT x FROM db.t"),
                Views.statements(BASE, "db", ServerVersion.parse("26.7.2.1")));
    }

    @Test
    void everyBundledViewIsListedAndReadsOnlyBundledViewsAndTables() throws IOException {
        List<ViewFile> views = Views.bundled();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/sql/views"))) {
            List<String> onDisk = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
            assertEquals(onDisk, names(views).stream().sorted().toList(), "index.txt lists every view file");
        }
        assertTrue(names(views).containsAll(List.of("v_field_events_current", "v_retention_curve", "dash_survival_curves",
                "recompute_held_sessions", "recompute_outreach", "v_dead_letters")), names(views).toString());
        Set<String> tables = TableColumns.avroTables().keySet();
        List<String> seen = new ArrayList<>();
        for (ViewFile view : views) {
            for (String read : view.reads()) {
                assertTrue(seen.contains(read) || tables.contains(read) || Set.of("field_events", "dead_letters", "rejected_rows", "event_copies", "cohort_start_events")
                                .contains(read),
                        view.name() + " reads " + read + ", which is neither a table nor a view before it");
            }
            seen.add(view.name());
        }
    }

    /** What a database runs must mean the same on every release. */
    @Test
    void bundledViewsUsePortableSyntaxAndNoAnyJoin() {
        Pattern anyJoin = Pattern.compile("(?i)\\bANY\\s+(LEFT\\s+|INNER\\s+|RIGHT\\s+)?JOIN\\b");
        for (ViewFile view : Views.bundled()) {
            assertFalse(anyJoin.matcher(view.select()).find(), view.name() + " uses an ANY join");
            assertFalse(MigrationFileTest.FORBIDDEN.matcher(view.select()).find(), view.name() + " uses syntax 18.16 lacks");
        }
    }

    private static List<String> names(List<ViewFile> views) {
        return views.stream().map(ViewFile::name).toList();
    }
}
