package org.fieldstream.producers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.fieldstream.producers.csv.CsvRowSource;
import org.fieldstream.producers.forms.FormMapping;
import org.fieldstream.producers.forms.MappingCheck;
import org.fieldstream.producers.json.JsonLinesSource;
import org.fieldstream.producers.kobo.KoboExportSource;
import org.fieldstream.producers.odk.CentralExport;

/** A partner's input files opened as row sources, by kind (CSV, JSON Lines, Kobo, ODK Central), in layout order. */
final class InputFiles {

    private InputFiles() {
    }

    /**
     * Which files, of which kind ({@code auto}, {@code csv}, {@code json}, {@code kobo}, {@code odk}),
     * read through which form mapping (form exports); {@code base}, when given, is the folder the
     * files are relative to (and named from).
     */
    record Selection(String source, String form, Path base, List<String> files) {
    }

    /**
     * Opens every input before publishing anything, so an unusable file stops the run with nothing sent.
     * A CSV or JSON Lines row longer than {@code maxRowBytes} is a rejected row. Kobo exports are one
     * source per file; ODK Central exports are read together, since a submissions table and its repeat
     * tables are separate files (see {@link CentralExport}).
     */
    static List<RowSource> open(Selection a, int maxRowBytes) throws IOException, UnusableInputException {
        List<RowSource> sources = new ArrayList<>();
        FormMapping mapping = a.form() == null ? null : FormMapping.load(a.form());
        List<CentralExport.Input> central = new ArrayList<>();
        MappingCheck check = mapping == null ? null : new MappingCheck(mapping);
        List<String> forms = new ArrayList<>();
        try {
            for (String name : a.files()) {
                Path file = a.base() == null ? Path.of(name) : a.base().resolve(name);
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw new UnusableInputException("no readable file " + file);
                }
                String kind = kindOf(a.source(), name);
                if ((kind.equals("odk") || kind.equals("kobo")) && mapping == null) {
                    throw new UnusableInputException(name + " is a form export (" + kind + "): give its form mapping with --form");
                }
                switch (kind) {
                    case "csv" -> sources.add(openCsv(Files.newInputStream(file), name, maxRowBytes));
                    case "json" -> sources.add(new JsonLinesSource(Files.newInputStream(file), name, null, false, false, maxRowBytes));
                    case "odk" -> central.add(new CentralExport.Input(name, file));
                    default -> sources.add(openKobo(Files.newInputStream(file), name, mapping, check));
                }
                if (kind.equals("odk") || kind.equals("kobo")) {
                    forms.add(name);
                }
            }
            if (!central.isEmpty()) {
                sources.addAll(CentralExport.open(central, mapping, check));
            }
            if (check != null && !forms.isEmpty()) {
                check.verify(String.join(", ", forms));
            }
        } catch (IOException | UnusableInputException | RuntimeException e) {
            closeAll(sources);
            throw e;
        }
        if (sources.stream().allMatch(s -> s instanceof CsvRowSource)) {
            sources.sort(Comparator.comparingInt(s -> ((CsvRowSource) s).layout().ordinal()));
        }
        return sources;
    }

    /** auto: ODK Central for Central's CSV export ({@code .csv.zip}), JSON Lines for .jsonl / .ndjson / .json files, CSV otherwise. */
    static String kindOf(String source, String name) {
        if (!source.equals("auto")) {
            return source;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".csv.zip")) {
            return "odk";
        }
        return lower.endsWith(".jsonl") || lower.endsWith(".ndjson") || lower.endsWith(".json") ? "json" : "csv";
    }

    private static RowSource openCsv(InputStream in, String name, int maxRowBytes) throws IOException, UnusableInputException {
        try {
            return CsvRowSource.open(in, name, null, false, maxRowBytes);
        } catch (IOException | UnusableInputException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static RowSource openKobo(InputStream in, String name, FormMapping mapping, MappingCheck check)
            throws IOException, UnusableInputException {
        try (in) {
            return KoboExportSource.read(in, name, mapping, check);
        }
    }

    static void closeAll(List<RowSource> sources) {
        for (RowSource s : sources) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a read-only input cannot lose data
            }
        }
    }
}
