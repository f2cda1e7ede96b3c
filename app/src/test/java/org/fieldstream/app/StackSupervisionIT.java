package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack keeps its stages running: after {@code up}, the streams and sink processes are
 * killed with SIGKILL; the supervisor starts each again, {@code status} shows one restart each with
 * the exit code of the kill, and {@code down} leaves no process of the stack behind. Its own Kafka
 * and ClickHouse processes, started like a user's, stopped at the end.
 */
class StackSupervisionIT {

    private static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path work;

    @Test
    void killedStagesComeBackAreCountedAndDownStopsEverything() throws Exception {
        LocalStack stack = new LocalStack(work.resolve("var"));
        try {
            Map<String, String> endpoints = stack.up(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            awaitAllRunning(stack);
            // the stack's dashboard asks for an analyst's login: the page sends a browser to the form
            assertEquals(303, awaitStatus(endpoints.get("dashboard"), 303), "the supervised dashboard at " + endpoints.get("dashboard"));
            assertEquals(200, awaitStatus(endpoints.get("dashboard") + "login", 200), "the supervised dashboard's login form");
            // the push endpoint listening (a GET on its path: 405, use POST), so that it has a shutdown to log when
            // down stops it; a stage's process runs well before it serves, and one stopped while starting logs none
            String push = endpoints.get("push endpoint").replace("{program}", "any").replace("{partner}", "any");
            assertEquals(405, awaitStatus(push, 405), "the supervised push endpoint at " + push);

            long streams = pid(stack, "streams");
            long sink = pid(stack, "sink");
            ProcessHandle.of(streams).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(sink).ifPresent(ProcessHandle::destroyForcibly);

            Awaitility.await("streams and sink started again").atMost(BOUND).pollInterval(Duration.ofMillis(250))
                    .until(() -> restarted(stack, "streams", streams) && restarted(stack, "sink", sink));
            ByteArrayOutputStream status = new ByteArrayOutputStream();
            assertTrue(StackCommand.print(stack, new PrintStream(status, true, StandardCharsets.UTF_8)), status.toString(StandardCharsets.UTF_8));
            String shown = status.toString(StandardCharsets.UTF_8);
            // process, state, pid, restarts, last_exit (128 + SIGKILL), last_error
            assertTrue(shown.matches("(?s).*\\n\\s*streams\\s+running\\s+" + pid(stack, "streams") + "\\s+1\\s+137\\s.*"), shown);
            assertTrue(shown.matches("(?s).*\\n\\s*sink\\s+running\\s+" + pid(stack, "sink") + "\\s+1\\s+137\\s.*"), shown);
            assertTrue(shown.matches("(?s).*\\n\\s*serve\\s+running\\s+\\d+\\s+0\\s+-\\s.*"), shown);
            assertTrue(shown.matches("(?s).*\\n\\s*kafka/\\s+\\d.*"), "disk used by Kafka: " + shown);
            assertTrue(shown.matches("(?s).*\\n\\s*free\\s+\\d.*"), "free space: " + shown);

            List<Long> stagePids = LocalStack.STAGES.stream().map(stage -> pid(stack, stage)).toList();
            long supervisor = stack.supervisor().process().orElseThrow().pid();
            assertEquals(List.of("dashboard", "serve", "sink", "streams", "supervisor", "clickhouse", "kafka"), stack.down());
            assertFalse(stack.processes().containsValue(true), stack.processes().toString());
            for (long pid : concat(stagePids, List.of(streams, sink, supervisor))) {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " still runs after down");
            }
            // each stopped by SIGTERM alone (its pipe from the supervisor still open), and the push endpoint,
            // running since up, logged its shutdown to its own log
            SupervisorState.read(stack.supervisorStateFile(), LocalStack.STAGES).values()
                    .forEach(stage -> assertEquals(143, stage.lastExit(), stage.toString()));
            String serveLog = java.nio.file.Files.readString(stack.logs().resolve("serve.log"));
            assertTrue(serveLog.contains("HTTP push stopped"), "serve's shutdown logged:\n" + serveLog
                    + "\nsupervise.log:\n" + java.nio.file.Files.readString(stack.logs().resolve("supervise.log")));
            String marker = "-Dfieldstream.stage=";
            assertEquals(List.of(), ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker) && c.contains(work.toString())).orElse(false))
                    .map(ProcessHandle::pid).toList(), "no process of this stack remains");
        } finally {
            stack.down();
        }
    }

    private static void awaitAllRunning(LocalStack stack) {
        Awaitility.await("every process of the stack running").atMost(BOUND).pollInterval(Duration.ofMillis(250))
                .until(() -> !stack.processes().containsValue(false));
    }

    private static long pid(LocalStack stack, String stage) {
        return stack.stage(stage).process().orElseThrow(() -> new AssertionError(stage + " not running")).pid();
    }

    private static boolean restarted(LocalStack stack, String stage, long killed) {
        return stack.stage(stage).process().map(p -> p.pid() != killed).orElse(false);
    }

    /** The status code {@code url} answers a GET with once it is {@code wanted}, or the last answer (-1: none) after the bound. */
    private static int awaitStatus(String url, int wanted) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        AtomicInteger last = new AtomicInteger(-1);
        try {
            Awaitility.await(url + " answering " + wanted).atMost(BOUND).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        last.set(status(client, url));
                        return last.get() == wanted;
                    });
        } catch (ConditionTimeoutException e) {
            // the caller's assertion shows the last answer
        }
        return last.get();
    }

    private static int status(HttpClient client, String url) throws InterruptedException {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            return -1; // not listening yet
        }
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
