package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.fieldstream.events.TopicSetup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupArchiveTest {

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final List<BackupArchive.ArchivedRecord> RECORDS = List.of(
            new BackupArchive.ArchivedRecord(0, 1_700_000_000_123L, TimestampType.CREATE_TIME, b("k1"), b("v1"),
                    new Header[] {new RecordHeader("source.topic", b("fieldstream.events")), new RecordHeader("reason", b("ünicode"))}),
            new BackupArchive.ArchivedRecord(5, 1_700_000_000_999L, TimestampType.CREATE_TIME, null, b("no key"), new Header[0]),
            new BackupArchive.ArchivedRecord(6, 1_600_000_000_000L, TimestampType.LOG_APPEND_TIME, b("retired"), null,
                    new Header[] {new RecordHeader("empty", null), new RecordHeader("zero", new byte[0])}),
            new BackupArchive.ArchivedRecord(7, -1, TimestampType.NO_TIMESTAMP_TYPE, new byte[0], new byte[] {0, -1, 127}, new Header[0]));

    @Test
    void recordsRoundTripWithHeadersNullKeysAndValuesAndTimestamps() throws IOException {
        Path file = dir.resolve("a.zip");
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, Instant.parse("2026-12-01T10:15:30.123Z"), "t1.",
                List.of(new BackupManifest.TopicEntry("events", Map.of("retention.ms", "-1", "min.insync.replicas", "1"),
                                List.of(new BackupManifest.PartitionEntry(0, 0, 9, 4), new BackupManifest.PartitionEntry(1, 3, 3, 0))),
                        new BackupManifest.TopicEntry("reference.programs", Map.of("cleanup.policy", "compact"),
                                List.of(new BackupManifest.PartitionEntry(0, 0, 0, 0)))));
        try (BackupArchive.Writer writer = new BackupArchive.Writer(file)) {
            BackupArchive.RecordWriter p0 = writer.records("events", 0);
            for (BackupArchive.ArchivedRecord r : RECORDS) {
                p0.write(r);
            }
            assertEquals(4, p0.finish());
            assertEquals(0, writer.records("events", 1).finish());
            assertEquals(0, writer.records("reference.programs", 0).finish());
            writer.put(BackupArchive.SECRETS, b("p=s\n"));
            writer.put(BackupArchive.MANIFEST, manifest.render().getBytes(StandardCharsets.UTF_8));
        }
        try (BackupArchive.Reader reader = new BackupArchive.Reader(file)) {
            assertEquals(manifest, reader.manifest());
            assertArrayEquals(b("p=s\n"), reader.bytes(BackupArchive.SECRETS));
            assertNull(reader.bytes(BackupArchive.TOKENS));
            List<BackupArchive.ArchivedRecord> read = new ArrayList<>();
            assertEquals(4, reader.records("events", 0, read::add));
            assertEquals(RECORDS.size(), read.size());
            for (int i = 0; i < RECORDS.size(); i++) {
                assertSame(RECORDS.get(i), read.get(i));
            }
            assertEquals(0, reader.records("events", 1, r -> {
                throw new AssertionError("no records");
            }));
        }
    }

    private static void assertSame(BackupArchive.ArchivedRecord expected, BackupArchive.ArchivedRecord actual) {
        assertEquals(expected.offset(), actual.offset());
        assertEquals(expected.timestamp(), actual.timestamp());
        assertEquals(expected.timestampType(), actual.timestampType());
        assertArrayEquals(expected.key(), actual.key());
        assertArrayEquals(expected.value(), actual.value());
        assertEquals(expected.headers().length, actual.headers().length);
        for (int h = 0; h < expected.headers().length; h++) {
            assertEquals(expected.headers()[h].key(), actual.headers()[h].key());
            assertArrayEquals(expected.headers()[h].value(), actual.headers()[h].value());
        }
    }

    @Test
    void aTruncatedEntryIsToldFromAComplete() throws IOException {
        Path whole = dir.resolve("whole.zip");
        try (BackupArchive.Writer writer = new BackupArchive.Writer(whole)) {
            BackupArchive.RecordWriter p0 = writer.records("events", 0);
            p0.write(RECORDS.get(0));
            p0.write(RECORDS.get(1));
            p0.finish();
        }
        byte[] entry;
        try (ZipFile zip = new ZipFile(whole.toFile())) {
            entry = zip.getInputStream(zip.getEntry(BackupArchive.recordsEntry("events", 0))).readAllBytes();
        }
        Path cut = dir.resolve("cut.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(cut))) {
            out.putNextEntry(new ZipEntry(BackupArchive.recordsEntry("events", 0)));
            out.write(entry, 0, entry.length - 12);
            out.closeEntry();
        }
        try (BackupArchive.Reader reader = new BackupArchive.Reader(cut)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reader.records("events", 0, r -> { }));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            IllegalArgumentException noManifest = assertThrows(IllegalArgumentException.class, reader::manifest);
            assertTrue(noManifest.getMessage().contains("not a FieldStream backup"), noManifest.getMessage());
        }
    }

    @Test
    void manifestOfAnotherFormatVersionIsRefused() {
        String text = new BackupManifest(BackupManifest.FORMAT_VERSION, Instant.EPOCH, "", List.of()).render()
                .replace("format.version=1", "format.version=2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackupManifest.parse(text));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void restoredLogTopicsKeepEveryRecordAndFitTheCluster() {
        TopicSetup.Layout single = new TopicSetup.Layout(3, (short) 1, 1);
        assertEquals(Map.of("min.insync.replicas", "1", "retention.ms", "-1"),
                StackRestore.configs(Map.of("min.insync.replicas", "2"), single));
        assertEquals(Map.of("retention.ms", "86400000"), StackRestore.configs(Map.of("retention.ms", "86400000"), single));
        assertEquals(Map.of("cleanup.policy", "compact"), StackRestore.configs(Map.of("cleanup.policy", "compact"), single));
    }
}
