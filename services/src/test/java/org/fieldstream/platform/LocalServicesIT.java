package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class LocalServicesIT {

    @Test
    void startsBothAndCloseStopsBoth() throws Exception {
        Path workDir = TestServices.workDir().resolve("local-services-" + UUID.randomUUID());
        LocalServices services = LocalServices.start(workDir);
        ClickHouseHttp clickHouse = ClickHouseHttp.of(services.clickHouse());
        try (services) {
            assertEquals("2\n", clickHouse.query("SELECT 1 + 1"));
            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrapServers()))) {
                assertEquals(1, admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size());
            }
            assertTrue(services.kafka().process().isAlive());
        }

        assertFalse(services.kafka().process().isAlive(), "broker JVM after close()");
        assertFalse(services.clickHouse().isRunning(), "ClickHouse after close()");
        assertFalse(clickHouse.ping(), "ClickHouse answers after close()");
    }
}
