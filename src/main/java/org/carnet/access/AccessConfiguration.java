package org.carnet.access;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/** Loads the access matrix named by {@code carnet.access.matrix-file} (a file path or {@code classpath:} location). */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AccessConfiguration.class);

    @Bean
    AccessMatrix accessMatrix(@Value("${carnet.access.matrix-file:classpath:access/matrix.csv}") String location) {
        Resource resource =
                new DefaultResourceLoader().getResource(location.contains(":") ? location : "file:" + location);
        try (InputStream in = resource.getInputStream()) {
            AccessMatrix matrix = AccessMatrix.read(in, location);
            log.info("Access matrix {} loaded", location);
            return matrix;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the access matrix " + location, e);
        }
    }
}
