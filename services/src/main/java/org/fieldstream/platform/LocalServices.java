package org.fieldstream.platform;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A broker and a ClickHouse server on this machine, e.g. for the demo; closing stops both. */
public record LocalServices(LocalKafka kafka, LocalClickHouse clickHouse) implements AutoCloseable {

    /** Starts both side by side, in {@code workDir}/kafka and {@code workDir}/clickhouse. */
    public static LocalServices start(Path workDir) {
        CompletableFuture<LocalClickHouse> clickHouse =
                CompletableFuture.supplyAsync(() -> LocalClickHouse.start(workDir.resolve("clickhouse")));
        LocalKafka kafka;
        try {
            kafka = LocalKafka.start(workDir.resolve("kafka"));
        } catch (RuntimeException e) {
            clickHouse.thenAccept(LocalClickHouse::close);
            throw e;
        }
        try {
            return new LocalServices(kafka, clickHouse.join());
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public void close() {
        try {
            clickHouse.close();
        } finally {
            kafka.close();
        }
    }
}
