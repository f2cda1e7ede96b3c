package org.fieldstream.seeds;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.fieldstream.events.DialogueKind;
import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.ReferenceData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deterministic scenario: the partner files of two programs (SHOUHARDO III youth trainings by NDP
 * and MMS with consultations, AGMs, village grading and CARE's Community of Practice; IID's
 * community-organisation trainings, policy dialogues and stakeholder meetings) for January to June
 * 2026, the order to ingest them ({@code manifest.txt}), the planted malformed rows
 * ({@code expected/rejected.csv}) and, up to {@link Size#EXPECTED_LIMIT} cohorts, the expected
 * metrics ({@code expected/<family>.jsonl}). Same seed and size, byte-identical output: every
 * cohort and dialogue draws from its own {@link SplittableRandom} derived from seed and index, and
 * nothing depends on hash order or the clock. Rows are written as generated, so memory stays flat
 * at any size (except the ground truth kept for expected metrics).
 */
public final class ScenarioGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioGenerator.class);

    /**
     * What a run wrote. ledger, expected and sent are null above the expected-metrics limit; deliveries
     * is the delivery plan ({@code delivery.csv}).
     */
    public record Result(List<String> files, List<String> manifest, List<PlantedRejection> rejected, long rows,
                         Ledger ledger, ExpectedMetrics expected, List<DeliveryPlan.Delivery> deliveries,
                         List<SentRow> sent) {

        /**
         * The expected data-quality scorecard of the scenario ingested by its delivery plan, read on
         * {@code today} (Asia/Dhaka): cohorts past their end depend on it.
         */
        public QualityExpectation quality(ReferenceData reference, LocalDate today) {
            if (sent == null) {
                throw new IllegalStateException("no ground truth kept above " + Size.EXPECTED_LIMIT + " cohorts");
            }
            return QualityExpectation.compute(sent, deliveries, rejected, reference, today);
        }

        /** The expected metrics again, with person ids made by the given pseudonymiser. */
        public ExpectedMetrics expected(ReferenceData reference, Function<String, String> pseudonym) {
            if (ledger == null) {
                throw new IllegalStateException("no ground truth kept above " + Size.EXPECTED_LIMIT + " cohorts");
            }
            return ExpectedMetrics.compute(ledger, reference, pseudonym);
        }
    }

    /** A planted malformed row: file relative to the output folder, 1-based line (CSV header = 1). */
    public record PlantedRejection(String file, long line, String field, String reason) {
    }

    private final ReferenceData reference;
    private final long seed;
    private final Size size;

    public ScenarioGenerator(ReferenceData reference, long seed, Size size) {
        this.reference = reference;
        this.seed = seed;
        this.size = size;
    }

    /** Writes the scenario into dir with person ids = person keys in the expected files. */
    public Result generate(Path dir) {
        return generate(dir, Function.identity());
    }

    public Result generate(Path dir, Function<String, String> pseudonym) {
        Ledger ledger = size.computesExpected() ? new Ledger() : null;
        People people = new People(seed);
        PersonCounters counters = new PersonCounters();
        List<PartnerFiles.Rejected> rejected;
        List<String> files;
        long rows;
        List<SentRow> sent;
        try (PartnerFiles out = new PartnerFiles(dir, styles())) {
            Emitter emitter = new Emitter(out, ledger);
            CohortSimulator cohorts = new CohortSimulator(emitter, people, counters);
            List<CohortSimulator.TrainingPartner> trainers = trainingPartners();
            for (int i = 0; i < size.cohorts(); i++) {
                cohorts.simulate(i, trainers.get(i % trainers.size()), random(1, i));
            }
            DialogueSimulator dialogues = new DialogueSimulator(emitter, people, counters);
            List<DialogueSimulator.DialoguePartner> hosts = dialoguePartners();
            for (int i = 0; i < size.communityDialogues(); i++) {
                dialogues.simulate(i, hosts.get(i % (hosts.size() - 1)), random(2, i));
            }
            for (int i = 0; i < size.copSessions(); i++) {
                dialogues.simulate(size.communityDialogues() + i, hosts.get(hosts.size() - 1), random(3, i));
            }
            if (size.plantsQualityProblems()) {
                new QualityPlants(emitter, people, counters).plant(trainers.get(0), random(4, 0));
            }
            out.close();
            rejected = out.rejected();
            files = out.files();
            rows = out.rows();
            sent = ledger == null ? null : emitter.sent();
        }
        List<String> manifest = manifest(files);
        List<DeliveryPlan.Delivery> deliveries = DeliveryPlan.of(manifest, pick(files, "ndp/2026-02/attendance.csv", 0));
        List<PlantedRejection> planted = rejected.stream()
                .map(r -> new PlantedRejection(r.file(), r.line(), r.field(), r.reason())).toList();
        writeLines(dir.resolve("manifest.txt"), manifest);
        writeRejected(dir.resolve("expected").resolve("rejected.csv"), planted);
        DeliveryPlan.write(dir.resolve("delivery.csv"), deliveries);
        ExpectedMetrics expected = null;
        if (ledger != null) {
            expected = ExpectedMetrics.compute(ledger, reference, pseudonym);
            expected.write(dir.resolve("expected"));
            // read the day after the last delivery; the ITs pass the day they read the views on
            LocalDate readOn = deliveries.get(deliveries.size() - 1).day().plusDays(1);
            QualityExpectation.compute(sent, deliveries, planted, reference, readOn).write(dir.resolve("expected"));
        }
        LOG.info("scenario {} seed {}: {} files, {} rows, {} planted malformed rows", size.name(), seed, files.size(), rows, planted.size());
        return new Result(files, manifest, planted, rows, ledger, expected, deliveries, sent);
    }

    /**
     * Ingest order: month by month, partners and layouts in a fixed order, corrections after the
     * month's regular files; then two real-world twists: one attendance file is pushed a second time
     * after the following month, and one old month's attendance file is delivered last.
     */
    static List<String> manifest(List<String> files) {
        List<String> order = new ArrayList<>(files);
        String late = pick(files, "ndp/2026-02/attendance.csv", 0);
        String twice = pick(files, "mms/2026-03/attendance.csv", 1);
        if (late != null) {
            order.remove(late);
        }
        if (twice != null && !twice.equals(late)) {
            String after = YearMonth.parse(twice.split("/")[1]).plusMonths(2).toString();
            int at = order.size();
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).split("/")[1].compareTo(after) >= 0) {
                    at = i;
                    break;
                }
            }
            order.add(at, twice);
        }
        if (late != null) {
            order.add(late);
        }
        return order;
    }

    private static String pick(List<String> files, String preferred, int fallbackIndex) {
        if (files.contains(preferred)) {
            return preferred;
        }
        List<String> attendance = files.stream().filter(f -> f.endsWith("/attendance.csv")).toList();
        return attendance.size() > fallbackIndex ? attendance.get(fallbackIndex) : null;
    }

    private SplittableRandom random(int stream, int index) {
        long mixed = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        return new SplittableRandom(mixed);
    }

    private static Map<String, PartnerFiles.Style> styles() {
        return Map.of(
                "mms", new PartnerFiles.Style(false, true, true, true, List.of("remarks")),
                "iid", new PartnerFiles.Style(true, false, false, false, List.of()));
    }

    private List<CohortSimulator.TrainingPartner> trainingPartners() {
        List<String> youthTopics = List.of("Homestead gardening and nutrition", "Poultry rearing, vaccination and marketing",
                "Tailoring for income", "Mobile phone servicing", "কিশোর-কিশোরীদের জীবন দক্ষতা");
        List<String> cboTopics = List.of("Social audit of primary schools", "School management committee oversight",
                "প্রাথমিক শিক্ষায় সামাজিক জবাবদিহিতা");
        CohortSimulator.TrainingPartner ndp = new CohortSimulator.TrainingPartner("ndp", "shouhardo3", "NDP", People.Kind.YOUTH,
                20, 1, leaves("bd-sirajganj-kazipur", "bd-sirajganj-belkuchi"), youthTopics, "youth 15-29", false);
        CohortSimulator.TrainingPartner mms = new CohortSimulator.TrainingPartner("mms", "shouhardo3", "MMS", People.Kind.YOUTH,
                20, 1, leaves("bd-sirajganj-chauhali"), youthTopics, "youth 15-29", true);
        CohortSimulator.TrainingPartner iid = new CohortSimulator.TrainingPartner("iid", "iid-edu", "IID", People.Kind.CBO,
                10, 3, unions("bd-dhaka-savar", "bd-dhaka-dhamrai"), cboTopics, "community-based organisation members", false);
        return List.of(ndp, mms, iid, ndp);
    }

    /** Hosts of community dialogues, then (last) the Community of Practice organiser. */
    private List<DialogueSimulator.DialoguePartner> dialoguePartners() {
        List<DialogueKind> community = List.of(DialogueKind.COMMUNITY_CONSULTATION, DialogueKind.ANNUAL_GENERAL_MEETING,
                DialogueKind.VILLAGE_GRADING);
        return List.of(
                new DialogueSimulator.DialoguePartner("ndp", "shouhardo3", "NDP", People.Kind.YOUTH, community,
                        leaves("bd-sirajganj-kazipur", "bd-sirajganj-belkuchi"), unions("bd-sirajganj-kazipur", "bd-sirajganj-belkuchi"),
                        List.of("bd-sirajganj-kazipur", "bd-sirajganj-belkuchi"), "bd-sirajganj"),
                new DialogueSimulator.DialoguePartner("mms", "shouhardo3", "MMS", People.Kind.YOUTH, community,
                        leaves("bd-sirajganj-chauhali"), unions("bd-sirajganj-chauhali"), List.of("bd-sirajganj-chauhali"), "bd-sirajganj"),
                new DialogueSimulator.DialoguePartner("iid", "iid-edu", "IID", People.Kind.CBO,
                        List.of(DialogueKind.POLICY_DIALOGUE, DialogueKind.STAKEHOLDER_MEETING, DialogueKind.COMMUNITY_CONSULTATION),
                        leaves("bd-dhaka-savar", "bd-dhaka-dhamrai"), unions("bd-dhaka-savar", "bd-dhaka-dhamrai"),
                        List.of("bd-dhaka-savar", "bd-dhaka-dhamrai"), "bd-dhaka-district"),
                new DialogueSimulator.DialoguePartner("care-sfo", "shouhardo3", "CARE-SFO", People.Kind.STAFF,
                        List.of(DialogueKind.COMMUNITY_OF_PRACTICE), List.of(), List.of(), List.of("bd-sirajganj-sadar"), "bd-sirajganj"));
    }

    private List<String> unions(String... upazilas) {
        List<String> ids = new ArrayList<>();
        for (String upazila : upazilas) {
            reference.children(upazila).forEach(u -> ids.add(u.getOrgUnitId()));
        }
        return require(ids, upazilas);
    }

    private List<String> leaves(String... upazilas) {
        List<String> ids = new ArrayList<>();
        for (String union : unions(upazilas)) {
            for (OrgUnit village : reference.children(union)) {
                ids.add(village.getOrgUnitId());
            }
        }
        return require(ids, upazilas);
    }

    private static List<String> require(List<String> ids, String... upazilas) {
        if (ids.isEmpty()) {
            throw new IllegalStateException("reference data has no units under " + String.join(", ", upazilas));
        }
        return ids;
    }

    private static void writeLines(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeRejected(Path file, List<PlantedRejection> rejected) {
        try {
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("file,line,field,reason\n");
                for (PlantedRejection r : rejected) {
                    w.write(CsvLine.format(List.of(r.file(), Long.toString(r.line()), r.field(), r.reason())));
                    w.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
