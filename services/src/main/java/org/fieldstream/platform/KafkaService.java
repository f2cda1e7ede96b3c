package org.fieldstream.platform;

/** A Kafka cluster the pipeline can talk to; closing it stops what this process started. */
public interface KafkaService extends AutoCloseable {

    String bootstrapServers();

    @Override
    void close();
}
