package org.fieldstream.streams;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.fieldstream.events.LogRetention;

/**
 * Removes what older state formats of the streams application left behind: after a state-format
 * change the new version runs as {@code <streams.application.id>-state<N>} and replays the event log,
 * while {@code <streams.application.id>-state<M>} (M &lt; N) keeps its consumer group, internal
 * topics ({@code <id>-state<M>-...-changelog}, {@code -repartition}) and state directory
 * ({@code <streams.state.dir>/<id>-state<M>}). Once the current application has caught up (its
 * committed offsets on the events topic equal the end offsets) they are deleted; before, nothing is.
 * State directories are those of this machine's {@code streams.state.dir} only.
 */
public final class StateCleanup {

    private static final long TIMEOUT_SECONDS = 30;

    private StateCleanup() {
    }

    /** What one older state application left: its consumer group (when it exists), topics and state directory. */
    public record Leftover(String applicationId, boolean group, List<String> topics, Optional<Path> stateDir) {
    }

    /** The outcome: caught up or not (with how far behind), and what was removed. */
    public record Outcome(Optional<String> behind, List<Leftover> found, List<String> removed, List<String> failed) {
        public boolean caughtUp() {
            return behind.isEmpty();
        }
    }

    /** {@code streams-cleanup}: prints what it removed; 0 when done (or nothing to do), 1 when not caught up or a removal failed. */
    public static int run(StreamsSettings settings, PrintStream out) {
        try (Admin admin = Admin.create(settings.kafkaClients())) {
            Outcome outcome = cleanIfCaughtUp(admin, settings);
            print(settings, outcome, out);
            return outcome.caughtUp() && outcome.failed().isEmpty() ? 0 : 1;
        }
    }

    /** Prints an outcome as {@code streams-cleanup} does. */
    public static void print(StreamsSettings settings, Outcome outcome, PrintStream out) {
        String current = settings.kafkaApplicationId();
        if (outcome.found().isEmpty()) {
            out.println("no older state applications of " + current + " to remove");
        }
        if (!outcome.caughtUp()) {
            if (!outcome.found().isEmpty()) {
                out.println("streams application " + current + " has not caught up with the event log (" + outcome.behind().get()
                        + "): kept " + outcome.found().stream().map(Leftover::applicationId).collect(Collectors.joining(", "))
                        + " (nothing removed; run ./fieldstream streams-cleanup again once it has)");
            }
            return;
        }
        outcome.removed().forEach(line -> out.println("removed " + line));
        outcome.failed().forEach(line -> out.println("not removed: " + line));
    }

    /** Finds the older state applications and, when the current one has caught up, deletes them. */
    public static Outcome cleanIfCaughtUp(Admin admin, StreamsSettings settings) {
        List<Leftover> found = find(admin, settings);
        Optional<String> behind = behind(admin, settings);
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (behind.isEmpty()) {
            for (Leftover leftover : found) {
                remove(admin, leftover, removed, failed);
            }
        }
        return new Outcome(behind, found, removed, failed);
    }

    /** The state format of {@code candidate} when it is an older state application of {@code applicationId} than {@code current}. */
    static Optional<String> olderApplication(String applicationId, int current, String candidate) {
        Matcher m = Pattern.compile(Pattern.quote(applicationId) + "-state(\\d{1,9})").matcher(candidate);
        return m.matches() && Integer.parseInt(m.group(1)) < current ? Optional.of(candidate) : Optional.empty();
    }

    /** The older application whose internal topic {@code topic} is ({@code <id>-state<M>-<name>}), if any. */
    static Optional<String> ownerOfTopic(String applicationId, int current, String topic) {
        Matcher m = Pattern.compile("(" + Pattern.quote(applicationId) + "-state\\d{1,9})-.+").matcher(topic);
        return m.matches() ? olderApplication(applicationId, current, m.group(1)) : Optional.empty();
    }

