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

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document xml, String tag) {
        return xml.getElementsByTagName(tag).item(0).getTextContent();
    }
}
