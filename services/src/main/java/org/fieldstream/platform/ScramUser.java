package org.fieldstream.platform;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A SCRAM-SHA-256 user of a Kafka broker. Name and password are plain tokens (letters, digits,
 * '-', '_'), so they fit the JAAS configuration and the storage tool's {@code --add-scram} argument
 * without quoting.
 */
public record ScramUser(String name, String password) {

    public static final String MECHANISM = "SCRAM-SHA-256";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

    public ScramUser {
        if (!TOKEN.matcher(name).matches() || !TOKEN.matcher(password).matches()) {
            throw new IllegalArgumentException("a SCRAM user name and password are letters, digits, '-' and '_' only");
        }
    }

    /** {@code sasl.jaas.config} of a client (or the broker) logging in as this user. */
    public String jaasConfig() {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + name + "\" password=\"" + password + "\";";
    }

    /** Kafka client settings that log in as this user on a SASL_PLAINTEXT listener. */
    public Map<String, String> clientSettings() {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM, "sasl.jaas.config", jaasConfig());
    }

    @Override
    public String toString() {
        return "ScramUser[" + name + "]";
    }
}
