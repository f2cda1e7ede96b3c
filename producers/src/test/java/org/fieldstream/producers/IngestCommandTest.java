package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.fieldstream.producers.forms.FormExportSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures before anything is published: no broker is needed (the bootstrap address is unused). */
class IngestCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) throws Exception {
        Path config = dir.resolve("settings.properties");
        Files.writeString(config, "reference.preload=false\nknown.preload=false\nbootstrap.servers=127.0.0.1:1\n"
                + "program.P1.start_date=2026-01-01\npartner.X.program=P1\npartner.Y.program=P2\nprogram.P2.start_date=2026-01-01\n");
        String[] full = new String[args.length + 2];
        full[0] = "--config";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return IngestCommand.run(full, env, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static final Map<String, String> SECRET = Map.of("FIELDSTREAM_SECRET_P1", "ingest-command-test-secret");

    @Test
    void missingArgumentsPrintUsage() throws Exception {
        assertEquals(IngestCommand.UNUSABLE, run(SECRET, "--program", "P1", "f.csv"));
        assertTrue(errors().contains("Missing required option: '--partner=X'"), errors());
        assertTrue(errors().contains("Usage: ingest"), errors());
    }

    @Test
    void helpPrintsEveryOptionAndExitsZero() throws Exception {
        java.io.ByteArrayOutputStream help = new java.io.ByteArrayOutputStream();
        assertEquals(IngestCommand.OK, IngestCommand.run(new String[] {"--help"}, java.util.Map.of(),
                new java.io.PrintStream(help, true, java.nio.charset.StandardCharsets.UTF_8), System.err));
        String text = help.toString(java.nio.charset.StandardCharsets.UTF_8);
        for (String option : new String[] {"--program", "--partner", "--source", "--form", "--config", "--base", "FILE"}) {
            assertTrue(text.contains(option), text);
        }
    }

    @Test
    void missingFileIsUnusable() throws Exception {
        assertEquals(IngestCommand.UNUSABLE, run(SECRET, "--program", "P1", "--partner", "X", dir.resolve("nope.csv").toString()));
        assertTrue(errors().contains("no readable file"), errors());
    }

    @Test
    void unknownLayoutIsUnusable() throws Exception {
        Path file = dir.resolve("odd.csv");
        Files.writeString(file, "foo,bar\n1,2\n");
        assertEquals(IngestCommand.UNUSABLE, run(SECRET, "--program", "P1", "--partner", "X", file.toString()));
        assertTrue(errors().contains("odd.csv: the first row is not the header of a layout: it names no column of any layout"),
                errors());
    }

    @Test
    void aFileWithoutItsHeaderIsUnusableAndItsFirstRowIsNotQuoted() throws Exception {
        Path file = dir.resolve("noheader.csv");
        Files.writeString(file, "C1,PK-Rokeya-77,f,2026-02-01,Rokeya Begum,01711000077\n");
        assertEquals(IngestCommand.UNUSABLE, run(SECRET, "--program", "P1", "--partner", "X", file.toString()));
        assertTrue(errors().contains("noheader.csv: the first row is not the header of a layout"), errors());
        for (String planted : List.of("C1", "PK-Rokeya", "Rokeya", "Begum", "01711000077", "2026-02-01")) {
            assertFalse(errors().contains(planted), planted + " in " + errors());
        }
    }

    @Test
    void missingSecretNamesTheVariable() throws Exception {
        assertEquals(IngestCommand.UNUSABLE, run(Map.of(), "--program", "P1", "--partner", "X", "f.csv"));
        assertTrue(errors().contains("FIELDSTREAM_SECRET_P1"), errors());
    }

    @Test
    void partnerOfAnotherProgramIsRefused() throws Exception {
        assertEquals(IngestCommand.UNUSABLE, run(SECRET, "--program", "P1", "--partner", "Y", "f.csv"));
        assertTrue(errors().contains("partner Y belongs to program P2, not P1"), errors());
    }

    @Test
    void sourceFollowsTheFileExtensionUnlessGiven() {
        assertEquals("json", InputFiles.kindOf("auto", "iid/2026-05/cohorts.jsonl"));
        assertEquals("csv", InputFiles.kindOf("auto", "ndp/2026-01/cohorts.csv"));
        assertEquals("csv", InputFiles.kindOf("csv", "x.jsonl"));
        assertEquals("odk", InputFiles.kindOf("auto", "mms/2026-03-26_session_register.CSV.zip"), "Central's CSV export");
        assertEquals("csv", InputFiles.kindOf("auto", "mms/session_register.csv"));
    }

    @Test
    void aCentralZipWithoutAMappingIsRefusedAndWithOneItsRowsNameTheZipAndTheInnerFile(@TempDir Path dir)
            throws Exception {
        Path odk = Path.of(getClass().getResource("/odk/export3_session_register.csv").toURI()).getParent();
        Path zip = dir.resolve("session_register.csv.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String table : List.of("session_register.csv", "session_register-members.csv")) {
                out.putNextEntry(new ZipEntry(table));
                Files.copy(odk.resolve("export3_" + table), out);
                out.closeEntry();
            }
        }
        UnusableInputException refused = assertThrows(UnusableInputException.class, () -> InputFiles.open(
                new InputFiles.Selection("auto", null, dir, List.of("session_register.csv.zip")), 65_536));
        assertEquals("session_register.csv.zip is a form export (odk): give its form mapping with --form", refused.getMessage());
        List<RowSource> sources = InputFiles.open(new InputFiles.Selection("auto", "session_register_attendance", dir,
                List.of("session_register.csv.zip")), 65_536);
        assertEquals(1, sources.size());
        assertEquals("session_register.csv.zip", sources.get(0).name());
        SourceRow first = sources.get(0).next();
        assertTrue(first.sourceRef().startsWith("session_register.csv.zip!session_register.csv:"), first.sourceRef());
        assertEquals("odk", ((FormExportSource) sources.get(0)).sourceName());
    }

