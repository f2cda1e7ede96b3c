package org.fieldstream.producers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The partner file layouts of LAYOUTS.md: required and optional columns, the natural key, and the
 * order in which an ingest processes them (cohorts and dialogues first, so later rows can refer to them).
 */
public enum Layout {
    COHORTS("cohorts", List.of("cohort_id", "topic", "planned_sessions", "start_date", "org_unit_id"),
            List.of("end_date", "target_group"), List.of("cohort_id")),
    DIALOGUES("dialogues", List.of("dialogue_id", "kind", "topic", "held_on", "org_unit_id"),
            List.of(), List.of("dialogue_id")),
    SESSIONS("sessions", List.of("cohort_id", "session_number", "held_on"),
            List.of(), List.of("cohort_id", "session_number")),
    ENROLMENTS("enrolments", List.of("cohort_id", "person_key", "sex", "enrolled_on"),
            List.of("birth_year", "age", "name", "phone", "national_id"), List.of("cohort_id", "person_key")),
    ATTENDANCE("attendance", List.of("cohort_id", "session_number", "person_key", "status"),
            List.of(), List.of("cohort_id", "session_number", "person_key")),
    EXITS("exits", List.of("cohort_id", "person_key", "reason"),
            List.of("exited_on"), List.of("cohort_id", "person_key")),
    DIALOGUE_ATTENDANCE("dialogue_attendance", List.of("dialogue_id", "attendee_no", "role", "sex"),
            List.of("person_key", "age", "name", "phone"), List.of("dialogue_id", "attendee_no"));

    /** Columns every layout may carry. program_id and partner_id, when sent, must match the ingest's. */
    public static final List<String> COMMON = Common.COLUMNS;

    /** Columns that identify a person: never published, never logged, redacted in rejected rows. */
    public static final Set<String> PERSONAL = Set.of("person_key", "name", "phone", "national_id");

    /** Columns of free text, published as the partner sent them once checked (see LAYOUTS.md). */
    public static final Set<String> FREE_TEXT = Set.of("topic", "role", "target_group");

    private final String id;
    private final List<String> required;
    private final List<String> optional;
    private final List<String> naturalKey;
    private final Set<String> known;

    Layout(String id, List<String> required, List<String> optional, List<String> naturalKey) {
        this.id = id;
        this.required = required;
        this.optional = optional;
        this.naturalKey = naturalKey;
        Set<String> all = new LinkedHashSet<>(required);
        all.addAll(optional);
        all.addAll(Common.COLUMNS);
        this.known = Set.copyOf(all);
    }

    public String id() {
        return id;
    }

    public List<String> required() {
        return required;
    }

    public List<String> naturalKey() {
        return naturalKey;
    }

    /** Whether the column belongs to this layout (required, optional or common); others are dropped on read. */
    public boolean knows(String column) {
        return known.contains(column);
    }

    /** The aggregate column: cohort_id or dialogue_id. */
    public String aggregateColumn() {
        return naturalKey.get(0);
    }

    public static Optional<Layout> byId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (Layout layout : values()) {
            if (layout.id.equals(wanted)) {
                return Optional.of(layout);
            }
        }
        return Optional.empty();
    }

    /**
     * Recognises a layout from a header: the layouts whose required columns are all present; when
     * several match, the one with the most required columns (attendance over sessions). A tie is
     * ambiguous and yields an explanation instead.
     */
    public static Detection detect(Collection<String> header) {
        Set<String> columns = new LinkedHashSet<>();
        header.forEach(h -> columns.add(normalise(h)));
        List<Layout> matches = new ArrayList<>();
        for (Layout layout : values()) {
            if (columns.containsAll(layout.required)) {
                matches.add(layout);
            }
        }
        if (matches.isEmpty()) {
            // the row may be data (a file sent without its header): only column names of the layouts are repeated
            List<String> recognised = columns.stream().filter(Layout::anyKnows).toList();
            return new Detection(null, "the first row is not the header of a layout: it names "
                    + (recognised.isEmpty() ? "no column of any layout" : "only the columns " + recognised)
                    + "; a file starts with a header row naming the columns of one of " + ids());
        }
        matches.sort((a, b) -> Integer.compare(b.required.size(), a.required.size()));
        if (matches.size() > 1 && matches.get(0).required.size() == matches.get(1).required.size()) {
            return new Detection(null, "header matches both " + matches.get(0).id + " and " + matches.get(1).id);
        }
        return new Detection(matches.get(0), null);
    }

    /** Header names are compared trimmed and lower case. */
    public static String normalise(String column) {
        return column.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean anyKnows(String column) {
        for (Layout layout : values()) {
            if (layout.knows(column)) {
                return true;
            }
        }
        return false;
    }

    private static String ids() {
        StringBuilder s = new StringBuilder();
        for (Layout l : values()) {
            s.append(s.length() == 0 ? "" : ", ").append(l.id);
        }
        return s.toString();
    }

    /** Holds the common columns apart, so the constants' constructors may read them. */
    private static final class Common {
        static final List<String> COLUMNS = List.of("revision", "retracted", "program_id", "partner_id");
    }

    /** Result of {@link #detect}: a layout, or why none. */
    public record Detection(Layout layout, String problem) {
        public boolean found() {
            return layout != null;
        }
    }
}
