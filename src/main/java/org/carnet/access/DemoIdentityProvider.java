package org.carnet.access;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.carnet.database.DatabaseProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The built-in OIDC provider of the demo (Spring Authorization Server), so that the demo and every test use real
 * signed tokens. Each {@link DemoIdentities demo identity} is a client: {@code POST /oauth2/token} with
 * {@code grant_type=client_credentials} and its id and secret returns a token with that identity's claims.
 *
 * <p>Exists only in the {@code demo} profile, and refuses to start on an external database: anyone can get any
 * demo identity's token, which is harmless on demo data and unacceptable on real data. Its signing key is made at
 * each start, so tokens do not survive a restart.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoIdentityProvider {

    DemoIdentityProvider(DatabaseProperties database) {
        if (database.db().configured()) {
            throw new IllegalStateException("The demo sign-in provider (profile 'demo') hands out tokens to anyone and "
                    + "never runs on an external database (carnet.db.url is set). Start without the demo profile and "
                    + "configure carnet.security.issuers (docs/access.md).");
        }
    }

    @Bean
    @Order(1)
    SecurityFilterChain demoAuthorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> {
                    http.securityMatcher(server.getEndpointsMatcher());
                    server.oidc(Customizer.withDefaults());
                })
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /** At most {@code carnet.access.sign-ins-per-minute} token requests per client address (HTTP 429 beyond). */
    @Bean
    FilterRegistrationBean<Filter> demoSignInLimit(RateLimits limits) {
        Filter filter = (request, response, chain) -> {
            if (!limits.allowSignIn(request.getRemoteAddr())) {
                HttpServletResponse http = (HttpServletResponse) response;
                http.setStatus(429);
                http.setHeader("Retry-After", "60");
                http.setContentType("application/json");
                http.getWriter()
                        .write(
                                "{\"error\":\"slow_down\",\"error_description\":\"Too many sign-ins; retry in a minute\"}");
                return;
            }
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/oauth2/token");
        registration.setOrder(-200);
        return registration;
    }

    /** Every demo identity is a client with the same secret (which the library's in-memory repository refuses). */
    @Bean
    RegisteredClientRepository demoClients() {
        Map<String, RegisteredClient> clients = DemoIdentities.ALL.stream()
                .map(identity -> RegisteredClient.withId(
                                UUID.nameUUIDFromBytes(identity.clientId().getBytes())
                                        .toString())
                        .clientId(identity.clientId())
                        .clientSecret("{noop}" + DemoIdentities.SECRET)
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .scope("carnet")
                        .tokenSettings(TokenSettings.builder()
                                .accessTokenTimeToLive(Duration.ofHours(1))
                                .build())
                        .build())
                .collect(Collectors.toConcurrentMap(RegisteredClient::getClientId, Function.identity()));
        return new RegisteredClientRepository() {
            @Override
            public void save(RegisteredClient client) {
                // The library re-saves a client after a successful authentication (e.g. to re-encode its secret).
                if (clients.containsKey(client.getClientId())) {
                    clients.put(client.getClientId(), client);
                }
            }

            @Override
            public @org.jspecify.annotations.Nullable RegisteredClient findById(String id) {
                return clients.values().stream()
                        .filter(c -> c.getId().equals(id))
                        .findFirst()
                        .orElse(null);
            }

            @Override
            public @org.jspecify.annotations.Nullable RegisteredClient findByClientId(String clientId) {
                return clients.get(clientId);
            }
        };
    }

    @Bean
    AuthorizationServerSettings demoProviderSettings(@Value("${carnet.demo.issuer:}") String issuer) {
        AuthorizationServerSettings.Builder settings = AuthorizationServerSettings.builder();
        if (!issuer.isBlank()) {
            settings.issuer(issuer);
        }
        return settings.build();
    }

    @Bean
    DemoKeys demoKeys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        return new DemoKeys(key);
    }

    /** The provider's signing key. */
    record DemoKeys(RSAKey key) {}

    @Bean
    JWKSource<SecurityContext> demoJwkSource(DemoKeys keys) {
        return new ImmutableJWKSet<>(new JWKSet(keys.key()));
    }

    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> demoClaims(SecurityProperties properties) {
        Map<String, DemoIdentities.Identity> byClient = DemoIdentities.ALL.stream()
                .collect(Collectors.toMap(DemoIdentities.Identity::clientId, Function.identity()));
        return context -> {
            DemoIdentities.Identity identity =
                    byClient.get(context.getRegisteredClient().getClientId());
            if (identity != null) {
                context.getClaims()
                        .subject(identity.clientId())
                        .audience(List.of(properties.audience()))
                        .claims(claims -> claims.putAll(identity.claims()));
            }
        };
    }

    /** Verifies the demo provider's own tokens (its OIDC user-info endpoint needs one too). */
    @Bean
    JwtDecoder demoJwtDecoder(DemoKeys keys) throws Exception {
        return NimbusJwtDecoder.withPublicKey(keys.key().toRSAPublicKey()).build();
    }

    @Bean
    SecurityConfiguration.DemoIssuer demoIssuer(
            DemoKeys keys, Environment environment, @Value("${carnet.demo.issuer:}") String configured) {
        return new SecurityConfiguration.DemoIssuer() {
            @Override
            public boolean isOwn(String issuer) {
                if (!configured.isBlank()) {
                    return configured.equals(issuer);
                }
                String port = environment.getProperty("local.server.port");
                return port != null
                        && (issuer.equals("http://localhost:" + port) || issuer.equals("http://127.0.0.1:" + port));
            }

            @Override
            public JwtDecoder newDecoder() {
                try {
                    return NimbusJwtDecoder.withPublicKey(keys.key().toRSAPublicKey())
                            .build();
                } catch (com.nimbusds.jose.JOSEException e) {
                    throw new IllegalStateException("The demo provider's key is unusable", e);
                }
            }
        };
    }
}