    @Test
    void odkTablesOfOneRunAreReadAsOneExport() throws Exception {
        Path odk = Path.of(getClass().getResource("/odk/export2_Submissions.json").toURI()).getParent();
        List<RowSource> sources = InputFiles.open(new InputFiles.Selection("odk", "session_register_attendance", odk, List.of("export2_Submissions.register.members.json", "export2_Submissions.json")),
                org.fieldstream.producers.csv.CsvRowSource.DEFAULT_MAX_ROW_BYTES);
        assertEquals(1, sources.size());
        FormExportSource source = (FormExportSource) sources.get(0);
        assertEquals("export2_Submissions.json", source.name());
        assertEquals("odk", source.sourceName());
        int rows = 0;
        for (SourceRow row = source.next(); row != null; row = source.next()) {
            assertEquals(null, row.malformed());
            rows++;
        }
        assertEquals(8, rows);
    }

    @Test
    void aBrokerThatDoesNotAnswerIsOneLineWithItsAddressAndItsOwnExitCode() throws Exception {
        Files.writeString(dir.resolve("cohorts.csv"), "cohort_id,topic,planned_sessions,start_date,org_unit_id\nC1,T,6,2026-02-01,U1\n");
        Map<String, String> env = new java.util.HashMap<>(SECRET);
        env.put("FIELDSTREAM_BROKER_ANSWER_TIMEOUT_MS", "500");
        assertEquals(IngestCommand.KAFKA_UNREACHABLE, run(env, "--program", "P1", "--partner", "X", dir.resolve("cohorts.csv").toString()));
        assertEquals("cannot ingest: Kafka at 127.0.0.1:1 did not answer within 0.5 s; nothing was published. Is it running?"
                + " See ./fieldstream status (or check bootstrap.servers)", errors().strip());
        env.put("FIELDSTREAM_REFERENCE_PRELOAD", "true");
        err.reset();
        assertEquals(IngestCommand.KAFKA_UNREACHABLE, run(env, "--program", "P1", "--partner", "X", dir.resolve("cohorts.csv").toString()));
        assertTrue(errors().startsWith("cannot ingest: Kafka at 127.0.0.1:1 did not answer"), errors());
    }

    @Test
    void aDiskShortOfSpaceRefusesTheRunBeforeKafkaIsAsked() throws Exception {
        Files.writeString(dir.resolve("cohorts.csv"), "cohort_id,topic,planned_sessions,start_date,org_unit_id\nC1,T,6,2026-02-01,U1\n");
        Map<String, String> env = new java.util.HashMap<>(SECRET);
        env.put("FIELDSTREAM_DATA_DIR", dir.toString());
        env.put("FIELDSTREAM_DISK_MIN_FREE_BYTES", Long.toString(Long.MAX_VALUE));
        env.put("FIELDSTREAM_DISK_MIN_FREE_PERCENT", "100");
        assertEquals(IngestCommand.DISK_LOW, run(env, "--program", "P1", "--partner", "X", dir.resolve("cohorts.csv").toString()));
        assertTrue(errors().contains("free on the disk of " + dir) && errors().contains("new data is refused"), errors());
    }

    @Test
    void aBrokenFormMappingStopsTheRunBeforeAnythingIsSent() throws Exception {
        Path mapping = dir.resolve("mapping.json");
        Files.writeString(mapping, "{\"form_id\": \"f\", \"layout\": \"sessions\", \"columns\": {\"cohort_id\": \"c\", "
                + "\"session_number\": \"n\", \"held_on\": {\"field\": \"start\", \"dates\": true}}}");
        Path export = dir.resolve("export.json");
        Files.writeString(export, "[]");
        assertEquals(IngestCommand.UNUSABLE, run(SECRET, "--program", "P1", "--partner", "X", "--source", "kobo",
                "--form", mapping.toString(), export.toString()));
        assertTrue(errors().contains("column held_on has unknown key \"dates\""), errors());
    }
}
