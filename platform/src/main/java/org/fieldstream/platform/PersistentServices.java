package org.fieldstream.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka broker and a ClickHouse server for one machine's own data: each keeps its data in a
 * directory that is never wiped, listens on the ports it was given (chosen once and kept, so every
 * settings file stays valid), and runs as a {@link Daemon} that outlives the command starting it.
 * Starting one that runs already only checks that it answers.
 */
public final class PersistentServices {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private PersistentServices() {
    }

    /** A broker under {@code dir} (formatted the first time) on {@code port}; returns its bootstrap servers. */
    public static String kafka(Path dir, int port, int controllerPort, Path logDir, Path runDir) {
        Path work = LocalKafka.createDirectories(dir.toAbsolutePath());
        KafkaBrokerConfig config = new KafkaBrokerConfig(port, controllerPort, work.resolve("kraft-logs"));
        Daemon daemon = kafkaDaemon(runDir, work);
        if (!daemon.isAlive()) {
            Path properties = LocalKafka.write(work.resolve("server.properties"), config.render());
            Path log4j = LocalKafka.write(work.resolve("log4j2.properties"), KafkaBrokerConfig.log4j2(logDir.resolve("kafka.log")));
            if (!Files.exists(work.resolve("kraft-logs/meta.properties"))) {
                format(work, properties, log4j, logDir);
            }
            List<String> command = new ArrayList<>(List.of(Daemon.javaBinary(), kafkaMarker(work), "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                    "-Djava.awt.headless=true", "-Dkafka.logs.dir=" + work, "-Dlog4j2.configurationFile=" + log4j,
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                    "kafka.Kafka", properties.toString()));
            daemon.start(command, Map.of(), work, logDir.resolve("kafka-console.log"));
        }
        awaitKafka(config.bootstrapServers(), daemon, logDir);
        return config.bootstrapServers();
    }

    static Daemon kafkaDaemon(Path runDir, Path work) {
        return new Daemon("kafka", runDir.resolve("kafka.pid"), kafkaMarker(work));
    }

    /** First argument of the broker's command line (the OS may cut long command lines short). */
    private static String kafkaMarker(Path work) {
        return "-Dfieldstream.daemon=kafka@" + work;
    }

    /** Stops the broker of {@code dir} if it runs; true when it did. */
    public static boolean stopKafka(Path dir, Path runDir) {
        return kafkaDaemon(runDir, dir.toAbsolutePath()).stop(Duration.ofSeconds(60));
    }

    public static boolean kafkaRunning(Path dir, Path runDir) {
        return kafkaDaemon(runDir, dir.toAbsolutePath()).isAlive();
    }

    /** The broker of {@code dir}, when it runs. */
    public static Optional<ProcessHandle> kafkaProcess(Path dir, Path runDir) {
        return kafkaDaemon(runDir, dir.toAbsolutePath()).process();
    }

    private static void format(Path work, Path properties, Path log4j, Path logDir) {
        ChildJvm tool = ChildJvm.start("kafka-storage-format", "kafka.tools.StorageTool",
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4j),
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()),
                logDir.resolve("kafka-format.log"));
        int exit = tool.waitFor(Duration.ofSeconds(90));
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + exit + "\n" + tool.logTail(40));
        }
    }

    private static void awaitKafka(String bootstrap, Daemon daemon, Path logDir) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500))) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for Kafka", e);
                }
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka at " + bootstrap + " did not start\n"
                            + LogTail.of(logDir.resolve("kafka.log"), 30) + "\n" + LogTail.of(logDir.resolve("kafka-console.log"), 20));
                }
            }
        }
    }

    /** A ClickHouse server with its data under {@code dir} on the given ports; returns its HTTP URL. */
    public static String clickHouse(Path dir, int httpPort, int tcpPort, Path runDir) {
        Path work = LocalKafka.createDirectories(dir.toAbsolutePath());
        ClickHouseConfig config = new ClickHouseConfig(work, httpPort, tcpPort);
        Daemon daemon = clickHouseDaemon(runDir, config);
        if (!daemon.isAlive()) {
            for (String sub : ClickHouseConfig.DIRECTORIES) {
                LocalKafka.createDirectories(work.resolve(sub));
            }
            LocalKafka.write(config.configFile(), config.configXml());
            LocalKafka.write(config.usersFile(), ClickHouseConfig.usersXml());
            List<String> command = new ArrayList<>(ClickHouseBinary.locate().serverCommand());
            command.add("--config-file=" + config.configFile());
            daemon.start(command, Map.of(), work, config.consoleLogFile());
        }
        ClickHouseHttp http = new ClickHouseHttp("http://127.0.0.1:" + httpPort);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!http.ping()) {
            if (!daemon.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("ClickHouse on port " + httpPort + " did not start\n"
                        + LogTail.of(config.errorLogFile(), 30) + "\n" + LogTail.of(config.consoleLogFile(), 20));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for ClickHouse", e);
            }
        }
        return "http://127.0.0.1:" + httpPort;
    }

    static Daemon clickHouseDaemon(Path runDir, ClickHouseConfig config) {
        return new Daemon("clickhouse", runDir.resolve("clickhouse.pid"), config.configFile().toString());
    }

    public static boolean stopClickHouse(Path dir, Path runDir) {
        return clickHouseDaemon(runDir, new ClickHouseConfig(dir.toAbsolutePath(), 0, 0)).stop(Duration.ofSeconds(60));
    }

    public static boolean clickHouseRunning(Path dir, Path runDir) {
        return clickHouseDaemon(runDir, new ClickHouseConfig(dir.toAbsolutePath(), 0, 0)).isAlive();
    }

    /** The ClickHouse server of {@code dir}, when it runs. */
    public static Optional<ProcessHandle> clickHouseProcess(Path dir, Path runDir) {
        return clickHouseDaemon(runDir, new ClickHouseConfig(dir.toAbsolutePath(), 0, 0)).process();
    }
}
