package org.fieldstream.producers.forms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import org.fieldstream.producers.RecordIds;
import org.fieldstream.producers.RowConverter;
import org.fieldstream.producers.SourceRow;

/**
 * Places a submission in rows of the mapping's layout: one row per repeat item (or one for the
 * submission), times one per selected choice of an {@code each} column. Never silent: a submission
 * that gives no row (a reader's problem, an empty repeat, no choice selected) gives one malformed row
 * saying why, so it is rejected and counted. Never merged: rows of one submission that would be one
 * record (the same natural key, e.g. two repeat items with the same attendee number) are all rejected,
 * each naming the others' source refs.
 *
 * <p>Source refs: {@code <file>:<instanceID>}, {@code #<item>} for the n-th repeat item, {@code /<n>}
 * for the n-th selected choice.
 */
public final class FormRows {

    private FormRows() {
    }

    public static List<SourceRow> of(FormMapping mapping, Submission submission) {
        if (submission.problem() != null) {
            return List.of(rejected(mapping, submission, submission.ref(), submission.problem()));
        }
        if (mapping.repeat() == null) {
            return distinct(mapping, rowsOf(mapping, submission, null, 0, submission.ref()));
        }
        if (submission.items() == null || submission.items().isEmpty()) {
            return List.of(rejected(mapping, submission, submission.ref(),
                    "repeat " + mapping.repeat() + " has no items: the submission gives no " + mapping.layout().id() + " row"));
        }
        List<SourceRow> rows = new ArrayList<>();
        int n = 0;
        for (Submission.Fields item : submission.items()) {
            n++;
            rows.addAll(rowsOf(mapping, submission, item, n, submission.ref() + "#" + n));
        }
        return distinct(mapping, rows);
    }

