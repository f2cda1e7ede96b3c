package org.fieldstream.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.fieldstream.events.KafkaAccess;
import org.fieldstream.events.Settings;
import org.fieldstream.events.TopicSetup;
import org.fieldstream.events.Topics;
import org.fieldstream.reference.ReferenceData;
import org.fieldstream.reference.ReferenceLoader;
import org.fieldstream.seeds.ScenarioGenerator;
import org.fieldstream.sink.SinkMain;
import org.fieldstream.sink.SinkSettings;
import org.fieldstream.streams.MetricsTopology;
import org.fieldstream.streams.StreamsSettings;

/**
 * The whole pipeline in one JVM on given Kafka and ClickHouse: topics, reference data, the streams
 * application and the sink running; {@link #ingest} pushes partner files through the producers.
 * Used by the demo, the end-to-end test and the benchmark; production runs each stage as its own
 * process ({@code fieldstream streams|sink|ingest|serve}).
 */
final class Pipeline implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, String> config;
    private final KafkaStreams streams;
    private final SinkMain.Running sink;

    private Pipeline(Map<String, String> config, KafkaStreams streams, SinkMain.Running sink) {
        this.config = config;
        this.streams = streams;
        this.sink = sink;
    }

    /**
     * Starts streams and sink. {@code config} holds FIELDSTREAM_* settings (bootstrap servers, topic
     * prefix, ClickHouse URL and database, state dir); a random secret is added for every program
     * that has none, so person ids are pseudonyms even in a demo.
     */
    static Pipeline start(Map<String, String> settings, ReferenceData reference) throws Exception {
        Map<String, String> config = new HashMap<>(settings);
        for (var program : reference.programs()) {
            config.computeIfAbsent(LocalRun.secretVariable(program.getProgramId()), k -> LocalRun.randomSecret());
        }
        Topics topics = new Topics(config.getOrDefault("FIELDSTREAM_TOPIC_PREFIX", ""));
        Map<String, Object> kafka = KafkaAccess.clients(Settings.load(Map.of(), null, config, List.of(KafkaAccess.BOOTSTRAP_SERVERS)));
        try (Admin admin = Admin.create(kafka)) {
            TopicSetup.ensure(admin, topics, 3, (short) 1);
        }
        ReferenceLoader.publish(kafka, topics, reference);
        StreamsSettings streamsSettings = StreamsSettings.load(null, config);
        KafkaStreams streams = new KafkaStreams(MetricsTopology.build(streamsSettings), streamsSettings.streamsProperties());
        streams.start();
        try {
            return new Pipeline(config, streams, SinkMain.start(SinkSettings.load(null, config)));
        } catch (Exception e) {
            streams.close(CLOSE_TIMEOUT);
            throw e;
        }
    }

    /** The FIELDSTREAM_* settings of this pipeline, secrets included, for ingest and push in the same run. */
    Map<String, String> config() {
        return Map.copyOf(config);
    }

    /** Ingests the scenario's manifest in order and returns the reported rejections. */
    List<String> ingest(ScenarioGenerator.Result scenario, Path input, ReferenceData reference) {
        return ManifestIngest.run(scenario, input, reference, config).rejections();
    }

    @Override
    public void close() {
        try {
            streams.close(CLOSE_TIMEOUT);
        } finally {
            sink.close();
        }
    }
}
