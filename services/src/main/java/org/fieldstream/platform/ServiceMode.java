package org.fieldstream.platform;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/** Where test services come from: processes on this machine, Docker containers, or Docker when it answers. */
public enum ServiceMode {
    LOCAL, DOCKER, AUTO;

    public static final String KEY = "FIELDSTREAM_SERVICES";

    /** The system property wins over the environment variable; unset means {@link #AUTO}. */
    public static ServiceMode configured() {
        String value = System.getProperty(KEY);
        return parse(value != null ? value : System.getenv(KEY));
    }

    static ServiceMode parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(KEY + "=" + value + ": expected local, docker or auto", e);
        }
    }

    /** {@link #LOCAL} or {@link #DOCKER}: asks Docker only when this mode is {@link #AUTO}. */
    ServiceMode resolve(BooleanSupplier dockerAvailable) {
        if (this != AUTO) {
            return this;
        }
        return dockerAvailable.getAsBoolean() ? DOCKER : LOCAL;
    }
}
