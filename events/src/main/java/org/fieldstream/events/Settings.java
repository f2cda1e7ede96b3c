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
 * environment variables (a key {@code a.b-c} is {@code FIELDSTREAM_A_B_C}). Every key is declared once,
 * with its default, in {@link SettingKeys}; each stage loads the settings it reads and keeps a typed view
 * of them. The typed readers of {@link Values} fail with {@link Invalid}, naming the key and where its
 * value came from (the default, the file, the variable).
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
    public static final String CREDENTIALS_FILE = SettingKeys.CREDENTIALS_FILE.key();
    /** Keys whose variables count even when neither the defaults nor the file name them. */
    private static final List<String> ALWAYS = java.util.stream.Stream.concat(
            java.util.stream.Stream.concat(java.util.stream.Stream.of(CREDENTIALS_FILE), ClickHouseLogin.KEYS.stream()),
            KafkaAccess.ENVIRONMENT_KEYS.stream()).toList();

    private Settings() {
    }

    /**
     * Layered values of {@code settings}: their defaults ({@link SettingKeys}), then the file, the
     * credentials file and the variables; each value remembers where it came from, so that a bad or
     * missing one fails naming its key and its source.
     */
    public static Values load(Collection<Setting> settings, Path file, Map<String, String> environment) {
        return layered(SettingKeys.defaults(settings), file, environment, SettingKeys.keys(settings));
    }

    /**
     * Layered values. A variable overrides every key the defaults, the file or {@code moreKeys} name;
     * other keys of the file are kept as they are (e.g. pass-through client settings).
     */
    public static Map<String, String> load(Map<String, String> defaults, Path file, Map<String, String> environment,
                                           Collection<String> moreKeys) {
        return layered(defaults, file, environment, moreKeys).asMap();
    }

    private static Values layered(Map<String, String> defaults, Path file, Map<String, String> environment,
                                  Collection<String> moreKeys) {
        Map<String, String> values = new HashMap<>(defaults);
        Map<String, String> origins = new HashMap<>();
        defaults.keySet().forEach(k -> origins.put(k, "default"));
        Path source = file != null ? file
                : environment.get(CONFIG_VARIABLE) != null ? Path.of(environment.get(CONFIG_VARIABLE)) : null;
        if (source != null) {
            put(values, origins, readFile(source), "in " + source);
        }
        String credentials = environment.getOrDefault(envName(CREDENTIALS_FILE), values.get(CREDENTIALS_FILE));
        if (credentials != null && !credentials.isBlank()) {
            // a relative path from the settings file is already resolved against its folder
            Path resolved = Path.of(credentials.trim());
            values.put(CREDENTIALS_FILE, resolved.toString());
            put(values, origins, readFile(resolved), "in " + resolved);
        }
        Set<String> keys = new HashSet<>(values.keySet());
        keys.addAll(moreKeys);
        keys.addAll(ALWAYS);
        for (String key : keys) {
            String fromEnv = environment.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv);
                origins.put(key, envName(key));
            }
        }
        return new Values(values, origins, source);
    }

    private static void put(Map<String, String> values, Map<String, String> origins, Map<String, String> more, String origin) {
        values.putAll(more);
        more.keySet().forEach(k -> origins.put(k, origin));
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

    /** A setting that is missing or has no usable value; the message names the key and where its value came from. */
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
        return Values.of(values).required(key);
    }

    /** A whole number. */
    public static long longValue(Map<String, String> values, String key) {
        return Values.of(values).longValue(key);
    }

    /** A whole number within {@code min..max}. */
    public static long longWithin(Map<String, String> values, String key, long min, long max) {
        return Values.of(values).longWithin(key, min, max);
    }

    /** An int within {@code min..max}. */
    public static int intWithin(Map<String, String> values, String key, int min, int max) {
        return Values.of(values).intWithin(key, min, max);
    }

    /** {@code true} (any case) or not; a missing value fails. */
    public static boolean flag(Map<String, String> values, String key) {
        return Values.of(values).flag(key);
    }

    /**
     * Loaded values and where each came from ({@code default}, {@code in <file>}, a variable), read
     * by the typed readers, which fail with {@link Invalid} naming the key and that source.
     */
    public static final class Values {

        private final Map<String, String> values;
        private final Map<String, String> origins;
        private final Path file;

        private Values(Map<String, String> values, Map<String, String> origins, Path file) {
            this.values = Map.copyOf(values);
            this.origins = Map.copyOf(origins);
            this.file = file;
        }

        /** Values given as they are (tests, embedding); a bad one is named by its key and variable. */
        public static Values of(Map<String, String> values) {
            return new Values(set(values), Map.of(), null);
        }

        /** These values with {@code overrides} given over them. */
        public Values with(Map<String, String> overrides) {
            Map<String, String> v = new HashMap<>(values);
            v.putAll(set(overrides));
            Map<String, String> o = new HashMap<>(origins);
            overrides.keySet().forEach(o::remove);
            return new Values(v, o, file);
        }

        private static Map<String, String> set(Map<String, String> values) {
            Map<String, String> out = new HashMap<>();
            values.forEach((k, v) -> {
                if (v != null) {
                    out.put(k, v);
                }
            });
            return out;
        }

        public String get(String key) {
            return values.get(key);
        }

        public String get(Setting setting) {
            return values.get(setting.key());
        }

        /** Every value by key (immutable). */
        public Map<String, String> asMap() {
            return values;
        }

        /** Where the value of {@code key} came from: {@code default}, {@code in <file>}, or its variable. */
        public String origin(String key) {
            return origins.getOrDefault(key, envName(key));
        }

        /** The value of {@code key}, trimmed; missing or blank fails naming the key and where to set it. */
        public String required(String key) {
            String value = values.get(key);
            if (value == null) {
                throw new Invalid("missing setting " + key + " (" + envName(key) + (file == null ? "" : ", or " + key + " in " + file) + ")");
            }
            if (value.isBlank()) {
                throw new Invalid("missing setting " + key + " (" + origin(key) + ")");
            }
            return value.trim();
        }

        public String required(Setting setting) {
            return required(setting.key());
        }

        /** A whole number. */
        public long longValue(String key) {
            String value = required(key);
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw invalid(key, "must be a whole number", value, e);
            }
        }

        /** A whole number within {@code min..max}. */
        public long longWithin(String key, long min, long max) {
            long value = longValue(key);
            if (value < min || value > max) {
                throw invalid(key, "must be " + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min : "within " + min + ".." + max),
                        Long.toString(value), null);
            }
            return value;
        }

        public long longWithin(Setting setting, long min, long max) {
            return longWithin(setting.key(), min, max);
        }

        /** An int within {@code min..max}. */
        public int intWithin(String key, int min, int max) {
            return (int) longWithin(key, min, max);
        }

        public int intWithin(Setting setting, int min, int max) {
            return intWithin(setting.key(), min, max);
        }

        /** {@code true} (any case) or not; a missing value fails. */
        public boolean flag(String key) {
            return Boolean.parseBoolean(required(key));
        }

        public boolean flag(Setting setting) {
            return flag(setting.key());
        }

        /** One of {@code choices} (any case, returned lower cased); another value fails naming them. */
        public String choice(Setting setting, String... choices) {
            String value = required(setting).toLowerCase(Locale.ROOT);
            if (!List.of(choices).contains(value)) {
                throw invalid(setting.key(), "must be " + String.join(" or ", choices), value, null);
            }
            return value;
        }

        /** A failure of {@code key}'s value, naming the key and where the value came from. */
        public Invalid invalid(String key, String requirement, String value, Throwable cause) {
            return new Invalid("setting " + key + " (" + origin(key) + ") " + requirement + ", not " + value, cause);
        }
    }

    /** The environment variable of a key: {@code FIELDSTREAM_} and the key upper cased, '.' and '-' as '_'. */
    public static String envName(String key) {
        return "FIELDSTREAM_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
