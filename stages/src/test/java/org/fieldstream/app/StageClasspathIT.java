package org.fieldstream.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The stage runtime as {@code package} leaves it ({@code target/classes} and {@code target/lib}, what
 * the {@code fieldstream} script runs the stages on and the Docker image holds): no broker, Scala,
 * Testcontainers, Docker client, JUnit, Kafka tools or Connect, no local services and no benchmark
 * code, one Jackson version; and the {@code fieldstream} command it runs offers the stages.
 */
class StageClasspathIT {

    /** Jar name prefixes that must never be on the stage class path. */
    static final List<String> FORBIDDEN = List.of("kafka_2.13", "scala-", "testcontainers", "docker-java", "junit",
            "kafka-tools", "connect-", "fieldstream-services", "fieldstream-app");

    private static final Path CLASSES = Path.of("target", "classes");
    private static final Path LIB = Path.of("target", "lib");

    @Test
    void theStageLibrariesHoldNoBrokerServicesTestOrBenchmarkJars() throws IOException {
        List<String> jars = jars();
        assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("kafka-clients-")), "no kafka-clients in " + LIB + ": " + jars);
        assertTrue(jars.stream().anyMatch(jar -> jar.startsWith("fieldstream-sink-")), "no fieldstream-sink in " + LIB + ": " + jars);
        List<String> forbidden = jars.stream().filter(jar -> FORBIDDEN.stream().anyMatch(jar::startsWith)).toList();
        assertEquals(List.of(), forbidden, "jars on the stage class path that only the local services, tests or benchmarks need");
    }

    @Test
    void jacksonCoreIsTheVersionJacksonDatabindWasBuiltFor() throws IOException {
        List<String> jars = jars();
        assertEquals(version(jars, "jackson-databind-"), version(jars, "jackson-core-"), "jackson-core and jackson-databind in " + jars);
    }

    private static String version(List<String> jars, String prefix) {
        return jars.stream().filter(jar -> jar.startsWith(prefix)).map(jar -> jar.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + "* in " + LIB));
    }

    @Test
    void noFieldStreamJarOnTheStageClassPathHoldsTestServicesOrBenchmarkCode() throws IOException {
        for (String jar : jars()) {
            if (!jar.startsWith("fieldstream-")) {
                continue;
            }
            try (JarFile file = new JarFile(LIB.resolve(jar).toFile())) {
                List<String> misplaced = file.stream().map(entry -> entry.getName())
                        .filter(name -> name.endsWith(".class") && (name.endsWith("/TestServices.class") || name.contains("/bench/")))
                        .toList();
                assertEquals(List.of(), misplaced, jar);
            }
        }
    }

    @Test
    void theFieldStreamCommandRunsOnTheStageClassPathWithTheStageSubcommands() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classpath = CLASSES.toAbsolutePath() + ":" + LIB.toAbsolutePath() + "/*";
        Process help = new ProcessBuilder(java.toString(), "-cp", classpath, FieldStream.class.getName(), "help")
                .redirectErrorStream(true).start();
        String out = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, help.exitValue(), out);
        for (String stage : List.of("ingest", "rejections", "serve", "streams", "sink", "cluster-tables", "report", "explain", "dashboard", "reference",
                "partner", "generate")) {
            assertTrue(out.lines().anyMatch(line -> line.trim().startsWith(stage + " ")), stage + " missing from:\n" + out);
        }
        assertTrue(out.lines().noneMatch(line -> line.trim().startsWith("demo ") || line.trim().startsWith("up ")),
                "local subcommands on the stage class path:\n" + out);
    }

    private static List<String> jars() throws IOException {
        assertTrue(Files.isDirectory(LIB), LIB + " missing: run after package (mvn verify)");
        try (Stream<Path> files = Files.list(LIB)) {
            List<String> jars = new java.util.ArrayList<>(files.map(file -> file.getFileName().toString()).toList());
            Collections.sort(jars);
            return jars;
        }
    }
}
