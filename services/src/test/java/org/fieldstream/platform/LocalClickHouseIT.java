package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LocalClickHouseIT {

    @Test
    void finalQueryKeepsTheHighestVersionPerKey() {
        ClickHouseHttp clickHouse = ClickHouseHttp.of(TestServices.clickHouse());
        String db = database();
        createTable(clickHouse, db);

        clickHouse.query(db, "INSERT INTO t (k, v, s) VALUES ('a', 1, 'a1'), ('b', 1, 'b1')");
        clickHouse.query(db, "INSERT INTO t (k, v, s) VALUES ('a', 3, 'a3'), ('b', 0, 'b0')");
        clickHouse.query(db, "INSERT INTO t (k, v, s) VALUES ('a', 2, 'a2'), ('c', 1, 'c1')");

        assertEquals("a\t3\ta3\nb\t1\tb1\nc\t1\tc1\n",
                clickHouse.query(db, "SELECT k, v, s FROM t FINAL ORDER BY k"));
        clickHouse.query("DROP DATABASE " + db);
    }

    @Test
    void refusedStatementCarriesTheServerMessage() {
        ClickHouseHttp clickHouse = ClickHouseHttp.of(TestServices.clickHouse());

        ClickHouseHttp.ClickHouseHttpException e = assertThrows(ClickHouseHttp.ClickHouseHttpException.class,
                () -> clickHouse.query("SELECT * FROM no_such_db_" + UUID.randomUUID().toString().replace("-", "") + ".t"));

        assertTrue(e.status() >= 400, "status " + e.status());
        assertTrue(e.getMessage().contains("no_such_db_"), e.getMessage());
    }

    @Test
    void stopAndStartKeepPortsAndData() {
        Path workDir = TestServices.workDir().resolve("clickhouse-restart-" + UUID.randomUUID());
        try (LocalClickHouse server = LocalClickHouse.start(workDir)) {
            ClickHouseHttp clickHouse = ClickHouseHttp.of(server);
            String db = database();
            createTable(clickHouse, db);
            clickHouse.query(db, "INSERT INTO t (k, v, s) VALUES ('kept', 7, 'x')");
            int port = server.httpPort();

            server.stop();
            assertFalse(clickHouse.ping(), "ping after stop()");
            assertThrows(ClickHouseHttp.ClickHouseHttpException.class, () -> clickHouse.query("SELECT 1"));

            server.start();
            assertEquals(port, server.httpPort());
            assertEquals("kept\t7\tx\n", clickHouse.query(db, "SELECT k, v, s FROM t FINAL"));
        }
    }

    @Test
    void serverThatExitsAtOnceFailsWithItsOutput() throws Exception {
        Path workDir = LocalKafka.createDirectories(TestServices.workDir().resolve("clickhouse-broken-" + UUID.randomUUID()));
        Path fake = Files.writeString(workDir.resolve("fake-clickhouse-server"), "#!/bin/sh\necho boom: $1\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalClickHouse.start(workDir, new ClickHouseBinary(List.of(fake.toString()))));

        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertTrue(e.getMessage().contains("boom: --config-file="), e.getMessage());
    }

    private static String database() {
        return "it_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static void createTable(ClickHouseHttp clickHouse, String db) {
        clickHouse.query("CREATE DATABASE " + db);
        clickHouse.query(db, "CREATE TABLE t (k String, v UInt64, s String) "
                + "ENGINE = ReplacingMergeTree(v) ORDER BY k");
    }
}
