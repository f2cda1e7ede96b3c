package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerHintsTest {

    @TempDir
    Path home;

    @Test
    void dockerHostVariableIsAHint() {
        assertTrue(DockerHints.present(Map.of("DOCKER_HOST", "tcp://example:2375"), home));
    }

    @Test
    void socketInTheRuntimeDirIsAHint() throws IOException {
        Path runtime = Files.createDirectories(home.resolve("run"));
        Files.createFile(runtime.resolve("docker.sock"));

        assertTrue(DockerHints.present(Map.of("XDG_RUNTIME_DIR", runtime.toString()), home));
    }

    @Test
    void testcontainersPropertiesIsAHint() throws IOException {
        Files.createFile(home.resolve(".testcontainers.properties"));

        assertTrue(DockerHints.present(Map.of(), home));
    }

    @Test
    void emptyHomeAndRuntimeDirOfferNoSocket() {
        Map<String, String> env = Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString());

        assertFalse(DockerHints.candidateSockets(env, home).stream()
                .filter(socket -> socket.startsWith(home))
                .anyMatch(Files::exists));
        assertTrue(DockerHints.candidateSockets(env, home).contains(home.resolve("run/docker.sock")));
    }
}
