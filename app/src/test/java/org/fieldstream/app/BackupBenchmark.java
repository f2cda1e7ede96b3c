package org.fieldstream.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.fieldstream.reference.ReferenceData;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.seeds.Size;

/**
 * Archive size and backup / restore times of a generated program: {@code up} on {@code DIR/var},
 * the program ingested, a backup while the stack runs (streams and sink still working through the
 * log), {@code down}, a restore into {@code DIR/restored}. Prints one line of figures. Run with
 * {@code java -cp <app test classpath> org.fieldstream.app.BackupBenchmark DIR [size] [seed]}.
 */
public final class BackupBenchmark {

    private BackupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]).toAbsolutePath();
        Size size = Size.parse(args.length > 1 ? args[1] : "demo");
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
        LocalStack stack = new LocalStack(dir.resolve("var"));
        LocalStack restored = new LocalStack(dir.resolve("restored"));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try {
            stack.up(quiet);
            ReferenceData reference = ReferenceData.bundled();
            ScenarioGenerator.Result scenario = new ScenarioGenerator(reference, seed, size).generate(dir.resolve("input"));
            long ingestStart = System.nanoTime();
            long accepted = ManifestIngest.run(scenario, dir.resolve("input"), reference,
                    Map.of("FIELDSTREAM_CONFIG", stack.settingsFile().toString())).accepted();
            double ingest = seconds(ingestStart);
            Path archive = dir.resolve("backup.zip");
            long backupStart = System.nanoTime();
            BackupManifest manifest = StackBackup.backup(stack, archive, System.out);
            double backup = seconds(backupStart);
            stack.down();
            long restoreStart = System.nanoTime();
            StackRestore.restore(restored, archive, System.out);
            double restore = seconds(restoreStart);
            long events = manifest.topics().stream().filter(t -> t.name().endsWith("events")).mapToLong(BackupManifest.TopicEntry::records).sum();
            long bytes = Files.size(archive);
            System.out.printf("size %s: %,d events accepted (ingest %.1f s), %,d events on the log, %,d records archived; "
                    + "archive %,d bytes (%.1f MB per million events); backup %.1f s, restore %.1f s%n",
                    size.name(), accepted, ingest, events, manifest.records(), bytes, bytes / 1e6 * 1e6 / events, backup, restore);
        } finally {
            stack.down();
            restored.down();
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
