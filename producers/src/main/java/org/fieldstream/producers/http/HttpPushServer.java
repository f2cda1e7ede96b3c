package org.fieldstream.producers.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.fieldstream.events.FieldEvent;
import org.fieldstream.events.RejectedRecord;
import org.fieldstream.events.Topics;
import org.fieldstream.producers.KafkaClients;
import org.fieldstream.producers.KnownAggregates;
import org.fieldstream.producers.ProducerSettings;
import org.fieldstream.producers.ProgramCatalog;
import org.fieldstream.producers.ProgramSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP push endpoint on the JDK's built-in server. A fixed pool of {@code http.threads} workers
 * with a short queue; when both are full the accepting thread runs the request itself, which slows
 * new connections instead of piling them up, so no burst can exhaust memory or threads.
 */
public final class HttpPushServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPushServer.class);

    private final HttpServer server;
    private final ThreadPoolExecutor workers;

    public HttpPushServer(int port, int threads, BatchHandler.PushContext context) {
        try {
            this.server = HttpServer.create(new InetSocketAddress(port), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads * 4), r -> {
                    Thread t = new Thread(r, "http-push-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(workers);
        server.createContext("/v1/programs/", new BatchHandler(context));
    }

    /** A server over the given clients and registries (tests, embedding). */
    public static HttpPushServer create(ProducerSettings settings, ProgramCatalog catalog, ProgramSecrets secrets,
                                        TokenStore tokens, KnownAggregates known, Producer<String, FieldEvent> events,
                                        Producer<String, RejectedRecord> rejected, Topics topics, int port) {
        BatchHandler.PushContext context = new BatchHandler.PushContext(catalog, secrets, tokens, known,
                settings.intValue(ProducerSettings.KNOWN_MAX_ENTRIES), events, rejected, topics,
                Long.parseLong(settings.required(ProducerSettings.HTTP_MAX_BODY_BYTES)),
                settings.intValue(ProducerSettings.DATE_TOLERANCE_DAYS), settings.rejectUnknownReferences(), Clock.systemUTC());
        return new HttpPushServer(port, settings.intValue(ProducerSettings.HTTP_THREADS), context);
    }

    public HttpPushServer start() {
        server.start();
        LOG.info("HTTP push listening on port {}", port());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public void stop() {
        server.stop(1);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        LOG.info("HTTP push stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** {@code HttpPushServer [--config FILE]}: settings as for ingest plus http.port, http.tokens.file. */
    public static void main(String[] args) throws InterruptedException {
        Path config = args.length == 2 && args[0].equals("--config") ? Path.of(args[1]) : null;
        ProducerSettings settings = ProducerSettings.load(config, System.getenv());
        Topics topics = new Topics(settings.topicPrefix());
        ProgramCatalog catalog = new ProgramCatalog();
        settings.addConfiguredReference(catalog);
        KafkaClients.ensureTopics(settings, topics);
        if (settings.flag(ProducerSettings.REFERENCE_PRELOAD)) {
            KafkaClients.loadReference(settings, topics, catalog);
        }
        TokenStore tokens = TokenStore.load(settings.path(ProducerSettings.HTTP_TOKENS_FILE));
        KnownAggregates known = new KnownAggregates(settings.intValue(ProducerSettings.KNOWN_MAX_ENTRIES));
        if (settings.flag(ProducerSettings.KNOWN_PRELOAD)) {
            KafkaClients.preloadKnown(settings, topics, known);
        }
        KafkaProducer<String, FieldEvent> events = KafkaClients.producer(settings, topics.events, "fieldstream-push");
        KafkaProducer<String, RejectedRecord> rejected = KafkaClients.producer(settings, topics.rejected, "fieldstream-push-rejected");
        HttpPushServer server = create(settings, catalog, settings.secrets(), tokens, known, events, rejected, topics,
                settings.intValue(ProducerSettings.HTTP_PORT)).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            events.close(java.time.Duration.ofSeconds(10));
            rejected.close(java.time.Duration.ofSeconds(10));
            stopped.countDown();
        }, "http-push-shutdown"));
        stopped.await();
    }
}
