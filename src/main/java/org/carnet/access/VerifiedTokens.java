package org.carnet.access;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A decoder that verifies each token once: a client sends the same bearer token with every request until it expires,
 * and checking its signature again each time (an RSA verification, the JSON parsed twice, the validators) was the
 * largest share of a read's CPU. A token is remembered only after the wrapped decoder accepted it (signature, issuer,
 * audience, times), under its exact text (so that a token differing by one character is verified afresh), and only
 * until it expires: from then on it goes through the decoder again, which refuses it. Who the token's subject is
 * stays {@link Callers}'s business, decided at each request as before.
 */
final class VerifiedTokens implements JwtDecoder {

    /** Tokens kept at most; past that the memory is emptied (they are verified again, nothing else changes). */
    static final int MAX_KEPT = 10_000;

    private final JwtDecoder decoder;
    private final Clock clock;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokens(JwtDecoder decoder, Clock clock) {
        this.decoder = decoder;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.get(token);
        if (known != null && stillValid(known)) {
            return known;
        }
        Jwt jwt = decoder.decode(token);
        if (jwt.getExpiresAt() != null && stillValid(jwt)) {
            if (verified.size() >= MAX_KEPT) {
                verified.clear();
            }
            verified.put(token, jwt);
        } else {
            verified.remove(token);
        }
        return jwt;
    }

    /** Strictly before its expiry (the decoder itself tolerates a clock skew; a remembered token gets none). */
    private boolean stillValid(Jwt jwt) {
        Instant expires = jwt.getExpiresAt();
        return expires != null && clock.instant().isBefore(expires);
    }
}