    /** The rows, with those sharing a natural key with another row of the submission replaced by rejections naming both. */
    private static List<SourceRow> distinct(FormMapping mapping, List<SourceRow> rows) {
        if (rows.size() < 2) {
            return rows;
        }
        List<String> keyColumns = mapping.layout().naturalKey();
        Map<String, List<Integer>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            SourceRow row = rows.get(i);
            if (row.malformed() != null) {
                continue;
            }
            String[] key = keyColumns.stream().map(c -> String.valueOf(row.get(c))).toArray(String[]::new);
            byKey.computeIfAbsent(RecordIds.joinKey(key), k -> new ArrayList<>()).add(i);
        }
        List<SourceRow> out = new ArrayList<>(rows);
        for (List<Integer> same : byKey.values()) {
            if (same.size() < 2) {
                continue;
            }
            for (int i : same) {
                SourceRow row = rows.get(i);
                StringJoiner others = new StringJoiner(", ");
                same.stream().filter(j -> j != i).forEach(j -> others.add(rows.get(j).sourceRef()));
                out.set(i, ofSubmission(mapping, row.identity(), row.values(), row.sourceRef(), "gives the same "
                        + mapping.layout().id() + " record (same " + String.join(", ", keyColumns) + ") as " + others
                        + " of the same submission: rows of one submission are never merged; give each item its own key "
                        + "(e.g. {\"item\": \"position\"})"));
            }
        }
        return out;
    }

    private static List<SourceRow> rowsOf(FormMapping mapping, Submission submission, Submission.Fields item, int position,
                                          String ref) {
        Map<String, String> values = new LinkedHashMap<>();
        String eachColumn = null;
        List<String> choices = List.of();
        for (Map.Entry<String, ColumnRule> e : mapping.columns().entrySet()) {
            String column = e.getKey();
            ColumnRule rule = e.getValue();
            if (ColumnRule.KEY.equals(rule.item()) && itemKey(item) == null) {
                return List.of(ofSubmission(mapping, submission.identity(), withRevision(values, submission), ref, column + ": the repeat items of this export have "
                        + "no instance key (__id, KEY; Kobo writes none): use {\"item\": \"position\"} or a field"));
            }
            String raw = raw(mapping, rule, submission.fields(), item, position);
            if (rule.each()) {
                eachColumn = column;
                choices = raw == null ? List.of() : Arrays.asList(raw.split("\\s+"));
                continue;
            }
            String value = value(mapping, column, rule, raw);
            if (value != null) {
                values.put(column, value);
            }
        }
        values.put("revision", Integer.toString(submission.revision()));
        boolean perKey = mapping.repeat() != null || eachColumn != null;
        if (eachColumn == null) {
            return List.of(new SourceRow(mapping.layout(), values, ref, null, submission.identity(), perKey));
        }
        if (choices.isEmpty()) {
            return List.of(ofSubmission(mapping, submission.identity(), values, ref, "no choice selected in "
                    + String.join(" or ", mapping.columns().get(eachColumn).fields()) + ": no " + eachColumn + ", no row"));
        }
        List<SourceRow> rows = new ArrayList<>();
        int n = 0;
        for (String choice : choices) {
            n++;
            Map<String, String> row = new LinkedHashMap<>(values);
            row.put(eachColumn, mapping.translate(eachColumn, choice));
            rows.add(new SourceRow(mapping.layout(), row, ref + "/" + n, null, submission.identity(), true));
        }
        return rows;
    }

    /** A repeat item's own instance key: OData {@code __id}, Central CSV {@code KEY}; null for Kobo's items. */
    private static String itemKey(Submission.Fields item) {
        if (item == null) {
            return null;
        }
        String id = Submission.text(item.get("__id"));
        return id != null ? id : Submission.text(item.get("KEY"));
    }

    /**
     * The rule's value before translation: the item's position or key; the first non-blank field (from
     * the item for paths under the repeat), or all of them joined; else its default or constant.
     */
    private static String raw(FormMapping mapping, ColumnRule rule, Submission.Fields submission, Submission.Fields item,
                              int position) {
        if (rule.constant() != null) {
            return rule.constant();
        }
        if (rule.item() != null) {
            String value = ColumnRule.POSITION.equals(rule.item()) ? (item == null ? null : Integer.toString(position)) : itemKey(item);
            return transformed(rule, value);
        }
        if (rule.join() == null) {
            for (String path : rule.fields()) {
                String text = transformed(rule, field(mapping, path, submission, item));
                if (text != null) {
                    return text;
                }
            }
            return rule.fallback();
        }
        StringJoiner joined = new StringJoiner(rule.join());
        for (String path : rule.fields()) {
            String text = field(mapping, path, submission, item);
            String bare = text == null || !rule.stripUuid() ? text : Submission.bareId(text);
            if (bare != null) {
                joined.add(bare);
            }
        }
        return joined.length() > 0 ? transformed(rule.withoutStrip(), joined.toString()) : rule.fallback();
    }

    private static String field(FormMapping mapping, String path, Submission.Fields submission, Submission.Fields item) {
        String prefix = mapping.repeatPrefix();
        if (prefix != null && path.startsWith(prefix)) {
            return item == null ? null : Submission.text(item.get(path.substring(prefix.length())));
        }
        return Submission.text(submission.get(path));
    }

    /** The rule's id transforms: {@code uuid:} stripped, then the prefix. */
    private static String transformed(ColumnRule rule, String value) {
        if (value == null) {
            return null;
        }
        String v = rule.stripUuid() ? Submission.bareId(value) : value;
        return v == null || rule.prefix() == null ? v : rule.prefix() + v;
    }

    private static String value(FormMapping mapping, String column, ColumnRule rule, String raw) {
        if (rule.contains() != null) {
            boolean selected = raw != null && Arrays.asList(raw.split("\\s+")).contains(rule.contains());
            return selected ? rule.then() : rule.otherwise();
        }
        if (raw == null || rule.constant() != null || rule.item() != null) {
            return raw;
        }
        if (rule.date()) {
            return FormDates.localDate(raw, RowConverter.ZONE);
        }
        return mapping.translate(column, raw);
    }

    /** A rejection row with what the submission's own (non-repeat) columns hold, for the partner to find it. */
    private static SourceRow rejected(FormMapping mapping, Submission submission, String ref, String reason) {
        Map<String, String> values = new LinkedHashMap<>();
        if (submission.fields() != null) {
            String prefix = mapping.repeatPrefix();
            mapping.columns().forEach((column, rule) -> {
                boolean inRepeat = rule.item() != null || prefix != null && rule.fields().stream().anyMatch(p -> p.startsWith(prefix));
                if (!inRepeat && !rule.each()) {
                    String value = value(mapping, column, rule, raw(mapping, rule, submission.fields(), null, 0));
                    if (value != null) {
                        values.put(column, value);
                    }
                }
            });
        }
        return ofSubmission(mapping, submission.identity(), withRevision(values, submission), ref, reason);
    }

    /**
     * A rejected row that stays tied to its submission (when the mapping gives a submission several
     * records), so a version whose rows are all rejected still supersedes the records of earlier ones.
     */
    private static SourceRow ofSubmission(FormMapping mapping, String identity, Map<String, String> values, String ref,
                                          String reason) {
        boolean perKey = mapping.repeat() != null || mapping.columns().values().stream().anyMatch(ColumnRule::each);
        return new SourceRow(mapping.layout(), values, ref, reason, perKey ? identity : null, perKey);
    }

    private static Map<String, String> withRevision(Map<String, String> values, Submission submission) {
        if (submission.identity() != null) {
            values.put("revision", Integer.toString(submission.revision()));
        }
        return values;
    }
}
