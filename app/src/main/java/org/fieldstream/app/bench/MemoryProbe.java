package org.fieldstream.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of one process: resident set from /proc/&lt;pid&gt;/status, and for a JVM the heap in use
 * right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}), i.e. the live set, which is
 * what must stay flat if state is bounded.
 */
final class MemoryProbe {

    private static final Pattern VM_RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    /** Megabytes; heap is NaN for a process that is not a JVM. */
    record Sample(String process, long events, double rssMb, double liveHeapMb) {
    }

    private MemoryProbe() {
    }

    static Sample sample(String process, long pid, boolean jvm, long events) {
        return new Sample(process, events, rssMb(pid), jvm ? liveHeapMb(pid) : Double.NaN);
    }

    static double rssMb(long pid) {
        try {
            Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    static double liveHeapMb(long pid) {
        jcmd(pid, "GC.run");
        return parseHeapUsedMb(jcmd(pid, "GC.heap_info"));
    }

    /** The first "used NK" of a GC.heap_info answer: the whole heap's use, for G1 and Serial alike. */
    static double parseHeapUsedMb(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(1)) / 1024.0 : Double.NaN;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(60, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The pid of the ClickHouse server among this JVM's descendants (it runs under a launcher shell). */
    static long clickHousePid() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("clickhouse")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    static List<String> processOrder() {
        return List.of("ingest+bench", "streams", "sink", "kafka", "clickhouse");
    }
}
