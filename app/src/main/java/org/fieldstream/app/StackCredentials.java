package org.fieldstream.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.events.Setting;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.platform.ScramUser;
import org.fieldstream.platform.StackClickHouseUsers;

/**
 * The local stack's credentials, generated on the first {@code up} and kept in
 * {@code credentials.properties} (rw-------) next to the secrets: the Kafka client settings every
 * stage and command uses ({@code kafka.security.protocol}, {@code kafka.sasl.mechanism},
 * {@code kafka.sasl.jaas.config}: SCRAM-SHA-256 user {@value #KAFKA_USER}), the ClickHouse users of
 * each kind of work ({@link StackClickHouseUsers}: the sink's {@value #CLICKHOUSE_USER} as
 * {@code clickhouse.user}, the reader {@value #CLICKHOUSE_READER} as {@code clickhouse.reader.user},
 * the analyst administrator {@value #CLICKHOUSE_ADMIN} as {@code clickhouse.admin.user}, each with its
 * password), and the broker's own inter-broker password. The settings file names it
 * ({@code credentials.file}); {@code Settings.load} layers it over the settings file. A file written
 * before the reader and the admin existed gets them generated and added.
 */
record StackCredentials(ScramUser kafkaClient, ScramUser kafkaBroker, StackClickHouseUsers.Login clickHouseWriter,
                        StackClickHouseUsers.Login clickHouseReader, StackClickHouseUsers.Login clickHouseAdmin) {

    static final String FILE = "credentials.properties";
    static final String KAFKA_USER = "fieldstream";
    static final String BROKER_USER = "broker";
    static final String CLICKHOUSE_USER = "fieldstream";
    static final String CLICKHOUSE_READER = "fieldstream_reader";
    static final String CLICKHOUSE_ADMIN = "fieldstream_admin";
    static final String BROKER_PASSWORD = "local.kafka.broker.password";
    private static final Pattern JAAS = Pattern.compile("username=\"([^\"]+)\"\\s+password=\"([^\"]+)\"");

    /** The credentials of {@code file}, generated and written (rw-------) when it does not exist yet or lacks a user. */
    static StackCredentials ensure(Path file) {
        try {
            if (Files.exists(file)) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                }
                StackCredentials read = of(p, file);
                if (!p.containsKey(SettingKeys.CLICKHOUSE_READER_USER.key()) || !p.containsKey(SettingKeys.CLICKHOUSE_ADMIN_USER.key())) {
                    write(file, read.properties());
                }
                return read;
            }
            StackCredentials generated = new StackCredentials(new ScramUser(KAFKA_USER, LocalRun.randomSecret()),
                    new ScramUser(BROKER_USER, LocalRun.randomSecret()), new StackClickHouseUsers.Login(CLICKHOUSE_USER, LocalRun.randomSecret()),
                    new StackClickHouseUsers.Login(CLICKHOUSE_READER, LocalRun.randomSecret()),
                    new StackClickHouseUsers.Login(CLICKHOUSE_ADMIN, LocalRun.randomSecret()));
            write(file, generated.properties());
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private static StackCredentials of(Properties p, Path file) {
        Matcher jaas = JAAS.matcher(p.getProperty("kafka.sasl.jaas.config", ""));
        String broker = p.getProperty(BROKER_PASSWORD);
        String user = p.getProperty(SettingKeys.CLICKHOUSE_USER.key());
        String password = p.getProperty(SettingKeys.CLICKHOUSE_PASSWORD.key());
        if (!jaas.find() || broker == null || user == null || password == null) {
            throw new IllegalStateException(file + " lacks kafka.sasl.jaas.config (username and password), " + BROKER_PASSWORD
                    + ", clickhouse.user or clickhouse.password; restore it from a backup, or remove it to generate new credentials");
        }
        return new StackCredentials(new ScramUser(jaas.group(1), jaas.group(2)), new ScramUser(BROKER_USER, broker.trim()),
                new StackClickHouseUsers.Login(user.trim(), password.trim()),
                login(p, SettingKeys.CLICKHOUSE_READER_USER, SettingKeys.CLICKHOUSE_READER_PASSWORD, CLICKHOUSE_READER),
                login(p, SettingKeys.CLICKHOUSE_ADMIN_USER, SettingKeys.CLICKHOUSE_ADMIN_PASSWORD, CLICKHOUSE_ADMIN));
    }

    /** The login the file holds under these keys; generated when the file has none. */
    private static StackClickHouseUsers.Login login(Properties p, Setting user, Setting password, String generatedName) {
        String name = p.getProperty(user.key());
        String secret = p.getProperty(password.key());
        return name == null || secret == null ? new StackClickHouseUsers.Login(generatedName, LocalRun.randomSecret())
                : new StackClickHouseUsers.Login(name.trim(), secret.trim());
    }

    /** The ClickHouse users of the stack's server, for its main {@code database}. */
    StackClickHouseUsers clickHouseUsers(String database) {
        return new StackClickHouseUsers(database, clickHouseWriter, clickHouseReader, clickHouseAdmin);
    }

    Properties properties() {
        Properties p = new Properties();
        kafkaClient.clientSettings().forEach((key, value) -> p.setProperty("kafka." + key, value));
        p.setProperty(SettingKeys.CLICKHOUSE_USER.key(), clickHouseWriter.user());
        p.setProperty(SettingKeys.CLICKHOUSE_PASSWORD.key(), clickHouseWriter.password());
        p.setProperty(SettingKeys.CLICKHOUSE_READER_USER.key(), clickHouseReader.user());
        p.setProperty(SettingKeys.CLICKHOUSE_READER_PASSWORD.key(), clickHouseReader.password());
        p.setProperty(SettingKeys.CLICKHOUSE_ADMIN_USER.key(), clickHouseAdmin.user());
        p.setProperty(SettingKeys.CLICKHOUSE_ADMIN_PASSWORD.key(), clickHouseAdmin.password());
        p.setProperty(BROKER_PASSWORD, kafkaBroker.password());
        return p;
    }

    /** Kafka client settings (without bootstrap servers) that log in as the stack's client user. */
    Map<String, String> kafkaClientSettings() {
        return kafkaClient.clientSettings();
    }

    private static void write(Path file, Properties p) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temp = Files.createTempFile(folder, ".credentials", ".tmp");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        try (OutputStream out = Files.newOutputStream(temp)) {
            p.store(out, "FieldStream local stack credentials (generated by fieldstream up): Kafka client settings and the"
                    + " ClickHouse users of the sink, the readers and the analyst administrator; keep this file private");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "StackCredentials[kafka user " + kafkaClient.name() + ", ClickHouse users " + clickHouseWriter.user() + ", "
                + clickHouseReader.user() + ", " + clickHouseAdmin.user() + "]";
    }
}
