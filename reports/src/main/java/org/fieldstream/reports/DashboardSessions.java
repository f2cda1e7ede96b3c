package org.fieldstream.reports;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.fieldstream.clickhouse.ClickHouseGateway;

/**
 * The dashboard's logged-in analysts, in memory only: each session is named by 256 random bits
 * (SecureRandom) and holds the analyst's ClickHouse connection, the only place their password is
 * kept, so every query of theirs runs as them. A session ends at logout, after {@code idle} without a
 * request, or {@code lifetime} after its login, whichever comes first; its connection is closed then.
 * A restart of the dashboard ends every session.
 */
final class DashboardSessions implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ID_BYTES = 32;

    /** One logged-in analyst. {@code token} guards the page's own POST forms (logout). */
    static final class Session {
        private final String id;
        private final String token;
        private final DashboardScope scope;
        private final ClickHouseGateway gateway;
        private final Instant created;
        private volatile Instant lastUsed;

        private Session(String id, String token, DashboardScope scope, ClickHouseGateway gateway, Instant created) {
            this.id = id;
            this.token = token;
            this.scope = scope;
            this.gateway = gateway;
            this.created = created;
            this.lastUsed = created;
        }

        String id() {
            return id;
        }

        String token() {
            return token;
        }

        DashboardScope scope() {
            return scope;
        }

        ClickHouseGateway gateway() {
            return gateway;
        }

        @Override
        public String toString() {
            return "Session[" + scope + "]";
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Duration lifetime;
    private final Clock clock;

    DashboardSessions(Duration idle, Duration lifetime, Clock clock) {
        this.idle = idle;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** 256 random bits, URL-safe base64 (43 characters). */
    static String randomId() {
        byte[] bytes = new byte[ID_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A new session of the analyst, who logged in through {@code gateway}; expired sessions are ended first. */
    Session open(DashboardScope scope, ClickHouseGateway gateway) {
        sweep();
        Session session = new Session(randomId(), randomId(), scope, gateway, clock.instant());
        sessions.put(session.id, session);
        return session;
    }

    /** The live session of that id, its last use now; null (and the session ended) when unknown or expired. */
    Session find(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        Session session = sessions.get(id);
        if (session == null) {
            return null;
        }
        Instant now = clock.instant();
        if (expired(session, now)) {
            end(id);
            return null;
        }
        session.lastUsed = now;
        return session;
    }

    /** Ends the session of that id, if any: it is refused from now on and its connection closed. */
    void end(String id) {
        Session session = id == null ? null : sessions.remove(id);
        if (session != null) {
            session.gateway.close();
        }
    }

    /** Live sessions. */
    int size() {
        sweep();
        return sessions.size();
    }

    private boolean expired(Session session, Instant now) {
        return !now.isBefore(session.lastUsed.plus(idle)) || !now.isBefore(session.created.plus(lifetime));
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().stream().filter(s -> expired(s, now)).map(Session::id).toList().forEach(this::end);
    }

    @Override
    public void close() {
        sessions.keySet().stream().toList().forEach(this::end);
    }
}
