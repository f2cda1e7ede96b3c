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
    void configFileFromEnvironmentAndBadValuesNameTheVariable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.properties");
        Files.writeString(file, "references.unknown=reject\nproducer.linger.ms=soon\n");
        ProducerSettings s = ProducerSettings.load(null, Map.of("FIELDSTREAM_CONFIG", file.toString()));
        assertTrue(s.rejectUnknownReferences());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.intValue(SettingKeys.PRODUCER_LINGER_MS));
        assertTrue(e.getMessage().contains("FIELDSTREAM_PRODUCER_LINGER_MS"), e.getMessage());
    }

    @Test
    void producerIsDurableAndIdempotent() {
        var p = KafkaClients.producerProperties(ProducerSettings.of(Map.of(), Map.of()), "t");
        assertEquals("all", p.get("acks"));
        assertEquals(true, p.get("enable.idempotence"));
    }
}
