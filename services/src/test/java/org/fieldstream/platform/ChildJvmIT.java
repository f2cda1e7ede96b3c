package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ChildJvmIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final Path dir = LocalKafka.createDirectories(
            TestServices.workDir().resolve("child-jvm-" + UUID.randomUUID()));

    @Test
    void killEndsTheChildWithoutShutdownHooks() throws IOException {
        Path marker = dir.resolve("sleeper.marker");
        ChildJvm child = startSleeper(marker);

        child.kill();

        assertFalse(child.isAlive());
        assertEquals(137, child.waitFor(Duration.ofSeconds(5)), "128 + SIGKILL");
        assertFalse(Files.exists(marker), "a killed JVM runs no shutdown hook");
    }

    @Test
    void stopLetsShutdownHooksRun() throws IOException {
        Path marker = dir.resolve("sleeper.marker");
        ChildJvm child = startSleeper(marker);

        child.stop();

        assertFalse(child.isAlive());
        assertEquals("clean shutdown", Files.readString(marker));
    }

    @Test
    void grandchildJvmExitsWhenItsParentIsKilled() throws Exception {
        List<ProcessHandle> grandchildren = killParentOf("jvm");

        assertEquals(1, grandchildren.size(), "one grandchild JVM: " + grandchildren);
        assertAllExit(grandchildren);
    }

    @Test
    void clickHouseExitsWhenItsJvmIsKilled() throws Exception {
        List<ProcessHandle> server = killParentOf("clickhouse");

        assertTrue(server.stream().anyMatch(p -> p.info().command().orElse("").contains("clickhouse")),
                "a ClickHouse process among " + server.stream().map(p -> p.info().command()).toList());
        assertAllExit(server);
    }

    /** Starts a child JVM that starts {@code what}, SIGKILLs the child, returns the grandchildren it had. */
    private List<ProcessHandle> killParentOf(String what) throws Exception {
        ChildJvm parent = ChildJvm.start("parent-" + what, DescendantsPrinter.class.getName(), List.of("-Xmx64m"),
                List.of(what, dir.toString()), dir.resolve("parent.log"));
        String line = awaitLine(parent, "descendants=");
        List<ProcessHandle> descendants = Arrays.stream(line.substring("descendants=".length()).split(","))
                .map(Long::parseLong).map(ProcessHandle::of).flatMap(Optional::stream).toList();
        assertFalse(descendants.isEmpty(), "descendants still running before the kill");
        assertTrue(descendants.stream().allMatch(ProcessHandle::isAlive));

        parent.kill();
        return descendants;
    }

    private static void assertAllExit(List<ProcessHandle> processes) {
        Awaitility.await("every descendant exits after the parent died").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> processes.stream().noneMatch(ProcessHandle::isAlive));
    }

    private ChildJvm startSleeper(Path marker) throws IOException {
        ChildJvm child = ChildJvm.start("sleeper", Sleeper.class.getName(), List.of("-Xmx32m"),
                List.of(marker.toString()), dir.resolve("sleeper.log"));
        awaitLine(child, "ready");
        return child;
    }

    private static String awaitLine(ChildJvm child, String prefix) {
        Optional<String> line = Awaitility.await(child + " prints a '" + prefix + "' line").atMost(WAIT)
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    assertTrue(child.isAlive(), child + " exited early\n" + child.logTail(30));
                    return Files.exists(child.logFile())
                            ? Files.readAllLines(child.logFile()).stream().filter(l -> l.startsWith(prefix)).findFirst()
                            : Optional.<String>empty();
                }, Optional::isPresent);
        return line.orElseThrow();
    }
}
