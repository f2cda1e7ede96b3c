package org.fieldstream.seeds;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fieldstream.reference.ReferenceData;

/**
 * Metrics a correct pipeline must produce for a scenario, computed independently of the streams
 * code from the final state of the generator's records ({@link Ledger}: corrections applied,
 * retractions voiding, duplicates ignored), following docs/design.md, "Metric definitions".
 *
 * <p>Families and grain keys: see {@link MetricFamily}. Each row holds the fields of the metric
 * Avro record except as_of, updated_at, version and deleted (every expected grain is live).
 * {@code person_id} is {@code pseudonym.apply(person_key)}: pass the producers' pseudonymiser so
 * the ids equal the published ones (identity in unit tests).
 *
 * <p>Rules chosen where docs/design.md leaves room (the streams code follows the same):
 * <ul>
 * <li><b>Outreach attributes</b>: a person's sex and age band in outreach come from the person's
 *   most recent current record that carries them, by date: an enrolment (date enrolled_on, age at
 *   enrolment = enrolled_on year - birth_year, else the age column) or an identified dialogue
 *   attendance of a held dialogue (date held_on, the age column). Ties on the date: the enrolment
 *   wins over a dialogue attendance, then the greater aggregate id ({@code program/partner/id}), then the greater
 *   attendee_no. A person with no such record is unknown / unknown. In the grains of dimension
 *   partner only that partner's records count (a partner's figures depend only on its own
 *   records); the program, district and upazila grains take the records of every partner.</li>
 * <li><b>Attendance of a person not enrolled</b> in the cohort (or whose enrolment is retracted):
 *   ignored for retention, still a reach for outreach.</li>
 * <li><b>Reach</b>: PRESENT at a held session (any session, also one dated before the person's
 *   enrolment) or an identified attendance at a held dialogue; month = the session's / dialogue's
 *   date. Org unit: the cohort's / dialogue's org_unit_id; district and upazila via the ancestry
 *   ids of the reference org unit (a unit above a level has no row at that level).</li>
 * <li><b>Outreach grains</b>: program x period (month "2026-03", quarter "2026-Q1", year "2026",
 *   fiscal_year "FY2026-10" = the twelve months ending in September 2026, one per start month April,
 *   July and October, to_date "all")
 *   x dimension (program, partner, district, upazila) x (each sex x age band, and all x all). Only
 *   grains with a person. to_date's period_start is the program's start date.
 *   new_people_reached counts the grain's persons whose first month ever reached in the program lies
 *   in the period (all of them for to_date); in a partner's grains, the first month that partner
 *   reached them.</li>
 * <li><b>Survival curve</b>: for held session k, enrolled = the cohort's enrolled (transfers out);
 *   surviving = those present at an expected session numbered k or later.</li>
 * <li>Rates with a zero denominator are 0.0; sessions_held counts current SessionHeld numbers.</li>
 * </ul>
 */
public final class ExpectedMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<MetricFamily, Map<String, Map<String, Object>>> families;

    private ExpectedMetrics(Map<MetricFamily, Map<String, Map<String, Object>>> families) {
        Map<MetricFamily, Map<String, Map<String, Object>>> copy = new EnumMap<>(MetricFamily.class);
        for (MetricFamily f : MetricFamily.values()) {
            copy.put(f, Collections.unmodifiableMap(families.getOrDefault(f, new TreeMap<>())));
        }
        this.families = Collections.unmodifiableMap(copy);
    }

    /** Computes every family from the ledger's final state. */
    public static ExpectedMetrics compute(Ledger ledger, ReferenceData reference, Function<String, String> pseudonym) {
        Map<MetricFamily, Map<String, Map<String, Object>>> out = new EnumMap<>(MetricFamily.class);
        new RetentionExpectation(reference, pseudonym, out).compute(ledger);
        new OutreachExpectation(reference, pseudonym, out).compute(ledger);
        new DialogueExpectation(pseudonym, out).compute(ledger);
        return new ExpectedMetrics(out);
    }

    /** Rows of a family by grain key, sorted by key; e.g. {@code family("cohort_retention")}. */
    public Map<String, Map<String, Object>> family(String name) {
        return families.get(MetricFamily.byName(name));
    }

    public Map<String, Map<String, Object>> family(MetricFamily family) {
        return families.get(family);
    }

    /** Writes one {@code <family>.jsonl} per family into the folder, rows sorted by grain key. */
    public void write(Path dir) {
        try {
            Files.createDirectories(dir);
            for (MetricFamily f : MetricFamily.values()) {
                try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(f.familyName() + ".jsonl"), StandardCharsets.UTF_8)) {
                    for (Map<String, Object> row : families.get(f).values()) {
                        w.write(JSON.writeValueAsString(toJson(f, row)));
                        w.write('\n');
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the families written by {@link #write(Path)}, with the same Java value types. */
    public static ExpectedMetrics read(Path dir) {
        Map<MetricFamily, Map<String, Map<String, Object>>> out = new EnumMap<>(MetricFamily.class);
        for (MetricFamily f : MetricFamily.values()) {
            Map<String, Map<String, Object>> rows = new TreeMap<>();
            try (BufferedReader r = Files.newBufferedReader(dir.resolve(f.familyName() + ".jsonl"), StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        Map<String, Object> row = fromJson(f, JSON.readTree(line));
                        rows.put(f.key(row), row);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.put(f, rows);
        }
        return new ExpectedMetrics(out);
    }

    private static ObjectNode toJson(MetricFamily f, Map<String, Object> row) {
        ObjectNode node = JSON.createObjectNode();
        for (Map.Entry<String, Object> e : row.entrySet()) {
            Object v = e.getValue();
            if (v == null) {
                node.putNull(e.getKey());
            } else if (v instanceof Integer i) {
                node.put(e.getKey(), i);
            } else if (v instanceof Long l) {
                node.put(e.getKey(), l);
            } else if (v instanceof Double d) {
                node.put(e.getKey(), d);
            } else {
                node.put(e.getKey(), v.toString());
            }
        }
        return node;
    }

    private static Map<String, Object> fromJson(MetricFamily f, JsonNode node) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String field : f.fields()) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                row.put(field, null);
            } else if (f.isDate(field)) {
                row.put(field, MetricFamily.date(v.asText()));
            } else {
                row.put(field, switch (f.type(field)) {
                    case INT -> v.asInt();
                    case LONG -> v.asLong();
                    case DOUBLE, FLOAT -> v.asDouble();
                    default -> v.asText();
                });
            }
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!row.containsKey(name)) {
                throw new IllegalArgumentException(f.familyName() + " row has unknown field " + name);
            }
        }
        return row;
    }
}
