package org.fieldstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker (controller and broker in one process) run from the kafka_2.13
 * jars on the classpath, in a child JVM that dies with this one.
 */
public final class LocalKafka implements KafkaService {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final KafkaBrokerConfig config;
    private final Path workDir;
    private final ChildJvm broker;

    private LocalKafka(KafkaBrokerConfig config, Path workDir, ChildJvm broker) {
        this.config = config;
        this.workDir = workDir;
        this.broker = broker;
    }

    /** Formats a fresh log dir under {@code workDir}, starts the broker and returns once it answers. */
    public static LocalKafka start(Path workDir) {
        return start(workDir, Map.of());
    }

    /**
     * As {@link #start(Path)}, with broker properties replaced or added by {@code overrides}
     * (e.g. {@code num.partitions} for a benchmark).
     */
    public static LocalKafka start(Path workDir, Map<String, String> overrides) {
        long started = System.nanoTime();
        Path dir = createDirectories(workDir.toAbsolutePath());
        int[] ports = Ports.free(2);
        KafkaBrokerConfig config = new KafkaBrokerConfig(ports[0], ports[1], dir.resolve("kraft-logs"));
        Path properties = write(dir.resolve("server.properties"), config.render(overrides));
        Path log4j = write(dir.resolve("log4j2.properties"), KafkaBrokerConfig.log4j2(dir.resolve("broker.log")));
        format(dir, properties, log4j);
        ChildJvm broker = ChildJvm.start("kafka-broker", "kafka.Kafka", brokerJvmArgs(dir, log4j),
                List.of(properties.toString()), dir.resolve("broker-console.log"));
        LocalKafka kafka = new LocalKafka(config, dir, broker);
        try {
            kafka.awaitReady();
        } catch (RuntimeException e) {
            broker.kill();
            throw e;
        }
        LOG.info("Kafka broker at {} ready after {} ms (work dir {})", config.bootstrapServers(),
                (System.nanoTime() - started) / 1_000_000, dir);
        return kafka;
    }

    private static void format(Path dir, Path properties, Path log4j) {
        ChildJvm tool = ChildJvm.start("kafka-storage-format", "kafka.tools.StorageTool",
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                        "-Dlog4j2.configurationFile=" + log4j, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()),
                dir.resolve("format.log"));
        int exit = tool.waitFor(FORMAT_TIMEOUT);
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + exit + "\n"
                    + tool.logTail(40));
        }
    }

    private static List<String> brokerJvmArgs(Path dir, Path log4j) {
        return List.of("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
                "-Djava.awt.headless=true",
                "-Dkafka.logs.dir=" + dir,
                "-Dlog4j2.configurationFile=" + log4j,
                // when slf4j-simple is the binding on the test classpath, keep the console log short
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        awaitListening(deadline);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500))) {
            while (true) {
                if (!broker.isAlive()) {
                    throw notReady("the broker process exited");
                }
                if (answers(admin)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw notReady("the broker did not answer within " + START_TIMEOUT);
                }
            }
        }
    }

    /** Waits for the port first: an admin client polling a closed port logs a warning every few ms. */
    private void awaitListening(long deadline) {
        while (!listening()) {
            if (!broker.isAlive()) {
                throw notReady("the broker process exited");
            }
            if (System.nanoTime() > deadline) {
                throw notReady("the broker did not listen within " + START_TIMEOUT);
            }
            sleep(100);
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(Admin admin) {
        try {
            return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            sleep(200);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }

    private IllegalStateException notReady(String why) {
        return new IllegalStateException("Kafka broker at " + config.bootstrapServers() + " not ready: " + why + "\n"
                + LogTail.of(workDir.resolve("broker.log"), 30) + "\n" + broker.logTail(30));
    }

    @Override
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public Path workDir() {
        return workDir;
    }

    /** The broker's child JVM, e.g. to kill it in a crash test. */
    public ChildJvm process() {
        return broker;
    }

    @Override
    public void close() {
        broker.stop();
        LOG.info("Kafka broker at {} stopped", config.bootstrapServers());
    }

    static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LocalKafka[" + config.bootstrapServers() + "]";
    }
}
