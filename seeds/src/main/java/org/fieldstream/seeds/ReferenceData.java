package org.fieldstream.seeds;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.fieldstream.reference.OrgUnit;
import org.fieldstream.reference.Partner;
import org.fieldstream.reference.Program;
import org.fieldstream.reference.Target;

/**
 * The reference data of FieldStream (programs, partners, org units, targets) as Avro reference
 * records, loaded from the versioned CSV files under {@code reference/} (see its README for the
 * columns). Immutable; lists keep file order.
 */
public final class ReferenceData {

    /** Classpath folder of the bundled reference files. */
    public static final String RESOURCE_DIR = "/reference/";

    private final List<Program> programs;
    private final List<Partner> partners;
    private final List<OrgUnit> orgUnits;
    private final List<Target> targets;
    private final Map<String, Program> programById;
    private final Map<String, Partner> partnerById;
    private final Map<String, OrgUnit> orgUnitById;

    public ReferenceData(List<Program> programs, List<Partner> partners, List<OrgUnit> orgUnits, List<Target> targets) {
        this.programs = List.copyOf(programs);
        this.partners = List.copyOf(partners);
        this.orgUnits = List.copyOf(orgUnits);
        this.targets = List.copyOf(targets);
        this.programById = index(this.programs, Program::getProgramId);
        this.partnerById = index(this.partners, Partner::getPartnerId);
        this.orgUnitById = index(this.orgUnits, OrgUnit::getOrgUnitId);
    }

    /** The reference files bundled in this jar. */
    public static ReferenceData bundled() {
        return load(name -> ReferenceData.class.getResourceAsStream(RESOURCE_DIR + name));
    }

    /** Reference files from a folder holding programs.csv, partners.csv, org_units.csv, targets.csv. */
    public static ReferenceData fromDirectory(Path dir) {
        return load(name -> {
            try {
                return Files.newInputStream(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static ReferenceData load(Function<String, InputStream> open) {
        return new ReferenceData(
                rows(open, "programs.csv").stream().map(ReferenceData::program).toList(),
                rows(open, "partners.csv").stream().map(ReferenceData::partner).toList(),
                rows(open, "org_units.csv").stream().map(ReferenceData::orgUnit).toList(),
                rows(open, "targets.csv").stream().map(ReferenceData::target).toList());
    }

    private static List<Map<String, String>> rows(Function<String, InputStream> open, String name) {
        InputStream in = open.apply(name);
        if (in == null) {
            throw new IllegalStateException("reference file not found: " + name);
        }
        return Csv.read(in);
    }

    private static Program program(Map<String, String> r) {
        return Program.newBuilder()
                .setProgramId(required(r, "program_id"))
                .setName(required(r, "name"))
                .setStartDate(LocalDate.parse(required(r, "start_date")))
                .setEndDate(r.get("end_date") == null ? null : LocalDate.parse(r.get("end_date")))
                .setDropoutMissedSessions(r.get("dropout_missed_sessions") == null ? 3 : Integer.parseInt(r.get("dropout_missed_sessions")))
                .setCompletionAttendance(r.get("completion_attendance") == null ? 0.8 : Double.parseDouble(r.get("completion_attendance")))
                .build();
    }

    private static Partner partner(Map<String, String> r) {
        return Partner.newBuilder()
                .setPartnerId(required(r, "partner_id"))
                .setProgramId(required(r, "program_id"))
                .setName(required(r, "name"))
                .setOrgUnitId(r.get("org_unit_id"))
                .build();
    }

    private static OrgUnit orgUnit(Map<String, String> r) {
        return OrgUnit.newBuilder()
                .setOrgUnitId(required(r, "org_unit_id"))
                .setName(required(r, "name"))
                .setNameBn(r.get("name_bn"))
                .setLevel(required(r, "level"))
                .setParentId(r.get("parent_id"))
                .setDivisionId(r.get("division_id"))
                .setDistrictId(r.get("district_id"))
                .setUpazilaId(r.get("upazila_id"))
                .setUnionId(r.get("union_id"))
                .build();
    }

    private static Target target(Map<String, String> r) {
        return Target.newBuilder()
                .setProgramId(required(r, "program_id"))
                .setIndicator(required(r, "indicator"))
                .setPeriod(required(r, "period"))
                .setDimension(required(r, "dimension"))
                .setDimensionId(required(r, "dimension_id"))
                .setTarget(Double.parseDouble(required(r, "target")))
                .build();
    }

    private static String required(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null) {
            throw new IllegalArgumentException("reference row lacks " + column + ": " + row);
        }
        return value;
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> id) {
        Map<String, T> byId = new LinkedHashMap<>();
        for (T item : items) {
            if (byId.put(id.apply(item), item) != null) {
                throw new IllegalArgumentException("duplicate reference id " + id.apply(item));
            }
        }
        return Map.copyOf(byId);
    }

    public List<Program> programs() {
        return programs;
    }

    public List<Partner> partners() {
        return partners;
    }

    public List<OrgUnit> orgUnits() {
        return orgUnits;
    }

    public List<Target> targets() {
        return targets;
    }

    public Optional<Program> program(String programId) {
        return Optional.ofNullable(programById.get(programId));
    }

    public Optional<Partner> partner(String partnerId) {
        return Optional.ofNullable(partnerById.get(partnerId));
    }

    public Optional<OrgUnit> orgUnit(String orgUnitId) {
        return orgUnitId == null ? Optional.empty() : Optional.ofNullable(orgUnitById.get(orgUnitId));
    }

    /** Org units whose parent is the given unit, in file order. */
    public List<OrgUnit> children(String orgUnitId) {
        return orgUnits.stream().filter(u -> orgUnitId.equals(u.getParentId())).toList();
    }

    /** Kafka key of a target record, as its schema doc states. */
    public static String targetKey(Target t) {
        return String.join("|", t.getProgramId(), t.getIndicator(), t.getPeriod(), t.getDimension(), t.getDimensionId());
    }
}
