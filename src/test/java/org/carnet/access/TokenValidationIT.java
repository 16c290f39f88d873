package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.carnet.CarnetIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tokens are checked for signature, issuer, expiry, audience and sign-in level; each test forges a token that fails
 * exactly one check (signed with the demo provider's own key unless the signature is what is tested).
 */
class TokenValidationIT extends CarnetIT {

    @Autowired
    DemoIdentityProvider.DemoKeys keys;

    @Test
    void aWellFormedTokenOfTheDemoProviderIsAccepted() throws Exception {
        assertThat(status(sign(keys.key(), claims().build()))).isEqualTo(200);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() throws Exception {
        RSAKey other = new RSAKeyGenerator(2048).keyID(keys.key().getKeyID()).generate();
        assertThat(status(sign(other, claims().build()))).isEqualTo(401);
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        assertThat(status(sign(
                        keys.key(),
                        claims().issueTime(Date.from(Instant.now().minusSeconds(7200)))
                                .expirationTime(Date.from(Instant.now().minusSeconds(3600)))
                                .build())))
                .isEqualTo(401);
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        assertThat(status(sign(keys.key(), claims().audience("another-service").build())))
                .isEqualTo(401);
    }

    @Test
    void aTokenFromAnUnknownIssuerIsRefused() throws Exception {
        assertThat(status(sign(
                        keys.key(), claims().issuer("https://idp.example.org").build())))
                .isEqualTo(401);
    }

    @Test
    void forgedTokensNamingAnySpellingOfTheIssuerChangeNothingForOthers() throws Exception {
        String[] spellings = {
            "http://127.0.0.1:" + port,
            "http://localhost:" + port,
            "http://localhost:" + port + "/",
            "HTTP://LOCALHOST:" + port,
            "http://[::1]:" + port,
            "http://127.0.0.1:" + port + "/oauth2",
            "https://idp.example.org"
        };
        RSAKey other = new RSAKeyGenerator(2048).keyID(keys.key().getKeyID()).generate();
        for (String issuer : spellings) {
            assertThat(status(unsigned(claims().issuer(issuer).build())))
                    .as("unsigned, iss " + issuer)
                    .isEqualTo(401);
            assertThat(status(sign(other, claims().issuer(issuer).build())))
                    .as("other key, iss " + issuer)
                    .isEqualTo(401);
            assertThat(status(sign(
                            keys.key(), claims().issuer(issuer).audience("x").build())))
                    .isEqualTo(401);
        }
        // Every valid sign-in still works, under both spellings the demo provider answers to.
        assertThat(status(token("dr-moreau"))).isEqualTo(200);
        assertThat(status(sign(keys.key(), claims().build()))).isEqualTo(200);
        assertThat(status(sign(
                        keys.key(), claims().issuer("http://127.0.0.1:" + port).build())))
                .isEqualTo(200);
        assertThat(status(sign(keys.key(), claims().build()))).isEqualTo(200);
        assertThat(status(token("jeanne"))).isEqualTo(200);
    }

    @Test
    void aProfessionalBelowEidas1IsRefused() throws Exception {
        assertThat(status(sign(keys.key(), claims().claim("acr", "eidas0").build())))
                .isEqualTo(401);
        assertThat(status(sign(keys.key(), claims().claim("acr", null).build())))
                .isEqualTo(401);
    }

    @Test
    void claimsOfTheWrongShapeAreRefused() throws Exception {
        assertThat(status(sign(
                        keys.key(),
                        claims().claim("SubjectNameID", "not-an-idnat").build())))
                .isEqualTo(401);
        assertThat(status(sign(
                        keys.key(), claims().claim("carnet_role", "superuser").build())))
                .isEqualTo(401);
    }

    @Test
    void garbageAndMissingTokensAreRefusedWithoutDetail() throws Exception {
        HttpResponse<String> garbage = HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/Patient"))
                        .header("Authorization", "Bearer not.a.token")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> none = HTTP.send(
                HttpRequest.newBuilder(URI.create(base() + "/Patient")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(401);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void responsesCarrySecurityHeaders() throws Exception {
        HttpResponse<String> response = getAs(SYSTEM, "/Practitioner?_count=1");
        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(response.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer("http://localhost:" + port)
                .subject("dr-forged")
                .audience(List.of("carnet"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600)))
                .claim("SubjectNameID", "810100000047")
                .claim("SubjectRole", List.of("10^1.2.250.1.213.1.1.5.5"))
                .claim("SubjectRefPro", Map.of("exercices", List.of(Map.of("codeProfession", "10"))))
                .claim("given_name", "Inès")
                .claim("family_name", "Haddad")
                .claim("acr", "eidas1");
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** A token without signature ({@code alg: none}), as an attacker crafts one. */
    private static String unsigned(JWTClaimsSet claims) {
        return new com.nimbusds.jwt.PlainJWT(claims).serialize();
    }

    private int status(String token) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(base() + "/Practitioner?_count=1"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
