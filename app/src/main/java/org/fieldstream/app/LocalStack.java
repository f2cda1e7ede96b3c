package org.fieldstream.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.Daemon;
import org.fieldstream.platform.PersistentServices;
import org.fieldstream.platform.Ports;
import org.fieldstream.seeds.ReferenceData;
import org.fieldstream.seeds.ReferenceLoader;
import org.fieldstream.sink.ClickHouseGateway;

/**
 * FieldStream on one machine for a program team's own data: a Kafka broker, a ClickHouse server and
 * the pipeline's stages (streams, sink, push endpoint, dashboard; run and restarted by a
 * {@link StageSupervisor}) as long-running processes whose data lives
 * under one directory ({@code var/} by default) and is never wiped. {@code up} starts what is not
 * running (and reuses what is), {@code down} stops everything, {@code up} again finds every number
 * where it was. Ports are chosen on the first {@code up} and kept in the local settings file, which
 * every other command reads when no settings are given.
 *
 * <p>Layout: {@code fieldstream.properties} (settings), {@code secrets.properties} (one generated
 * pseudonymisation secret per program; keep it: person ids depend on it), {@code tokens.properties}
 * (push tokens' hashes), {@code kafka/}, {@code clickhouse/}, {@code streams-state/}, {@code logs/},
 * {@code run/} (pid files, the supervisor's state).
 */
final class LocalStack {

    static final String SETTINGS = "fieldstream.properties";
    /** The pipeline's stages, in start order; the supervisor runs them ({@link StageSupervisor}). */
    static final List<String> STAGES = List.of("streams", "sink", "serve", "dashboard");
    static final Duration STAGE_GRACE = Duration.ofSeconds(40);
    /** Time for the supervisor to stop its stages one by one. */
    private static final Duration SUPERVISOR_GRACE = STAGE_GRACE.multipliedBy(STAGES.size() + 1);

    private final Path root;

    LocalStack(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The default home of the local stack: {@code var/} of the installation. */
    static Path defaultRoot() {
        return LocalRun.home().resolve("var");
    }



    Path settingsFile() {
        return root.resolve(SETTINGS);
    }

    Path logs() {
        return root.resolve("logs");
    }

    private Path run() {
        return root.resolve("run");
    }

    Path supervisorStateFile() {
        return run().resolve("supervisor.state");
    }

    /** Starts whatever is not running; returns the endpoints. */
    Map<String, String> up(PrintStream out) {
        Properties settings = settings();
        Path kafkaDir = root.resolve("kafka");
        out.println("starting Kafka ...");
        String bootstrap = PersistentServices.kafka(kafkaDir, port(settings, "local.kafka.port"),
                port(settings, "local.kafka.controller.port"), logs(), run());
        out.println("starting ClickHouse ...");
        String clickHouse = PersistentServices.clickHouse(root.resolve("clickhouse"), port(settings, "local.clickhouse.http.port"),
                port(settings, "local.clickhouse.tcp.port"), run());
        Topics topics = new Topics(settings.getProperty("topic.prefix", ""));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensureAll(admin, topics);
        }
        if (ReferenceLoader.current(bootstrap, topics.programs).isEmpty()) {
            ReferenceLoader.sync(bootstrap, topics, ReferenceData.bundled());
            out.println("loaded the bundled example reference data (your own: ./fieldstream reference load DIR)");
        }
        Secrets.ensure(Path.of(settings.getProperty("secrets.file")), ReferenceLoader.current(bootstrap, topics.programs).keySet());
        ensureTokensFile(Path.of(settings.getProperty("http.tokens.file")));
        startSupervisor(out);
        awaitSchema(settings, clickHouse);
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("Kafka", bootstrap);
        endpoints.put("ClickHouse", clickHouse + " (database " + settings.getProperty("clickhouse.database") + ")");
        endpoints.put("push endpoint", "http://127.0.0.1:" + settings.getProperty("http.port")
                + "/v1/programs/{program}/partners/{partner}/batches");
        endpoints.put("dashboard", "http://127.0.0.1:" + settings.getProperty("dashboard.port", "8089") + "/");
        endpoints.put("settings", settingsFile().toString());
        endpoints.put("logs", logs().toString());
        return endpoints;
    }

