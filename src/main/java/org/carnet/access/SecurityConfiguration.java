package org.carnet.access;

import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.function.SingletonSupplier;

/**
 * Deny by default: the FHIR API needs a valid token (its CapabilityStatement excepted), health probes are open,
 * metrics are for operators, and every other path is refused. Tokens are checked for signature, issuer, expiry,
 * audience and sign-in level before a {@link Caller} is established.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    /**
     * The manager of an issuer that is not trusted: it refuses every token as JwtIssuerAuthenticationManagerResolver
     * does when its resolver finds no manager (a null that it checks, though the resolver's interface declares its
     * answer non-null).
     */
    private static final AuthenticationManager UNTRUSTED_ISSUER = authentication -> {
        throw new InvalidBearerTokenException("Invalid issuer");
    };

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, JwtIssuerAuthenticationManagerResolver issuers) throws Exception {
        http.securityMatcher("/fhir/**", "/actuator/**")
                .authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .requestMatchers(HttpMethod.GET, "/fhir/metadata")
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info")
                        .permitAll()
                        .requestMatchers("/actuator/prometheus", "/actuator/ingestion", "/actuator/ingestion/**")
                        .hasRole(Caller.Kind.OPERATOR.name())
                        .requestMatchers("/fhir/**")
                        .authenticated()
                        .anyRequest()
                        .denyAll())
                .oauth2ResourceServer(server -> server.authenticationManagerResolver(issuers))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(100)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
                        .permitAll()
                        .anyRequest()
                        .denyAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /**
     * Picks the token's issuer among the trusted ones (and the demo provider, in the demo profile). Each issuer has its
     * own decoder and validators, made once and never changed afterwards: what an unverified token names (its
     * {@code iss}) selects a manager but never alters one, and an issuer that is not trusted creates nothing.
     */
    @Bean
    JwtIssuerAuthenticationManagerResolver issuers(
            SecurityProperties properties, Callers callers, ObjectProvider<DemoIssuer> demo, Clock clock) {
        Map<String, AuthenticationManager> managers = new ConcurrentHashMap<>();
        // Looked up once: a bean lookup at each request cost a noticeable share of a read.
        Supplier<Optional<DemoIssuer>> demoIssuer =
                SingletonSupplier.of(() -> Optional.ofNullable(demo.getIfAvailable()));
        AuthenticationManagerResolver<String> byIssuer = issuer -> {
            DemoIssuer own = demoIssuer.get().orElse(null);
            if (own != null && own.isOwn(issuer)) {
                return managers.computeIfAbsent(
                        issuer, i -> manager(own.newDecoder(), i, own.kinds(), properties, callers, clock));
            }
            for (SecurityProperties.Issuer trusted : properties.issuers().values()) {
                if (trusted.issuerUri().toString().equals(issuer)) {
                    return managers.computeIfAbsent(
                            issuer,
                            i -> manager(
                                    (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(i),
                                    i,
                                    trusted.kinds(),
                                    properties,
                                    callers,
                                    clock));
                }
            }
            return UNTRUSTED_ISSUER;
        };
        return new JwtIssuerAuthenticationManagerResolver(byIssuer);
    }

    private static AuthenticationManager manager(
            JwtDecoder decoder,
            String issuer,
            Set<Caller.Kind> kinds,
            SecurityProperties properties,
            Callers callers,
            Clock clock) {
        if (decoder instanceof NimbusJwtDecoder nimbus) {
            OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<java.util.List<String>>(
                    "aud", aud -> aud != null && aud.contains(properties.audience()));
            nimbus.setJwtValidator(
                    new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audience));
        }
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(new VerifiedTokens(decoder, clock));
        provider.setJwtAuthenticationConverter(jwt -> new CallerToken(callers.of(jwt, kinds), jwt));
        return provider::authenticate;
    }

    /** The built-in demo provider, seen from the resource server: which {@code iss} it signs as and with which keys. */
    interface DemoIssuer {
        boolean isOwn(String issuer);

        /** A new decoder of the provider's tokens, for one issuer spelling (its validators are set once, on it alone). */
        JwtDecoder newDecoder();

        default Set<Caller.Kind> kinds() {
            return Set.of(Caller.Kind.values());
        }
    }
}
