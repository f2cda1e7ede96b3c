package org.fieldstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.StageExit;
import org.fieldstream.platform.ChildJvm;
import org.junit.jupiter.api.Test;

/**
 * A sink whose loop dies does not look alive: the process exits with {@link StageExit#SINK_LOOP_DIED},
 * so a supervisor restarts it. The sink runs in a child JVM with a writer that fails each row write
 * with an unexpected runtime exception; one event is enough.
 */
class SinkLoopDeathIT {

    @Test
    void sinkProcessExitsNonZeroWhenItsLoopDies() throws Exception {
        try (ItSupport it = new ItSupport()) {
            SinkSettings s = it.settings(10, 100);
            Path config = Path.of("target", "sink-loop-death-" + it.id + ".properties").toAbsolutePath();
            Files.writeString(config, String.join("\n",
                    SettingKeys.BOOTSTRAP_SERVERS.key() + "=" + s.bootstrapServers(),
                    SettingKeys.TOPIC_PREFIX.key() + "=" + s.topicPrefix(),
                    SettingKeys.SINK_GROUP_ID.key() + "=" + s.groupId(),
                    SettingKeys.CLICKHOUSE_URL.key() + "=" + s.clickHouseUrl(),
                    SettingKeys.CLICKHOUSE_DATABASE.key() + "=" + s.database(),
                    SettingKeys.SINK_BATCH_MS.key() + "=100", ""));
            it.send(it.topics.events.name(), "c1", Samples.event("e1", "r1", 1, "c1", Samples.cohort("c1")));
            it.producer.flush();
            ChildJvm sink = ChildJvm.start("sink-loop-death", BrokenWriterSinkMain.class.getName(), List.of("-Xmx256m"),
                    List.of("--config", config.toString()), Path.of("target", "sink-loop-death-" + it.id + ".log"));
            int exit = sink.waitFor(Duration.ofSeconds(120));
            String log = sink.logTail(200);
            assertEquals(StageExit.SINK_LOOP_DIED, exit, log);
            assertTrue(log.contains("sink loop died: java.lang.IllegalStateException: unexpected failure writing a batch"), log);
        }
    }
}
