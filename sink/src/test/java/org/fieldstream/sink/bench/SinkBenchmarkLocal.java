package org.fieldstream.sink.bench;

import org.fieldstream.platform.ClickHouseService;
import org.fieldstream.platform.TestServices;

/**
 * Runs {@link SinkBenchmark} against the local broker and ClickHouse that TestServices starts:
 * {@code java -cp <test classpath> org.fieldstream.sink.bench.SinkBenchmarkLocal [rows]}.
 */
public final class SinkBenchmarkLocal {

    private SinkBenchmarkLocal() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : SinkBenchmark.DEFAULT_ROWS;
        ClickHouseService clickHouse = TestServices.clickHouse();
        for (int run = 1; run <= 2; run++) {
            System.out.println("run " + run + ": " + SinkBenchmark.run(TestServices.kafka().bootstrapServers(),
                    clickHouse.httpUrl(), clickHouse.tcpPort(), rows));
        }
        System.exit(0);
    }
}
