package org.fieldstream.app.browser;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Headless Chromium driven from the command line, no WebDriver: {@code --dump-dom} prints the DOM
 * after the page loaded, {@code --screenshot} writes a PNG, and a plain headless run stays on the
 * page (for a page that reloads itself). The binary: FIELDSTREAM_CHROMIUM, else chromium,
 * chromium-browser or google-chrome on PATH. Missing, it is an error: bin/install-deps --tests installs it.
 */
public final class Chromium {

    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");
    private static final Duration RUN_LIMIT = Duration.ofSeconds(180);

    private final Path binary;
    private final Path work;
    private int runs;

    private Chromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** The browser to drive, with a directory for its profiles and logs; fails when none is installed. */
    public static Chromium find(Path work) {
        String configured = System.getenv("FIELDSTREAM_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new AssertionError("FIELDSTREAM_CHROMIUM=" + configured + " is not an executable file");
            }
            return new Chromium(path, work);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            for (String name : NAMES) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return new Chromium(candidate, work);
                }
            }
        }
        throw new AssertionError("no Chromium found (chromium, chromium-browser or google-chrome on PATH, or FIELDSTREAM_CHROMIUM): "
                + "bin/install-deps --tests installs Debian's chromium when run as root");
    }

    public Path binary() {
        return binary;
    }

    /** The page's DOM serialized as HTML once it has loaded. */
    public String dumpDom(URI url) throws IOException, InterruptedException {
        Path out = run(List.of("--dump-dom", url.toString()));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A PNG of the page in a window of the given size. */
    public void screenshot(URI url, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars", url.toString()));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("Chromium wrote no screenshot to " + png);
        }
    }

    /**
     * Keeps the page open until {@code done} holds (polled every 200 ms) or the time is up; returns
     * whether it held. For a page that reloads itself: the browser stays on it and follows.
     */
    public boolean stayOn(URI url, Duration limit, BooleanSupplier done) throws IOException, InterruptedException {
        Process process = start(List.of(url.toString()));
        try {
            Awaitility.await("the page open in Chromium").atMost(limit).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Chromium stopped with exit code " + process.exitValue() + "; log: " + log(runs));
                }
                return done.getAsBoolean();
            });
            return true;
        } catch (ConditionTimeoutException e) {
            return done.getAsBoolean();
        } finally {
            stop(process);
        }
    }

    private Path run(List<String> arguments) throws IOException, InterruptedException {
        Process process = start(arguments);
        try {
            if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("Chromium did not finish within " + RUN_LIMIT.toSeconds() + " s: " + arguments);
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("Chromium exited with " + process.exitValue() + " for " + arguments + "; log: " + log(runs));
            }
            return work.resolve("chromium-" + runs + ".out");
        } finally {
            stop(process);
        }
    }

    private Process start(List<String> arguments) throws IOException {
        runs++;
        Files.createDirectories(work);
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + work.resolve("profile-" + runs)));
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .redirectOutput(work.resolve("chromium-" + runs + ".out").toFile())
                .redirectError(work.resolve("chromium-" + runs + ".log").toFile())
                .start();
    }

    /** The browser and every process it started (renderers, GPU and zygote helpers). */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        process.waitFor(10, TimeUnit.SECONDS);
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private String log(int run) {
        try {
            List<String> lines = Files.readAllLines(work.resolve("chromium-" + run + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
