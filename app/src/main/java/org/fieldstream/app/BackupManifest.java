package org.fieldstream.app;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a backup archive holds: the format version, when the backup started, the topic prefix, and
 * per topic (named without the prefix) its partition count, the configs set on it, and per partition
 * the offsets read ({@code start.offset} up to, not including, {@code end.offset}: the last stable
 * offset at the start of the backup) and the number of records archived. Stored as a properties file,
 * one key a line, sorted:
 *
 * <pre>
 * format.version=1
 * created.at=2026-12-01T10:00:00Z
 * topic.prefix=
 * topics=events,rejected,...
 * topic.events.partitions=3
 * topic.events.config.retention.ms=-1
 * topic.events.partition.0.start.offset=0
 * topic.events.partition.0.end.offset=1234
 * topic.events.partition.0.records=1200
 * </pre>
 */
record BackupManifest(int formatVersion, Instant createdAt, String topicPrefix, List<TopicEntry> topics) {

    static final int FORMAT_VERSION = 1;

    record TopicEntry(String name, Map<String, String> configs, List<PartitionEntry> partitions) {
        long records() {
            return partitions.stream().mapToLong(PartitionEntry::records).sum();
        }
    }

    record PartitionEntry(int partition, long startOffset, long endOffset, long records) {
    }

    long records() {
        return topics.stream().mapToLong(TopicEntry::records).sum();
    }

    String render() {
        Map<String, String> lines = new TreeMap<>();
        lines.put("format.version", Integer.toString(formatVersion));
        lines.put("created.at", createdAt.toString());
        lines.put("topic.prefix", topicPrefix);
        lines.put("topics", String.join(",", topics.stream().map(TopicEntry::name).toList()));
        for (TopicEntry topic : topics) {
            String t = "topic." + topic.name() + ".";
            lines.put(t + "partitions", Integer.toString(topic.partitions().size()));
            topic.configs().forEach((key, value) -> lines.put(t + "config." + key, value));
            for (PartitionEntry p : topic.partitions()) {
                String pk = t + "partition." + p.partition() + ".";
                lines.put(pk + "start.offset", Long.toString(p.startOffset()));
                lines.put(pk + "end.offset", Long.toString(p.endOffset()));
                lines.put(pk + "records", Long.toString(p.records()));
            }
        }
        StringBuilder out = new StringBuilder("# FieldStream backup manifest\n");
        lines.forEach((key, value) -> out.append(escape(key, true)).append('=').append(escape(value, false)).append('\n'));
        return out.toString();
    }

    static BackupManifest parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int version = Integer.parseInt(required(p, "format.version"));
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("archive format version " + version + " is not supported (this version reads "
                    + FORMAT_VERSION + ")");
        }
        List<TopicEntry> topics = new ArrayList<>();
        String names = required(p, "topics");
        for (String name : names.isEmpty() ? List.<String>of() : Arrays.asList(names.split(","))) {
            String t = "topic." + name + ".";
            Map<String, String> configs = new TreeMap<>();
            p.stringPropertyNames().stream().filter(k -> k.startsWith(t + "config."))
                    .forEach(k -> configs.put(k.substring((t + "config.").length()), p.getProperty(k)));
            int partitions = Integer.parseInt(required(p, t + "partitions"));
            List<PartitionEntry> entries = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                String pk = t + "partition." + i + ".";
                entries.add(new PartitionEntry(i, Long.parseLong(required(p, pk + "start.offset")),
                        Long.parseLong(required(p, pk + "end.offset")), Long.parseLong(required(p, pk + "records"))));
            }
            topics.add(new TopicEntry(name, Map.copyOf(configs), List.copyOf(entries)));
        }
        return new BackupManifest(version, Instant.parse(required(p, "created.at")), p.getProperty("topic.prefix", ""), List.copyOf(topics));
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("the archive's manifest has no " + key);
        }
        return value;
    }

    /** Properties-file escaping: backslash, line breaks, non-ASCII; in keys also '=', ':' and spaces. */
    private static String escape(String s, boolean key) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if ((key || i == 0) && (c == ' ' || c == '=' || c == ':' || c == '#' || c == '!')) {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
