package org.fieldstream.streams;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.streams.ThreadMetadata;

/**
 * The tasks this instance runs, active and standby, compared with what it ran after the previous
 * rebalance: what one line of the log says every time the group settles ("gained 0_1, lost 0_2").
 */
final class TaskAssignments {

    private Set<String> active = Set.of();
    private Set<String> standby = Set.of();

    /** The line for the assignment now in force, and remembers it for the next one. */
    synchronized String settled(Collection<ThreadMetadata> threads) {
        Set<String> nowActive = new TreeSet<>();
        Set<String> nowStandby = new TreeSet<>();
        for (ThreadMetadata thread : threads) {
            thread.activeTasks().forEach(t -> nowActive.add(t.taskId().toString()));
            thread.standbyTasks().forEach(t -> nowStandby.add(t.taskId().toString()));
        }
        String line = "tasks after rebalance: active " + nowActive + " (gained " + minus(nowActive, active) + ", lost "
                + minus(active, nowActive) + "), standby " + nowStandby + " (gained " + minus(nowStandby, standby) + ", lost "
                + minus(standby, nowStandby) + ")";
        active = nowActive;
        standby = nowStandby;
        return line;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }
}