    /**
     * Starts the supervisor, which starts the stages, unless it runs. Stages running without one (left
     * by an older version) are stopped first, so that each runs once.
     */
    private void startSupervisor(PrintStream out) {
        Daemon supervisor = supervisor();
        if (supervisor.isAlive()) {
            return;
        }
        for (String stage : STAGES) {
            stage(stage).stop(STAGE_GRACE);
        }
        out.println("starting " + String.join(", ", STAGES) + " (supervised: restarted when one stops) ...");
        List<String> command = List.of(Daemon.javaBinary(), marker("supervisor"), "-Xmx128m", "-XX:+UseSerialGC",
                "-D" + ProcessLog.DIR_PROPERTY + "=" + logs(), "-cp", System.getProperty("java.class.path"),
                FieldStream.class.getName(), "supervise", "--data", root.toString());
        supervisor.start(command, Map.of("FIELDSTREAM_CONFIG", settingsFile().toString()), root, logs().resolve("supervise.log"));
    }

    /** The supervisor's daemon: {@code run/supervisor.pid}. */
    Daemon supervisor() {
        return new Daemon("supervisor", run().resolve("supervisor.pid"), marker("supervisor"));
    }

    /**
     * Stops the supervisor, which stops the stages one by one (the last started first), then
     * ClickHouse and Kafka; returns what was running, in that order.
     */
    List<String> down() {
        List<String> stopped = new ArrayList<>();
        List<String> lastFirst = new ArrayList<>(STAGES);
        java.util.Collections.reverse(lastFirst);
        List<String> running = lastFirst.stream().filter(stage -> stage(stage).isAlive()).toList();
        boolean supervised = supervisor().stop(SUPERVISOR_GRACE);
        for (String stage : lastFirst) {
            // normally already stopped by the supervisor; a stage left without one is stopped here
            if (stage(stage).stop(STAGE_GRACE) || running.contains(stage)) {
                stopped.add(stage);
            }
        }
        if (supervised) {
            stopped.add("supervisor");
        }
        if (PersistentServices.stopClickHouse(root.resolve("clickhouse"), run())) {
            stopped.add("clickhouse");
        }
        if (PersistentServices.stopKafka(root.resolve("kafka"), run())) {
            stopped.add("kafka");
        }
        return stopped;
    }

    /** Process name to running or not, in start order. */
    Map<String, Boolean> processes() {
        Map<String, Boolean> running = new LinkedHashMap<>();
        processStates().forEach(p -> running.put(p.name(), p.pid().isPresent()));
        return running;
    }

    /** One process of the stack: its pid when running; restarts and last error as the supervisor recorded them. */
    record ProcessState(String name, java.util.OptionalLong pid, int restarts, Integer lastExit, String lastError) {
        boolean running() {
            return pid.isPresent();
        }
    }

    /** Every process of the stack, in start order. */
    List<ProcessState> processStates() {
        List<ProcessState> states = new ArrayList<>();
        states.add(new ProcessState("kafka", pid(PersistentServices.kafkaProcess(root.resolve("kafka"), run())), 0, null, ""));
        states.add(new ProcessState("clickhouse", pid(PersistentServices.clickHouseProcess(root.resolve("clickhouse"), run())), 0, null, ""));
        states.add(new ProcessState("supervisor", pid(supervisor().process()), 0, null, ""));
        Map<String, SupervisorState.Stage> recorded = SupervisorState.read(supervisorStateFile(), STAGES);
        for (String stage : STAGES) {
            SupervisorState.Stage r = recorded.getOrDefault(stage, SupervisorState.initial(stage));
            states.add(new ProcessState(stage, pid(stage(stage).process()), r.restarts(), r.lastExit(), r.lastError()));
        }
        return states;
    }

    private static java.util.OptionalLong pid(java.util.Optional<ProcessHandle> process) {
        return process.map(p -> java.util.OptionalLong.of(p.pid())).orElse(java.util.OptionalLong.empty());
    }

