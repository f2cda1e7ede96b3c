package org.fieldstream.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsThenFileThenVariables() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "a.b=from-file\nc-d=file-only\nstreams.config.x=pass\n");
        Map<String, String> defaults = Map.of("a.b", "default", "e", "default-e");
        Map<String, String> env = Map.of("FIELDSTREAM_E", "from-env", "FIELDSTREAM_C_D", "env-over-file",
                "FIELDSTREAM_SECRETS_FILE", "/s", "FIELDSTREAM_UNRELATED", "ignored");
        Map<String, String> values = Settings.load(defaults, file, env, List.of("secrets.file"));
        assertEquals("from-file", values.get("a.b"));
        assertEquals("env-over-file", values.get("c-d"));
        assertEquals("from-env", values.get("e"));
        assertEquals("/s", values.get("secrets.file"));
        assertEquals("pass", values.get("streams.config.x"));
        assertNull(values.get("unrelated"));
    }

    @Test
    void theFileMayComeFromTheConfigVariable() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "a=1\n");
        assertEquals("1", Settings.load(Map.of(), null, Map.of(Settings.CONFIG_VARIABLE, file.toString()), List.of()).get("a"));
        assertEquals("FIELDSTREAM_STREAMS_STATE_DIR", Settings.envName("streams.state-dir"));
    }

    @Test
    void theCredentialsFileLiesBetweenTheSettingsFileAndTheVariables() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("data"));
        Path file = Files.writeString(folder.resolve("fieldstream.properties"),
                "credentials.file=credentials.properties\nclickhouse.user=from-settings\nclickhouse.password=settings\nkafka.sasl.mechanism=PLAIN\n");
        Files.writeString(folder.resolve("credentials.properties"),
                "clickhouse.user=fieldstream\nclickhouse.password=from-credentials\nkafka.sasl.mechanism=SCRAM-SHA-256\n");
        Map<String, String> defaults = Map.of("clickhouse.user", "default", "clickhouse.password", "");
        Map<String, String> values = Settings.load(defaults, file, Map.of("FIELDSTREAM_CLICKHOUSE_PASSWORD", "from-env"), List.of());
        assertEquals("fieldstream", values.get("clickhouse.user"), "credentials over the settings file");
        assertEquals("from-env", values.get("clickhouse.password"), "the environment over the credentials");
        assertEquals("SCRAM-SHA-256", values.get("kafka.sasl.mechanism"));
        assertEquals(folder.resolve("credentials.properties").toString(), values.get("credentials.file"), "relative to the settings file's folder");

        // the working directory does not matter, and a variable may name another file
        Path other = Files.writeString(dir.resolve("other.properties"), "kafka.sasl.mechanism=SCRAM-SHA-512\n");
        assertEquals("SCRAM-SHA-512", Settings.load(Map.of(), null, Map.of(Settings.CONFIG_VARIABLE, file.toString(),
                "FIELDSTREAM_CREDENTIALS_FILE", other.toString()), List.of()).get("kafka.sasl.mechanism"));
        // pass-through Kafka keys and ClickHouse credentials count from the environment alone
        Map<String, String> fromEnv = Settings.load(Map.of(), null, Map.of("FIELDSTREAM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "FIELDSTREAM_CLICKHOUSE_USER", "u"), List.of());
        assertEquals("SASL_SSL", fromEnv.get("kafka.security.protocol"));
        assertEquals("u", fromEnv.get("clickhouse.user"));
    }

    @Test
    void aMissingCredentialsFileIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "credentials.file=gone.properties\n");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> Settings.load(Map.of(), file, Map.of(), List.of()));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(dir.resolve("gone.properties").toString()), e.getMessage());
    }

    @Test
    void relativePathsOfTheFileAreResolvedAgainstItsFolder() throws Exception {
        Path stack = Files.createDirectories(dir.resolve("moved/var"));
        Path file = Files.writeString(stack.resolve("fieldstream.properties"),
                "secrets.file=secrets.properties\nhttp.tokens.file=sub/../tokens.properties\nstreams.state.dir=streams-state\n"
                        + "old.file=/srv/fieldstream/secrets.properties\nempty.file=\nsome.name=relative/not-a-path\n");
        Map<String, String> values = Settings.load(Map.of("default.dir", "./var/streams-state"), file,
                Map.of("FIELDSTREAM_ENV_FILE", "env-relative"), List.of("env.file"));
        assertEquals(stack.resolve("secrets.properties").toString(), values.get("secrets.file"));
        assertEquals(stack.resolve("tokens.properties").toString(), values.get("http.tokens.file"));
        assertEquals(stack.resolve("streams-state").toString(), values.get("streams.state.dir"));
        assertEquals("/srv/fieldstream/secrets.properties", values.get("old.file"), "absolute paths are kept");
        assertEquals("", values.get("empty.file"));
        assertEquals("relative/not-a-path", values.get("some.name"), "only keys ending in .file or .dir are paths");
        assertEquals("./var/streams-state", values.get("default.dir"), "defaults are not resolved");
        assertEquals("env-relative", values.get("env.file"), "variables are not resolved");
    }

    @Test
    void aRelativeSettingsFileNameStillResolvesToAnAbsoluteFolder() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "secrets.file=secrets.properties\n");
        Path relative = Path.of("").toAbsolutePath().relativize(file);
        assertEquals(file.resolveSibling("secrets.properties").toString(), Settings.readFile(relative).get("secrets.file"));
    }

    @Test
    void typedReadersFailNamingTheKeyAndItsVariable() {
        Map<String, String> values = Map.of("a.port", " 80 ", "a.name", " x ", "a.blank", " ", "a.word", "many",
                "a.on", "TRUE", "a.off", "no");
        assertEquals("x", Settings.required(values, "a.name"));
        assertEquals(80, Settings.intWithin(values, "a.port", 0, 65535));
        assertEquals(80L, Settings.longValue(values, "a.port"));
        assertTrue(Settings.flag(values, "a.on"));
        assertFalse(Settings.flag(values, "a.off"));
        assertEquals("missing setting a.blank (FIELDSTREAM_A_BLANK)",
                assertThrows(Settings.Invalid.class, () -> Settings.required(values, "a.blank")).getMessage());
        assertEquals("missing setting a.gone (FIELDSTREAM_A_GONE)",
                assertThrows(IllegalStateException.class, () -> Settings.flag(values, "a.gone")).getMessage());
        assertEquals("setting a.word (FIELDSTREAM_A_WORD) must be a whole number, not many",
                assertThrows(Settings.Invalid.class, () -> Settings.longValue(values, "a.word")).getMessage());
        assertEquals("setting a.port (FIELDSTREAM_A_PORT) must be within 81..90, not 80",
                assertThrows(Settings.Invalid.class, () -> Settings.intWithin(values, "a.port", 81, 90)).getMessage());
        assertEquals("setting a.port (FIELDSTREAM_A_PORT) must be within 0..79, not 80",
                assertThrows(Settings.Invalid.class, () -> Settings.intWithin(values, "a.port", 0, 79)).getMessage());
        assertEquals("setting a.port (FIELDSTREAM_A_PORT) must be at least 100, not 80",
                assertThrows(Settings.Invalid.class, () -> Settings.longWithin(values, "a.port", 100, Long.MAX_VALUE)).getMessage());
    }

    @Test
    void loadedValuesFailNamingTheKeyAndWhereTheValueCameFrom() throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "sink.batch.rows=lots\nhttp.bind= \n");
        Settings.Values values = Settings.load(List.of(SettingKeys.SINK_BATCH_ROWS, SettingKeys.HTTP_PORT, SettingKeys.HTTP_BIND,
                SettingKeys.DATA_DIR, SettingKeys.DASHBOARD_PORT), file, Map.of("FIELDSTREAM_HTTP_PORT", "99999"));
        assertEquals("setting sink.batch.rows (in " + file + ") must be a whole number, not lots",
                assertThrows(Settings.Invalid.class, () -> values.intWithin(SettingKeys.SINK_BATCH_ROWS, 1, 100)).getMessage());
        assertEquals("setting http.port (FIELDSTREAM_HTTP_PORT) must be within 0..65535, not 99999",
                assertThrows(Settings.Invalid.class, () -> values.intWithin(SettingKeys.HTTP_PORT, 0, 65535)).getMessage());
        assertEquals("setting dashboard.port (default) must be within 1..10, not 8089",
                assertThrows(Settings.Invalid.class, () -> values.intWithin(SettingKeys.DASHBOARD_PORT, 1, 10)).getMessage());
        assertEquals("missing setting http.bind (in " + file + ")",
                assertThrows(Settings.Invalid.class, () -> values.required(SettingKeys.HTTP_BIND)).getMessage());
        assertEquals("missing setting data.dir (FIELDSTREAM_DATA_DIR, or data.dir in " + file + ")",
                assertThrows(Settings.Invalid.class, () -> values.required(SettingKeys.DATA_DIR)).getMessage());
        assertEquals(SettingKeys.DASHBOARD_PORT.defaultValue(), values.get(SettingKeys.DASHBOARD_PORT));
    }

    @Test
    void everyKeyIsDeclaredOnceAndFamiliesNameTheirPrefix() {
        assertEquals(SettingKeys.all().size(), SettingKeys.all().stream().map(Setting::key).distinct().count());
        assertEquals(KafkaAccess.PREFIX, SettingKeys.KAFKA_CLIENT.prefix());
        assertEquals("streams.config.", SettingKeys.STREAMS_CONFIG.prefix());
        assertEquals(Map.of("clickhouse.user", "default", "clickhouse.password", ""),
                SettingKeys.defaults(List.of(SettingKeys.CLICKHOUSE_USER, SettingKeys.CLICKHOUSE_PASSWORD, SettingKeys.DATA_DIR)));
        assertEquals("FIELDSTREAM_STREAMS_REPLAY_PARTIAL_LOG", SettingKeys.STREAMS_REPLAY_PARTIAL_LOG.variable());
    }
}
