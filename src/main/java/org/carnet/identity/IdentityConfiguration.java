package org.carnet.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/**
 * Wires the INSi port. By default the reference adapter reads the registry named by
 * {@code carnet.insi.registry-file} (a file path or {@code classpath:} location); an adapter for the real
 * teleservice is another {@link Insi} bean, which replaces this one.
 */
@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdentityConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean(Insi.class)
    ReferenceRegistryInsi referenceRegistryInsi(@Value("${carnet.insi.registry-file:}") String location) {
        if (location.isBlank()) {
            log.warn("INSi: no reference registry configured (carnet.insi.registry-file); every query answers 01");
            return ReferenceRegistryInsi.of(List.of());
        }
        Resource resource =
                new DefaultResourceLoader().getResource(location.contains(":") ? location : "file:" + location);
        try (InputStream in = resource.getInputStream()) {
            ReferenceRegistryInsi registry = ReferenceRegistryInsi.load(in);
            log.info(
                    "INSi: reference registry {} loaded: {} identities, {} lines refused",
                    location,
                    registry.size(),
                    registry.rejected().size());
            registry.rejected().forEach(r -> log.warn("INSi registry {}: {}", location, r));
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the INSi reference registry " + location, e);
        }
    }
}
