package org.fieldstream.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The Grafana files in the repository (../grafana from this module), parsed, for the tests. */
final class GrafanaProvisioning {

    static final Path ROOT = Path.of("..", "grafana");
    private static final ObjectMapper JSON = new ObjectMapper();

    private GrafanaProvisioning() {
    }

    static List<Path> dashboardFiles() {
        try (Stream<Path> files = Files.list(ROOT.resolve("dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode dashboard(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + file, e);
        }
    }

    /** Every panel query's SQL, in every dashboard. */
    static List<String> rawSql(JsonNode dashboard) {
        List<String> sql = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                sql.add(target.path("rawSql").asText());
            }
        }
        return sql;
    }
}