    /** Bytes used under the data folder by Kafka, ClickHouse and the streams state, and the file system's free bytes. */
    Map<String, Long> diskUsage() {
        Map<String, Long> usage = new LinkedHashMap<>();
        usage.put("kafka/", DiskUsage.bytes(root.resolve("kafka")));
        usage.put("clickhouse/", DiskUsage.bytes(root.resolve("clickhouse")));
        usage.put("streams-state/", DiskUsage.bytes(Path.of(settings().getProperty("streams.state.dir", root.resolve("streams-state").toString()))));
        usage.put("free", DiskUsage.free(root));
        return usage;
    }

    boolean initialised() {
        return Files.exists(settingsFile());
    }

    Daemon stage(String name) {
        return new Daemon(name, run().resolve(name + ".pid"), marker(name));
    }

    private String marker(String name) {
        return "-Dfieldstream.stage=" + name + "@" + root;
    }

    /** The JVM options of a stage's process; its marker first, as the OS may cut long command lines short. */
    List<String> stageJvmArgs(String stage) {
        String heap = switch (stage) {
            case "streams" -> "-Xmx1g";
            case "dashboard" -> "-Xmx256m";
            default -> "-Xmx512m";
        };
        return List.of(marker(stage), heap, "-Dorg.slf4j.simpleLogger.showDateTime=true");
    }

    /** The settings file, written with fresh free ports and paths on the first call. */
    Properties settings() {
        Path file = settingsFile();
        Properties p = new Properties();
        try {
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
                return p;
            }
            Files.createDirectories(root);
            int[] ports = Ports.free(6);
            p.setProperty("local.kafka.port", Integer.toString(ports[0]));
            p.setProperty("local.kafka.controller.port", Integer.toString(ports[1]));
            p.setProperty("local.clickhouse.http.port", Integer.toString(ports[2]));
            p.setProperty("local.clickhouse.tcp.port", Integer.toString(ports[3]));
            p.setProperty("http.port", Integer.toString(ports[4]));
            p.setProperty("dashboard.port", Integer.toString(ports[5]));
            p.setProperty("bootstrap.servers", "127.0.0.1:" + ports[0]);
            p.setProperty("clickhouse.url", "http://127.0.0.1:" + ports[2]);
            p.setProperty("clickhouse.database", "fieldstream");
            p.setProperty("streams.state.dir", root.resolve("streams-state").toString());
            p.setProperty("secrets.file", root.resolve("secrets.properties").toString());
            p.setProperty("http.tokens.file", root.resolve("tokens.properties").toString());
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "FieldStream local stack (fieldstream up): ports chosen once and kept; every command reads this file");
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static int port(Properties settings, String key) {
        return Integer.parseInt(settings.getProperty(key));
    }

    private static void ensureTokensFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.writeString(file, "# partner=sha256:<hex>; add one with ./fieldstream partner token PARTNER\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /** Waits until the sink has created the schema, so reports and the dashboard work right after up. */
    private static void awaitSchema(Properties settings, String clickHouse) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String database = settings.getProperty("clickhouse.database");
        try (ClickHouseGateway gateway = new ClickHouseGateway(clickHouse, "default", "")) {
            while (!gateway.tableExists(database, "dash_freshness")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the sink did not create the ClickHouse schema within 120 s (see logs/sink.log)");
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Generated pseudonymisation secrets, one per program, in a file only its owner reads. */
    static final class Secrets {
        private Secrets() {
        }

        /** Adds a random secret for every program that has none; returns the programs that got one. */
        static List<String> ensure(Path file, Iterable<String> programs) {
            Properties secrets = new Properties();
            List<String> added = new ArrayList<>();
            try {
                if (Files.exists(file)) {
                    try (InputStream in = Files.newInputStream(file)) {
                        secrets.load(in);
                    }
                }
                SecureRandom random = new SecureRandom();
                for (String program : programs) {
                    if (secrets.getProperty(program) == null) {
                        byte[] bytes = new byte[32];
                        random.nextBytes(bytes);
                        secrets.setProperty(program, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
                        added.add(program);
                    }
                }
                if (!added.isEmpty() || !Files.exists(file)) {
                    Files.createDirectories(file.toAbsolutePath().getParent());
                    Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".secrets", ".tmp");
                    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                    try (OutputStream out = Files.newOutputStream(temp)) {
                        secrets.store(out, "pseudonymisation secrets per program: keep them, person ids depend on them");
                    }
                    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                return added;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read or write " + file, e);
            }
        }
    }
}
