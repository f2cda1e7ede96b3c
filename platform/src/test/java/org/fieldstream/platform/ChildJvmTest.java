package org.fieldstream.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildJvmTest {

    @TempDir
    Path dir;

    @Test
    void shortClasspathGoesOnTheCommandLine() throws IOException {
        assertEquals(List.of("-cp", "a.jar:b.jar"),
                ChildJvm.classpathArguments("a.jar:b.jar", 100, dir.resolve("x.log")));
    }

    @Test
    void longClasspathGoesThroughAnArgFileTheJvmAccepts() throws Exception {
        List<String> arguments = ChildJvm.classpathArguments(System.getProperty("java.class.path"), 10,
                dir.resolve("child.log"));
        assertEquals(1, arguments.size());
        assertTrue(arguments.get(0).startsWith("@"), arguments.toString());

        // ParentWatch without arguments prints its usage: proof the class loaded from the arg file's classpath
        List<String> command = new ArrayList<>(ChildJvm.command("unused", List.of(), List.of(), arguments));
        command.remove("unused");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        java.getOutputStream().close();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS));

        assertTrue(output.contains("usage: ParentWatch"), output);
    }

    @Test
    void commandRunsTheMainThroughParentWatch() {
        List<String> command = ChildJvm.command("com.example.Main", List.of("-Xmx64m"), List.of("a", "b"),
                List.of("-cp", "x.jar"));

        assertTrue(command.get(0).endsWith("/bin/java"), command.get(0));
        assertEquals(List.of("-Xmx64m", "-cp", "x.jar", ParentWatch.class.getName(), "com.example.Main", "a", "b"),
                command.subList(1, command.size()));
    }
}
