package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

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
    void theStackUsersHaveHashedPasswordsTheirDatabasesAndDefaultCannotConnect() throws Exception {
        StackClickHouseUsers stack = new StackClickHouseUsers("fieldstream", new StackClickHouseUsers.Login("fieldstream", "s3cret"),
                new StackClickHouseUsers.Login("fieldstream_reader", "r3ad"), new StackClickHouseUsers.Login("fieldstream_admin", "adm1n"));
        String xml = ClickHouseConfig.usersXml(stack);
        Document users = parse(xml);

        assertEquals(0, users.getElementsByTagName("password").getLength(), "no plain-text password element");
        for (String secret : List.of("s3cret", "r3ad", "adm1n")) {
            assertFalse(xml.contains(secret), "the password itself is not in the file");
        }
        Element writer = user(users, "fieldstream");
        assertEquals(sha256("s3cret"), writer.getElementsByTagName("password_sha256_hex").item(0).getTextContent());
        assertEquals(2, writer.getElementsByTagName("ip").getLength());
        assertEquals("default", text(writer, "profile"));
        assertEquals(List.of("fieldstream"), databases(writer));

        Element reader = user(users, "fieldstream_reader");
        assertEquals(sha256("r3ad"), reader.getElementsByTagName("password_sha256_hex").item(0).getTextContent());
        assertEquals(ClickHouseConfig.READER_PROFILE, text(reader, "profile"));
        assertEquals(List.of("fieldstream"), databases(reader));
        Element readerProfile = (Element) ((Element) users.getElementsByTagName("profiles").item(0))
                .getElementsByTagName(ClickHouseConfig.READER_PROFILE).item(0);
        assertEquals("1", text(readerProfile, "readonly"));

        Element admin = user(users, "fieldstream_admin");
        assertEquals(sha256("adm1n"), admin.getElementsByTagName("password_sha256_hex").item(0).getTextContent());
        assertEquals("default", text(admin, "profile"));
        assertEquals(List.of(), databases(admin), "the admin creates scope databases: every database");

        Element defaultUser = user(users, "default");
        assertEquals(0, defaultUser.getElementsByTagName("ip").getLength(), "default may connect from no network");
        String defaultHash = defaultUser.getElementsByTagName("password_sha256_hex").item(0).getTextContent();
        assertEquals(64, defaultHash.length());
        assertNotEquals(defaultHash, user(parse(ClickHouseConfig.usersXml(stack)), "default")
                .getElementsByTagName("password_sha256_hex").item(0).getTextContent(), "a new random password for default at each start");
        assertThrows(IllegalArgumentException.class, () -> new StackClickHouseUsers.Login("default", "x"));
        assertThrows(IllegalArgumentException.class, () -> new StackClickHouseUsers.Login("a<b", "x"));
        assertThrows(IllegalArgumentException.class, () -> new StackClickHouseUsers("fieldstream", stack.writer(), stack.writer(), stack.admin()));
    }

    private static Element user(Document users, String name) {
        Element all = (Element) users.getElementsByTagName("users").item(0);
        for (int i = 0; i < all.getChildNodes().getLength(); i++) {
            if (all.getChildNodes().item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no user " + name);
    }

    private static List<String> databases(Element user) {
        List<String> out = new java.util.ArrayList<>();
        NodeList list = user.getElementsByTagName("database");
        for (int i = 0; i < list.getLength(); i++) {
            out.add(list.item(i).getTextContent());
        }
        return out;
    }

    private static String text(Element element, String tag) {
        return element.getElementsByTagName(tag).item(0).getTextContent();
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document xml, String tag) {
        return xml.getElementsByTagName(tag).item(0).getTextContent();
    }
}
