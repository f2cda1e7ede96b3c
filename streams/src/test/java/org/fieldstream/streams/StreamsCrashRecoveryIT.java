package org.fieldstream.streams;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.fieldstream.events.FieldEvent;
import org.fieldstream.platform.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * Invariant 4 for the streams stage: StreamsMain in a child JVM is killed (SIGKILL, no clean close)
 * while events are still arriving, a new one starts on the same state directory, and the metric
 * topics end equal to the oracle's recomputation of every event ({@link Recompute}): nothing lost,
 * nothing counted twice.
 */
class StreamsCrashRecoveryIT {

    @Test
    void killedMidStreamAndRestartedEndsWithTheSameMetrics() throws Exception {
        ItKafka kafka = new ItKafka();
        kafka.reference(ItScenario.PROGRAM, ItScenario.PROGRAM_START, ItScenario.ORG_UNITS);
        List<FieldEvent> events = ItScenario.generated(40, 10, 23);
        Map<String, String> expected = ItScenario.recomputed(events);
        Path dir = Path.of("target", "it-crash", kafka.id).toAbsolutePath();
        Files.createDirectories(dir);
        Path config = dir.resolve("streams.properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + kafka.bootstrap,
                "streams.application.id=" + kafka.id,
                "topic.prefix=" + kafka.topics.prefix(),
                "streams.state.dir=" + dir.resolve("state"),
                "streams.commit.interval.ms=100",
                "streams.punctuate.interval.ms=200",
                "streams.config.consumer.session.timeout.ms=6000",
                "streams.config.consumer.heartbeat.interval.ms=1000", ""));
        int third = events.size() / 3;

        kafka.send(events.subList(0, third));
        ChildJvm first = ChildJvm.start("streams-1", StreamsMain.class.getName(), List.of("-Xmx256m"),
                List.of(config.toString()), dir.resolve("streams-1.log"));
        awaitSomeOutput(kafka);
        kafka.send(events.subList(third, 2 * third));
        Thread.sleep(300); // let it be busy with the second third
        assertTrue(first.isAlive(), first.logTail(40));
        first.kill();
        first.waitFor(Duration.ofSeconds(10));

        kafka.send(events.subList(2 * third, events.size()));
        ChildJvm second = ChildJvm.start("streams-2", StreamsMain.class.getName(), List.of("-Xmx256m"),
                List.of(config.toString()), dir.resolve("streams-2.log"));
        try {
            kafka.awaitMetrics(expected, Duration.ofSeconds(120));
        } finally {
            second.stop();
        }
    }

    private static void awaitSomeOutput(ItKafka kafka) throws InterruptedException {
        for (int i = 0; i < 60; i++) {
            if (!kafka.readMetrics().get(kafka.topics.participantProgress.name()).isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the first streams process wrote nothing");
    }
}
