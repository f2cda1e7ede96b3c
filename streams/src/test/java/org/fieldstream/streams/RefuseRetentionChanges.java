package org.fieldstream.streams;

import java.util.Map;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.AlterConfigPolicy;

/**
 * A broker's alter-config policy that refuses any change of {@code retention.ms} or
 * {@code retention.bytes} on topics whose name starts with {@value #PREFIX}, as a managed Kafka
 * service may; loaded by the broker of {@link EventLogRetentionIT} ({@code alter.config.policy.class.name}).
 */
public final class RefuseRetentionChanges implements AlterConfigPolicy {

    static final String PREFIX = "managed-";

    @Override
    public void validate(RequestMetadata request) {
        ConfigResource resource = request.resource();
        if (resource.type() == ConfigResource.Type.TOPIC && resource.name().startsWith(PREFIX)
                && (request.configs().containsKey(TopicConfig.RETENTION_MS_CONFIG)
                    || request.configs().containsKey(TopicConfig.RETENTION_BYTES_CONFIG))) {
            throw new PolicyViolationException("retention of " + resource.name() + " is managed by the service");
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void close() {
    }
}
