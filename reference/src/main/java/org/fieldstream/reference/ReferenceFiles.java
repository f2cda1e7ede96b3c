package org.fieldstream.reference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.fieldstream.events.Settings;

/**
 * Reads a program team's reference files (programs.csv, partners.csv, org_units.csv, targets.csv; the
 * layout of {@code reference/README.md}) and checks all of them before anything is used: every
 * problem is listed with its file, line, field and reason, and a set with any problem yields no
 * data at all. Org-unit ancestry columns left empty are filled from the parent chain; given ones
 * must agree with it.
 */
public final class ReferenceFiles {

    public static final List<String> FILES = List.of("programs.csv", "partners.csv", "org_units.csv", "targets.csv");
    /** Org-unit levels from the top; a unit's parent is on a higher level. */
    public static final List<String> LEVELS = List.of("division", "district", "upazila", "union", "village");
    /** Indicators that {@code dash_targets_vs_actuals} has actuals for. */
    public static final Set<String> INDICATORS = Set.of("people_reached", "new_people_reached", "enrolled", "completed", "dropped_out",
            "dialogues_held", "retention_rate", "dropout_rate", "dialogue_attendance");
    /** Indicators that are rates: their target and baseline are fractions from 0 to 1 (80 % is 0.8), as the rates in ClickHouse. */
    public static final Set<String> RATES = Set.of("retention_rate", "dropout_rate");
    public static final Set<String> DIMENSIONS = Set.of("program", "partner", "district", "upazila");

