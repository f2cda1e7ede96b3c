package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Requests the explain command refuses before it reads ClickHouse (exit code 2, the reason first). */
class ExplainCommandTest {

    private static final Map<String, String> ENV = Map.of("FIELDSTREAM_CLICKHOUSE_URL", "http://127.0.0.1:1",
            "FIELDSTREAM_CLICKHOUSE_DATABASE", "nowhere");

    @Test
    void anUnknownFigureIsRefusedWithTheFiguresItKnows() {
        assertEquals("explain: unknown figure 'reached': expected one of enrolled, active, completed, dropped_out, transferred",
                refused("--program", "p", "--partner", "x", "--cohort", "c", "reached"));
    }

    @Test
    void theCohortMustBeNamedFully() {
        String missing = refused("--program", "p", "--cohort", "c", "enrolled");
        assertTrue(missing.startsWith("explain: missing [--partner]"), missing);
    }

    @Test
    void idsAreCheckedBeforeTheyReachSql() {
        String hostile = refused("--program", "p", "--partner", "x", "--cohort", "c' OR 1=1 --", "enrolled");
        assertTrue(hostile.startsWith("explain: invalid --cohort"), hostile);
    }

    @Test
    void helpPrintsTheUsage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(ReportCommand.OK, ExplainCommand.run(new String[] {"--help"}, ENV, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("--cohort=C"), bytes.toString(StandardCharsets.UTF_8));
    }

    private static String refused(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ExplainCommand.run(args, ENV, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(ReportCommand.REFUSED, code);
        return bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
    }
}
