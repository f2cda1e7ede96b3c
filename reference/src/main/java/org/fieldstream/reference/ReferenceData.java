package org.fieldstream.reference;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;


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
        return orThrow(ReferenceFiles.read(name -> ReferenceData.class.getResourceAsStream(RESOURCE_DIR + name), "the bundled reference"));
    }

    /**
     * Reference files from a folder holding programs.csv, partners.csv, org_units.csv, targets.csv,
     * checked by {@link ReferenceFiles}; any problem fails with all of them listed.
     */
    public static ReferenceData fromDirectory(Path dir) {
        return orThrow(ReferenceFiles.read(dir));
    }

    private static ReferenceData orThrow(ReferenceFiles.Result result) {
        if (!result.ok()) {
            throw new IllegalArgumentException("reference data has " + result.problems().size() + " problems:\n"
                    + String.join("\n", result.problems().stream().map(ReferenceFiles.Problem::toString).toList()));
        }
        return result.data();
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
