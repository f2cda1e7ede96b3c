package org.fieldstream.reports;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: a client address with {@code failures} failed logins within
 * {@code window} is refused further attempts until the first of them is {@code window} old. A
 * successful login clears its count. Addresses are kept in memory only, at most {@link #MAX_CLIENTS}.
 */
final class LoginThrottle {

    static final int MAX_CLIENTS = 10_000;

    private record Failures(Instant first, int count) {
    }

    private final Map<String, Failures> clients = new ConcurrentHashMap<>();
    private final int failures;
    private final Duration window;
    private final Clock clock;

    LoginThrottle(int failures, Duration window, Clock clock) {
        this.failures = failures;
        this.window = window;
        this.clock = clock;
    }

    /** Zero when the client may try now, else the seconds until it may. */
    long waitSeconds(String client) {
        Failures f = clients.get(client);
        Instant now = clock.instant();
        if (f == null || !now.isBefore(f.first.plus(window))) {
            return 0;
        }
        return f.count < failures ? 0 : Math.max(1, Duration.between(now, f.first.plus(window)).toSeconds());
    }

    void failed(String client) {
        Instant now = clock.instant();
        if (clients.size() >= MAX_CLIENTS) {
            clients.entrySet().removeIf(e -> !now.isBefore(e.getValue().first.plus(window)));
        }
        clients.merge(client, new Failures(now, 1),
                (old, one) -> now.isBefore(old.first.plus(window)) ? new Failures(old.first, old.count + 1) : one);
    }

    void succeeded(String client) {
        clients.remove(client);
    }
}
