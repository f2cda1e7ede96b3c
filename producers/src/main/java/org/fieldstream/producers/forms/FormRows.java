package org.fieldstream.producers.forms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldstream.producers.RowConverter;
import org.fieldstream.producers.SourceRow;

/**
 * Places a submission in rows of the mapping's layout: one row per repeat item (or one for the
 * submission), times one per selected choice of an {@code each} column. Never silent: a submission
 * that gives no row (a reader's problem, an empty repeat, no choice selected) gives one malformed row
 * saying why, so it is rejected and counted.
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
            return rowsOf(mapping, submission, null, submission.ref());
        }
        if (submission.items() == null || submission.items().isEmpty()) {
            return List.of(rejected(mapping, submission, submission.ref(),
                    "repeat " + mapping.repeat() + " has no items: the submission gives no " + mapping.layout().id() + " row"));
        }
        List<SourceRow> rows = new ArrayList<>();
        int n = 0;
        for (Submission.Fields item : submission.items()) {
            n++;
            rows.addAll(rowsOf(mapping, submission, item, submission.ref() + "#" + n));
        }
        return rows;
    }

    private static List<SourceRow> rowsOf(FormMapping mapping, Submission submission, Submission.Fields item, String ref) {
        Map<String, String> values = new LinkedHashMap<>();
        String eachColumn = null;
        List<String> choices = List.of();
        for (Map.Entry<String, ColumnRule> e : mapping.columns().entrySet()) {
            String column = e.getKey();
            ColumnRule rule = e.getValue();
            String raw = raw(mapping, rule, submission.fields(), item);
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
            return List.of(SourceRow.malformed(mapping.layout(), values, ref, "no choice selected in "
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

    /** The first non-blank field of the rule (from the item for paths under the repeat), else its default or constant. */
    private static String raw(FormMapping mapping, ColumnRule rule, Submission.Fields submission, Submission.Fields item) {
        if (rule.constant() != null) {
            return rule.constant();
        }
        String prefix = mapping.repeatPrefix();
        for (String path : rule.fields()) {
            String text;
            if (prefix != null && path.startsWith(prefix)) {
                text = item == null ? null : Submission.text(item.get(path.substring(prefix.length())));
            } else {
                text = Submission.text(submission.get(path));
            }
            if (text != null) {
                return text;
            }
        }
        return rule.fallback();
    }

    private static String value(FormMapping mapping, String column, ColumnRule rule, String raw) {
        if (rule.contains() != null) {
            boolean selected = raw != null && Arrays.asList(raw.split("\\s+")).contains(rule.contains());
            return selected ? rule.then() : rule.otherwise();
        }
        if (raw == null || rule.constant() != null) {
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
                boolean inRepeat = prefix != null && rule.fields().stream().anyMatch(p -> p.startsWith(prefix));
                if (!inRepeat && !rule.each()) {
                    String value = value(mapping, column, rule, raw(mapping, rule, submission.fields(), null));
                    if (value != null) {
                        values.put(column, value);
                    }
                }
            });
        }
        return SourceRow.malformed(mapping.layout(), values, ref, reason);
    }
}
