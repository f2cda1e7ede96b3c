package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ClickHouseConfigTest {

    private final ClickHouseConfig config = new ClickHouseConfig(Path.of("/tmp/w & d"), 18123, 19000);

    @Test
    void serverConfigUsesTheRootBothOldAndNewServersAccept() throws Exception {
        Document xml = parse(config.configXml());

        assertEquals("yandex", xml.getDocumentElement().getTagName());
        assertEquals("127.0.0.1", text(xml, "listen_host"));
        assertEquals("18123", text(xml, "http_port"));
        assertEquals("19000", text(xml, "tcp_port"));
        assertEquals("default", text(xml, "default_profile"));
        assertEquals("warning", text(xml, "level"));
    }

    @Test
    void everyPathIsInsideTheWorkDirAndDirectoriesEndWithASlash() throws Exception {
        Document xml = parse(config.configXml());

        assertEquals("/tmp/w & d/data/", text(xml, "path"));
        assertEquals("/tmp/w & d/tmp/", text(xml, "tmp_path"));
        assertEquals("/tmp/w & d/user_files/", text(xml, "user_files_path"));
        assertEquals("/tmp/w & d/format_schemas/", text(xml, "format_schema_path"));
        assertEquals("/tmp/w & d/users.xml", text(xml, "users_config"));
        assertEquals("/tmp/w & d/log/clickhouse-server.err.log", text(xml, "errorlog"));
    }

    @Test
    void defaultUserHasNoPasswordAndOnlyLoopback() throws Exception {
        Document users = parse(ClickHouseConfig.usersXml());

        assertEquals("yandex", users.getDocumentElement().getTagName());
        assertEquals("", text(users, "password"));
        assertEquals(2, users.getElementsByTagName("ip").getLength());
        assertEquals("127.0.0.1", users.getElementsByTagName("ip").item(0).getTextContent());
        assertEquals("::1", users.getElementsByTagName("ip").item(1).getTextContent());
        assertEquals("default", text(users, "profile"));
        assertEquals("default", text(users, "quota"));
    }

    @Test
    void theStackUserHasAHashedPasswordAndDefaultOneNobodyKnows() throws Exception {
        String xml = ClickHouseConfig.usersXml("fieldstream", "s3cret");
        Document users = parse(xml);

        assertEquals(0, users.getElementsByTagName("password").getLength(), "no plain-text password element");
        org.junit.jupiter.api.Assertions.assertFalse(xml.contains("s3cret"), "the password itself is not in the file");
        org.w3c.dom.Element user = (org.w3c.dom.Element) users.getElementsByTagName("fieldstream").item(0);
        // echo -n s3cret | sha256sum
        assertEquals("1bfb2fe0e9b0d4d7e4d3f1a2a0e0d9b4e1c2a3b4c5d6e7f8091a2b3c4d5e6f70".length(),
                user.getElementsByTagName("password_sha256_hex").item(0).getTextContent().length());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("s3cret".getBytes(StandardCharsets.UTF_8))), user.getElementsByTagName("password_sha256_hex").item(0).getTextContent());
        assertEquals(2, user.getElementsByTagName("ip").getLength());
        org.w3c.dom.Element defaultUser = (org.w3c.dom.Element) users.getElementsByTagName("default").item(1);
        assertEquals("users", defaultUser.getParentNode().getNodeName());
        String defaultHash = defaultUser.getElementsByTagName("password_sha256_hex").item(0).getTextContent();
        assertEquals(64, defaultHash.length());
        org.junit.jupiter.api.Assertions.assertNotEquals(defaultHash, parse(ClickHouseConfig.usersXml("fieldstream", "s3cret"))
                .getElementsByTagName("password_sha256_hex").item(0).getTextContent(), "a new random password for default at each start");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ClickHouseConfig.usersXml("default", "x"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ClickHouseConfig.usersXml("a<b", "x"));
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document xml, String tag) {
        return xml.getElementsByTagName(tag).item(0).getTextContent();
    }
}
