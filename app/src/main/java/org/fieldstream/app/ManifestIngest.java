package org.fieldstream.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fieldstream.producers.Ingest;
import org.fieldstream.producers.IngestSession;
import org.fieldstream.producers.Progress;
import org.fieldstream.producers.UnusableInputException;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.seeds.ScenarioGenerator;

/**
 * Ingests a generated scenario's manifest in order: one batch per run of consecutive files of one
 * partner (the first path segment), its program from the reference data. Used by the demo, the end-to-end test and the benchmark.
 */
public final class ManifestIngest {

    /** Accepted events, and each reported rejection as {@code file:line field: reason}. */
    public record Outcome(long accepted, List<String> rejections) {
    }

    private ManifestIngest() {
    }

    /**
     * One ingest session (producers, reference data and known cohorts read once) for every batch.
     * Fails when a batch is unusable as a whole; bad rows are only reported.
     */
    public static Outcome run(ScenarioGenerator.Result scenario, Path input, ReferenceData reference,
                              Map<String, String> config) {
        return run(scenario, input, reference, config, scenario.manifest());
    }

    /** As {@link #run(ScenarioGenerator.Result, Path, ReferenceData, Map)} for some of the manifest's files, in order. */
    public static Outcome run(ScenarioGenerator.Result scenario, Path input, ReferenceData reference,
                              Map<String, String> config, List<String> manifest) {
        long accepted = 0;
        List<String> rejections = new ArrayList<>();
        try (IngestSession session = IngestSession.open(null, config)) {
            int i = 0;
            while (i < manifest.size()) {
                String partner = partnerOf(manifest.get(i));
                String program = reference.partner(partner)
                        .orElseThrow(() -> new IllegalStateException("unknown partner " + partner)).getProgramId();
                List<String> files = new ArrayList<>();
                while (i < manifest.size() && partnerOf(manifest.get(i)).equals(partner)) {
                    files.add(manifest.get(i++));
                }
                for (Ingest.Result result : session.ingest(program, partner, input, files, Progress.silent())) {
                    accepted += result.accepted();
                    rejections.addAll(result.firstRejections());
                }
            }
        } catch (IOException | UnusableInputException e) {
            throw new IllegalStateException("cannot ingest " + input + ": " + e.getMessage(), e);
        }
        return new Outcome(accepted, rejections);
    }

    private static String partnerOf(String manifestEntry) {
        return manifestEntry.substring(0, manifestEntry.indexOf('/'));
    }
}
