package org.fieldstream.producers;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.csv.CsvRowSource;
import org.fieldstream.producers.forms.FormExportSource;
import org.fieldstream.producers.json.JsonLinesSource;

/**
 * What many ingest batches share: the settings, one pair of idempotent producers, the program
 * catalogue and the registry of known cohorts and dialogues, each read from Kafka once. A batch is
 * one partner's files ({@link #ingest}); {@link IngestCommand} runs one batch, a manifest replay many.
 */
public final class IngestSession implements AutoCloseable {

    private static final List<String> SOURCE_KINDS = List.of("csv", "json", "kobo", "odk");

    private final ProducerSettings settings;
    private final ProgramCatalog catalog;
    private final KnownAggregates known;
    private final KafkaProducer<String, FieldEvent> events;
    private final KafkaProducer<String, RejectedRecord> rejected;
    private final EventPublisher publisher;
    private final Topics topics;
    private final ProgramSecrets secrets;
    /** Topics are created before the first publish, so refusals that need no broker never wait for one. */
    private boolean topicsEnsured;
    private boolean brokerAnswered;

    private IngestSession(ProducerSettings settings, ProgramCatalog catalog, KnownAggregates known,
                          KafkaProducer<String, FieldEvent> events, KafkaProducer<String, RejectedRecord> rejected,
                          Topics topics) {
        this.settings = settings;
        this.catalog = catalog;
        this.known = known;
        this.events = events;
        this.rejected = rejected;
        this.publisher = new EventPublisher(events, rejected, topics);
        this.topics = topics;
        this.secrets = settings.secrets(topics);
    }

