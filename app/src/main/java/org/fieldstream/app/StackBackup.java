package org.fieldstream.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fieldstream.events.Topics;

/**
 * {@code fieldstream backup}: everything of a local stack that cannot be rebuilt, in one
 * {@link BackupArchive}: every record of the log topics (events, rejected, dead letters), the
 * reference topics and the secret fingerprints ({@link Topics#originals()}) with their partition
 * counts and configs, the settings, secrets and tokens files, and the readers' accounts
 * ({@link AccountFiles}: analysts' account files, viewers' files). Metric topics, the streams' internal topics, streams state and ClickHouse are rebuilt from
 * the log by the next {@code up} after a restore.
 *
 * <p>Consistent as of its start: the last stable offset of every partition is taken first, then each
 * partition is read (read_committed) up to it, while the stack keeps running. Records are streamed
 * into the archive, written to a temporary file next to the target and renamed once complete.
 */
final class StackBackup {

    /** A partition that makes no progress for this long fails the backup. */
    private static final Duration STALL = Duration.ofSeconds(60);

    private StackBackup() {
    }

    /** Topics the backup holds, by name without the prefix, in archive order. */
    static List<String> topicNames(Topics topics) {
        return topics.originals().stream().map(n -> n.substring(topics.prefix().length())).toList();
    }

    static BackupManifest backup(LocalStack stack, Path file, PrintStream out) throws IOException {
        if (!stack.initialised()) {
            throw new IllegalStateException("no local stack in " + stack.root() + " (nothing to back up)");
        }
        if (Files.exists(file)) {
            throw new IllegalStateException(file + " exists: choose another file name (a backup never overwrites one)");
        }
        Properties settings = stack.settings();
        boolean started = false;
        if (!stack.kafkaRunning()) {
            out.println("Kafka of " + stack.root() + " is not running: starting it for the backup ...");
            started = true;
        }
        stack.startKafka(settings);
        Map<String, Object> kafka = stack.kafkaClients();
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
        try {
            BackupManifest manifest;
            try (BackupArchive.Writer archive = new BackupArchive.Writer(temp)) {
                manifest = write(archive, kafka, new Topics(settings.getProperty("topic.prefix", "")), out);
                archive.put(BackupArchive.SETTINGS, settingsFile(stack));
                archive.put(BackupArchive.SECRETS, readOrEmpty(Path.of(settings.getProperty("secrets.file"))));
                archive.put(BackupArchive.TOKENS, readOrEmpty(Path.of(settings.getProperty("http.tokens.file"))));
                List<String> accounts = AccountFiles.of(stack.root());
                for (String account : accounts) {
                    archive.put(AccountFiles.PREFIX + account, readOrEmpty(stack.root().resolve(account)));
                }
                out.println("  readers' accounts: " + accounts.size() + " files");
                archive.put(BackupArchive.MANIFEST, manifest.render().getBytes(StandardCharsets.UTF_8));
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } finally {
            Files.deleteIfExists(temp);
            if (started) {
                stack.stopKafka();
            }
        }
    }

    private static BackupManifest write(BackupArchive.Writer archive, Map<String, Object> kafka, Topics topics, PrintStream out) throws IOException {
        Instant createdAt = Instant.now();
        List<String> names = topicNames(topics).stream().map(n -> topics.prefix() + n).toList();
        Map<String, Integer> partitions = new TreeMap<>();
        Map<String, Map<String, String>> configs = new HashMap<>();
        describe(kafka, names, partitions, configs);
        List<TopicPartition> all = new ArrayList<>();
        partitions.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                all.add(new TopicPartition(topic, p));
            }
        });
        List<BackupManifest.TopicEntry> entries = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            Map<TopicPartition, Long> end = consumer.endOffsets(all);
            Map<TopicPartition, Long> start = consumer.beginningOffsets(all);
            for (String topic : names) {
                if (!partitions.containsKey(topic)) {
                    out.println("  " + topic + ": no such topic, skipped");
                    continue;
                }
                String local = topic.substring(topics.prefix().length());
                List<BackupManifest.PartitionEntry> written = new ArrayList<>();
                for (int p = 0; p < partitions.get(topic); p++) {
                    TopicPartition tp = new TopicPartition(topic, p);
                    BackupArchive.RecordWriter records = archive.records(local, p);
                    copy(consumer, tp, start.get(tp), end.get(tp), records);
                    written.add(new BackupManifest.PartitionEntry(p, start.get(tp), end.get(tp), records.finish()));
                }
                BackupManifest.TopicEntry entry = new BackupManifest.TopicEntry(local, configs.get(topic), List.copyOf(written));
                out.printf("  %-40s %d partitions, %,d records%n", topic, written.size(), entry.records());
                entries.add(entry);
            }
        }
        return new BackupManifest(BackupManifest.FORMAT_VERSION, createdAt, topics.prefix(), List.copyOf(entries));
    }

    /** Copies a partition's committed records from {@code start} up to {@code end} (exclusive), in offset order. */
    private static void copy(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long start, long end,
                             BackupArchive.RecordWriter records) throws IOException {
        consumer.assign(List.of(tp));
        consumer.seek(tp, start);
        long position = start;
        long progressAt = System.nanoTime();
        while (position < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() < end) {
                    records.write(new BackupArchive.ArchivedRecord(r.offset(), r.timestamp(), r.timestampType(), r.key(), r.value(),
                            r.headers().toArray()));
                }
            }
            long now = consumer.position(tp);
            if (now > position) {
                position = now;
                progressAt = System.nanoTime();
            } else if (System.nanoTime() - progressAt > STALL.toNanos()) {
                throw new IllegalStateException("reading " + tp + " made no progress for " + STALL.toSeconds() + " s at offset "
                        + position + " of " + end);
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> kafka) {
        Map<String, Object> p = new HashMap<>();
        p.putAll(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "fieldstream-backup");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Partition counts and the configs set on each topic (not the broker's defaults) of the topics that exist. */
    private static void describe(Map<String, Object> kafka, Collection<String> names, Map<String, Integer> partitions,
                                 Map<String, Map<String, String>> configs) {
        try (Admin admin = Admin.create(kafka)) {
            Set<String> existing = admin.listTopics().names().get();
            List<String> present = names.stream().filter(existing::contains).toList();
            Map<String, TopicDescription> described = admin.describeTopics(present).allTopicNames().get();
            described.forEach((name, d) -> partitions.put(name, d.partitions().size()));
            List<ConfigResource> resources = present.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> all = admin.describeConfigs(resources).all().get();
            all.forEach((resource, config) -> {
                Map<String, String> set = new TreeMap<>();
                for (ConfigEntry entry : config.entries()) {
                    if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && entry.value() != null) {
                        set.put(entry.name(), entry.value());
                    }
                }
                configs.put(resource.name(), Map.copyOf(set));
            });
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe the topics to back up: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The stack's settings file as archived: its own files named relative to the folder (so the archive restores anywhere). */
    private static byte[] settingsFile(LocalStack stack) throws IOException {
        Properties raw = new Properties();
        try (InputStream in = Files.newInputStream(stack.settingsFile())) {
            raw.load(in);
        }
        LocalStack.useOwnFiles(raw);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        raw.store(bytes, "FieldStream local stack settings (from a backup); relative paths are relative to this file's folder");
        return bytes.toByteArray();
    }

    private static byte[] readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
