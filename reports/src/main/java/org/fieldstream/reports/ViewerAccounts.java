package org.fieldstream.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The dashboard's viewers (a donor, a ministry, a public page): people who read the published
 * figures of one program on the dashboard and have no ClickHouse account. Kept in the folder
 * {@code <data.dir>/viewers} (rwx------), in two files (rw-------):
 * <ul>
 * <li>{@code viewers.tsv}: name, program and the password's {@link PasswordHash} per line; the
 * password itself is shown once by {@code analyst add} or {@code analyst password} and kept nowhere;</li>
 * <li>{@code readers.tsv}: per program, the internal program-scope ClickHouse account the dashboard
 * reads a viewer's figures as (user and generated password, which only the dashboard uses), so that
 * ClickHouse still bounds a viewer's page to their program.</li>
 * </ul>
 * Names, programs and users hold no tab or line break (names: lower-case letters, digits and _).
 */
public final class ViewerAccounts {

    /** A viewer: their name and the program whose published figures they read. */
    public record Viewer(String name, String program) {
    }

    /** The internal account a program's viewers are read as. */
    public record Reader(String program, String user, String password) {
        @Override
        public String toString() {
            return "Reader[" + program + ", " + user + "]";
        }
    }

    public static final String FOLDER = "viewers";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    /** The viewers of the installation whose data directory is {@code dataDir}. */
    public ViewerAccounts(Path dataDir) {
        this.dir = dataDir.toAbsolutePath().resolve(FOLDER);
    }

    Path viewersFile() {
        return dir.resolve("viewers.tsv");
    }

    Path readersFile() {
        return dir.resolve("readers.tsv");
    }

    /** Adds the viewer; returns their password, to be shown once. */
    public String add(String name, String program) {
        checkName(name);
        if (program == null || program.isBlank() || program.matches(".*[\\t\\r\\n].*")) {
            throw new IllegalArgumentException("a viewer reads one program: --program P");
        }
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("viewer " + name + " exists (a new password: analyst password " + name + ")");
        }
        String password = newPassword();
        List<String[]> rows = read(viewersFile());
        rows.add(new String[] {name, program, PasswordHash.hash(password)});
        write(viewersFile(), rows);
        return password;
    }

    /** A new password for the viewer, shown once; the old one stops working. */
    public String rotate(String name) {
        Viewer viewer = find(name).orElseThrow(() -> new IllegalArgumentException("no viewer " + name));
        String password = newPassword();
        List<String[]> rows = read(viewersFile());
        rows.replaceAll(row -> row[0].equals(name) ? new String[] {name, viewer.program(), PasswordHash.hash(password)} : row);
        write(viewersFile(), rows);
        return password;
    }

    /** Removes the viewer; true when the program has no viewer left (its reader can go). */
    public boolean remove(String name) {
        Viewer viewer = find(name).orElseThrow(() -> new IllegalArgumentException("no viewer " + name));
        List<String[]> rows = read(viewersFile());
        rows.removeIf(row -> row[0].equals(name));
        write(viewersFile(), rows);
        return rows.stream().noneMatch(row -> row[1].equals(viewer.program()));
    }

    public List<Viewer> list() {
        return read(viewersFile()).stream().map(row -> new Viewer(row[0], row[1])).toList();
    }

    public Optional<Viewer> find(String name) {
        return list().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * The viewer when {@code password} is theirs; empty for a wrong password or an unknown name, after
     * the same slow hash either way (a name's existence does not show in the time taken).
     */
    public Optional<Viewer> check(String name, String password) {
        for (String[] row : read(viewersFile())) {
            if (row[0].equals(name)) {
                return PasswordHash.matches(password, row[2]) ? Optional.of(new Viewer(row[0], row[1])) : Optional.empty();
            }
        }
        PasswordHash.decoy(password);
        return Optional.empty();
    }

    /** The program's internal reader, if one was stored. */
    public Optional<Reader> reader(String program) {
        return read(readersFile()).stream().filter(row -> row[0].equals(program)).map(row -> new Reader(row[0], row[1], row[2])).findFirst();
    }

    /** Stores (or replaces) the program's internal reader. */
    public void putReader(Reader reader) {
        List<String[]> rows = read(readersFile());
        rows.removeIf(row -> row[0].equals(reader.program()));
        rows.add(new String[] {reader.program(), reader.user(), reader.password()});
        write(readersFile(), rows);
    }

    /** Forgets the program's internal reader. */
    public void removeReader(String program) {
        List<String[]> rows = read(readersFile());
        rows.removeIf(row -> row[0].equals(program));
        write(readersFile(), rows);
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a viewer's name is lower-case letters, digits and _, starting with a letter, at most 63 characters");
        }
    }

    static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static List<String[]> read(Path file) {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        try {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    String[] row = line.split("\t", -1);
                    if (row.length != 3) {
                        throw new IllegalStateException(file + ": a line of " + row.length + " fields, not 3");
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Written beside, then moved into place; the folder rwx------ and the file rw------- where POSIX. */
    private void write(Path file, List<String[]> rows) {
        StringBuilder text = new StringBuilder();
        rows.forEach(row -> text.append(String.join("\t", row)).append('\n'));
        try {
            Files.createDirectories(dir);
            owner(dir, "rwx------");
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            owner(tmp, "rw-------");
            Files.writeString(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void owner(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's permissions apply
        }
    }
}
