package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/**
 * Grafana is not run here (no Docker): these checks parse the provisioning files and make sure
 * every dashboard query reads only tables the migrations create and views the schema's view files hold. GrafanaQueriesIT
 * runs the queries themselves on ClickHouse 18.16 and on the 26.7 engine.
 */
class GrafanaProvisioningTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern FROM = Pattern.compile("\\bfieldstream\\.([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern CREATED = Pattern.compile("CREATE (?:TABLE|VIEW) IF NOT EXISTS \\$\\{db}\\.([A-Za-z_][A-Za-z0-9_]*)");

    @Test
    void datasourceIsTheClickHousePluginOnTheComposeService() throws IOException {
        JsonNode datasources = YAML.readTree(GrafanaProvisioning.ROOT.resolve("provisioning/datasources/clickhouse.yaml").toFile());
        assertEquals(1, datasources.path("apiVersion").asInt());
        JsonNode ds = datasources.path("datasources").get(0);
        assertEquals("grafana-clickhouse-datasource", ds.path("type").asText());
        assertEquals("fieldstream-clickhouse", ds.path("uid").asText());
        assertEquals("clickhouse", ds.path("jsonData").path("host").asText());
        assertEquals(9000, ds.path("jsonData").path("port").asInt());
        assertEquals("native", ds.path("jsonData").path("protocol").asText());
        assertEquals("fieldstream", ds.path("jsonData").path("username").asText());
        assertEquals("fieldstream", ds.path("jsonData").path("defaultDatabase").asText());
        assertEquals("fieldstream", ds.path("secureJsonData").path("password").asText());
    }

    @Test
    void dashboardProviderReadsTheMountedDirectory() throws IOException {
        JsonNode providers = YAML.readTree(GrafanaProvisioning.ROOT.resolve("provisioning/dashboards/dashboards.yaml").toFile());
        JsonNode provider = providers.path("providers").get(0);
        assertEquals("file", provider.path("type").asText());
        assertEquals("/var/lib/grafana/dashboards", provider.path("options").path("path").asText());
    }

    @Test
    void threeDashboardsWhosePanelsUseTheProvisionedDatasource() {
        List<Path> files = GrafanaProvisioning.dashboardFiles();
        Set<String> titles = new HashSet<>();
        Set<String> uids = new HashSet<>();
        for (Path file : files) {
            JsonNode dashboard = GrafanaProvisioning.dashboard(file);
            titles.add(dashboard.path("title").asText());
            assertTrue(uids.add(dashboard.path("uid").asText()), "duplicate uid in " + file);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode panel : dashboard.path("panels")) {
                assertTrue(ids.add(panel.path("id").asInt()), "duplicate panel id in " + file);
                assertFalse(panel.path("targets").isEmpty(), "panel without a query in " + file);
                for (JsonNode target : panel.path("targets")) {
                    assertEquals("fieldstream-clickhouse", target.path("datasource").path("uid").asText(), file.toString());
                    assertFalse(target.path("rawSql").asText().isBlank(), file.toString());
                }
            }
        }
        assertEquals(Set.of("Retention", "Outreach", "Freshness"), titles);
    }

    @Test
    void everyQueryReadsOnlyWhatTheMigrationsCreate() throws IOException {
        Set<String> created = createdByMigrations();
        assertTrue(created.contains("dash_freshness"), created.toString());
        Set<String> used = new HashSet<>();
        for (Path file : GrafanaProvisioning.dashboardFiles()) {
            for (String sql : GrafanaProvisioning.rawSql(GrafanaProvisioning.dashboard(file))) {
                Matcher m = FROM.matcher(sql);
                boolean any = false;
                while (m.find()) {
                    any = true;
                    assertTrue(created.contains(m.group(1)), file + " reads " + m.group(1) + ", which no migration creates");
                    used.add(m.group(1));
                }
                assertTrue(any, "query names no fieldstream view: " + sql);
            }
        }
        assertTrue(used.containsAll(Set.of("dash_retention_by_partner_district", "dash_survival_curves",
                "dash_people_reached_by_month", "dash_targets_vs_actuals", "dash_freshness")), used.toString());
    }

    /** The tables the migrations create and the views of the schema's view files. */
    private static Set<String> createdByMigrations() throws IOException {
        Set<String> names = new HashSet<>();
        for (String file : lines(resource("/sql/migrations/index.txt"))) {
            Matcher m = CREATED.matcher(resource("/sql/migrations/" + file));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        names.addAll(lines(resource("/sql/views/index.txt")));
        return names;
    }

    private static List<String> lines(String index) {
        return index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = GrafanaProvisioningTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no bundled schema resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
