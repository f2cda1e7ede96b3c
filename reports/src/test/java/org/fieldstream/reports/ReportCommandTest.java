package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Refusals happen before any connection: no server is needed (or reachable) here. */
class ReportCommandTest {

    // nothing listens on port 9 (discard); a request that got as far as querying would fail with 1
    private static final Map<String, String> NOWHERE = Map.of("FIELDSTREAM_CLICKHOUSE_URL", "http://127.0.0.1:9");

    @Test
    void anInjectionAttemptIsRefusedWithExitCodeTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ReportCommand.run(new String[] {"retention", "--partner", "' OR 1=1 --"}, NOWHERE,
                new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(ReportCommand.REFUSED, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("report: invalid --partner '' OR 1=1 --': an id is"), out.toString());
    }

    @Test
    void helpPrintsUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(ReportCommand.OK, ReportCommand.run(new String[] {"--help"}, NOWHERE, new PrintStream(out, true, StandardCharsets.UTF_8)));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("Usage: report"), help);
        for (String part : new String[] {"REPORT", "--program", "--partner", "--district", "--from", "--to", "--html", "freshness"}) {
            assertTrue(help.contains(part), help);
        }
    }

    @Test
    void anUnreachableServerIsAFailureNotARefusal() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ReportCommand.run(new String[] {"freshness"}, NOWHERE, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(ReportCommand.FAILED, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("report: failed:"), out.toString());
    }
}
