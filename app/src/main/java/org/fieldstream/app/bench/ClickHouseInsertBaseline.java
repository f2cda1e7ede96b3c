package org.fieldstream.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * The rows the sink wrote to {@code field_events}, exported by clickhouse-client and inserted again
 * by clickhouse-client over the native protocol into a copy of the table: the ceiling for the sink.
 */
final class ClickHouseInsertBaseline {

    /** Rows inserted and the insert's rate (the export is not timed). */
    record Result(long rows, double rowsPerSecond) {
    }

    private ClickHouseInsertBaseline() {
    }

    static Result run(ClickHouseGateway gateway, String database, int tcpPort, Path workDir) throws IOException, InterruptedException {
        gateway.execute("DROP TABLE IF EXISTS " + database + ".field_events_raw_copy");
        gateway.execute("CREATE TABLE " + database + ".field_events_raw_copy AS " + database + ".field_events");
        Path file = workDir.resolve("field_events.tsv");
        try {
            exec(List.of("clickhouse-client", "--host", "127.0.0.1", "--port", Integer.toString(tcpPort), "--query",
                    "SELECT * FROM " + database + ".field_events FORMAT TabSeparated"), null, file);
            long start = System.nanoTime();
            exec(List.of("clickhouse-client", "--host", "127.0.0.1", "--port", Integer.toString(tcpPort), "--query",
                    "INSERT INTO " + database + ".field_events_raw_copy FORMAT TabSeparated"), file, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            long rows = Long.parseLong(gateway.queryValue("SELECT count() FROM " + database + ".field_events_raw_copy"));
            return new Result(rows, rows / seconds);
        } finally {
            Files.deleteIfExists(file);
            gateway.execute("DROP TABLE IF EXISTS " + database + ".field_events_raw_copy");
        }
    }

    private static void exec(List<String> command, Path in, Path out) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (in != null) {
            builder.redirectInput(in.toFile());
        }
        builder.redirectOutput(out != null ? ProcessBuilder.Redirect.to(out.toFile()) : ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("clickhouse-client failed with exit code " + process.exitValue());
        }
    }
}
