package org.carnet.access;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Sliding-window limits kept in memory (one node): how many sign-ins a client address may make, and how many
 * different records a professional may open in an emergency mode, per window. Thread-safe.
 */
@Component
class RateLimits {

    private final Clock clock;
    private final int signInsPerMinute;
    private final int emergencyRecordsPerHour;
    private final Map<String, Deque<Instant>> signIns = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Instant>> emergencies = new ConcurrentHashMap<>();

    RateLimits(
            Clock clock,
            @Value("${carnet.access.sign-ins-per-minute:30}") int signInsPerMinute,
            @Value("${carnet.access.emergency-records-per-hour:10}") int emergencyRecordsPerHour) {
        this.clock = clock;
        this.signInsPerMinute = signInsPerMinute;
        this.emergencyRecordsPerHour = emergencyRecordsPerHour;
    }

    /** Whether one more sign-in from this address fits in the last minute (and counts it if so). */
    public boolean allowSignIn(String address) {
        Instant now = clock.instant();
        Deque<Instant> times = signIns.computeIfAbsent(address, a -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(Duration.ofMinutes(1)))) {
                times.pollFirst();
            }
            if (times.size() >= signInsPerMinute) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }

    /**
     * Whether the professional may open this record in an emergency mode: records already opened in the last hour
     * stay open; a new one is allowed while fewer than the limit were opened.
     */
    boolean allowEmergency(String actor, String patient) {
        Instant now = clock.instant();
        Map<String, Instant> opened = emergencies.computeIfAbsent(actor, a -> new ConcurrentHashMap<>());
        synchronized (opened) {
            opened.values().removeIf(at -> at.isBefore(now.minus(Duration.ofHours(1))));
            if (!opened.containsKey(patient) && opened.size() >= emergencyRecordsPerHour) {
                return false;
            }
            opened.putIfAbsent(patient, now);
            return true;
        }
    }
}
