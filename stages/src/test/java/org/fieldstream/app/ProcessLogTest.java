package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fieldstream.platform.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLogTest {

    @TempDir
    Path dir;

    @Test
    void twoCommandsAtOnceAppendTheirLogLinesToTheCommandsLogAndKeepTheConsole() throws Exception {
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Files.writeString(logs.resolve("ingest.log"), "a line of an earlier ingest\n");
        int count = 2000;
        List<ChildJvm> runs = new ArrayList<>();
        for (String tag : List.of("first", "second")) {
            runs.add(ChildJvm.start(tag, ProcessLogWriterMain.class.getName(),
                    List.of("-Xmx64m", "-XX:+UseSerialGC", "-D" + ProcessLog.DIR_PROPERTY + "=" + logs),
                    List.of(tag, Integer.toString(count)), dir.resolve(tag + ".console")));
        }
        for (ChildJvm run : runs) {
            assertEquals(0, run.waitFor(Duration.ofSeconds(60)), run.logTail(20));
        }
        String log = Files.readString(logs.resolve("ingest.log"), StandardCharsets.UTF_8);
        assertTrue(log.startsWith("a line of an earlier ingest\n"), "appended, not truncated");
        assertFalse(log.contains("\0"), "no NUL bytes");
        for (String tag : List.of("first", "second")) {
            for (int i = 1; i <= count; i++) {
                assertTrue(log.contains(tag + " log line " + i + "\n"), tag + " line " + i + " kept");
            }
            String console = Files.readString(dir.resolve(tag + ".console"), StandardCharsets.UTF_8);
            assertTrue(console.contains(tag + " result on the console"), console);
            assertTrue(console.contains(tag + " error on the console"), console);
            assertFalse(console.contains("log line"), "log lines stay out of the console");
        }
    }

    @Test
    void commandNameIsTheFirstArgumentThatIsNotAnOption() {
        assertEquals("ingest", ProcessLog.command(new String[] {"ingest", "--program", "p"}));
        assertEquals("status", ProcessLog.command(new String[] {"--verbose", "status"}));
        assertEquals("fieldstream", ProcessLog.command(new String[] {"--help"}));
        assertEquals("fieldstream", ProcessLog.command(new String[] {"../x"}));
    }

    @Test
    void rotationSettingsComeFromTheEnvironment() {
        assertEquals(new ProcessLog.Rotation(10L << 20, 5), ProcessLog.rotation(Map.of()));
        assertEquals(new ProcessLog.Rotation(4096, 2), ProcessLog.rotation(Map.of("FIELDSTREAM_LOG_MAX_BYTES", "4096",
                "FIELDSTREAM_LOG_FILES", "2")));
    }
}
