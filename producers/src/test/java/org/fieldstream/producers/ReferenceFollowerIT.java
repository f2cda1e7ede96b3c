package org.fieldstream.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.seeds.ReferenceData;
import org.fieldstream.seeds.ReferenceLoader;
import org.junit.jupiter.api.Test;

/** A running endpoint's catalogue follows the reference topics: a partner added or retired later applies without a restart. */
class ReferenceFollowerIT {

    private static ReferenceData reference(String... partners) {
        Program program = Program.newBuilder().setProgramId("p1").setName("P1").setStartDate(LocalDate.parse("2024-01-01"))
                .setEndDate(null).setDropoutMissedSessions(3).setCompletionAttendance(0.8).build();
        List<Partner> list = java.util.Arrays.stream(partners)
                .map(id -> Partner.newBuilder().setPartnerId(id).setProgramId("p1").setName(id).setOrgUnitId(null).build()).toList();
        return new ReferenceData(List.of(program), list, List.of(), List.of());
    }

    @Test
    void followsAddedAndRetiredPartners() throws Exception {
        String bootstrap = TestServices.kafka().bootstrapServers();
        Topics topics = new Topics("it-" + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 1, (short) 1);
        }
        ReferenceLoader.sync(KafkaAccess.plain(bootstrap), topics, reference("ndp"));
        ProducerSettings settings = ProducerSettings.of(Map.of(SettingKeys.BOOTSTRAP_SERVERS.key(), bootstrap,
                SettingKeys.TOPIC_PREFIX.key(), topics.prefix()), Map.of());
        ProgramCatalog catalog = new ProgramCatalog();
        try (ReferenceFollower ignored = ReferenceFollower.follow(settings, topics, catalog)) {
            assertNull(catalog.refusal("p1", "ndp"));
            assertTrue(catalog.refusal("p1", "mms").startsWith("unknown partner mms"));

            ReferenceLoader.sync(KafkaAccess.plain(bootstrap), topics, reference("mms"));
            Awaitility.await("the catalogue follows the topics").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> catalog.refusal("p1", "mms") == null && catalog.refusal("p1", "ndp") != null);
            assertNull(catalog.refusal("p1", "mms"), "a partner loaded later is known");
            assertEquals("unknown partner ndp (partners come from reference data: ./fieldstream reference load DIR)",
                    catalog.refusal("p1", "ndp"), "a retired partner is refused");
        }
        ProgramCatalog fresh = new ProgramCatalog();
        KafkaClients.loadReference(settings, topics, fresh);
        assertTrue(fresh.refusal("p1", "ndp") != null, "a one-shot load honours the tombstone too");
    }
}
