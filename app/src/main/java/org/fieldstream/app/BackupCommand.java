package org.fieldstream.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code fieldstream backup FILE | restore FILE}: the local stack's log and files ({@link StackBackup}, {@link StackRestore}). */
final class BackupCommand {

    private BackupCommand() {
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Write everything of the local stack that cannot be rebuilt (the log and reference topics, settings, "
                    + "secrets, tokens) to one archive, consistent as of its start, while the stack runs.")
    static final class Backup implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "the archive to write (a zip file; never overwritten)")
        Path file;
        @Mixin
        StackCommand.Where where = new StackCommand.Where();

        @Override
        public Integer call() throws IOException {
            LocalStack stack = where.stack();
            long started = System.nanoTime();
            try {
                System.out.println("backing up " + stack.root() + " ...");
                BackupManifest manifest = StackBackup.backup(stack, file, System.out);
                System.out.printf("wrote %s: %,d records, %,d bytes in %.1f s%n", file, manifest.records(), Files.size(file),
                        (System.nanoTime() - started) / 1e9);
                return 0;
            } catch (IllegalStateException | IllegalArgumentException e) {
                System.err.println("backup failed: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = "Fill an empty stack folder from a backup archive; the next ./fieldstream up rebuilds streams state "
                    + "and ClickHouse from the restored log.")
    static final class Restore implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "an archive written by ./fieldstream backup")
        Path file;
        @Mixin
        StackCommand.Where where = new StackCommand.Where();

        @Override
        public Integer call() throws IOException {
            LocalStack stack = where.stack();
            long started = System.nanoTime();
            try {
                System.out.println("restoring " + file + " into " + stack.root() + " ...");
                BackupManifest manifest = StackRestore.restore(stack, file, System.out);
                System.out.printf("restored %,d records (backup of %s) in %.1f s; start the stack with ./fieldstream up%s%n",
                        manifest.records(), manifest.createdAt(), (System.nanoTime() - started) / 1e9,
                        where.data == null ? "" : " --data " + where.data);
                return 0;
            } catch (IllegalStateException | IllegalArgumentException e) {
                System.err.println("restore failed: " + e.getMessage());
                if (!stack.empty() && !e.getMessage().contains("is not empty")) {
                    System.err.println("the folder " + stack.root() + " holds a partial restore: empty it before trying again");
                }
                return 1;
            }
        }
    }
}
