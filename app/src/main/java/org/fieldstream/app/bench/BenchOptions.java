package org.fieldstream.app.bench;

import java.nio.file.Path;

/** {@code fieldstream bench [--events N] [--out FILE.json] [--freshness-seconds S] [--profile]}. */
record BenchOptions(long events, Path out, int freshnessSeconds, boolean profile) {

    static final long DEFAULT_EVENTS = 2_000_000;
    static final long MAX_EVENTS = 20_000_000;
    static final String USAGE = "usage: fieldstream bench [--events N (default 2000000, at most 20000000)] [--out FILE.json]"
            + " [--freshness-seconds S (default 20)] [--profile (JFR recordings of the streams and sink processes)]";

    static BenchOptions parse(String[] args) {
        long events = DEFAULT_EVENTS;
        Path out = null;
        int freshness = 20;
        boolean profile = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--freshness-seconds" -> freshness = Integer.parseInt(value(args, ++i));
                case "--profile" -> profile = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (events < 1000 || events > MAX_EVENTS) {
            throw new IllegalArgumentException("--events must be between 1000 and " + MAX_EVENTS);
        }
        if (freshness < 1) {
            throw new IllegalArgumentException("--freshness-seconds must be at least 1");
        }
        return new BenchOptions(events, out, freshness, profile);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }
}
