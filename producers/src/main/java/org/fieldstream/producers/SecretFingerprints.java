package org.fieldstream.producers;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fieldstream.events.Topic;

/**
 * What ties every person id of a program to one pseudonymisation secret: the secret's fingerprint,
 * recorded in Kafka (compacted topic {@code fieldstream.identity.secret-fingerprints}, keyed by
 * program) by the first stage that publishes under it. A later secret that differs, or a lost one,
 * would give every person a new id and count them twice; {@link #verify} refuses both before anything
 * is published.
 *
 * <p>The fingerprint is HMAC-SHA256 keyed by the secret over a fixed text, cut to 128 bits: it tells
 * whether two secrets are equal and reveals nothing about either.
 */
public final class SecretFingerprints {

    static final String PREFIX = "v1:";
    private static final String MESSAGE = "fieldstream pseudonymisation secret fingerprint";

    /** The records of the fingerprint topic: read it, add to it. */
    public interface Ledger {
        /** Every program's recorded fingerprint, as of now. */
        Map<String, String> read();

        void record(String program, String fingerprint);
    }

    private final Ledger ledger;
    private final Map<String, String> known = new HashMap<>();

    public SecretFingerprints(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The fingerprints on Kafka, through the producers' settings. */
    public static SecretFingerprints kafka(ProducerSettings settings, Topic<String, String> topic) {
        return new SecretFingerprints(new KafkaLedger(settings, topic));
    }

    /** The fingerprint of a secret (ASCII, no secret content). */
    public static String of(byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal(MESSAGE.getBytes(StandardCharsets.UTF_8));
            return PREFIX + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("cannot compute HmacSHA256", e);
        }
    }

    /** The recorded fingerprint of a program, if any stage has published under a secret of it. */
    public synchronized Optional<String> recorded(String program) {
        if (!known.containsKey(program)) {
            known.putAll(ledger.read());
        }
        return Optional.ofNullable(known.get(program));
    }

    /**
     * Checks a program's secret against its recorded fingerprint, recording it when the program has
     * none yet.
     *
     * @throws IdentityException when the secret differs from the recorded one
     */
    public synchronized void verify(String program, byte[] secret, String variable) {
        String fingerprint = of(secret);
        Optional<String> recorded = recorded(program);
        if (recorded.isEmpty()) {
            ledger.record(program, fingerprint);
            known.put(program, fingerprint);
            return;
        }
        if (!recorded.get().equals(fingerprint)) {
            throw mismatch(program, variable);
        }
    }

    /** A configured secret that is not the one the program's data was published with. */
    public static IdentityException mismatch(String program, String variable) {
        return new IdentityException("the pseudonymisation secret of program " + program + " (" + variable
                + " or the secrets file) is not the one its data was published with: every person would get a new id"
                + " and be counted twice. " + RESTORE + " Nothing was published.");
    }

    /** A program with published data whose secret is not configured. */
    public static IdentityException missing(String program, String variable) {
        return new IdentityException("program " + program + " has data published under a pseudonymisation secret, but no secret"
                + " is configured (" + variable + " or the secrets file): a new one would give every person a new id. "
                + RESTORE + " Nothing was published.");
    }

    static final String RESTORE = "Restore the secrets file (secrets.file, var/secrets.properties of the local stack) from"
            + " a backup (./fieldstream restore FILE restores it with the log) or set the variable to the original secret.";

    /** A secret that would change person ids: missing where data exists, or not the recorded one. */
    public static final class IdentityException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public IdentityException(String message) {
            super(message);
        }
    }

    private static final class KafkaLedger implements Ledger {
        private final ProducerSettings settings;
        private final Topic<String, String> topic;

        KafkaLedger(ProducerSettings settings, Topic<String, String> topic) {
            this.settings = settings;
            this.topic = topic;
        }

        @Override
        public Map<String, String> read() {
            Map<String, String> fingerprints = new HashMap<>();
            KafkaClients.readToEnd(settings, topic, (key, value) -> {
                if (value != null) {
                    fingerprints.put(key, value);
                }
            });
            return fingerprints;
        }

        @Override
        public void record(String program, String fingerprint) {
            Properties p = KafkaClients.producerProperties(settings, "fieldstream-identity");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, topic.keySerde().serializer(),
                    topic.valueSerde().serializer())) {
                producer.send(new ProducerRecord<>(topic.name(), program, fingerprint)).get(Duration.ofSeconds(60).toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot record the secret fingerprint of program " + program + " in " + topic.name()
                        + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted recording a secret fingerprint", e);
            }
        }
    }
}
