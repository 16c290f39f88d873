package org.carnet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The data directory shared by the integration tests of one run: a fresh temporary directory. */
public final class CarnetTestServer {

    private static final Path DATA_DIR = create();

    private CarnetTestServer() {}

    public static void properties(DynamicPropertyRegistry registry) {
        registry.add("carnet.data-dir", DATA_DIR::toString);
        registry.add("carnet.demo.seed", () -> "false");
        registry.add("carnet.fhir.max-request-bytes", () -> "2000000");
        registry.add("carnet.insi.registry-file", () -> "classpath:fixtures/insi-registry.csv");
    }

    private static Path create() {
        try {
            return Files.createTempDirectory("carnet-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
