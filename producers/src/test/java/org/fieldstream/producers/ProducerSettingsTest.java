package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerSettingsTest {

    @Test
    void defaultsThenFileThenEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\nhttp.port=9000\ntopic.prefix=demo.\n"
                + "program.P1.start_date=2026-01-01\npartner.X.program=P1\n");
        ProducerSettings s = ProducerSettings.load(file, Map.of("FIELDSTREAM_HTTP_PORT", "9100"));
        assertEquals("file:9092", s.bootstrapServers());
        assertEquals(9100, s.intValue(SettingKeys.HTTP_PORT));
        assertEquals("demo.", s.topicPrefix());
        assertEquals(2, s.intValue(SettingKeys.DATE_TOLERANCE_DAYS));
        assertFalse(s.rejectUnknownReferences());
        ProgramCatalog catalog = new ProgramCatalog();
        s.addConfiguredReference(catalog);
        assertEquals(LocalDate.parse("2026-01-01"), catalog.programStart("P1").orElseThrow());
        assertEquals(null, catalog.refusal("P1", "X"));
    }

    @Test
    void configFileFromEnvironmentAndBadValuesNameTheirSource(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.properties");
        Files.writeString(file, "references.unknown=reject\nproducer.linger.ms=soon\nrow.max.bytes=10\n");
        ProducerSettings s = ProducerSettings.load(null, Map.of("FIELDSTREAM_CONFIG", file.toString(),
                "FIELDSTREAM_HTTP_PORT", "web"));
        assertTrue(s.rejectUnknownReferences());
        assertEquals("setting producer.linger.ms (in " + file + ") must be a whole number, not soon",
                assertThrows(Settings.Invalid.class, () -> s.intValue(SettingKeys.PRODUCER_LINGER_MS)).getMessage());
        assertEquals("setting http.port (FIELDSTREAM_HTTP_PORT) must be a whole number, not web",
                assertThrows(Settings.Invalid.class, () -> s.intValue(SettingKeys.HTTP_PORT)).getMessage());
        assertEquals("setting row.max.bytes (in " + file + ") must be within 1024..524288, not 10",
                assertThrows(Settings.Invalid.class, s::maxRowBytes).getMessage());
        assertEquals("missing setting http.tokens.file (FIELDSTREAM_HTTP_TOKENS_FILE, or http.tokens.file in " + file + ")",
                assertThrows(Settings.Invalid.class, () -> s.required(SettingKeys.HTTP_TOKENS_FILE)).getMessage());
        ProducerSettings defaults = ProducerSettings.load(null, Map.of("FIELDSTREAM_REFERENCES_UNKNOWN", "maybe"));
        assertEquals("setting references.unknown (FIELDSTREAM_REFERENCES_UNKNOWN) must be accept or reject, not maybe",
                assertThrows(Settings.Invalid.class, defaults::rejectUnknownReferences).getMessage());
    }

    @Test
    void producerIsDurableAndIdempotent() {
        var p = KafkaClients.producerProperties(ProducerSettings.of(Map.of(), Map.of()), "t");
        assertEquals("all", p.get("acks"));
        assertEquals(true, p.get("enable.idempotence"));
    }
}
