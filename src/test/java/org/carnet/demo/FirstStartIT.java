package org.carnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.carnet.CarnetProcesses;
import org.carnet.CarnetTestServer;
import org.carnet.ProcessTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newcomer's first minutes, as real processes on the embedded defaults with the demo: stopped (SIGKILL) while the
 * demo loads, Carnet loads the whole demo at the next start; until it is loaded the API answers 503 and readiness
 * says so; the log says when it is ready, and shows no stack trace.
 */
@ProcessTest
class FirstStartIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void aFirstStartStoppedWhileTheDemoLoadsEndsWithTheWholeDemoNextTime() throws Exception {
        int port = CarnetProcesses.freePort();
        String server = "http://localhost:" + port;
        Path firstLog = dataDir.resolve("first.log");
        Process first = start(port, firstLog);
        try {
            awaitLine(first, firstLog, "Loading the demo data");
            Thread.sleep(3_000);
            assertThat(Files.readString(firstLog)).doesNotContain("Demo data loaded");
        } finally {
            first.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }

        Path secondLog = dataDir.resolve("second.log");
        Process second = start(port, secondLog);
        try {
            List<Integer> whileLoading = new ArrayList<>();
            List<String> readinessWhileLoading = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!Files.readString(secondLog).contains("Demo data loaded")) {
                assertThat(second.isAlive()).as(Files.readString(secondLog)).isTrue();
                assertThat(System.nanoTime()).as("demo loaded within 4 minutes").isLessThan(deadline);
                if (Files.readString(secondLog).contains("Loading the demo data")) {
                    int status = status(server + "/fhir/metadata");
                    String readiness = CarnetProcesses.body(server + "/actuator/health/readiness");
                    // The log says "loaded" before Carnet turns ready: a sample taken after that line is not "while".
                    if (!Files.readString(secondLog).contains("Demo data loaded")) {
                        whileLoading.add(status);
                        readinessWhileLoading.add(readiness);
                    }
                }
                Thread.sleep(500);
            }
            CarnetProcesses.awaitReady(server, second, Duration.ofMinutes(1));
            assertThat(whileLoading)
                    .as("the API while the demo loads")
                    .isNotEmpty()
                    .containsOnly(503);
            assertThat(readinessWhileLoading).allSatisfy(r -> assertThat(r).doesNotContain("\"UP\""));

            String moreau = CarnetTestServer.freshToken(server, "dr-moreau");
            String all =
                    get(server + "/fhir/Patient?_summary=count", CarnetTestServer.freshToken(server, "integration"));
            assertThat(all).contains("\"total\":34");
            String jeanne = get(server + "/fhir/Patient?identifier=urn:carnet:demo%7Cdemo-01", moreau);
            assertThat(jeanne).as("Jeanne, seen by her médecin traitant").contains("\"total\":1");

            assertThat(Files.readString(secondLog)).contains("Carnet is ready");
            assertThat(troubles(firstLog))
                    .as("a first start prints no warning nor stack trace")
                    .isEmpty();
            // After a kill, the one warning is the PostgreSQL the killed Carnet left running, stopped at start.
            assertThat(troubles(secondLog))
                    .as("nor does the start after a crash, but for the orphan PostgreSQL")
                    .allSatisfy(line -> assertThat(line).contains("OrphanPostgres"));
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> troubles(Path log) throws IOException {
        return Files.readString(log)
                .lines()
                .filter(l -> l.contains(" WARN ")
                        || l.contains(" ERROR ")
                        || l.startsWith("\tat ")
                        || l.contains("Exception"))
                .toList();
    }

    private Process start(int port, Path log) throws IOException {
        return CarnetProcesses.carnet(
                        "768m",
                        "--spring.profiles.active=demo",
                        "--server.port=" + port,
                        "--carnet.data-dir=" + dataDir.resolve("data"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void awaitLine(Process process, Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(log) || !Files.readString(log).contains(line)) {
            assertThat(process.isAlive()).as("Carnet is running").isTrue();
            assertThat(System.nanoTime()).as("'" + line + "' within 3 minutes").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            return -1; // not listening yet
        }
    }

    private static String get(String url, String token) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
