package org.fieldstream.events;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The one way every stage reads its settings: its defaults, then a properties file (the one given,
 * else the one {@code FIELDSTREAM_CONFIG} names), then the credentials file that file names
 * ({@code credentials.file}; or {@code FIELDSTREAM_CREDENTIALS_FILE}), then {@code FIELDSTREAM_*}
 * environment variables (a key {@code a.b-c} is {@code FIELDSTREAM_A_B_C}). Each stage keeps a typed
 * view of the values; the typed readers here ({@link #required}, {@link #longValue}, {@link #intWithin},
 * {@link #longWithin}, {@link #flag}) fail with {@link Invalid}, naming the key and its variable.
 *
 * <p>Paths in a settings file: the value of a key ending in {@code .file} or {@code .dir} (e.g.
 * {@code secrets.file}, {@code http.tokens.file}, {@code streams.state.dir}) that is a relative path is
 * resolved against the folder holding the file, so a folder with its settings file can move as a
 * whole. Absolute paths are kept as they are; defaults and environment variables are not resolved
 * (relative to the working directory, as before).
 */
public final class Settings {

    public static final String CONFIG_VARIABLE = "FIELDSTREAM_CONFIG";
    /** A properties file of credentials (Kafka client settings, ClickHouse user and password) layered over the settings file. */
    public static final String CREDENTIALS_FILE = "credentials.file";
    /** Keys whose variables count even when neither the defaults nor the file name them. */
    private static final List<String> ALWAYS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of(CREDENTIALS_FILE, "clickhouse.user", "clickhouse.password"),
            KafkaAccess.ENVIRONMENT_KEYS.stream()).toList();

    private Settings() {
    }

    /**
     * Layered values. A variable overrides every key the defaults, the file or {@code moreKeys} name;
     * other keys of the file are kept as they are (e.g. pass-through client settings).
     */
    public static Map<String, String> load(Map<String, String> defaults, Path file, Map<String, String> environment,
                                           Collection<String> moreKeys) {
        Map<String, String> values = new HashMap<>(defaults);
        Path source = file != null ? file
                : environment.get(CONFIG_VARIABLE) != null ? Path.of(environment.get(CONFIG_VARIABLE)) : null;
        if (source != null) {
            values.putAll(readFile(source));
        }
        String credentials = environment.getOrDefault(envName(CREDENTIALS_FILE), values.get(CREDENTIALS_FILE));
        if (credentials != null && !credentials.isBlank()) {
            // a relative path from the settings file is already resolved against its folder
            Path resolved = Path.of(credentials.trim());
            values.put(CREDENTIALS_FILE, resolved.toString());
            values.putAll(readFile(resolved));
        }
        Set<String> keys = new HashSet<>(values.keySet());
        keys.addAll(moreKeys);
        keys.addAll(ALWAYS);
        for (String key : keys) {
            String fromEnv = environment.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
            }
        }
        return values;
    }

    /** The values of {@code keys} that are set (absent keys stay absent). */
    public static Map<String, String> only(Map<String, String> values, Collection<String> keys) {
        Map<String, String> out = new HashMap<>();
        keys.forEach(key -> {
            if (values.get(key) != null) {
                out.put(key, values.get(key));
            }
        });
        return Map.copyOf(out);
    }

    /** The values of a settings file, relative paths of {@link #isPathKey path keys} resolved against its folder. */
    public static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the settings file " + file, e);
        }
        Map<String, String> values = new HashMap<>();
        Path folder = file.toAbsolutePath().getParent();
        properties.stringPropertyNames().forEach(k -> {
            String value = properties.getProperty(k).trim();
            values.put(k, isPathKey(k) ? resolve(folder, value) : value);
        });
        return values;
    }

    /**
     * The environment variable of a program's pseudonymisation secret: {@code FIELDSTREAM_SECRET_} and
     * the program id upper cased, every character other than A-Z and 0-9 as '_'. Two program ids with
     * the same variable ({@code a-b}, {@code A.B}) cannot both be loaded.
     */
    public static String secretVariable(String programId) {
        return "FIELDSTREAM_SECRET_" + programId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** Whether a key's value is a path: the key ends in {@code .file} or {@code .dir}. */
    public static boolean isPathKey(String key) {
        return key.endsWith(".file") || key.endsWith(".dir");
    }

    /** A path value of a file in {@code folder}: relative ones resolved against it, absolute and empty ones as they are. */
    static String resolve(Path folder, String value) {
        if (value.isEmpty()) {
            return value;
        }
        Path path = Path.of(value);
        return path.isAbsolute() ? value : folder.resolve(path).normalize().toString();
    }

    /** A setting that is missing or has no usable value; the message names the key and its variable. */
    public static final class Invalid extends IllegalStateException {

        public Invalid(String message) {
            super(message);
        }

        public Invalid(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The value of {@code key}, trimmed; missing or blank fails naming the key and its variable. */
    public static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new Invalid("missing setting " + key + " (" + envName(key) + ")");
        }
        return value.trim();
    }

    /** A whole number. */
    public static long longValue(Map<String, String> values, String key) {
        String value = required(values, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Invalid("setting " + key + " (" + envName(key) + ") must be a whole number, not " + value, e);
        }
    }

    /** A whole number within {@code min..max}. */
    public static long longWithin(Map<String, String> values, String key, long min, long max) {
        long value = longValue(values, key);
        if (value < min || value > max) {
            throw new Invalid("setting " + key + " (" + envName(key) + ") must be "
                    + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min : "within " + min + ".." + max)
                    + ", not " + value);
        }
        return value;
    }

    /** An int within {@code min..max}. */
    public static int intWithin(Map<String, String> values, String key, int min, int max) {
        return (int) longWithin(values, key, min, max);
    }

    /** {@code true} (any case) or not; a missing value fails. */
    public static boolean flag(Map<String, String> values, String key) {
        return Boolean.parseBoolean(required(values, key));
    }

    /** The environment variable of a key: {@code FIELDSTREAM_} and the key upper cased, '.' and '-' as '_'. */
    public static String envName(String key) {
        return "FIELDSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
