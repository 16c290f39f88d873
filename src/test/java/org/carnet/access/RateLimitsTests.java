package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimitsTests {

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void signInsBeyondTheLimitWaitForTheWindowToSlide() {
        RateLimits limits = new RateLimits(clock, 3, 10);
        assertThat(limits.allowSignIn("10.0.0.1")).isTrue();
        assertThat(limits.allowSignIn("10.0.0.1")).isTrue();
        assertThat(limits.allowSignIn("10.0.0.1")).isTrue();
        assertThat(limits.allowSignIn("10.0.0.1")).isFalse();
        assertThat(limits.allowSignIn("10.0.0.2")).as("another address").isTrue();
        now = now.plus(Duration.ofSeconds(61));
        assertThat(limits.allowSignIn("10.0.0.1")).isTrue();
    }

    @Test
    void emergencyLimitCountsDistinctRecordsPerHour() {
        RateLimits limits = new RateLimits(clock, 30, 2);
        assertThat(limits.allowEmergency("idnat:1", "a")).isTrue();
        assertThat(limits.allowEmergency("idnat:1", "a"))
                .as("the same record again")
                .isTrue();
        assertThat(limits.allowEmergency("idnat:1", "b")).isTrue();
        assertThat(limits.allowEmergency("idnat:1", "c")).isFalse();
        assertThat(limits.allowEmergency("idnat:1", "b"))
                .as("an opened record stays open")
                .isTrue();
        assertThat(limits.allowEmergency("idnat:2", "c"))
                .as("another professional")
                .isTrue();
        now = now.plus(Duration.ofMinutes(61));
        assertThat(limits.allowEmergency("idnat:1", "c")).isTrue();
    }
}
