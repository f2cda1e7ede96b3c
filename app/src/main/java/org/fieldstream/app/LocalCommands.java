package org.fieldstream.app;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * The subcommands that start a broker or ClickHouse of their own, or the local stack's: {@code demo},
 * {@code up}, {@code down}, {@code status}, {@code supervise}, {@code backup}, {@code restore},
 * {@code analyst} and {@code bench}. {@link FieldStream} adds them when this module is on the class path (named in
 * {@code META-INF/services}); the stage runtime (the stages module alone) has none of them.
 */
public final class LocalCommands implements FieldStream.Subcommands {

    @Override
    public List<Object> commands() {
        return List.of(new DemoCommand(), new StackCommand.Up(), new StackCommand.Down(), new StackCommand.Status(),
                new StackCommand.Supervise(), new BackupCommand.Backup(), new BackupCommand.Restore(), new Bench(), new AnalystCommand());
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Local Kafka + ClickHouse on free ports, a generated program end to end, its metrics printed and checked.")
    static final class DemoCommand implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", defaultValue = "42", paramLabel = "SEED") long seed;
        @Parameters(index = "1", arity = "0..1", defaultValue = "demo", paramLabel = "SIZE",
                description = "tiny, demo, small, medium, ... (default: ${DEFAULT-VALUE})") String size;

        @Override
        public Integer call() throws Exception {
            return Demo.run(new String[] {Long.toString(seed), size}, System.getenv(), System.out);
        }
    }

    @Command(name = "bench", description = "The end-to-end benchmark with its same-run baselines (bench --help for options).")
    static final class Bench extends FieldStream.PassThrough {
        @Override
        public Integer call() throws Exception {
            return org.fieldstream.app.bench.Bench.run(args(), System.getenv(), System.out);
        }
    }
}
