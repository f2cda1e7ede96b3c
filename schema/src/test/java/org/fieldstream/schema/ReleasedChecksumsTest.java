package org.fieldstream.schema;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@code sql/migrations/released-checksums.txt} is computed, never typed: for every bundled migration
 * whose text at the commit named in the file differs from the bundled text, the SHA-256 of that
 * earlier text. This test recomputes the file from git and fails on any difference; with
 * {@code -Dfieldstream.write=released-checksums} it writes the file instead:
 * <pre>
 * mvn -o -q -B -pl schema -am test -Dtest=ReleasedChecksumsTest -Dfieldstream.write=released-checksums -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Without git (a source archive) the comparison is skipped; {@link #everyListedVersionIsBundled} still runs.
 */
class ReleasedChecksumsTest {

    private static final Path FILE = Path.of("src/main/resources/sql/migrations/released-checksums.txt");
    private static final String COMMIT_LINE = "# commit ";
    /** Where the migrations are in the project's history, newest first. */
    private static final List<String> DIRECTORIES = List.of("schema/src/main/resources/sql/migrations/",
            "sink/src/main/resources/sql/migrations/");

    @Test
    void theFileIsWhatTheProjectsHistoryGives() throws Exception {
        String text = Files.readString(FILE);
        String commit = commit(text);
        assertNotNull(git("cat-file", "-e", commit + "^{commit}"), "the released texts come from git history with " + commit + " (run from a git clone)");
        String computed = compute(commit);
        if ("released-checksums".equals(System.getProperty("fieldstream.write"))) {
            Files.writeString(FILE, computed);
        }
        assertEquals(computed, Files.readString(FILE), FILE + " is not what commit " + commit + " gives: run "
                + "mvn -o -q -B -pl schema -am test -Dtest=ReleasedChecksumsTest -Dfieldstream.write=released-checksums");
    }

    @Test
    void everyListedVersionIsBundled() {
        Map<Integer, Set<String>> released = Migrations.releasedChecksums();
        assertTrue(released.size() >= 1);
        Set<Integer> bundled = Set.copyOf(Migrations.bundled().stream().map(MigrationFile::version).toList());
        assertTrue(bundled.containsAll(released.keySet()), released.keySet().toString());
        for (MigrationFile file : Migrations.bundled()) {
            assertTrue(!released.getOrDefault(file.version(), Set.of()).contains(file.checksum()),
                    file.label() + ": the bundled text is listed as an earlier one");
        }
    }

    /** The bundled migrations' texts at the commit the file names; empty without git. */
    static List<MigrationFile> releasedTexts() throws Exception {
        String commit = commit(Files.readString(FILE));
        if (git("cat-file", "-e", commit + "^{commit}") == null) {
            return List.of();
        }
        List<MigrationFile> files = new java.util.ArrayList<>();
        for (MigrationFile file : Migrations.bundled()) {
            String earlier = releasedText(commit, file);
            if (earlier != null) { // a migration added after the commit was not released with it
                files.add(MigrationFile.of(file.label() + ".sql", earlier));
            }
        }
        return List.copyOf(files);
    }

    private static String commit(String text) {
        return text.lines().filter(l -> l.startsWith(COMMIT_LINE)).findFirst().orElseThrow().substring(COMMIT_LINE.length()).strip();
    }

    static String compute(String commit) throws Exception {
        StringBuilder out = new StringBuilder("""
                # SHA-256 of migration texts released before their view statements moved to sql/views (the
                # tables they create are those the bundled files create): a database that recorded one of
                # these checksums applied that version. Computed from git by ReleasedChecksumsTest, not typed:
                """);
        out.append(COMMIT_LINE).append(commit).append('\n');
        for (MigrationFile file : Migrations.bundled()) {
            String earlier = releasedText(commit, file);
            if (earlier != null && !earlier.equals(file.text())) {
                out.append(file.label(), 0, file.label().indexOf("__")).append(' ').append(MigrationFile.sha256(earlier)).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * The migration's text at the commit: under {@link #DIRECTORIES}, the first that holds it (the
     * migrations lived in the sink module before the schema module); null when none does.
     */
    private static String releasedText(String commit, MigrationFile file) throws Exception {
        for (String directory : DIRECTORIES) {
            String text = git("show", commit + ":" + directory + file.label() + ".sql");
            if (text != null) {
                return text;
            }
        }
        return null;
    }

    /** The command's output, or null when git is missing or the command fails. */
    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", ".."));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null;
        }
        byte[] bytes = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            return null;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
