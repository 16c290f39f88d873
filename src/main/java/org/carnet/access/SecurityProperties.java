package org.carnet.access;

import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The identity providers Carnet trusts ({@code carnet.security.*}; docs/access.md).
 *
 * @param audience the audience ({@code aud}) every accepted token must name
 * @param issuers trusted issuers by a local name: their issuer URL and which kinds of caller they may assert
 */
@ConfigurationProperties("carnet.security")
record SecurityProperties(String audience, Map<String, Issuer> issuers) {

    public SecurityProperties {
        audience = audience == null || audience.isBlank() ? "carnet" : audience;
        issuers = issuers == null ? Map.of() : Map.copyOf(issuers);
    }

    /**
     * One trusted issuer.
     *
     * @param issuerUri the {@code iss} value; its OpenID discovery document gives the signing keys
     * @param kinds the kinds of caller its tokens may establish (a citizen issuer cannot make a professional)
     */
    public record Issuer(URI issuerUri, Set<Caller.Kind> kinds) {

        public Issuer {
            if (issuerUri == null) {
                throw new IllegalArgumentException("carnet.security.issuers.*.issuer-uri is required");
            }
            kinds = kinds == null || kinds.isEmpty() ? Set.of() : Set.copyOf(kinds);
        }
    }
}
