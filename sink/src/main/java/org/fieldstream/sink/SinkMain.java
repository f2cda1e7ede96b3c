package org.fieldstream.sink;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.clickhouse.ClickHouseSql;
import org.fieldstream.events.ConfigOption;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.StageCommand;
import org.fieldstream.events.StageExit;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.schema.Migrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the sink: {@code SinkMain [--config FILE]}. Applies migrations, then loops until the JVM is
 * asked to stop; a named shutdown hook stops the loop and waits for it to close. A loop that dies
 * ends the process with {@link StageExit#SINK_LOOP_DIED}.
 */
@Command(name = "sink", mixinStandardHelpOptions = true,
        description = "Events, metrics, reference data and dead letters into ClickHouse; applies migrations at start.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped on request", "1:could not start (settings, Kafka, migrations)",
            "3:the loop died on an exception: nothing is written any more", "5:an exception nobody caught ended a thread"})
public final class SinkMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(SinkMain.class);

    @Mixin
    private ConfigOption config = new ConfigOption();

    public static void main(String[] args) {
        StageCommand.exit(exec(args));
    }

    /** Runs the sink with {@code [--config FILE]}; returns the exit code (see {@link #run(SinkSettings)}). */
    public static int exec(String[] args) {
        return StageCommand.execute(new SinkMain(), args);
    }

    @Override
    public Integer call() throws Exception {
        return run(SinkSettings.load(config.file(), System.getenv()));
    }

    /**
     * Runs the sink until the JVM is asked to stop (then returns 0) or its loop dies (then returns
     * {@link StageExit#SINK_LOOP_DIED}: a sink that writes nothing must not look alive).
     */
    public static int run(SinkSettings settings) throws Exception {
        return run(settings, UnaryOperator.identity());
    }

    static int run(SinkSettings settings, UnaryOperator<TableWriter> writers) throws Exception {
        StageExit.exitOnUncaughtException();
        Running sink = start(settings, writers);
        Runtime.getRuntime().addShutdownHook(new Thread(sink::close, "fieldstream-sink-shutdown"));
        sink.await();
        if (sink.failure() != null) {
            LOG.error("sink exiting with code {}: its loop died on {}", StageExit.SINK_LOOP_DIED, sink.failure().toString());
            return StageExit.SINK_LOOP_DIED;
        }
        return 0;
    }

    /**
     * Migrates the schema, then runs the loop on its own thread; {@link Running#close()} stops it
     * after the batch in hand and waits for it. Used by {@link #run} and by in-process pipelines.
     */
    public static Running start(SinkSettings settings) throws Exception {
        return start(settings, UnaryOperator.identity());
    }

    private static Running start(SinkSettings settings, UnaryOperator<TableWriter> writers) throws Exception {
        LOG.info("sink starting: {}", settings);
        Topics topics = new Topics(settings.topicPrefix());
        String deadLetterTopic = topics.deadLetters.name();
        try (ClickHouseGateway gateway = new ClickHouseGateway(settings.clickHouseUrl(), settings.clickHouseUser(),
                settings.clickHousePassword())) {
            List<Integer> applied = migrateWhenReachable(gateway, settings);
            LOG.info("schema of {} up to date, migrations applied now: {}", settings.database(), applied);
        }
        ensureTopics(settings, topics);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(settings));
        KafkaDeadLetters deadLetters = new KafkaDeadLetters(new KafkaProducer<>(producerConfig(settings)), deadLetterTopic);
        TableWriter writer = writers.apply(new ClickHouseTableWriter(
                new ClickHouseGateway(settings.clickHouseUrl(), settings.clickHouseUser(), settings.clickHousePassword()),
                settings.database()));
        ExecutorService writeStage = SinkLoop.writeThread(settings.groupId());
        SinkLoop loop = new SinkLoop(consumer, writer, deadLetters, TableMappings.of(topics), settings.groupId(),
                settings.loopOptions(), System::currentTimeMillis, writeStage);
        registerMBean(loop.stats(), settings.groupId());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                loop.run();
            } catch (Throwable e) {
                // any exception ends the loop for good: recorded, so that the process exits non-zero
                failure.set(e);
                LOG.error("sink loop died: {}", e.toString(), e);
            } finally {
                closeQuietly("the consumer", () -> consumer.close(Duration.ofSeconds(10)));
                writeStage.shutdown();
                closeQuietly("the dead-letter producer", deadLetters);
                closeQuietly("the writer", writer);
            }
        }, "fieldstream-sink");
        thread.start();
        return new Running(loop, thread, failure);
    }

    /** A sink loop running on its own thread. */
    public static final class Running implements AutoCloseable {

        private final SinkLoop loop;
        private final Thread thread;
        private final AtomicReference<Throwable> failure;

        private Running(SinkLoop loop, Thread thread, AtomicReference<Throwable> failure) {
            this.loop = loop;
            this.thread = thread;
            this.failure = failure;
        }

        /** What ended the loop when it died, null while it runs or after a requested stop. */
        public Throwable failure() {
            return failure.get();
        }

        public SinkStats stats() {
            return loop.stats();
        }

        void await() throws InterruptedException {
            thread.join();
        }

        @Override
        public void close() {
            loop.stop();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(String what, AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", what, e.toString());
        }
    }

    /** Waits for ClickHouse at start (it may come up after the sink), then migrates. */
    private static List<Integer> migrateWhenReachable(ClickHouseGateway gateway, SinkSettings settings)
            throws InterruptedException {
        long delay = 100;
        while (!gateway.ping()) {
            LOG.warn("ClickHouse at {} not reachable, retrying in {} ms", settings.clickHouseUrl(), delay);
            Thread.sleep(delay);
            delay = Math.min(settings.backoffMaxMillis(), delay * 2);
        }
        return migrate(gateway, settings.database());
    }

    /** Attempts at migrating before the start fails: another sink may be migrating the same database. */
    static final int MIGRATION_ATTEMPTS = 5;

    /**
     * Applies the migrations; a failure is retried after a random pause of 1–3 s, up to
     * {@value #MIGRATION_ATTEMPTS} attempts. Sinks started together migrate the same database at the
     * same time, and one's drop-and-create of a view can fail the other's statement; the statements
     * are idempotent and applied versions are skipped, so a later attempt completes.
     */
    static List<Integer> migrate(ClickHouseSql sql, String database) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return Migrations.apply(sql, database);
            } catch (RuntimeException e) {
                if (attempt == MIGRATION_ATTEMPTS) {
                    throw e;
                }
                long pause = 1000 + java.util.concurrent.ThreadLocalRandom.current().nextLong(2000);
                LOG.warn("migration attempt {} of {} failed (another sink may be migrating {} at the same time); "
                        + "retrying in {} ms: {}", attempt, MIGRATION_ATTEMPTS, database, pause, e.getMessage());
                Thread.sleep(pause);
            }
        }
    }

    public static Properties consumerConfig(SinkSettings settings) {
        Properties p = KafkaAccess.properties(settings.kafkaClients());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // metric topics are written in Kafka Streams transactions: never read aborted upserts
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(settings.sessionTimeoutMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(500, settings.sessionTimeoutMillis() / 5)));
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.min(settings.batchRows(), 5000)));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    public static Properties producerConfig(SinkSettings settings) {
        Properties p = KafkaAccess.properties(settings.kafkaClients());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Creates the pipeline's topics when this stage starts first (see {@link TopicSetup#ensureAll}). */
    private static void ensureTopics(SinkSettings settings, Topics topics) {
        try (Admin admin = Admin.create(settings.kafkaClients())) {
            TopicSetup.ensureAll(admin, topics, settings.topicLayout());
        }
    }

    private static void registerMBean(SinkStats stats, String group) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(stats,
                    new ObjectName("org.fieldstream:type=Sink,name=" + ObjectName.quote(group)));
        } catch (Exception e) {
            LOG.warn("sink statistics not registered over JMX: {}", e.getMessage());
        }
    }
}
