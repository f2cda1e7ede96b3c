package org.fieldstream.app;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;

/**
 * The backup archive: one zip file (deflated) with
 * <ul>
 * <li>{@code manifest.properties} ({@link BackupManifest}), written last;</li>
 * <li>{@code settings/fieldstream.properties}, {@code settings/secrets.properties},
 * {@code settings/tokens.properties};</li>
 * <li>{@code topics/<topic without prefix>/<partition>.records}: the partition's records in offset
 * order.</li>
 * </ul>
 * A records entry is a sequence of frames, each a {@code 1} byte, the original offset, the timestamp,
 * the timestamp type id, the key and the value (length, -1 for null, then the bytes), the header count
 * and each header (UTF-8 key, value as key and value); then a {@code 0} byte and the number of records,
 * so a truncated entry is told from a complete one. Written and read as streams: neither side holds
 * more than one record.
 */
final class BackupArchive {

    static final String MANIFEST = "manifest.properties";
    static final String SETTINGS = "settings/fieldstream.properties";
    static final String SECRETS = "settings/secrets.properties";
    static final String TOKENS = "settings/tokens.properties";

    private BackupArchive() {
    }

    static String recordsEntry(String topic, int partition) {
        return "topics/" + topic + "/" + partition + ".records";
    }

    /** One record of a partition as the broker held it. */
    record ArchivedRecord(long offset, long timestamp, TimestampType timestampType, byte[] key, byte[] value, Header[] headers) {
    }

    /** Writes an archive; entries one after the other. */
    static final class Writer implements Closeable {
        private final ZipOutputStream zip;

        Writer(Path file) throws IOException {
            zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        }

        void put(String entry, byte[] content) throws IOException {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content);
            zip.closeEntry();
        }

        /** Starts the records entry of a partition; write its records, then {@link RecordWriter#finish()}. */
        RecordWriter records(String topic, int partition) throws IOException {
            zip.putNextEntry(new ZipEntry(recordsEntry(topic, partition)));
            return new RecordWriter(zip);
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    static final class RecordWriter {
        private final ZipOutputStream zip;
        private final DataOutputStream out;
        private long count;

        private RecordWriter(ZipOutputStream zip) {
            this.zip = zip;
            this.out = new DataOutputStream(new BufferedOutputStream(new Unclosed(zip), 1 << 16));
        }

        void write(ArchivedRecord record) throws IOException {
            out.writeByte(1);
            out.writeLong(record.offset());
            out.writeLong(record.timestamp());
            out.writeByte(record.timestampType().id);
            bytes(record.key());
            bytes(record.value());
            Header[] headers = record.headers() == null ? new Header[0] : record.headers();
            out.writeInt(headers.length);
            for (Header header : headers) {
                bytes(header.key().getBytes(StandardCharsets.UTF_8));
                bytes(header.value());
            }
            count++;
        }

        /** Ends the entry with its record count; returns the count. */
        long finish() throws IOException {
            out.writeByte(0);
            out.writeLong(count);
            out.flush();
            zip.closeEntry();
            return count;
        }

        private void bytes(byte[] b) throws IOException {
            if (b == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(b.length);
                out.write(b);
            }
        }
    }

    /** Reads an archive in any order. */
    static final class Reader implements Closeable {
        private final Path file;
        private final ZipFile zip;

        Reader(Path file) throws IOException {
            this.file = file;
            this.zip = new ZipFile(file.toFile());
        }

        BackupManifest manifest() throws IOException {
            byte[] text = bytes(MANIFEST);
            if (text == null) {
                throw new IllegalArgumentException(file + " is not a FieldStream backup (no " + MANIFEST + "; an interrupted backup?)");
            }
            return BackupManifest.parse(new String(text, StandardCharsets.UTF_8));
        }

        /** The names of the entries starting with {@code prefix}, sorted. */
        List<String> entries(String prefix) {
            return zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith(prefix) && !n.endsWith("/")).sorted().toList();
        }

        /** An entry's content, null when the archive has none. */
        byte[] bytes(String entry) throws IOException {
            ZipEntry e = zip.getEntry(entry);
            if (e == null) {
                return null;
            }
            try (InputStream in = zip.getInputStream(e)) {
                return in.readAllBytes();
            }
        }

        /** Passes every record of a partition's entry in order; returns their number, checked against the entry's end. */
        long records(String topic, int partition, Consumer<ArchivedRecord> each) throws IOException {
            String name = recordsEntry(topic, partition);
            ZipEntry e = zip.getEntry(name);
            if (e == null) {
                throw new IllegalArgumentException(file + " has no entry " + name);
            }
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(zip.getInputStream(e), 1 << 16))) {
                long count = 0;
                while (true) {
                    int marker = in.readByte();
                    if (marker == 0) {
                        long written = in.readLong();
                        if (written != count) {
                            throw new IllegalArgumentException(name + " ends saying " + written + " records but holds " + count);
                        }
                        return count;
                    }
                    if (marker != 1) {
                        throw new IllegalArgumentException(name + ": record " + count + " starts with " + marker + ", not 1");
                    }
                    each.accept(read(in));
                    count++;
                }
            } catch (EOFException eof) {
                throw new IllegalArgumentException(name + " is truncated", eof);
            } catch (UncheckedIOException ex) {
                throw ex.getCause();
            }
        }

        private static ArchivedRecord read(DataInputStream in) throws IOException {
            long offset = in.readLong();
            long timestamp = in.readLong();
            TimestampType type = timestampType(in.readByte());
            byte[] key = bytes(in);
            byte[] value = bytes(in);
            Header[] headers = new Header[in.readInt()];
            for (int i = 0; i < headers.length; i++) {
                headers[i] = new RecordHeader(new String(bytes(in), StandardCharsets.UTF_8), bytes(in));
            }
            return new ArchivedRecord(offset, timestamp, type, key, value, headers);
        }

        private static TimestampType timestampType(int id) {
            for (TimestampType type : TimestampType.values()) {
                if (type.id == id) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown timestamp type " + id);
        }

        private static byte[] bytes(DataInputStream in) throws IOException {
            int length = in.readInt();
            if (length < 0) {
                return null;
            }
            byte[] b = new byte[length];
            in.readFully(b);
            return b;
        }

        @Override
        public void close() throws IOException {
            zip.close();
        }
    }

    /** The zip stream under a record writer's buffer: flushing reaches it, closing does not (the entry is closed instead). */
    private static final class Unclosed extends java.io.FilterOutputStream {
        Unclosed(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
        }
    }
}
