package org.fieldstream.sink;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.fieldstream.clickhouse.ClickHouseGateway;
import org.fieldstream.events.Topics;

/** The sink's loop on a thread of the test JVM, with the real consumer, writer and dead letters. */
final class InProcessSink implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final ClickHouseTableWriter writer;
    private final KafkaDeadLetters deadLetters;
    private final SinkLoop loop;
    private final Thread thread;
    private final ExecutorService writeStage;

    InProcessSink(SinkSettings settings) {
        Topics topics = new Topics(settings.topicPrefix());
        consumer = new KafkaConsumer<>(SinkMain.consumerConfig(settings));
        writer = new ClickHouseTableWriter(new ClickHouseGateway(settings.clickHouseUrl(), settings.clickHouseUser(),
                settings.clickHousePassword()), settings.database());
        deadLetters = new KafkaDeadLetters(new KafkaProducer<>(SinkMain.producerConfig(settings)),
                topics.deadLetters.name());
        writeStage = SinkLoop.writeThread(settings.groupId());
        loop = new SinkLoop(consumer, writer, deadLetters, TableMappings.of(topics), settings.groupId(),
                settings.loopOptions(), System::currentTimeMillis, writeStage);
        thread = new Thread(loop, "sink-it-loop");
        thread.start();
    }

    SinkStats stats() {
        return loop.stats();
    }

    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(10));
        writeStage.shutdown();
        writer.close();
        deadLetters.close();
    }
}
