package org.fieldstream.platform;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * One Kafka broker and one ClickHouse server per JVM for integration tests, each started on first
 * use and stopped when the JVM exits. {@code FIELDSTREAM_SERVICES} (system property or environment)
 * chooses local processes, Docker containers, or Docker when it answers (the default).
 */
public final class TestServices {

    private static final Logger LOG = LoggerFactory.getLogger(TestServices.class);
    private static final Object KAFKA_LOCK = new Object();
    private static final Object CLICKHOUSE_LOCK = new Object();
    private static ServiceMode mode;
    private static KafkaService kafka;
    private static ClickHouseService clickHouse;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestServices::closeAll, "test-services-stop"));
    }

    private TestServices() {
    }

    public static KafkaService kafka() {
        synchronized (KAFKA_LOCK) {
            if (kafka == null) {
                kafka = mode() == ServiceMode.DOCKER
                        ? KafkaContainerService.launch()
                        : LocalKafka.start(workDir().resolve("kafka"));
            }
            return kafka;
        }
    }

    public static ClickHouseService clickHouse() {
        synchronized (CLICKHOUSE_LOCK) {
            if (clickHouse == null) {
                clickHouse = mode() == ServiceMode.DOCKER
                        ? ClickHouseContainerService.launch()
                        : LocalClickHouse.start(workDir().resolve("clickhouse"));
            }
            return clickHouse;
        }
    }

    /** {@code <user.dir>/target/services-<pid>}: under Maven, user.dir is the module being tested. */
    public static Path workDir() {
        return Path.of(System.getProperty("user.dir"), "target", "services-" + ProcessHandle.current().pid());
    }

    private static synchronized ServiceMode mode() {
        if (mode == null) {
            mode = ServiceMode.configured().resolve(TestServices::dockerAnswers);
            LOG.info("test services: {} (set {}=local|docker|auto to choose)", mode, ServiceMode.KEY);
        }
        return mode;
    }

    /** Asks Testcontainers only when some Docker endpoint is configured; it logs errors when there is none. */
    private static boolean dockerAnswers() {
        return DockerHints.present(System.getenv(), Path.of(System.getProperty("user.home")))
                && DockerClientFactory.instance().isDockerAvailable();
    }

    private static void closeAll() {
        synchronized (KAFKA_LOCK) {
            if (kafka != null) {
                kafka.close();
            }
        }
        synchronized (CLICKHOUSE_LOCK) {
            if (clickHouse != null) {
                clickHouse.close();
            }
        }
    }
}
