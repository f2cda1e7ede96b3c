package org.fieldstream.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.fieldstream.events.ConfigOption;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.StageCommand;
import org.fieldstream.events.StageExit;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * Runs the retention and outreach topologies until the JVM is asked to stop.
 * Usage: {@code StreamsMain [--config FILE]} (or FIELDSTREAM_CONFIG; a settings file given as the only
 * argument is read too); see {@link StreamsSettings}.
 * A stream thread that fails stops the whole client (SHUTDOWN_CLIENT, state ERROR) and the process
 * exits with {@link StageExit#STREAMS_ERROR}, so that a supervisor restarts it on its state.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "The retention and outreach topologies (exactly_once_v2), until the process is stopped.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped on request", "1:could not start (settings, Kafka, a refused replay)",
            "4:Kafka Streams reached ERROR or stopped unasked", "5:an exception nobody caught ended a thread"})
public final class StreamsMain implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsMain.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    private ConfigOption config = new ConfigOption();
    /** The settings file as the only argument, as earlier versions took it. */
    @Parameters(arity = "0..1", paramLabel = "FILE", description = "settings file, as --config", hidden = true)
    private Path positional;

    public static void main(String[] args) {
        StageCommand.exit(run(args));
    }

    /** The exit code of {@code streams [--config FILE]}: see {@link #run(StreamsSettings)}. */
    public static int run(String[] args) {
        return StageCommand.execute(new StreamsMain(), args);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (positional != null && config.file() != null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give the settings file once: --config FILE");
        }
        return run(StreamsSettings.load(config.file() != null ? config.file() : positional, System.getenv()));
    }

    /** Runs until asked to stop (returns 0) or until Kafka Streams fails (returns {@link StageExit#STREAMS_ERROR}). */
    public static int run(StreamsSettings settings) throws InterruptedException {
        StageExit.exitOnUncaughtException();
        TopicSetup.Layout layout = prepare(settings);
        Topology topology = MetricsTopology.build(settings);
        KafkaStreams streams = new KafkaStreams(topology, settings.streamsProperties(layout));
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopRequested = new AtomicBoolean();
        AtomicReference<KafkaStreams.State> last = new AtomicReference<>(KafkaStreams.State.CREATED);
        TaskAssignments tasks = new TaskAssignments();
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread failed, stopping streams: {}", e.toString(), e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            LOG.info("streams state {} -> {}", before, now);
            last.set(now);
            if (now == KafkaStreams.State.RUNNING) {
                LOG.info(tasks.settled(streams.metadataForLocalThreads()));
            }
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopRequested.set(true);
            LOG.info("stopping streams application {}", settings.kafkaApplicationId());
            streams.close(CLOSE_TIMEOUT);
            stopped.countDown();
        }, "fieldstream-streams-shutdown"));
        LOG.info("starting streams application {} with {} stream threads, {} standby replicas, topics of {} partitions, "
                + "replication {}, min.insync.replicas {} (state in {})", settings.kafkaApplicationId(), settings.numThreads(),
                settings.standbyReplicas(), layout.partitions(), layout.replication(), layout.minInsyncReplicas(), settings.stateDir());
        streams.start();
        stopped.await();
        streams.close(CLOSE_TIMEOUT);
        if (stopRequested.get()) {
            return 0;
        }
        LOG.error("streams application {} stopped in state {} without being asked to, exiting with code {}",
                settings.kafkaApplicationId(), last.get(), StageExit.STREAMS_ERROR);
        return StageExit.STREAMS_ERROR;
    }

    /**
     * What precedes the start: the topics (created when missing, the log topics' retention checked,
     * see {@link TopicSetup#ensureAll(Admin, Topics, Map)}), then the refusal to replay a log that has
     * lost records ({@link PartialLogReplay}) unless {@link StreamsSettings#REPLAY_PARTIAL_LOG} allows it.
     *
     * @throws IllegalStateException when the application must not start, saying why and what to set
     */
    static TopicSetup.Layout prepare(StreamsSettings settings) {
        try (Admin admin = Admin.create(settings.kafkaClients())) {
            // the topology's source topics must exist before it starts; whichever stage starts first creates them
            TopicSetup.Layout layout = TopicSetup.ensureAll(admin, new Topics(settings.topicPrefix()), settings.topicLayout());
            PartialLogReplay.problem(admin, settings).ifPresent(problem -> {
                if (!settings.partialLogReplay()) {
                    String refusal = problem + ": not starting; " + PartialLogReplay.remedy();
                    LOG.error(refusal);
                    throw new IllegalStateException(refusal);
                }
                LOG.warn("{} (replaying anyway: {}=allow)", problem, SettingKeys.STREAMS_REPLAY_PARTIAL_LOG);
            });
            return layout;
        }
    }
}
