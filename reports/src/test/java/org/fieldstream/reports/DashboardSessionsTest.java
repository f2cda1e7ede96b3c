package org.fieldstream.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.fieldstream.clickhouse.ClickHouseGateway;
import org.junit.jupiter.api.Test;

class DashboardSessionsTest {

    private static final DashboardScope SCOPE = new DashboardScope("ana", "fieldstream_partner_p_x", "p", "x");

    private static ClickHouseGateway nowhere() {
        return new ClickHouseGateway("http://127.0.0.1:9", "ana", "secret");
    }

    @Test
    void idsAre256RandomBits() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = DashboardSessions.randomId();
            assertEquals(32, Base64.getUrlDecoder().decode(id).length, id);
            ids.add(id);
        }
        assertEquals(1000, ids.size());
    }

    @Test
    void aSessionEndsAfterItsIdleTimeWithoutARequest() {
        MovingClock clock = new MovingClock("2026-03-01T08:00:00Z");
        try (DashboardSessions sessions = new DashboardSessions(Duration.ofMinutes(30), Duration.ofHours(12), clock)) {
            DashboardSessions.Session session = sessions.open(SCOPE, nowhere());
            clock.now = clock.now.plus(Duration.ofMinutes(29));
            assertSame(session, sessions.find(session.id()), "used within the idle time");
            clock.now = clock.now.plus(Duration.ofMinutes(29));
            assertNotNull(sessions.find(session.id()), "each request restarts the idle time");
            clock.now = clock.now.plus(Duration.ofMinutes(30));
            assertNull(sessions.find(session.id()), "idle for 30 minutes");
            assertEquals(0, sessions.size());
        }
    }

    @Test
    void aSessionEndsAtItsLifetimeHoweverActive() {
        MovingClock clock = new MovingClock("2026-03-01T08:00:00Z");
        try (DashboardSessions sessions = new DashboardSessions(Duration.ofMinutes(30), Duration.ofHours(2), clock)) {
            DashboardSessions.Session session = sessions.open(SCOPE, nowhere());
            for (int i = 0; i < 7; i++) {
                clock.now = clock.now.plus(Duration.ofMinutes(17));
                assertNotNull(sessions.find(session.id()), "after " + (i + 1) * 17 + " minutes");
            }
            clock.now = clock.now.plus(Duration.ofMinutes(1));
            assertNull(sessions.find(session.id()), "two hours after the login");
        }
    }

    @Test
    void anEndedOrUnknownSessionIsRefused() {
        try (DashboardSessions sessions = new DashboardSessions(Duration.ofMinutes(30), Duration.ofHours(12), Clock.systemUTC())) {
            DashboardSessions.Session one = sessions.open(SCOPE, nowhere());
            DashboardSessions.Session two = sessions.open(SCOPE, nowhere());
            assertTrue(!one.id().equals(two.id()) && !one.token().equals(one.id()));
            sessions.end(one.id());
            assertNull(sessions.find(one.id()));
            assertNull(sessions.find(null));
            assertNull(sessions.find(""));
            assertNull(sessions.find(DashboardSessions.randomId()));
            assertSame(two, sessions.find(two.id()));
            assertEquals(1, sessions.size());
            assertTrue(!two.toString().contains("secret") && !two.toString().contains(two.id()), two.toString());
        }
    }

    @Test
    void theThrottleRefusesAClientAfterFiveFailuresInAMinute() {
        MovingClock clock = new MovingClock("2026-03-01T08:00:00Z");
        LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, throttle.waitSeconds("10.0.0.1"));
            throttle.failed("10.0.0.1");
        }
        assertEquals(60, throttle.waitSeconds("10.0.0.1"));
        assertEquals(0, throttle.waitSeconds("10.0.0.2"), "another client");
        clock.now = clock.now.plusSeconds(45);
        assertEquals(15, throttle.waitSeconds("10.0.0.1"));
        clock.now = clock.now.plusSeconds(15);
        assertEquals(0, throttle.waitSeconds("10.0.0.1"), "a minute after the first failure");
        throttle.failed("10.0.0.1");
        assertEquals(0, throttle.waitSeconds("10.0.0.1"), "a new window");
        for (int i = 0; i < 4; i++) {
            throttle.failed("10.0.0.1");
        }
        assertTrue(throttle.waitSeconds("10.0.0.1") > 0);
        throttle.succeeded("10.0.0.1");
        assertEquals(0, throttle.waitSeconds("10.0.0.1"), "a login clears the count");
    }
}
