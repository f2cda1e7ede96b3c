package org.fieldstream.producers.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.fieldstream.events.ConfigOption;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.SettingKeys;
import org.fieldstream.events.StageCommand;
import org.fieldstream.events.StageExit;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.ProgramCatalog;
import org.fieldstream.producers.ProgramSecrets;
import org.fieldstream.reference.ReferenceFollower;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The HTTP push endpoint on Jetty. Request heads are read without a thread (an idle or half-sent
 * request costs a connection, not a worker), and each must be complete within
 * {@code http.header.timeout.ms} ({@link HeadDeadline}); the handler runs as soon as a head is
 * complete, so the token is checked before any body is read. A body must
 * keep its {@link BodyPace}. At most {@code http.max.connections} connections are accepted at once,
 * {@code http.max.connections.per.address} from one address ({@link AddressLimit}). Workers are few
 * and bounded ({@code http.max.batches} plus room for quick refusals); a batch beyond
 * {@link Admission}'s bounds (the partner's share among them) is answered 503 at once. Binds to
 * {@code http.bind}: loopback by default, so a local run is not reachable from the network.
 */
public final class HttpPushServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPushServer.class);

    private final Server server;
    private final ServerConnector connector;

    /** Settings of the server itself (see {@link ProducerSettings}). */
    record Network(String bind, int port, long headerTimeoutMillis, long bodyTimeoutMillis, int maxConnections,
                   int maxConnectionsPerAddress, int workers) {
    }

    HttpPushServer(Network network, BatchHandler.PushContext context) {
        QueuedThreadPool pool = new QueuedThreadPool(network.workers(), Math.min(8, network.workers()));
        pool.setName("http-push");
        pool.setDaemon(true);
        this.server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(16 * 1024);
        // during a request, each read of the body may wait this long; between requests the connector's applies
        http.setIdleTimeout(network.bodyTimeoutMillis());
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(network.bind());
        connector.setPort(network.port());
        connector.setIdleTimeout(network.headerTimeoutMillis());
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(network.maxConnections(), connector));
        connector.addEventListener(new AddressLimit(network.maxConnectionsPerAddress()));
        HeadDeadline headDeadline = new HeadDeadline(server.getScheduler(), network.headerTimeoutMillis());
        connector.addEventListener(headDeadline);
        server.setHandler(new BatchHandler(context, headDeadline));
        server.setStopTimeout(5_000);
    }

    /** A server over the given clients and registries (tests, embedding), on {@code port} (0: any free one). */
    public static HttpPushServer create(ProducerSettings settings, ProgramCatalog catalog, ProgramSecrets secrets,
                                        TokenStore tokens, KnownAggregates known, Producer<String, FieldEvent> events,
                                        Producer<String, RejectedRecord> rejected, Topics topics, int port) {
        int maxBatches = settings.intValue(SettingKeys.HTTP_MAX_BATCHES, 1, 10_000);
        long bodyTimeout = settings.intValue(SettingKeys.HTTP_BODY_TIMEOUT_MS, 100, Integer.MAX_VALUE);
        BodyPace.Limits pace = new BodyPace.Limits(bodyTimeout,
                settings.intValue(SettingKeys.HTTP_MIN_BODY_BYTES_PER_SECOND, 0, Integer.MAX_VALUE),
                settings.intValue(SettingKeys.HTTP_BODY_GRACE_MS, 0, Integer.MAX_VALUE));
        BatchHandler.Limits limits = new BatchHandler.Limits(
                Long.parseLong(settings.required(SettingKeys.HTTP_MAX_BODY_BYTES).trim()), settings.maxRowBytes(),
                pace, settings.intValue(SettingKeys.HTTP_REPLY_REJECTIONS, 0, 100_000), maxBatches,
                settings.intValue(SettingKeys.HTTP_MAX_LARGE_BATCHES, 1, maxBatches),
                Math.min(maxBatches, settings.intValue(SettingKeys.HTTP_MAX_BATCHES_PER_PARTNER, 1, 10_000)),
                settings.intValue(SettingKeys.HTTP_LARGE_BATCH_BYTES, 1, Integer.MAX_VALUE));
        BatchHandler.PushContext context = new BatchHandler.PushContext(catalog, secrets, tokens, known,
                settings.intValue(SettingKeys.KNOWN_MAX_ENTRIES), events, rejected, topics, limits,
                settings.intValue(SettingKeys.DATE_TOLERANCE_DAYS), settings.rejectUnknownReferences(), Clock.systemUTC(),
                settings.diskGuard());
        // workers: every admitted batch, plus room to refuse the others at once (Jetty's acceptor and
        // selector take two of them)
        Network network = new Network(settings.required(SettingKeys.HTTP_BIND).trim(), port,
                settings.intValue(SettingKeys.HTTP_HEADER_TIMEOUT_MS, 100, Integer.MAX_VALUE), bodyTimeout,
                settings.intValue(SettingKeys.HTTP_MAX_CONNECTIONS, 1, 1_000_000),
                settings.intValue(SettingKeys.HTTP_MAX_CONNECTIONS_PER_ADDRESS, 1, 1_000_000), maxBatches + 16);
        return new HttpPushServer(network, context);
    }

    public HttpPushServer start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP push endpoint on " + connector.getHost() + ":"
                    + connector.getPort() + ": " + e.getMessage(), e);
        }
        LOG.info("HTTP push listening on {}:{}", connector.getHost(), port());
        return this;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The address the endpoint listens on. */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP push did not stop cleanly: {}", e.getClass().getName());
        }
        LOG.info("HTTP push stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** {@code HttpPushServer [--config FILE]}: settings as for ingest plus http.*; serves until the process is stopped. */
    public static void main(String[] args) {
        StageCommand.exit(StageCommand.execute(new Serve(), args));
    }

    /** The push endpoint's command line ({@code fieldstream serve}). */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "The HTTP push endpoint: POST /v1/programs/{program}/partners/{partner}/batches, until the process is stopped.")
    public static final class Serve implements Callable<Integer> {

        @Mixin
        private ConfigOption config = new ConfigOption();

        @Override
        public Integer call() throws InterruptedException {
            StageExit.exitOnUncaughtException();
            serve(ProducerSettings.load(config.file(), System.getenv()));
            return 0;
        }
    }

    /** Serves with {@code settings} until the process is stopped. */
    static void serve(ProducerSettings settings) throws InterruptedException {
        int port = settings.intValue(SettingKeys.HTTP_PORT, 0, 65535);
        Topics topics = new Topics(settings.topicPrefix());
        ProgramCatalog catalog = new ProgramCatalog();
        settings.addConfiguredReference(catalog);
        KafkaClients.ensureTopics(settings, topics);
        // a long-running endpoint follows the reference topics: a program loaded or a partner retired
        // later applies to the next batch without a restart
        ReferenceFollower reference = settings.flag(SettingKeys.REFERENCE_PRELOAD)
                ? ReferenceFollower.follow(settings.kafkaClients(), topics, catalog) : null;
        TokenStore tokens = TokenStore.load(settings.path(SettingKeys.HTTP_TOKENS_FILE));
        KnownAggregates known = new KnownAggregates(settings.intValue(SettingKeys.KNOWN_MAX_ENTRIES));
        if (settings.flag(SettingKeys.KNOWN_PRELOAD)) {
            KafkaClients.preloadKnown(settings, topics, known);
        }
        KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "fieldstream-push");
        KafkaProducer<String, RejectedRecord> rejected = KafkaClients.producer(settings, topics.rejected, "fieldstream-push-rejected");
        HttpPushServer server = create(settings, catalog, settings.secrets(topics), tokens, known, events, rejected, topics,
                port).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            if (reference != null) {
                reference.close();
            }
            events.close(java.time.Duration.ofSeconds(10));
            rejected.close(java.time.Duration.ofSeconds(10));
            stopped.countDown();
        }, "http-push-shutdown"));
        stopped.await();
    }
}
