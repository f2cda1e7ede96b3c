package org.fieldstream.app;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.ClickHouseLogin;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.LogRetention;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.Daemon;
import org.fieldstream.platform.PersistentServices;
import org.fieldstream.platform.Ports;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.SecretFingerprints;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.schema.AnalystAccounts;
import org.fieldstream.schema.Views;
import org.fieldstream.streams.StateCleanup;
import org.fieldstream.streams.StreamsSettings;

/**
 * FieldStream on one machine for a program team's own data: a Kafka broker, a ClickHouse server and
 * the pipeline's stages (streams, sink, push endpoint, dashboard; run and restarted by a
 * {@link StageSupervisor}) as long-running processes whose data lives
 * under one directory ({@code var/} by default) and is never wiped. {@code up} starts what is not
 * running (and reuses what is), {@code down} stops everything, {@code up} again finds every number
 * where it was. Ports are chosen on the first {@code up} and kept in the local settings file, which
 * every other command reads when no settings are given.
 *
 * <p>Layout: {@code fieldstream.properties} (settings), {@code credentials.properties} (generated Kafka
 * and ClickHouse credentials of the stages, see {@link StackCredentials}), {@code secrets.properties}
 * (one generated pseudonymisation secret per program; keep it: person ids depend on it), {@code tokens.properties}
 * (push tokens' hashes), {@code kafka/}, {@code clickhouse/}, {@code streams-state/}, {@code logs/},
 * {@code run/} (pid files, the supervisor's state).
 */
final class LocalStack {

    static final String SETTINGS = "fieldstream.properties";
    static final String SECRETS = "secrets.properties";
    static final String TOKENS = "tokens.properties";
    /** The pipeline's stages, in start order; the supervisor runs them ({@link StageSupervisor}). */
    static final List<String> STAGES = List.of("streams", "sink", "serve", "dashboard");
    static final Duration STAGE_GRACE = Duration.ofSeconds(40);
    /** Time for the supervisor to stop its stages one by one. */
    private static final Duration SUPERVISOR_GRACE = STAGE_GRACE.multipliedBy(STAGES.size() + 1);
    /** How long {@code up} waits for the sink to create the schema and apply the views. */
    private static final Duration SCHEMA_WAIT = Duration.ofSeconds(120);

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

    Path credentialsFile() {
        return root.resolve(StackCredentials.FILE);
    }

    /**
     * The settings as every stage reads them: the defaults ({@link SettingKeys}), the settings file, the
     * credentials file it names, then FIELDSTREAM_* variables.
     */
    Map<String, String> values() {
        return Settings.load(SettingKeys.all(), settingsFile(), System.getenv()).asMap();
    }

    /** The folder of the local ClickHouse's config.xml and users.xml (and their config.d and users.d). */
    Path clickHouseDir() {
        return root.resolve("clickhouse");
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
        StackCredentials credentials = StackCredentials.ensure(credentialsFile());
        out.println("starting Kafka ...");
        String bootstrap = startKafka(settings);
        out.println("starting ClickHouse ...");
        String clickHouse = PersistentServices.clickHouse(root.resolve("clickhouse"), port(settings, "local.clickhouse.http.port"),
                port(settings, "local.clickhouse.tcp.port"), run(), credentials.clickHouseUsers(settings.getProperty("clickhouse.database")));
        Map<String, String> values = values();
        Map<String, Object> kafka = KafkaAccess.clients(values);
        Topics topics = new Topics(settings.getProperty("topic.prefix", ""));
        try (Admin admin = Admin.create(kafka)) {
            TopicSetup.ensureAll(admin, topics, Settings.only(values, TopicSetup.LAYOUT_KEYS));
            LogRetention.lostRecords(admin, topics.events.name()).ifPresent(out::println);
        }
        if (ReferenceLoader.current(kafka, topics.programs).isEmpty()) {
            ReferenceLoader.sync(kafka, topics, ReferenceData.bundled());
            out.println("loaded the bundled example reference data (your own: ./fieldstream reference load DIR)");
        }
        Secrets.ensure(Path.of(settings.getProperty("secrets.file")), ReferenceLoader.current(kafka, topics.programs).keySet(),
                System.getenv(), SecretFingerprints.kafka(ProducerSettings.load(settingsFile(), System.getenv()), topics.secretFingerprints));
        ensureTokensFile(Path.of(settings.getProperty("http.tokens.file")));
        startSupervisor(out);
        awaitSchema(values, clickHouse);
        refreshScopes(out);
        cleanOlderStreamsState(out);
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("Kafka", bootstrap);
        endpoints.put("ClickHouse", clickHouse + " (database " + settings.getProperty("clickhouse.database") + ")");
        endpoints.put("push endpoint", "http://127.0.0.1:" + settings.getProperty("http.port")
                + "/v1/programs/{program}/partners/{partner}/batches");
        endpoints.put("dashboard", "http://127.0.0.1:" + settings.getProperty(SettingKeys.DASHBOARD_PORT.key(), SettingKeys.DASHBOARD_PORT.defaultValue()) + "/");
        endpoints.put("settings", settingsFile().toString());
        endpoints.put("credentials", credentialsFile() + " (Kafka SCRAM-SHA-256 user " + credentials.kafkaClient().name()
                + "; ClickHouse users " + credentials.clickHouseWriter().user() + " of the sink, " + credentials.clickHouseReader().user()
                + " of reports, dashboard and status, " + credentials.clickHouseAdmin().user() + " of analyst accounts)");
        endpoints.put("logs", logs().toString());
        return endpoints;
    }

