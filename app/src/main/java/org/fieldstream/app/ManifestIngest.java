package org.fieldstream.app;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldstream.producers.IngestCommand;
import org.fieldstream.seeds.ReferenceData;
import org.fieldstream.seeds.ScenarioGenerator;

/**
 * Ingests a generated scenario's manifest in order through {@link IngestCommand}: one run per
 * consecutive batch of one partner's files (the first path segment), its program from the reference
 * data. Used by the demo, the end-to-end test and the benchmark.
 */
public final class ManifestIngest {

    private static final Pattern TOTAL = Pattern.compile("total: (\\d+) accepted, (\\d+) rejected");

    /** Accepted events, and each reported rejection as {@code file:line field: reason}. */
    public record Outcome(long accepted, List<String> rejections) {
    }

    private ManifestIngest() {
    }

    /** Fails when a batch is unusable as a whole; bad rows are only reported. */
    public static Outcome run(ScenarioGenerator.Result scenario, Path input, ReferenceData reference,
                              Map<String, String> config) {
        long accepted = 0;
        List<String> rejections = new ArrayList<>();
        List<String> manifest = scenario.manifest();
        String base = input + File.separator;
        int i = 0;
        while (i < manifest.size()) {
            String partner = partnerOf(manifest.get(i));
            String program = reference.partner(partner)
                    .orElseThrow(() -> new IllegalStateException("unknown partner " + partner)).getProgramId();
            List<String> args = new ArrayList<>(List.of("--program", program, "--partner", partner, "--base", input.toString()));
            while (i < manifest.size() && partnerOf(manifest.get(i)).equals(partner)) {
                args.add(input.resolve(manifest.get(i++)).toString());
            }
            ByteArrayOutputStream summary = new ByteArrayOutputStream();
            int code = IngestCommand.run(args.toArray(String[]::new), config,
                    new PrintStream(summary, true, StandardCharsets.UTF_8), new PrintStream(OutputStream.nullOutputStream()));
            String text = summary.toString(StandardCharsets.UTF_8);
            if (code != IngestCommand.OK) {
                throw new IllegalStateException("ingest of " + partner + " files failed (exit " + code + "):\n" + text);
            }
            Matcher total = TOTAL.matcher(text);
            if (total.find()) {
                accepted += Long.parseLong(total.group(1));
            }
            text.lines().map(String::strip).filter(line -> line.startsWith("rejected "))
                    .map(line -> line.substring("rejected ".length()).replace(base, ""))
                    .forEach(rejections::add);
        }
        return new Outcome(accepted, rejections);
    }

    private static String partnerOf(String manifestEntry) {
        return manifestEntry.substring(0, manifestEntry.indexOf('/'));
    }
}