    private static final Pattern PERIOD = Pattern.compile("all|\\d{4}|\\d{4}-Q[1-4]|\\d{4}-(0[1-9]|1[0-2])|FY\\d{4}|FY\\d{4}-Q[1-4]");
    private static final Pattern ORG_UNIT_ID = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}._:-]{0,79}");

    /** One problem: file, line (0 when it concerns the whole file), field (null for the row) and reason. */
    public record Problem(String file, long line, String field, String reason) {
        @Override
        public String toString() {
            return file + ":" + line + (field == null ? "" : " " + field) + ": " + reason;
        }
    }

    /** The data when there are no problems, else only the problems. */
    public record Result(ReferenceData data, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final ReferenceCells cells = new ReferenceCells();

    private ReferenceFiles() {
    }

    /** Opens one reference file by name; null when there is none. */
    @FunctionalInterface
    interface Opener {
        InputStream open(String name) throws IOException;
    }

    /** Reads and checks the four files in {@code dir}. */
    public static Result read(Path dir) {
        return read(name -> {
            try {
                return Files.newInputStream(dir.resolve(name));
            } catch (NoSuchFileException e) {
                return null;
            }
        }, dir.toString());
    }

    /** Reads and checks the four files {@code opener} gives; {@code where} names their place in messages. */
    static Result read(Opener opener, String where) {
        ReferenceFiles files = new ReferenceFiles();
        Map<String, Csv.Table> tables = new LinkedHashMap<>();
        for (String name : FILES) {
            try (InputStream in = opener.open(name)) {
                if (in == null) {
                    files.cells.problem(name, 0, null, "file is missing from " + where);
                } else {
                    tables.put(name, Csv.read(in));
                }
            } catch (IOException | RuntimeException e) {
                files.cells.problem(name, 0, null, "cannot be read as CSV: " + e.getMessage());
            }
        }
        if (!files.cells.problems.isEmpty()) {
            return new Result(null, List.copyOf(files.cells.problems));
        }
        return files.check(tables);
    }

    private Result check(Map<String, Csv.Table> tables) {
        Map<String, Program> programs = programs(cells.rows(tables, "programs.csv", List.of("program_id", "name", "start_date")));
        Map<String, OrgUnit> orgUnits = orgUnits(cells.rows(tables, "org_units.csv", List.of("org_unit_id", "name", "level")));
        Map<String, Partner> partners = partners(cells.rows(tables, "partners.csv", List.of("partner_id", "program_id", "name")),
                programs, orgUnits);
        List<Target> targets = targets(cells.rows(tables, "targets.csv",
                List.of("program_id", "indicator", "period", "dimension", "dimension_id", "target")), programs, partners, orgUnits);
        if (!cells.problems.isEmpty()) {
            return new Result(null, List.copyOf(cells.problems));
        }
        return new Result(new ReferenceData(List.copyOf(programs.values()), List.copyOf(partners.values()),
                List.copyOf(orgUnits.values()), targets), List.of());
    }

    private Map<String, Program> programs(List<ReferenceCells.Line> lines) {
        Map<String, Program> programs = new LinkedHashMap<>();
        Map<String, String> bySecretVariable = new HashMap<>();
        for (ReferenceCells.Line l : lines) {
            String id = l.get("program_id");
            if (!cells.ownerId(l, "program_id") || cells.duplicate(l, "program_id", programs.containsKey(id))) {
                continue;
            }
            String other = bySecretVariable.putIfAbsent(Settings.secretVariable(id), id);
            if (other != null) {
                cells.problem(l, "program_id", "program " + id + " and program " + other + " would share the secret variable "
                        + Settings.secretVariable(id) + "; choose ids that differ in more than case and punctuation");
                continue;
            }
            LocalDate start = cells.date(l, "start_date");
            LocalDate end = l.get("end_date") == null ? null : cells.date(l, "end_date");
            if (start != null && end != null && end.isBefore(start)) {
                cells.problem(l, "end_date", end + " is before start_date " + start);
                continue;
            }
            Integer missed = l.get("dropout_missed_sessions") == null ? Integer.valueOf(3) : cells.integer(l, "dropout_missed_sessions", 1, 100);
            Double completion = l.get("completion_attendance") == null ? Double.valueOf(0.8) : cells.share(l, "completion_attendance");
            Integer fiscalStart = l.get("fiscal_year_start_month") == null ? Integer.valueOf(1)
                    : cells.integer(l, "fiscal_year_start_month", 1, 12);
            if (fiscalStart != null && fiscalStart % 3 != 1) {
                cells.problem(l, "fiscal_year_start_month", fiscalStart + " does not start a calendar quarter; a fiscal year starts in"
                        + " month 1, 4, 7 or 10");
                continue;
            }
            Double deviation = l.get("deviation_threshold") == null ? Double.valueOf(0.1) : cells.share(l, "deviation_threshold");
            Integer smallCells = l.get("small_cell_threshold") == null ? Integer.valueOf(5)
                    : cells.integer(l, "small_cell_threshold", 2, 100);
            Integer deadlineDays = l.get("reporting_deadline_days") == null ? Integer.valueOf(10)
                    : cells.integer(l, "reporting_deadline_days", 0, 120);
            Double minOnTime = l.get("dq_min_on_time_share") == null ? Double.valueOf(0.8) : cells.share(l, "dq_min_on_time_share");
            Double maxRejected = l.get("dq_max_rejected_share") == null ? Double.valueOf(0.05) : cells.share(l, "dq_max_rejected_share");
            Double maxDuplicates = l.get("dq_max_duplicate_share") == null ? Double.valueOf(0.05) : cells.share(l, "dq_max_duplicate_share");
            Integer maxLateEdits = l.get("dq_max_late_edits") == null ? Integer.valueOf(0) : cells.integer(l, "dq_max_late_edits", 0, 1_000_000);
            if (start == null || missed == null || completion == null || fiscalStart == null || deviation == null || smallCells == null
                    || deadlineDays == null || minOnTime == null || maxRejected == null || maxDuplicates == null || maxLateEdits == null
                    || (l.get("end_date") != null && end == null)) {
                continue;
            }
            programs.put(id, Program.newBuilder().setProgramId(id).setName(l.get("name")).setStartDate(start).setEndDate(end)
                    .setDropoutMissedSessions(missed).setCompletionAttendance(completion).setFiscalYearStartMonth(fiscalStart)
                    .setDeviationThreshold(deviation).setSmallCellThreshold(smallCells).setReportingDeadlineDays(deadlineDays)
                    .setDqMinOnTimeShare(minOnTime).setDqMaxRejectedShare(maxRejected).setDqMaxDuplicateShare(maxDuplicates)
                    .setDqMaxLateEdits(maxLateEdits).build());
        }
        return programs;
    }

    private Map<String, OrgUnit> orgUnits(List<ReferenceCells.Line> lines) {
        Map<String, ReferenceCells.Line> byId = new LinkedHashMap<>();
        for (ReferenceCells.Line l : lines) {
            String id = l.get("org_unit_id");
            if (!ORG_UNIT_ID.matcher(id).matches()) {
                cells.problem(l, "org_unit_id", "an org unit id has 1 to 80 letters, digits or . _ : -, starting with a letter or digit");
            } else if (!LEVELS.contains(l.get("level"))) {
                cells.problem(l, "level", "'" + l.get("level") + "' is not one of " + String.join(", ", LEVELS));
            } else if (!cells.duplicate(l, "org_unit_id", byId.containsKey(id))) {
                byId.put(id, l);
            }
        }
        Map<String, OrgUnit> units = new LinkedHashMap<>();
        for (ReferenceCells.Line l : byId.values()) {
            Map<String, String> ancestry = ancestry(l, byId);
            if (ancestry == null) {
                continue;
            }
            units.put(l.get("org_unit_id"), OrgUnit.newBuilder().setOrgUnitId(l.get("org_unit_id")).setName(l.get("name"))
                    .setNameBn(l.get("name_bn")).setLevel(l.get("level")).setParentId(l.get("parent_id"))
                    .setDivisionId(ancestry.get("division")).setDistrictId(ancestry.get("district"))
                    .setUpazilaId(ancestry.get("upazila")).setUnionId(ancestry.get("union")).build());
        }
        return units;
    }

    /**
     * The unit's ancestor at each level (itself at its own level), from the parent chain; null after
     * a problem (unknown parent, a cycle, a parent not above the unit, ancestry columns that disagree).
     */
    private Map<String, String> ancestry(ReferenceCells.Line unit, Map<String, ReferenceCells.Line> byId) {
        List<ReferenceCells.Line> chain = new ArrayList<>();
        Set<String> visited = new HashSet<>();
        for (ReferenceCells.Line current = unit; current != null; ) {
            String id = current.get("org_unit_id");
            if (!visited.add(id)) {
                cells.problem(unit, "parent_id", "the parent chain comes back to " + id + " (a cycle)");
                return null;
            }
            chain.add(current);
            String parentId = current.get("parent_id");
            if (parentId == null) {
                break;
            }
            current = byId.get(parentId);
            if (current == null) {
                if (chain.size() == 1) {
                    cells.problem(unit, "parent_id", "unknown org unit " + parentId);
                }
                return null; // an ancestor's unknown parent is reported on the ancestor's own line
            }
        }
        ReferenceCells.Line child = chain.get(0);
        for (ReferenceCells.Line parent : chain.subList(1, chain.size())) {
            if (LEVELS.indexOf(parent.get("level")) >= LEVELS.indexOf(child.get("level"))) {
                if (child == unit) {
                    cells.problem(unit, "parent_id", "parent " + parent.get("org_unit_id") + " is a " + parent.get("level")
                            + ", not above a " + child.get("level"));
                }
                return null;
            }
            child = parent;
        }
        Map<String, String> ancestors = new HashMap<>();
        chain.forEach(l -> ancestors.put(l.get("level"), l.get("org_unit_id")));
        for (String level : List.of("division", "district", "upazila", "union")) {
            String given = unit.get(level + "_id");
            if (given != null && !given.equals(ancestors.get(level))) {
                cells.problem(unit, level + "_id", given + " is not the unit's " + level + " by its parents ("
                        + (ancestors.get(level) == null ? "none" : ancestors.get(level)) + ")");
                return null;
            }
        }
        return ancestors;
    }

    private Map<String, Partner> partners(List<ReferenceCells.Line> lines, Map<String, Program> programs, Map<String, OrgUnit> orgUnits) {
        Map<String, Partner> partners = new LinkedHashMap<>();
        for (ReferenceCells.Line l : lines) {
            String id = l.get("partner_id");
            if (!cells.ownerId(l, "partner_id") || cells.duplicate(l, "partner_id", partners.containsKey(id))) {
                continue;
            }
            if (!programs.containsKey(l.get("program_id"))) {
                cells.problem(l, "program_id", "unknown program " + l.get("program_id") + " (not in programs.csv)");
                continue;
            }
            String office = l.get("org_unit_id");
            if (office != null && !orgUnits.containsKey(office)) {
                cells.problem(l, "org_unit_id", "unknown org unit " + office + " (not in org_units.csv)");
                continue;
            }
            partners.put(id, Partner.newBuilder().setPartnerId(id).setProgramId(l.get("program_id")).setName(l.get("name"))
                    .setOrgUnitId(office).build());
        }
        return partners;
    }

    private List<Target> targets(List<ReferenceCells.Line> lines, Map<String, Program> programs, Map<String, Partner> partners,
                                 Map<String, OrgUnit> orgUnits) {
        Map<String, Target> targets = new LinkedHashMap<>();
        for (ReferenceCells.Line l : lines) {
            String program = l.get("program_id");
            String dimension = l.get("dimension");
            String dimensionId = l.get("dimension_id");
            if (!programs.containsKey(program)) {
                cells.problem(l, "program_id", "unknown program " + program + " (not in programs.csv)");
            } else if (!INDICATORS.contains(l.get("indicator"))) {
                cells.problem(l, "indicator", "'" + l.get("indicator") + "' is not one of " + String.join(", ", INDICATORS.stream().sorted().toList()));
            } else if (!PERIOD.matcher(l.get("period")).matches()) {
                cells.problem(l, "period", "'" + l.get("period") + "' is not all, a year (2026), a quarter (2026-Q1), a month (2026-01),"
                        + " a fiscal year (FY2026) or a fiscal quarter (FY2026-Q1)");
            } else if (!DIMENSIONS.contains(dimension)) {
                cells.problem(l, "dimension", "'" + dimension + "' is not one of " + String.join(", ", DIMENSIONS.stream().sorted().toList()));
            } else if (!dimensionKnown(l, program, dimension, dimensionId, partners, orgUnits)) {
                continue;
            } else {
                boolean rate = RATES.contains(l.get("indicator"));
                Double value = rate ? cells.fraction(l, "target") : cells.number(l, "target");
                if (value == null) {
                    continue;
                }
                Double baseline = l.get("baseline") == null ? null : rate ? cells.fraction(l, "baseline") : cells.number(l, "baseline");
                if (l.get("baseline") != null && baseline == null) {
                    continue;
                }
                Target t = Target.newBuilder().setProgramId(program).setIndicator(l.get("indicator")).setPeriod(l.get("period"))
                        .setDimension(dimension).setDimensionId(dimensionId).setTarget(value).setBaseline(baseline).build();
                if (!cells.duplicate(l, "dimension_id", targets.containsKey(ReferenceData.targetKey(t)))) {
                    targets.put(ReferenceData.targetKey(t), t);
                }
            }
        }
        return List.copyOf(targets.values());
    }

    private boolean dimensionKnown(ReferenceCells.Line l, String program, String dimension, String id, Map<String, Partner> partners,
                                   Map<String, OrgUnit> orgUnits) {
        String why = switch (dimension) {
            case "program" -> id.equals(program) ? null : "a program target names its own program, " + program;
            case "partner" -> partners.containsKey(id) && partners.get(id).getProgramId().equals(program) ? null
                    : "unknown partner " + id + " of program " + program;
            default -> orgUnits.containsKey(id) && orgUnits.get(id).getLevel().equals(dimension) ? null
                    : "unknown " + dimension + " " + id + " (not a " + dimension + " in org_units.csv)";
        };
        if (why != null) {
            cells.problem(l, "dimension_id", why);
        }
        return why == null;
    }

}
