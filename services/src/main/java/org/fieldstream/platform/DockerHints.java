package org.fieldstream.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cheap signs that a Docker engine may be reachable, checked before Testcontainers probes (and logs). */
final class DockerHints {

    private DockerHints() {
    }

    static boolean present(Map<String, String> env, Path home) {
        if (env.containsKey("DOCKER_HOST") || env.containsKey("TESTCONTAINERS_HOST_OVERRIDE")
                || Files.exists(home.resolve(".testcontainers.properties"))) {
            return true;
        }
        return candidateSockets(env, home).stream().anyMatch(Files::exists);
    }

    static List<Path> candidateSockets(Map<String, String> env, Path home) {
        List<Path> sockets = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"),
                home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"),
                home.resolve(".rd/docker.sock")));
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        if (runtimeDir != null) {
            sockets.add(Path.of(runtimeDir, "docker.sock"));
            sockets.add(Path.of(runtimeDir, "podman/podman.sock"));
        }
        return sockets;
    }
}