    /**
     * Analysts' scopes follow the views: once the sink has applied this release's views, every scope
     * whose tables no longer match them (a view's columns changed, a view was added or dropped, the scope
     * database is missing as after a restore) is re-created, as {@code analyst refresh} would, by the
     * analyst administrator. Nothing to do without analyst accounts.
     */
    private void refreshScopes(PrintStream out) {
        Map<String, String> values = values();
        try (ClickHouseGateway admin = AnalystCommand.admin(this)) {
            AnalystAccounts accounts = AnalystCommand.accounts(this, admin);
            if (accounts.list().isEmpty()) {
                return;
            }
            String database = values.get(SettingKeys.CLICKHOUSE_DATABASE.key());
            long deadline = System.nanoTime() + SCHEMA_WAIT.toNanos();
            while (!Views.current(admin, database)) {
                if (System.nanoTime() > deadline) {
                    out.println("the sink has not applied this release's views within " + SCHEMA_WAIT.toSeconds()
                            + " s (see logs/sink.log); once it has, run ./fieldstream analyst refresh");
                    return;
                }
                sleep(Duration.ofMillis(250));
            }
            accounts.refreshStale().forEach((scope, tables) -> out.println("analyst scope " + scope + " re-created from the current views ("
                    + String.join(", ", tables) + ")"));
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * What older streams state formats left (see {@link StateCleanup}), removed when the running
     * application has already caught up with the event log; else a hint to run {@code streams-cleanup} later.
     */
    private void cleanOlderStreamsState(PrintStream out) {
        StreamsSettings streams = StreamsSettings.load(settingsFile(), System.getenv());
        try (Admin admin = Admin.create(streams.kafkaClients())) {
            StateCleanup.Outcome outcome = StateCleanup.cleanIfCaughtUp(admin, streams);
            if (outcome.found().isEmpty()) {
                return;
            }
            if (outcome.caughtUp()) {
                StateCleanup.print(streams, outcome, out);
            } else {
                out.println("older streams state (" + outcome.found().stream().map(StateCleanup.Leftover::applicationId)
                        .collect(java.util.stream.Collectors.joining(", ")) + ") is kept until " + streams.kafkaApplicationId()
                        + " has caught up with the event log; then run ./fieldstream streams-cleanup");
            }
        }
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
                "-D" + ProcessLog.DIR_PROPERTY + "=" + logs(), StageClasspath.option(), "-cp", System.getProperty("java.class.path"),
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
        if (stopKafka()) {
            stopped.add("kafka");
        }
        return stopped;
    }

    /** Starts the stack's broker if it is not running (as {@code up} does); returns its bootstrap servers. */
    String startKafka(Properties settings) {
        StackCredentials credentials = StackCredentials.ensure(credentialsFile());
        return PersistentServices.kafka(root.resolve("kafka"), port(settings, "local.kafka.port"),
                port(settings, "local.kafka.controller.port"), logs(), run(), credentials.kafkaBroker(), credentials.kafkaClient());
    }

    /** The Kafka client settings every command of the stack uses: bootstrap servers and the credentials ({@link KafkaAccess}). */
    Map<String, Object> kafkaClients() {
        return KafkaAccess.clients(values());
    }

    /** Stops the stack's broker if it runs; true when it did. */
    boolean stopKafka() {
        return PersistentServices.stopKafka(root.resolve("kafka"), run());
    }

    boolean kafkaRunning() {
        return PersistentServices.kafkaRunning(root.resolve("kafka"), run());
    }

    Path root() {
        return root;
    }

    /**
     * Whether the stack's folder holds no data: it is missing or holds nothing but {@code logs/}
     * (the {@code fieldstream} script creates that folder for its own log before any command runs).
     */
    boolean empty() {
        if (!Files.exists(root)) {
            return true;
        }
        try (java.util.stream.Stream<Path> entries = Files.list(root)) {
            return entries.allMatch(entry -> entry.getFileName().toString().equals("logs") && Files.isDirectory(entry));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
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

    /**
     * The settings file, written with fresh free ports and paths on the first call. Its paths are
     * relative to the stack's folder (so the folder can move); they are returned resolved against it
     * ({@link Settings#readFile}).
     */
    Properties settings() {
        Path file = settingsFile();
        if (!Files.exists(file)) {
            Properties p = new Properties();
            choosePorts(p);
            p.setProperty("clickhouse.database", "fieldstream");
            useOwnFiles(p);
            writeSettings(p);
        }
        Properties p = new Properties();
        p.putAll(Settings.readFile(file));
        if (p.getProperty(Settings.CREDENTIALS_FILE) == null) {
            // a stack from before the credentials file: name it, keeping the file as its owner wrote it
            try {
                Files.writeString(file, "\n" + Settings.CREDENTIALS_FILE + "=" + StackCredentials.FILE + "\n", StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            p.setProperty(Settings.CREDENTIALS_FILE, credentialsFile().toString());
        }
        return p;
    }

    /** Fresh free loopback ports for every process of the stack, and the addresses that follow from them. */
    static void choosePorts(Properties p) {
        int[] ports = Ports.free(6);
        p.setProperty("local.kafka.port", Integer.toString(ports[0]));
        p.setProperty("local.kafka.controller.port", Integer.toString(ports[1]));
        p.setProperty("local.clickhouse.http.port", Integer.toString(ports[2]));
        p.setProperty("local.clickhouse.tcp.port", Integer.toString(ports[3]));
        p.setProperty("http.port", Integer.toString(ports[4]));
        p.setProperty("dashboard.port", Integer.toString(ports[5]));
        p.setProperty("bootstrap.servers", "127.0.0.1:" + ports[0]);
        p.setProperty("clickhouse.url", "http://127.0.0.1:" + ports[2]);
    }

    /** The stack's own state folder, secrets and tokens files, as paths relative to the settings file's folder. */
    static void useOwnFiles(Properties p) {
        p.setProperty("streams.state.dir", "streams-state");
        p.setProperty("secrets.file", SECRETS);
        p.setProperty("http.tokens.file", TOKENS);
        p.setProperty("data.dir", ".");
        p.setProperty(Settings.CREDENTIALS_FILE, StackCredentials.FILE);
    }

    /** Writes the settings file as given (paths in it relative to the stack's folder or absolute). */
    void writeSettings(Properties p) {
        Path file = settingsFile();
        try {
            Files.createDirectories(root);
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "FieldStream local stack (fieldstream up): ports chosen once and kept; every command reads this file; "
                        + "relative paths are relative to this file's folder");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static int port(Properties settings, String key) {
        return Integer.parseInt(settings.getProperty(key));
    }

    static void ensureTokensFile(Path file) {
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
    private static void awaitSchema(Map<String, String> values, String clickHouse) {
        long deadline = System.nanoTime() + SCHEMA_WAIT.toNanos();
        String database = values.get("clickhouse.database");
        ClickHouseLogin reader = ClickHouseLogin.reader(values);
        try (ClickHouseGateway gateway = new ClickHouseGateway(clickHouse, reader.user(), reader.password())) {
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
}
