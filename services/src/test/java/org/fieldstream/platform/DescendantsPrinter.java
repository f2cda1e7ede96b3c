package org.fieldstream.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Child main for parent-death tests: starts a grandchild JVM ({@code jvm <dir>}) or a ClickHouse
 * server ({@code clickhouse <dir>}), prints the pids of all its descendants, then waits forever.
 */
public final class DescendantsPrinter {

    private DescendantsPrinter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args[1]);
        if (args[0].equals("jvm")) {
            ChildJvm.start("grandchild", Sleeper.class.getName(), List.of("-Xmx32m"),
                    List.of(dir.resolve("grandchild.marker").toString()), dir.resolve("grandchild.log"));
        } else {
            LocalClickHouse.start(dir.resolve("clickhouse"));
        }
        String pids = ProcessHandle.current().descendants()
                .map(p -> String.valueOf(p.pid())).collect(Collectors.joining(","));
        System.out.println("descendants=" + pids);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
