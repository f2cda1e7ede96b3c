package org.fieldstream.app;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fieldstream.events.TopicSetup;

/**
 * {@code fieldstream restore}: a {@link BackupArchive} into an empty stack folder. Writes the settings
 * (fresh free ports: the archived ones may be taken on this machine; the stack's own files relative to
 * the folder), the secrets and tokens files and the readers' accounts ({@link AccountFiles}; owner only), starts the stack's Kafka, creates the
 * archived topics with their partition counts and configs, produces every record to its partition
 * with its key, headers and timestamp, checks the counts, and stops Kafka. The next {@code up} finds
 * reference data and secrets in place (loads and generates none), rebuilds streams state and
 * ClickHouse from the log and re-creates the analysts' scopes.
 */
final class StackRestore {

    private StackRestore() {
    }

    static BackupManifest restore(LocalStack stack, Path file, PrintStream out) throws IOException {
        if (!stack.empty()) {
            throw new IllegalStateException(stack.root() + " is not empty: restore fills an empty folder only "
                    + "(move the old one away, or restore with --data NEW_DIR)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no archive " + file);
        }
        try (BackupArchive.Reader archive = new BackupArchive.Reader(file)) {
            BackupManifest manifest = archive.manifest();
            writeFiles(stack, archive);
            Properties settings = stack.settings();
            if (!manifest.topicPrefix().equals(settings.getProperty("topic.prefix", ""))) {
                throw new IllegalArgumentException("the archive's topics have prefix '" + manifest.topicPrefix()
                        + "' but its settings name '" + settings.getProperty("topic.prefix", "") + "'");
            }
            out.println("starting Kafka ...");
            stack.startKafka(settings);
        Map<String, Object> kafka = stack.kafkaClients();
            try {
                createTopics(kafka, manifest);
                produce(kafka, manifest, archive, out);
                verify(kafka, manifest);
            } finally {
                stack.stopKafka();
            }
            return manifest;
        }
    }

    private static void writeFiles(LocalStack stack, BackupArchive.Reader archive) throws IOException {
        byte[] settingsBytes = archive.bytes(BackupArchive.SETTINGS);
        if (settingsBytes == null) {
            throw new IllegalArgumentException("the archive has no " + BackupArchive.SETTINGS);
        }
        Properties settings = new Properties();
        settings.load(new ByteArrayInputStream(settingsBytes));
        LocalStack.choosePorts(settings);
        LocalStack.useOwnFiles(settings);
        Files.createDirectories(stack.root());
        writeOwnerOnly(stack.root().resolve(LocalStack.SECRETS), archive.bytes(BackupArchive.SECRETS));
        writeOwnerOnly(stack.root().resolve(LocalStack.TOKENS), archive.bytes(BackupArchive.TOKENS));
        for (String entry : archive.entries(AccountFiles.PREFIX)) {
            AccountFiles.restore(stack.root(), entry.substring(AccountFiles.PREFIX.length()), archive.bytes(entry));
        }
        stack.writeSettings(settings);
    }

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, content == null ? new byte[0] : content);
    }

    private static void createTopics(Map<String, Object> kafka, BackupManifest manifest) {
        try (Admin admin = Admin.create(kafka)) {
            TopicSetup.Layout layout = TopicSetup.Layout.forCluster(admin, Map.of());
            List<NewTopic> wanted = new ArrayList<>();
            for (BackupManifest.TopicEntry topic : manifest.topics()) {
                wanted.add(new NewTopic(manifest.topicPrefix() + topic.name(), topic.partitions().size(), layout.replication())
                        .configs(configs(topic.configs(), layout)));
            }
            admin.createTopics(wanted).all().get();
            TopicSetup.awaitLeaders(admin, wanted.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the archived topics: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The archived configs, fitted to this cluster ({@code min.insync.replicas} at most its replication);
     * a topic that is not compacted keeps every record unless the archive says otherwise: the restored
     * records carry their original timestamps, and a broker's default retention would delete the older ones.
     */
    static Map<String, String> configs(Map<String, String> archived, TopicSetup.Layout layout) {
        Map<String, String> configs = new HashMap<>(archived);
        configs.computeIfPresent(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                (k, v) -> Integer.toString(Math.min(Integer.parseInt(v), layout.replication())));
        if (!configs.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, "delete").contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            configs.putIfAbsent(TopicConfig.RETENTION_MS_CONFIG, "-1");
        }
        return configs;
    }

    private static void produce(Map<String, Object> kafka, BackupManifest manifest, BackupArchive.Reader archive, PrintStream out)
            throws IOException {
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (BackupManifest.TopicEntry topic : manifest.topics()) {
                String name = manifest.topicPrefix() + topic.name();
                for (BackupManifest.PartitionEntry partition : topic.partitions()) {
                    long read = archive.records(topic.name(), partition.partition(), r -> {
                        if (failure.get() != null) {
                            throw new IllegalStateException("restoring " + name + " failed: " + failure.get(), failure.get());
                        }
                        Long timestamp = r.timestampType() == TimestampType.NO_TIMESTAMP_TYPE ? null : r.timestamp();
                        producer.send(new ProducerRecord<>(name, partition.partition(), timestamp, r.key(), r.value(),
                                List.of(r.headers())), (metadata, error) -> {
                                    if (error != null) {
                                        failure.compareAndSet(null, error);
                                    }
                                });
                    });
                    if (read != partition.records()) {
                        throw new IllegalArgumentException(BackupArchive.recordsEntry(topic.name(), partition.partition()) + " holds "
                                + read + " records, the manifest says " + partition.records());
                    }
                }
                producer.flush();
                if (failure.get() != null) {
                    throw new IllegalStateException("restoring " + name + " failed: " + failure.get(), failure.get());
                }
                out.printf("  %-40s %d partitions, %,d records%n", name, topic.partitions().size(), topic.records());
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(Map<String, Object> kafka) {
        Map<String, Object> p = new HashMap<>();
        p.putAll(kafka);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "fieldstream-restore");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Every partition holds exactly the archived number of records (a fresh topic without transactions: end minus start offset). */
    private static void verify(Map<String, Object> kafka, BackupManifest manifest) {
        Map<String, Object> p = new HashMap<>();
        p.putAll(kafka);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> wrong = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (BackupManifest.TopicEntry topic : manifest.topics()) {
                for (BackupManifest.PartitionEntry partition : topic.partitions()) {
                    TopicPartition tp = new TopicPartition(manifest.topicPrefix() + topic.name(), partition.partition());
                    long held = consumer.endOffsets(List.of(tp)).get(tp) - consumer.beginningOffsets(List.of(tp)).get(tp);
                    if (held != partition.records()) {
                        wrong.add(tp + ": " + held + " records, archived " + partition.records());
                    }
                }
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("the restored topics do not hold the archived records: " + wrong);
        }
    }
}
