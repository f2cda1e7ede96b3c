package org.fieldstream.platform;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a ClickHouse server executable: {@code FIELDSTREAM_CLICKHOUSE_BIN}, else {@code clickhouse-server}
 * (Debian's 18.16 package), else the single {@code clickhouse} binary of current releases.
 *
 * @param serverCommand the command that starts a server, before {@code --config-file=...}
 */
public record ClickHouseBinary(List<String> serverCommand) {

    public static final String ENV = "FIELDSTREAM_CLICKHOUSE_BIN";

    static final String HOW_TO_INSTALL = """
            Get a ClickHouse server in one of these ways:
              1. Debian/Ubuntu, as root: apt-get update && apt-get install -y clickhouse-server clickhouse-client
              2. the single binary from clickhouse.com: curl https://clickhouse.com/ | sh
                 then put ./clickhouse on PATH or set FIELDSTREAM_CLICKHOUSE_BIN=/path/to/clickhouse
              3. Docker: docker compose up clickhouse, and run the tests with FIELDSTREAM_SERVICES=docker""";

    private static final List<Path> USUAL_DIRS = List.of(
            Path.of("/usr/bin"), Path.of("/usr/sbin"), Path.of("/usr/local/bin"));

    public ClickHouseBinary {
        serverCommand = List.copyOf(serverCommand);
    }

    /** Looks where a user of this machine would have installed ClickHouse. */
    public static ClickHouseBinary locate() {
        return locate(System.getenv(), searchDirs(System.getenv("PATH")));
    }

    static ClickHouseBinary locate(Map<String, String> env, List<Path> dirs) {
        String configured = env.get(ENV);
        if (configured != null && !configured.isBlank()) {
            Path bin = Path.of(configured);
            if (!Files.isExecutable(bin)) {
                throw new IllegalStateException(ENV + "=" + configured + " is not an executable file.\n" + HOW_TO_INSTALL);
            }
            return of(bin);
        }
        return find(dirs, "clickhouse-server")
                .or(() -> find(dirs, "clickhouse"))
                .map(ClickHouseBinary::of)
                .orElseThrow(() -> new IllegalStateException("No ClickHouse server found: looked at " + ENV
                        + ", then for clickhouse-server and clickhouse in " + dirs + ".\n" + HOW_TO_INSTALL));
    }

    /** {@code clickhouse-server} takes the config directly; the single binary needs the {@code server} verb. */
    static ClickHouseBinary of(Path bin) {
        String name = bin.getFileName().toString();
        return name.equals("clickhouse")
                ? new ClickHouseBinary(List.of(bin.toString(), "server"))
                : new ClickHouseBinary(List.of(bin.toString()));
    }

    static List<Path> searchDirs(String pathVariable) {
        List<Path> dirs = new ArrayList<>();
        if (pathVariable != null) {
            for (String entry : pathVariable.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    dirs.add(Path.of(entry));
                }
            }
        }
        USUAL_DIRS.stream().filter(dir -> !dirs.contains(dir)).forEach(dirs::add);
        return dirs;
    }

    private static Optional<Path> find(List<Path> dirs, String name) {
        return dirs.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
    }
}