    /** Loads settings (defaults, {@code config} or FIELDSTREAM_CONFIG, then {@code env}) and reads reference data. */
    public static IngestSession open(Path config, Map<String, String> env) {
        ProducerSettings settings = ProducerSettings.load(config, env);
        Topics topics = new Topics(settings.topicPrefix());
        ProgramCatalog catalog = new ProgramCatalog();
        settings.addConfiguredReference(catalog);
        boolean preload = settings.flag(SettingKeys.REFERENCE_PRELOAD) || settings.flag(SettingKeys.KNOWN_PRELOAD);
        if (preload) {
            KafkaClients.awaitBroker(settings);
        }
        if (settings.flag(SettingKeys.REFERENCE_PRELOAD)) {
            KafkaClients.loadReference(settings, topics, catalog);
        }
        KnownAggregates known = new KnownAggregates(settings.intValue(SettingKeys.KNOWN_MAX_ENTRIES));
        if (settings.flag(SettingKeys.KNOWN_PRELOAD)) {
            KafkaClients.preloadKnown(settings, topics, known);
        }
        KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "fieldstream-ingest");
        KafkaProducer<String, RejectedRecord> rejected =
                KafkaClients.producer(settings, topics.rejected, "fieldstream-ingest-rejected");
        IngestSession session = new IngestSession(settings, catalog, known, events, rejected, topics);
        session.brokerAnswered = preload;
        return session;
    }

    /**
     * Converters of one program and partner, one per source kind.
     *
     * @throws UnusableInputException when the partner may not write the program's data
     * @throws IllegalStateException  when the program's secret is not configured
     */
    Map<String, RowConverter> converters(String program, String partner) throws UnusableInputException {
        return converters(program, partner, Clock.systemUTC());
    }

    /** As {@link #converters(String, String)}, receiving rows at the clock's time. */
    Map<String, RowConverter> converters(String program, String partner, Clock clock) throws UnusableInputException {
        String refusal = catalog.refusal(program, partner);
        if (refusal != null) {
            throw new UnusableInputException(refusal);
        }
        Pseudonymizer pseudonymizer = secrets.pseudonymizer(program);
        int tolerance = settings.intValue(SettingKeys.DATE_TOLERANCE_DAYS);
        boolean rejectUnknown = settings.rejectUnknownReferences();
        Map<String, RowConverter> converters = new HashMap<>();
        for (String source : SOURCE_KINDS) {
            converters.put(source, new RowConverter(program, partner, source, catalog, pseudonymizer, known,
                    tolerance, rejectUnknown, clock));
        }
        return converters;
    }

    /**
     * Publishes the sources' rows, adding one result per source to {@code results} as it goes; stops
     * with a {@link EventPublisher.PublishException} after the first source Kafka did not fully
     * acknowledge (its result included).
     */
    void publish(Map<String, RowConverter> converters, List<RowSource> sources, Progress progress,
                 List<Ingest.Result> results) throws IOException {
        publish(converters, sources, progress, results, null, false);
    }

    /**
     * As {@link #publish(Map, List, Progress, List)}; {@code landed}, when given, is filled from the events
     * topic first and each result counts its accepted rows as new, already there or superseded. A dry
     * run reads, validates and counts the same way and sends nothing (no topic is created, no secret
     * fingerprint recorded).
     */
    void publish(Map<String, RowConverter> converters, List<RowSource> sources, Progress progress,
                 List<Ingest.Result> results, LandedRecords landed, boolean dryRun) throws IOException {
        if (!dryRun) {
            settings.diskGuard().check();
        }
        if (!brokerAnswered) {
            KafkaClients.awaitBroker(settings);
            brokerAnswered = true;
        }
        if (!topicsEnsured && !dryRun) {
            KafkaClients.ensureTopics(settings, topics);
            topicsEnsured = true;
        }
        if (!dryRun) {
            converters.values().stream().map(RowConverter::programId).distinct().forEach(secrets::verify);
        }
        if (landed != null) {
            KafkaClients.readToEnd(settings, topics.events, landed::learn);
        }
        RejectedRegistrations registrations = new RejectedRegistrations();
        for (RowSource source : sources) {
            Ingest ingest = new Ingest(converters.get(sourceKind(source)), known, publisher, progress, landed, dryRun,
                    registrations);
            Layout layout = source instanceof CsvRowSource c ? c.layout() : source instanceof FormExportSource f ? f.layout() : null;
            Ingest.Result result = ingest.run(source, layout);
            results.add(result);
            if (result.failed() > 0) {
                throw new EventPublisher.PublishException(result.failed() + " rows of " + result.name()
                        + " not acknowledged by Kafka; send the input again (event ids are deterministic)", null);
            }
        }
    }

    public int maxRowBytes() {
        return settings.maxRowBytes();
    }

    /**
     * One batch: a partner's files (CSV or JSON Lines by name, relative to {@code base} when set), in
     * layout order; returns one result per file with its first rejections.
     */
    public List<Ingest.Result> ingest(String program, String partner, Path base, List<String> files, Progress progress)
            throws IOException, UnusableInputException {
        return ingest(program, partner, base, files, progress, Clock.systemUTC());
    }

    /**
     * As {@link #ingest(String, String, Path, List, Progress)}, with rows received (and rejected) at the
     * clock's time: a replay of deliveries on planned days, as the data-quality tests do.
     */
    public List<Ingest.Result> ingest(String program, String partner, Path base, List<String> files, Progress progress,
                                      Clock clock) throws IOException, UnusableInputException {
        Map<String, RowConverter> converters = converters(program, partner, clock);
        List<RowSource> sources = InputFiles.open(new InputFiles.Selection("auto", null, base, files), maxRowBytes());
        try {
            List<Ingest.Result> results = new ArrayList<>();
            publish(converters, sources, progress, results);
            return results;
        } finally {
            InputFiles.closeAll(sources);
        }
    }

    private static String sourceKind(RowSource source) {
        if (source instanceof CsvRowSource) {
            return "csv";
        }
        if (source instanceof JsonLinesSource) {
            return "json";
        }
        if (source instanceof FormExportSource f) {
            return f.sourceName();
        }
        throw new IllegalArgumentException("no source kind for " + source.getClass().getSimpleName());
    }

    @Override
    public void close() {
        try {
            events.close();
        } finally {
            rejected.close();
        }
    }
}
