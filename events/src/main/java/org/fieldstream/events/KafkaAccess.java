package org.fieldstream.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * How every Kafka client of FieldStream reaches the brokers: {@code bootstrap.servers} and every
 * setting {@code kafka.<client config>} with the prefix removed ({@code kafka.security.protocol},
 * {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config}, {@code kafka.ssl.*}, ...). Producers,
 * consumers, admin clients and Kafka Streams of every stage and command start from this map, so a
 * managed Kafka with SASL or TLS works for all of them alike.
 */
public final class KafkaAccess {

    public static final String BOOTSTRAP_SERVERS = SettingKeys.BOOTSTRAP_SERVERS.key();
    public static final String PREFIX = SettingKeys.KAFKA_CLIENT.prefix();

    /**
     * Pass-through keys whose {@code FIELDSTREAM_*} variable counts even when no file names them
     * (a variable name cannot be turned back into a key, so only these are looked for).
     */
    public static final List<String> ENVIRONMENT_KEYS = List.of("kafka.security.protocol", "kafka.sasl.mechanism",
            "kafka.sasl.jaas.config", "kafka.ssl.truststore.location", "kafka.ssl.truststore.password",
            "kafka.ssl.truststore.type", "kafka.ssl.keystore.location", "kafka.ssl.keystore.password",
            "kafka.ssl.keystore.type", "kafka.ssl.key.password", "kafka.ssl.endpoint.identification.algorithm");

    private KafkaAccess() {
    }

    /** Bootstrap servers and the pass-through client settings of {@code settings} (keys as Kafka names them). */
    public static Map<String, Object> clients(Map<String, String> settings) {
        String bootstrap = settings.get(BOOTSTRAP_SERVERS);
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new Settings.Invalid("missing setting " + BOOTSTRAP_SERVERS + " (set " + Settings.envName(BOOTSTRAP_SERVERS) + ")");
        }
        Map<String, Object> out = new HashMap<>(passThrough(settings));
        out.put(BOOTSTRAP_SERVERS, bootstrap.trim());
        return Map.copyOf(out);
    }

    /** The {@code kafka.*} settings with the prefix removed. */
    public static Map<String, String> passThrough(Map<String, String> settings) {
        Map<String, String> out = new HashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(PREFIX) && key.length() > PREFIX.length() && value != null) {
                out.put(key.substring(PREFIX.length()), value);
            }
        });
        return Map.copyOf(out);
    }

    /** A client map reaching {@code bootstrap} without authentication (test brokers). */
    public static Map<String, Object> plain(String bootstrap) {
        return Map.of(BOOTSTRAP_SERVERS, bootstrap);
    }

    /** {@code clients} as fresh properties, to which a client adds its own settings. */
    public static Properties properties(Map<String, Object> clients) {
        Properties p = new Properties();
        p.putAll(clients);
        return p;
    }

    /** {@code clients} with {@code more} added (a client's own settings). */
    public static Map<String, Object> with(Map<String, Object> clients, Map<String, Object> more) {
        Map<String, Object> out = new HashMap<>(clients);
        out.putAll(more);
        return out;
    }

    /** The bootstrap servers of a client map, for messages (never the other settings: they may hold secrets). */
    public static String bootstrap(Map<String, Object> clients) {
        return String.valueOf(clients.get(BOOTSTRAP_SERVERS));
    }
}
