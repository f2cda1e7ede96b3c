package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.fieldstream.clickhouse.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class AnalystAccountsTest {

    private final AnalystAccounts accounts = new AnalystAccounts(new NoServer(), "http://127.0.0.1:1", "fieldstream",
            Path.of("/tmp/ch"), "127.0.0.1", 9000, AnalystAccounts.Limits.DEFAULT);

    @Test
    void scopesHaveTheirOwnDatabaseAndFilter() {
        AnalystScope program = AnalystScope.of(AnalystScope.Role.PROGRAM, "shouhardo3", null);
        AnalystScope partner = AnalystScope.of(AnalystScope.Role.PARTNER, "shouhardo3", "ndp");
        assertEquals("fieldstream_program_shouhardo3", program.database("fieldstream"));
        assertEquals("fieldstream_partner_shouhardo3_ndp", partner.database("fieldstream"));
        assertEquals("program_id = 'shouhardo3'", program.filter());
        assertEquals("program_id = 'shouhardo3' AND partner_id = 'ndp'", partner.filter());
        // ids that are not plain names get a hash, so care-sfo and care_sfo never share a database
        String dashed = AnalystScope.of(AnalystScope.Role.PARTNER, "shouhardo3", "care-sfo").database("fieldstream");
        String underscored = AnalystScope.of(AnalystScope.Role.PARTNER, "shouhardo3", "care_sfo").database("fieldstream");
        assertTrue(dashed.matches("fieldstream_partner_shouhardo3_care_sfo_[0-9a-f]{8}"), dashed);
        assertNotEquals(dashed, underscored);
        assertEquals("program_id = 'x\\' OR 1 = 1 --'", new AnalystScope("x' OR 1 = 1 --", null).filter());
        assertEquals(java.util.Optional.of(partner.filter()), partner.filterFor(java.util.Set.of("program_id", "partner_id", "x")));
        assertEquals(java.util.Optional.of("program_id = 'shouhardo3' AND dimension = 'partner' AND dimension_id = 'ndp'"),
                partner.filterFor(java.util.Set.of("program_id", "dimension", "dimension_id")));
        assertEquals(java.util.Optional.empty(), partner.filterFor(java.util.Set.of("program_id", "district_id")));
        assertEquals(java.util.Optional.of(program.filter()), program.filterFor(java.util.Set.of("program_id", "dimension")));
        assertEquals(java.util.Optional.empty(), program.filterFor(java.util.Set.of("stage", "reason")));
        assertEquals("s_partner_shouhardo3_ndp__v_outreach", ScopeViews.filteredView("fieldstream", partner, "v_outreach"));
    }

    @Test
    void rolesNeedTheirIds() {
        assertThrows(IllegalArgumentException.class, () -> AnalystScope.of(AnalystScope.Role.PARTNER, "shouhardo3", null));
        assertThrows(IllegalArgumentException.class, () -> AnalystScope.of(AnalystScope.Role.PROGRAM, "shouhardo3", "ndp"));
        IllegalArgumentException viewer = assertThrows(IllegalArgumentException.class, () -> AnalystScope.Role.parse("viewer"));
        assertTrue(viewer.getMessage().contains("no SQL account"), viewer.getMessage());
        for (String bad : List.of("default", "Ana", "1a", "a-b", "fieldstream_scope_reader", "fieldstream", "fieldstream_reader", "fieldstream_admin", "",
                accounts.viewersReader("shouhardo3"))) {
            assertThrows(IllegalArgumentException.class, () -> accounts.find(bad), bad);
        }
    }

    @Test
    void eachProgramsViewersHaveTheirOwnInternalReader() {
        String reader = accounts.viewersReader("shouhardo3");
        assertTrue(reader.matches("fieldstream_viewers_[0-9a-f]{8}"), reader);
        assertEquals(reader, accounts.viewersReader("shouhardo3"));
        assertFalse(reader.equals(accounts.viewersReader("shouhardo4")), "one reader per program");
    }

    @Test
    void anAccountFileHoldsOnlyTheHashAndItsScope() throws Exception {
        AnalystScope scope = AnalystScope.of(AnalystScope.Role.PARTNER, "shouhardo3", "care-sfo");
        String password = AnalystAccounts.newPassword();
        String xml = accounts.analystXml("ana", scope, scope.database("fieldstream"), password);
        Document doc = parse(xml);
        assertFalse(xml.contains(password));
        assertEquals(AnalystAccounts.sha256Element(password).replaceAll("</?password_sha256_hex>", ""),
                doc.getElementsByTagName("password_sha256_hex").item(0).getTextContent());
        assertEquals(scope.database("fieldstream"), doc.getElementsByTagName("database").item(0).getTextContent());
        assertEquals("fieldstream_analyst", doc.getElementsByTagName("profile").item(0).getTextContent());
        assertEquals(new AnalystAccounts.Analyst("ana", scope, scope.database("fieldstream")), AnalystAccounts.parse(xml).orElseThrow());
        assertNotEquals(password, AnalystAccounts.newPassword());
        assertTrue(password.length() >= 32, password);
    }

    @Test
    void theAnalystProfileIsReadOnlyLimitedAndAlwaysGoesThroughTheCluster() throws Exception {
        Document users = parse(accounts.readerXml("pw"));
        Document cluster = parse(accounts.clusterXml("pw"));
        var profile = (org.w3c.dom.Element) users.getElementsByTagName("fieldstream_analyst").item(0);
        assertEquals("1", profile.getElementsByTagName("readonly").item(0).getTextContent());
        assertEquals("0", profile.getElementsByTagName("prefer_localhost_replica").item(0).getTextContent());
        assertEquals("60", profile.getElementsByTagName("max_execution_time").item(0).getTextContent());
        assertEquals("1000000", profile.getElementsByTagName("max_result_rows").item(0).getTextContent());
        var reader = (org.w3c.dom.Element) users.getElementsByTagName("fieldstream_scope_reader").item(0);
        assertEquals("fieldstream", reader.getElementsByTagName("database").item(0).getTextContent());
        assertFalse(accounts.readerXml("pw").contains("<password>pw"), "the reader's password is hashed in users.d");
        assertEquals("fieldstream_scope_reader", cluster.getElementsByTagName("user").item(0).getTextContent());
        assertEquals("9000", cluster.getElementsByTagName("port").item(0).getTextContent());
        assertEquals(1, cluster.getElementsByTagName("fieldstream_scopes").getLength());
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static final class NoServer implements ClickHouseSql {
        @Override
        public void execute(String sql) {
            throw new UnsupportedOperationException(sql);
        }

        @Override
        public List<Map<String, String>> query(String sql) {
            throw new UnsupportedOperationException(sql);
        }
    }
}
