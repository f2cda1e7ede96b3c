package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickHouseBinaryTest {

    @TempDir
    Path dir;

    @Test
    void missingServerNamesTheThreeWaysToGetOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ClickHouseBinary.locate(Map.of(), List.of(dir)));

        String message = e.getMessage();
        assertTrue(message.contains("apt-get update && apt-get install -y clickhouse-server clickhouse-client"), message);
        assertTrue(message.contains("curl https://clickhouse.com/ | sh"), message);
        assertTrue(message.contains("docker compose up clickhouse"), message);
        assertTrue(message.contains(ClickHouseBinary.ENV), message);
    }

    @Test
    void prefersClickHouseServerOverTheSingleBinary() throws IOException {
        Path single = executable(dir.resolve("a"), "clickhouse");
        Path server = executable(dir.resolve("b"), "clickhouse-server");

        ClickHouseBinary found = ClickHouseBinary.locate(Map.of(), List.of(single.getParent(), server.getParent()));

        assertEquals(List.of(server.toString()), found.serverCommand());
    }

    @Test
    void singleBinaryRunsWithTheServerVerb() throws IOException {
        Path single = executable(dir, "clickhouse");

        assertEquals(List.of(single.toString(), "server"),
                ClickHouseBinary.locate(Map.of(), List.of(dir)).serverCommand());
    }

    @Test
    void environmentVariableWinsOverThePath() throws IOException {
        Path configured = executable(dir.resolve("custom"), "clickhouse");
        Path onPath = executable(dir.resolve("path"), "clickhouse-server");

        ClickHouseBinary found = ClickHouseBinary.locate(Map.of(ClickHouseBinary.ENV, configured.toString()),
                List.of(onPath.getParent()));

        assertEquals(List.of(configured.toString(), "server"), found.serverCommand());
    }

    @Test
    void environmentVariableNamingNoExecutableFailsWithTheHelp() {
        Map<String, String> env = Map.of(ClickHouseBinary.ENV, dir.resolve("nothing").toString());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ClickHouseBinary.locate(env, List.of()));

        assertTrue(e.getMessage().contains("is not an executable file"), e.getMessage());
        assertTrue(e.getMessage().contains("curl https://clickhouse.com/ | sh"), e.getMessage());
    }

    @Test
    void searchDirsAreThePathThenTheUsualPlaces() {
        List<Path> dirs = ClickHouseBinary.searchDirs("/opt/x:/usr/bin");

        assertEquals(List.of(Path.of("/opt/x"), Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/usr/local/bin")),
                dirs);
    }

    private static Path executable(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
