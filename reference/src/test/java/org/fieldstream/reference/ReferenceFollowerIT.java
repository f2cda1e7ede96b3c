package org.fieldstream.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.platform.TestServices;
import org.junit.jupiter.api.Test;

/** A follower keeps its catalogue equal to the reference topics: a partner added or retired later applies without a restart. */
class ReferenceFollowerIT {

    /** Partner id to program id, and the program ids, as the topics hold them. */
    private static final class Recorded implements ReferenceFollower.Catalog {
        final Map<String, String> partners = new ConcurrentHashMap<>();
        final Set<String> programs = ConcurrentHashMap.newKeySet();

        @Override
        public void add(Program program) {
            programs.add(program.getProgramId());
        }

        @Override
        public void add(Partner partner) {
            partners.put(partner.getPartnerId(), partner.getProgramId());
        }

        @Override
        public void add(OrgUnit orgUnit) {
        }

        @Override
        public void removeProgram(String programId) {
            programs.remove(programId);
        }

        @Override
        public void removePartner(String partnerId) {
            partners.remove(partnerId);
        }

        @Override
        public void removeOrgUnit(String orgUnitId) {
        }
    }

    private static ReferenceData reference(String... partners) {
        Program program = Program.newBuilder().setProgramId("p1").setName("P1").setStartDate(LocalDate.parse("2024-01-01"))
                .setEndDate(null).setDropoutMissedSessions(3).setCompletionAttendance(0.8).build();
        List<Partner> list = Arrays.stream(partners)
                .map(id -> Partner.newBuilder().setPartnerId(id).setProgramId("p1").setName(id).setOrgUnitId(null).build()).toList();
        return new ReferenceData(List.of(program), list, List.of(), List.of());
    }

    @Test
    void followsAddedAndRetiredPartners() throws Exception {
        String bootstrap = TestServices.kafka().bootstrapServers();
        Map<String, Object> kafka = KafkaAccess.plain(bootstrap);
        Topics topics = new Topics("it-" + UUID.randomUUID() + ".");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicSetup.ensure(admin, topics, 1, (short) 1);
        }
        ReferenceLoader.sync(kafka, topics, reference("ndp"));
        Recorded catalog = new Recorded();
        try (ReferenceFollower ignored = ReferenceFollower.follow(kafka, topics, catalog)) {
            assertEquals(Set.of("p1"), catalog.programs, "read to the end before follow returns");
            assertEquals(Map.of("ndp", "p1"), catalog.partners);

            ReferenceLoader.sync(kafka, topics, reference("mms"));
            Awaitility.await("the catalogue follows the topics").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> catalog.partners.equals(Map.of("mms", "p1")));
        }
        Recorded fresh = new Recorded();
        ReferenceFollower.catchUp(kafka, topics, fresh);
        assertEquals(Map.of("mms", "p1"), fresh.partners, "a one-shot read honours the tombstone too");
        assertEquals(Set.of("mms"), ReferenceLoader.current(kafka, topics.partners).keySet(), "the live records of the partners topic");
    }
}
