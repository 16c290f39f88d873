package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/** A token is verified once while it is valid, and afresh once it expires or when its text differs. */
class VerifiedTokensTests {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    private final List<String> verified = new ArrayList<>();
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    /** The signature check: accepts "good-*" tokens valid for five minutes from T0, refuses past their expiry. */
    private final JwtDecoder signatureCheck = token -> {
        verified.add(token);
        if (!token.startsWith("good-") || !now.isBefore(T0.plus(Duration.ofMinutes(5)))) {
            throw new BadJwtException("refused");
        }
        return Jwt.withTokenValue(token)
                .header("alg", "RS256")
                .subject("someone")
                .issuedAt(T0)
                .expiresAt(T0.plus(Duration.ofMinutes(5)))
                .build();
    };

    @Test
    void aTokenIsVerifiedOnceUntilItExpiresThenRefused() {
        VerifiedTokens tokens = new VerifiedTokens(signatureCheck, clock);
        assertThat(tokens.decode("good-1").getSubject()).isEqualTo("someone");
        now = T0.plus(Duration.ofMinutes(4));
        assertThat(tokens.decode("good-1").getSubject()).isEqualTo("someone");
        assertThat(verified).as("the second use is not verified again").containsExactly("good-1");

        now = T0.plus(Duration.ofMinutes(5));
        assertThatThrownBy(() -> tokens.decode("good-1")).isInstanceOf(BadJwtException.class);
        assertThat(verified).as("an expired token goes back to the check").hasSize(2);
    }

    @Test
    void anotherTextIsVerifiedAfreshAndARefusedTokenIsNeverRemembered() {
        VerifiedTokens tokens = new VerifiedTokens(signatureCheck, clock);
        tokens.decode("good-1");
        assertThatThrownBy(() -> tokens.decode("xgood-1")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("bad")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> tokens.decode("bad")).isInstanceOf(BadJwtException.class);
        assertThat(verified).containsExactly("good-1", "xgood-1", "bad", "bad");
    }
}
