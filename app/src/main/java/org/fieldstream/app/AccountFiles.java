package org.fieldstream.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of the readers' accounts that a backup carries and a restore writes back, by path relative
 * to the stack's folder: the analysts' directory {@code clickhouse/users.d/} as a whole (each analyst's
 * account with its password hash and scope, the scopes' read-only profile) and the viewers' files
 * (every file or folder named {@code viewers*} at the top of the stack's folder or of {@code clickhouse/}).
 * The scope databases are not archived as SQL: each account file names its scope, and the first
 * {@code up} after a restore re-creates the scopes from the views of that release (see
 * {@code LocalStack.refreshScopes}). The scope cluster's file ({@code clickhouse/config.d/}) holds the
 * internal reader's password and the server's port, so it is written anew rather than restored.
 */
final class AccountFiles {

    /** Archive entries of these files: {@code accounts/} and the path relative to the stack's folder. */
    static final String PREFIX = "accounts/";
    static final String USERS_D = "clickhouse/users.d";

    private AccountFiles() {
    }

    /** Every such file of the stack, relative to its folder, '/'-separated, sorted. */
    static List<String> of(Path root) {
        List<String> files = new ArrayList<>();
        collect(root, root.resolve(USERS_D), files);
        for (Path folder : List.of(root, root.resolve("clickhouse"))) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> entries = Files.list(folder)) {
                    entries.filter(e -> e.getFileName().toString().startsWith("viewers")).forEach(e -> collect(root, e, files));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + folder, e);
                }
            }
        }
        return files.stream().sorted().toList();
    }

    private static void collect(Path root, Path start, List<String> files) {
        if (!Files.exists(start)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(start)) {
            walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .forEach(f -> files.add(root.relativize(f).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + start, e);
        }
    }

    /**
     * Writes an archived file back under {@code root}, readable by its owner only (folders it creates
     * too); refuses a path that is absolute or leaves the folder.
     */
    static Path restore(Path root, String relative, byte[] content) throws IOException {
        Path target = root.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !target.startsWith(root.normalize()) || target.equals(root.normalize())) {
            throw new IllegalArgumentException("the archive's entry " + PREFIX + relative + " is not a path inside the stack's folder");
        }
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.deleteIfExists(target);
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(target, content);
        return target;
    }
}
