package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingLogFileTest {

    @TempDir
    Path dir;

    @Test
    void rotatesWhenTheNextLineWouldPassTheBoundAndKeepsTheConfiguredFiles() throws IOException {
        Path file = dir.resolve("sink.log");
        RotatingLogFile log = new RotatingLogFile(file, 100, 3);
        try (PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            for (int i = 1; i <= 25; i++) {
                out.println(String.format("line-%04d", i)); // 10 bytes with the newline
            }
        }
        assertEquals(lines(1, 10), Files.readAllLines(log.numbered(2)));
        assertEquals(lines(11, 20), Files.readAllLines(log.numbered(1)));
        assertEquals(lines(21, 25), Files.readAllLines(file));
        assertEquals(100, Files.size(log.numbered(1)));
        assertFalse(Files.exists(log.numbered(3)), "only 3 files kept");

        try (PrintStream out = new PrintStream(new RotatingLogFile(file, 100, 3), true, StandardCharsets.UTF_8)) {
            for (int i = 26; i <= 40; i++) {
                out.println(String.format("line-%04d", i));
            }
        }
        assertEquals(lines(11, 20), Files.readAllLines(log.numbered(2)), "a new writer appends, then rotates, dropping the oldest");
        assertEquals(lines(21, 30), Files.readAllLines(log.numbered(1)));
        assertEquals(lines(31, 40), Files.readAllLines(file));
    }

    @Test
    void twoProcessesAppendingToOneLogKeepEveryLineOfBoth() throws Exception {
        Path file = dir.resolve("ingest.log");
        Files.writeString(file, "written before\n");
        int count = 3000;
        // about 180 KB in 16 KiB files: both processes rotate while the other writes
        List<ChildJvm> writers = new ArrayList<>();
        for (String tag : List.of("a", "b")) {
            writers.add(ChildJvm.start("writer-" + tag, LogWriterMain.class.getName(), List.of("-Xmx64m", "-XX:+UseSerialGC"),
                    List.of(file.toString(), tag, Integer.toString(count), Integer.toString(16 * 1024), "40"),
                    dir.resolve("writer-" + tag + ".out")));
        }
        for (ChildJvm writer : writers) {
            assertEquals(0, writer.waitFor(Duration.ofSeconds(60)), writer.logTail(20));
        }
        List<String> all = new ArrayList<>();
        RotatingLogFile log = new RotatingLogFile(file, 16 * 1024, 40);
        for (int n = 39; n >= 0; n--) {
            Path part = log.numbered(n);
            if (Files.exists(part)) {
                byte[] bytes = Files.readAllBytes(part);
                // the other process may add its line between one's size check and its write
                assertTrue(bytes.length <= 16 * 1024 + 2 * 60, part + " has " + bytes.length + " bytes");
                for (byte b : bytes) {
                    assertTrue(b != 0, "no NUL bytes in " + part);
                }
                all.addAll(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n")));
            }
        }
        assertTrue(Files.exists(log.numbered(5)), "rotated several times");
        assertEquals("written before", all.get(0), "the older content is kept");
        List<String> expected = new ArrayList<>(List.of("written before"));
        for (String tag : List.of("a", "b")) {
            IntStream.rangeClosed(1, count).forEach(i -> expected.add(LogWriterMain.line(tag, i)));
        }
        List<String> sorted = new ArrayList<>(all);
        Collections.sort(sorted);
        Collections.sort(expected);
        assertEquals(expected, sorted, "every line of both processes, once, whole");
    }

    private static List<String> lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> String.format("line-%04d", i)).toList();
    }
}