    /** Every older state application with what it left (group, topics, state directory). */
    static List<Leftover> find(Admin admin, StreamsSettings settings) {
        String id = settings.applicationId();
        int current = Compact.FORMAT;
        TreeSet<String> applications = new TreeSet<>();
        TreeSet<String> groups = new TreeSet<>();
        Map<String, List<String>> topics = new TreeMap<>();
        for (GroupListing group : get(admin.listGroups().all(), "list consumer groups")) {
            olderApplication(id, current, group.groupId()).ifPresent(app -> {
                applications.add(app);
                groups.add(app);
            });
        }
        for (String topic : get(admin.listTopics().names(), "list topics")) {
            ownerOfTopic(id, current, topic).ifPresent(app -> {
                applications.add(app);
                topics.computeIfAbsent(app, a -> new ArrayList<>()).add(topic);
            });
        }
        Map<String, Path> dirs = new TreeMap<>();
        if (Files.isDirectory(settings.stateDir())) {
            try (Stream<Path> children = Files.list(settings.stateDir())) {
                children.filter(Files::isDirectory).forEach(dir -> olderApplication(id, current, dir.getFileName().toString())
                        .ifPresent(app -> dirs.put(app, dir)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the state directory " + settings.stateDir(), e);
            }
        }
        applications.addAll(dirs.keySet());
        List<Leftover> out = new ArrayList<>();
        for (String app : applications) {
            List<String> own = topics.getOrDefault(app, List.of());
            out.add(new Leftover(app, groups.contains(app), own.stream().sorted().toList(), Optional.ofNullable(dirs.get(app))));
        }
        return out;
    }

    /**
     * Empty when the current application's committed offsets on the events topic equal its end
     * offsets (an empty partition needs none); else how far behind it is.
     */
    static Optional<String> behind(Admin admin, StreamsSettings settings) {
        String topic = settings.topics().events.name();
        Map<TopicPartition, Long> end = LogRetention.endOffsets(admin, topic);
        Map<TopicPartition, OffsetAndMetadata> committed = PartialLogReplay.committed(admin, settings.kafkaApplicationId());
        List<String> lagging = new ArrayList<>();
        end.forEach((tp, last) -> {
            OffsetAndMetadata position = committed.get(tp);
            long at = position == null ? 0 : position.offset();
            if (at < last) {
                lagging.add("partition " + tp.partition() + " at " + (position == null ? "no position" : Long.toString(at)) + " of " + last);
            }
        });
        return lagging.isEmpty() ? Optional.empty() : Optional.of(topic + " " + String.join(", ", lagging));
    }

    private static void remove(Admin admin, Leftover leftover, List<String> removed, List<String> failed) {
        String app = leftover.applicationId();
        if (leftover.group()) {
            try {
                admin.deleteConsumerGroups(List.of(app)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                removed.add("consumer group " + app);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    // a group with members is an instance of the old version still running: its topics are in use
                    failed.add("consumer group " + app + " (" + e.getCause().getMessage() + "; is an older streams instance still running?)"
                            + " and its topics and state directory");
                    return;
                }
            } catch (TimeoutException e) {
                failed.add("consumer group " + app + " (no answer within " + TIMEOUT_SECONDS + " s) and its topics and state directory");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted deleting consumer group " + app, e);
            }
        }
        for (String topic : leftover.topics()) {
            try {
                admin.deleteTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                removed.add("topic " + topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    failed.add("topic " + topic + " (" + e.getCause().getMessage() + ")");
                }
            } catch (TimeoutException e) {
                failed.add("topic " + topic + " (no answer within " + TIMEOUT_SECONDS + " s)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted deleting topic " + topic, e);
            }
        }
        leftover.stateDir().ifPresent(dir -> {
            try {
                deleteTree(dir);
                removed.add("state directory " + dir);
            } catch (IOException | UncheckedIOException e) {
                failed.add("state directory " + dir + " (" + e.getMessage() + ")");
            }
        });
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + ": no answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }
}
