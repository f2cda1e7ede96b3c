package org.fieldstream.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Child main for ChildJvm tests: writes a marker file from a shutdown hook, then waits forever. */
public final class Sleeper {

    private Sleeper() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path marker = Path.of(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(marker, "clean shutdown");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
