package org.fieldstream.producers.forms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.fieldstream.producers.UnusableInputException;

/**
 * Checks a mapping against the exports of one run before anything is published: every field path the
 * mapping names must occur in some submission (paths under the repeat: in some repeat item), and the
 * repeat itself in some submission. A column's list of paths is a list of alternatives (one form per
 * tool: {@code _submission_time}, {@code __system/submissionDate}, {@code SubmissionDate}): one of them
 * must occur. A column marked {@code "optional": true} is not checked (Kobo leaves a question nobody
 * answered out of its export). A path never seen stops the run with the path and the closest path the
 * export has (by edit distance), so a typo never lands as blanks or as "absent".
 *
 * <p>Readers {@link #see} every submission they read and {@link #name} the paths the export has (as
 * a mapping would write them); only submissions a reader could place are evidence. A run whose
 * submissions were all rejected, or whose repeat has no item anywhere, checks what it can.
 */
public final class MappingCheck {

    private final FormMapping mapping;
    /** Column to its alternatives, for the columns no submission has shown yet (paths outside the repeat). */
    private final Map<String, List<String>> unseen = new LinkedHashMap<>();
    /** The same for columns read from repeat items. */
    private final Map<String, List<String>> unseenInItems = new LinkedHashMap<>();
    private final Set<String> names = new TreeSet<>();
    private boolean placed;
    private boolean repeatSeen;
    private boolean itemSeen;

    public MappingCheck(FormMapping mapping) {
        this.mapping = mapping;
        String prefix = mapping.repeatPrefix();
        mapping.columns().forEach((column, rule) -> {
            if (rule.optional() || rule.fields().isEmpty()) {
                return;
            }
            boolean inItems = prefix != null && rule.fields().stream().allMatch(p -> p.startsWith(prefix));
            (inItems ? unseenInItems : unseen).put(column, rule.fields());
        });
    }

    /** Notes which of the mapping's paths this submission (and its repeat items) holds. */
    public void see(Submission submission) {
        if (submission.problem() != null || submission.fields() == null) {
            return;
        }
        placed = true;
        String prefix = mapping.repeatPrefix();
        for (Iterator<List<String>> it = unseen.values().iterator(); it.hasNext(); ) {
            if (it.next().stream().anyMatch(p -> holds(submission, null, prefix, p))) {
                it.remove();
            }
        }
        if (mapping.repeat() == null) {
            return;
        }
        if (submission.fields().get(mapping.repeat()) != null) {
            repeatSeen = true;
        }
        if (submission.items() == null || submission.items().isEmpty()) {
            return;
        }
        repeatSeen = true;
        for (Submission.Fields item : submission.items()) {
            itemSeen = true;
            for (Iterator<List<String>> it = unseenInItems.values().iterator(); it.hasNext(); ) {
                if (it.next().stream().anyMatch(p -> holds(submission, item, prefix, p))) {
                    it.remove();
                }
            }
        }
    }

    /** Notes that the export has the mapping's repeat (a repeat table, a navigation link), items or not. */
    public void repeatFound() {
        repeatSeen = true;
    }

    /** Paths the export has, as a mapping writes them, for the suggestions. */
    public void name(Collection<String> paths) {
        names.addAll(paths);
    }

    /** Every path under a JSON object ({@code group/field}, nested groups joined by '/'), under {@code prefix}. */
    public void nameJson(JsonNode node, String prefix) {
        if (node == null || !node.isObject() || names.size() > 10_000) {
            return;
        }
        node.fields().forEachRemaining(e -> {
            String key = e.getKey();
            int link = key.indexOf("@odata.");
            if (link >= 0) {
                key = key.substring(0, link);
            }
            if (key.isEmpty()) {
                return;
            }
            String path = prefix.isEmpty() || key.startsWith(prefix) ? key : prefix + key;
            names.add(path);
            JsonNode value = e.getValue();
            if (value.isObject()) {
                nameJson(value, path + "/");
            } else if (value.isArray()) {
                for (JsonNode item : value) {
                    nameJson(item, path + "/");
                }
            }
        });
    }

    /**
     * Stops the run when the mapping names a path the export never holds.
     *
     * @param export the files the run read, for the message
     */
    public void verify(String export) throws UnusableInputException {
        if (!placed) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (mapping.repeat() != null && !repeatSeen) {
            problems.add("repeat \"" + mapping.repeat() + "\" not found in the export" + closest(mapping.repeat()));
        }
        unseen.forEach((column, paths) -> problems.add(describe(column, paths)));
        if (itemSeen) {
            unseenInItems.forEach((column, paths) -> problems.add(describe(column, paths)));
        }
        if (!problems.isEmpty()) {
            throw new UnusableInputException("form mapping " + mapping.formId() + " (" + mapping.layout().id()
                    + ") does not fit " + export + ": " + String.join("; ", problems)
                    + ". Nothing was published: correct the path, or mark a column \"optional\": true when its question "
                    + "may be unanswered in every submission");
        }
    }

    private String describe(String column, List<String> paths) {
        StringBuilder text = new StringBuilder("column ").append(column).append(": ");
        for (int i = 0; i < paths.size(); i++) {
            text.append(i == 0 ? "" : ", ").append('"').append(paths.get(i)).append('"').append(closest(paths.get(i)));
        }
        return text.append(paths.size() == 1 ? " not found in the export" : " (none of them) found in the export").toString();
    }

    private static boolean holds(Submission submission, Submission.Fields item, String prefix, String path) {
        if (prefix != null && path.startsWith(prefix)) {
            return item != null && item.get(path.substring(prefix.length())) != null;
        }
        return submission.fields().get(path) != null;
    }

    /** " (closest: x)" for the export's path nearest by edit distance, or "" when none is near. */
    private String closest(String path) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int d = distance(path, name);
            if (d < bestDistance || d == bestDistance && best != null && name.length() < best.length()) {
                best = name;
                bestDistance = d;
            }
        }
        return best == null || bestDistance > Math.max(3, path.length() / 2) ? "" : " (closest in the export: \"" + best + "\")";
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
