package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackCredentialsTest {

    @TempDir
    Path dir;

    @Test
    void generatesAUserPerKindOfWorkAndAddsThemToAnOlderFile() throws Exception {
        Path file = dir.resolve("credentials.properties");
        StackCredentials generated = StackCredentials.ensure(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Properties p = load(file);
        assertEquals("fieldstream", p.getProperty("clickhouse.user"));
        assertEquals("fieldstream_reader", p.getProperty("clickhouse.reader.user"));
        assertEquals("fieldstream_admin", p.getProperty("clickhouse.admin.user"));
        assertEquals(3, java.util.stream.Stream.of("clickhouse.password", "clickhouse.reader.password", "clickhouse.admin.password")
                .map(p::getProperty).distinct().count(), "three passwords");
        assertEquals(generated, StackCredentials.ensure(file), "read back as written");

        // a file written before the reader and the admin: they are generated and added, the rest is kept
        p.remove("clickhouse.reader.user");
        p.remove("clickhouse.reader.password");
        p.remove("clickhouse.admin.user");
        p.remove("clickhouse.admin.password");
        try (var out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        StackCredentials upgraded = StackCredentials.ensure(file);
        assertEquals(generated.clickHouseWriter(), upgraded.clickHouseWriter());
        assertEquals(generated.kafkaClient(), upgraded.kafkaClient());
        assertEquals("fieldstream_reader", upgraded.clickHouseReader().user());
        assertNotEquals(generated.clickHouseReader().password(), upgraded.clickHouseReader().password());
        assertEquals(upgraded, StackCredentials.ensure(file), "the added users are kept in the file");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(upgraded.toString().contains(upgraded.clickHouseAdmin().password()), "no password in its text");
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }
}
