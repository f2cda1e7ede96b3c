package org.fieldstream.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.AuthenticationException;

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

    /**
     * A broker under {@code dir} (formatted the first time) on {@code port} whose clients authenticate
     * with SCRAM-SHA-256: {@code broker} between brokers, {@code client} for the stages. A new data
     * directory is formatted with both users; one whose users are not these (formatted without any, or
     * with other passwords) is started once with a PLAINTEXT listener, given the users, stopped and
     * started with SASL. Returns its bootstrap servers.
     */
    public static String kafka(Path dir, int port, int controllerPort, Path logDir, Path runDir, ScramUser broker, ScramUser client) {
        Path work = LocalKafka.createDirectories(dir.toAbsolutePath());
        KafkaBrokerConfig config = new KafkaBrokerConfig(port, controllerPort, work.resolve("kraft-logs"), broker);
        Daemon daemon = kafkaDaemon(runDir, work);
        Path usersFile = work.resolve(SCRAM_USERS);
        String users = usersFingerprint(broker, client);
        boolean usersCurrent = Files.exists(usersFile) && users.equals(read(usersFile));
        if (daemon.isAlive() && !usersCurrent) {
            daemon.stop(Duration.ofSeconds(60));
        }
        if (!daemon.isAlive()) {
            Path log4j = LocalKafka.write(work.resolve("log4j2.properties"), KafkaBrokerConfig.log4j2(logDir.resolve("kafka.log")));
            Path properties = work.resolve("server.properties");
            if (!Files.exists(work.resolve("kraft-logs/meta.properties"))) {
                writePrivate(properties, config.render());
                format(work, properties, log4j, logDir, List.of(broker, client));
                LocalKafka.write(usersFile, users);
            } else if (!usersCurrent) {
                writePrivate(properties, config.plaintext().render());
                startKafka(daemon, work, properties, log4j, logDir);
                Map<String, Object> plain = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
                awaitKafka(plain, daemon, logDir);
                addScramUsers(plain, List.of(broker, client));
                daemon.stop(Duration.ofSeconds(60));
                LocalKafka.write(usersFile, users);
            }
            writePrivate(properties, config.render());
            startKafka(daemon, work, properties, log4j, logDir);
        }
        Map<String, Object> clientConfig = new HashMap<>(client.clientSettings());
        clientConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        awaitKafka(clientConfig, daemon, logDir);
        return config.bootstrapServers();
    }

    /** Records which SCRAM users the broker of a data directory has (a digest, never the passwords). */
    private static final String SCRAM_USERS = "scram-users.sha256";

    private static void startKafka(Daemon daemon, Path work, Path properties, Path log4j, Path logDir) {
        List<String> command = new ArrayList<>(List.of(Daemon.javaBinary(), kafkaMarker(work), "-Xms128m", "-Xmx512m", "-XX:+UseG1GC",
                "-Djava.awt.headless=true", "-Dkafka.logs.dir=" + work, "-Dlog4j2.configurationFile=" + log4j,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                "kafka.Kafka", properties.toString()));
        daemon.start(command, Map.of(), work, logDir.resolve("kafka-console.log"));
    }

    private static void addScramUsers(Map<String, Object> plain, List<ScramUser> users) {
        try (Admin admin = Admin.create(plain)) {
            List<UserScramCredentialAlteration> alterations = new ArrayList<>();
            for (ScramUser user : users) {
                alterations.add(new UserScramCredentialUpsertion(user.name(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), user.password()));
            }
            admin.alterUserScramCredentials(alterations).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot add the SCRAM users to the Kafka broker: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted adding SCRAM users", e);
        }
    }

    static String usersFingerprint(ScramUser... users) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ScramUser user : users) {
                digest.update((user.name() + ":" + user.password() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes a file only its owner reads (it may hold a password). */
    private static Path writePrivate(Path file, String text) {
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
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

    private static void format(Path work, Path properties, Path log4j, Path logDir, List<ScramUser> users) {
        List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()));
        for (ScramUser user : users) {
            args.addAll(List.of("--add-scram", ScramUser.MECHANISM + "=[name=" + user.name() + ",password=" + user.password() + "]"));
        }
        ChildJvm tool = ChildJvm.start("kafka-storage-format", "kafka.tools.StorageTool",
                List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4j),
                args, logDir.resolve("kafka-format.log"));
        int exit = tool.waitFor(Duration.ofSeconds(90));
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed with exit code " + exit + "\n" + tool.logTail(40));
        }
    }

    private static void awaitKafka(Map<String, Object> clients, Daemon daemon, Path logDir) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Object bootstrap = clients.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        Map<String, Object> config = new HashMap<>(clients);
        config.putAll(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500));
        try (Admin admin = Admin.create(config)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AuthenticationException) {
                        throw new IllegalStateException("Kafka at " + bootstrap + " refused the stack's credentials: "
                                + e.getCause().getClass().getSimpleName(), e.getCause());
                    }
                    // not up yet
                } catch (TimeoutException e) {
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

    /**
     * A ClickHouse server with its data under {@code dir} on the given ports whose users are the
     * stack's ({@link StackClickHouseUsers}: writer, reader, admin; {@code default} may not log in);
     * returns its HTTP URL once the writer and the reader can query. The users file is written at every
     * call: a changed password applies to a running server too (it reloads the file).
     */
    public static String clickHouse(Path dir, int httpPort, int tcpPort, Path runDir, StackClickHouseUsers users) {
        Path work = LocalKafka.createDirectories(dir.toAbsolutePath());
        ClickHouseConfig config = new ClickHouseConfig(work, httpPort, tcpPort);
        Daemon daemon = clickHouseDaemon(runDir, config);
        writePrivate(config.usersFile(), ClickHouseConfig.usersXml(users));
        if (!daemon.isAlive()) {
            for (String sub : ClickHouseConfig.DIRECTORIES) {
                LocalKafka.createDirectories(work.resolve(sub));
            }
            LocalKafka.write(config.configFile(), config.configXml());
            List<String> command = new ArrayList<>(ClickHouseBinary.locate().serverCommand());
            command.add("--config-file=" + config.configFile());
            daemon.start(command, Map.of(), work, config.consoleLogFile());
        }
        String url = "http://127.0.0.1:" + httpPort;
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (StackClickHouseUsers.Login login : List.of(users.writer(), users.reader())) {
            ClickHouseHttp http = new ClickHouseHttp(url, login.user(), login.password());
            while (!http.ping() || !answers(http)) {
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("ClickHouse on port " + httpPort + " did not start or does not let "
                            + login.user() + " in\n" + LogTail.of(config.errorLogFile(), 30) + "\n" + LogTail.of(config.consoleLogFile(), 20));
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for ClickHouse", e);
                }
            }
        }
        return url;
    }

    private static boolean answers(ClickHouseHttp http) {
        try {
            return "1".equals(http.query("SELECT 1").trim());
        } catch (ClickHouseHttp.ClickHouseHttpException e) {
            return false;
        }
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
