package org.carnet.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.carnet.CarnetProcesses;
import org.carnet.CarnetTestServer;
import org.carnet.ProcessTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search index is a projection of the record, and comes back from it: after its directory is deleted (rebuilt in
 * the background at start, searches answering 503 with Retry-After meanwhile), and after Carnet is killed (SIGKILL)
 * between a write's commit and its indexing (the write's outstanding event publication is delivered again at start).
 * Each is a real Carnet process on its own data directory.
 */
@ProcessTest
class SearchIndexRecoveryIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern PATIENT_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LOCATION = Pattern.compile("DocumentReference/([^/\"]+)/_history");
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
    private static final Pattern ENTRY_ID =
            Pattern.compile("\"resourceType\"\\s*:\\s*\"DocumentReference\"\\s*,\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");

    @TempDir
    Path dataDir;

    @Test
    void anIndexWhoseDirectoryWasDeletedIsRebuiltFromTheRecord() throws Exception {
        int port = CarnetProcesses.freePort();
        String server = "http://localhost:" + port;
        String patient;
        Set<String> written;
        Process first = start(port);
        try {
            awaitReady(server, first);
            String token = CarnetTestServer.freshToken(server, "integration");
            patient = patient(server, token);
            written = bundle(server, token, patient, 0, 40, "reconstruction");
            assertThat(awaitFound(server, token, patient, "reconstruction", written.size()))
                    .isEqualTo(written.size());
        } finally {
            first.destroy();
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        Path index = dataDir.resolve("search");
        assertThat(index).isDirectory();
        try (Stream<Path> files = Files.walk(index)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThat(index).doesNotExist();

        Process again = start(port);
        try {
            awaitReady(server, again);
            String token = CarnetTestServer.freshToken(server, "integration");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            int unavailable = 0;
            HttpResponse<String> answer;
            while (true) {
                answer = get(server + "/fhir/Patient/" + patient + "/$search?q=reconstruction&count=200", token);
                if (answer.statusCode() == 200 && total(answer.body()) == written.size()) {
                    break;
                }
                if (answer.statusCode() == 503) {
                    unavailable++;
                    assertThat(answer.headers().firstValue("Retry-After")).isPresent();
                    assertThat(answer.body()).contains("se reconstruit").doesNotContain("Exception");
                } else {
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                }
                assertThat(System.nanoTime()).as("rebuilt within 2 minutes").isLessThan(deadline);
                Thread.sleep(100);
            }
            System.out.println("Search rebuild test: " + unavailable + " answers 503 while the index was rebuilt");
            assertThat(contentIds(server, token, patient, "reconstruction")).isEqualTo(written);
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void writesCommittedButNotYetIndexedWhenCarnetIsKilledAreIndexedAtRestart() throws Exception {
        int port = CarnetProcesses.freePort();
        String server = "http://localhost:" + port;
        String patient;
        Set<String> acknowledged = new HashSet<>();
        long foundAtKill = -1;
        Process carnet = start(port);
        try {
            awaitReady(server, carnet);
            String token = CarnetTestServer.freshToken(server, "integration");
            patient = patient(server, token);
            assertThat(awaitFound(server, token, patient, "rattrapage", 0)).isZero();
            // Writes until a search right after a commit shows the index behind it, then kills at once.
            for (int round = 0; round < 20; round++) {
                acknowledged.addAll(bundle(server, token, patient, round * 100, 100, "rattrapage"));
                HttpResponse<String> now = get(server + "/fhir/Patient/" + patient + "/$search?q=rattrapage", token);
                foundAtKill = total(now.body());
                if (foundAtKill < acknowledged.size()) {
                    break;
                }
            }
            killTree(carnet);
        } finally {
            carnet.destroyForcibly();
        }
        System.out.println("Catch-up test: killed with " + acknowledged.size() + " documents committed, " + foundAtKill
                + " found by the search just before the kill");
        assertThat(foundAtKill).as("the kill fell while the index was behind").isLessThan(acknowledged.size());
        Files.deleteIfExists(dataDir.resolve("postgres").resolve("postmaster.pid"));

        Process again = start(port);
        try {
            awaitReady(server, again);
            String token = CarnetTestServer.freshToken(server, "integration");
            assertThat(awaitFound(server, token, patient, "rattrapage", acknowledged.size()))
                    .isEqualTo(acknowledged.size());
            assertThat(contentIds(server, token, patient, "rattrapage")).isEqualTo(acknowledged);
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** Waits for readiness; when Carnet stops first, the failure carries what it wrote on stderr. */
    private void awaitReady(String server, Process carnet) throws Exception {
        try {
            CarnetProcesses.awaitReady(server, carnet, Duration.ofMinutes(3));
        } catch (AssertionError e) {
            StringBuilder logs = new StringBuilder();
            try (Stream<Path> files = Files.list(dataDir)) {
                for (Path log : files.filter(f -> f.getFileName().toString().startsWith("stderr-"))
                        .sorted()
                        .toList()) {
                    String text = Files.readString(log);
                    logs.append(text, Math.max(0, text.length() - 4000), text.length());
                }
            }
            throw new AssertionError(e.getMessage() + "\n" + logs, e);
        }
    }

    /** The total of {@code $search} once it reaches {@code expected} (or the last total after two minutes). */
    private static long awaitFound(String server, String token, String patient, String word, long expected)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long total = -1;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = get(server + "/fhir/Patient/" + patient + "/$search?q=" + word, token);
            assertThat(answer.statusCode()).as(answer.body()).isIn(200, 503);
            if (answer.statusCode() == 200) {
                total = total(answer.body());
                if (total == expected) {
                    return total;
                }
            }
            Thread.sleep(200);
        }
        return total;
    }

    /** The ids {@code DocumentReference?patient=…&_content=…} finds. */
    private static Set<String> contentIds(String server, String token, String patient, String word) throws Exception {
        HttpResponse<String> answer = get(
                server + "/fhir/DocumentReference?patient=" + patient + "&_content=" + word
                        + "&_count=1000&_elements=id",
                token);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        Matcher m = ENTRY_ID.matcher(answer.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static long total(String body) {
        Matcher m = TOTAL.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Carnet's JVM, the postmaster named in its pid file and every PostgreSQL process under it, all at once. */
    private void killTree(Process carnet) throws Exception {
        List<ProcessHandle> tree = new ArrayList<>(carnet.descendants().toList());
        tree.add(carnet.toHandle());
        long postmaster =
                Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
                        .get(0)
                        .strip());
        ProcessHandle.of(postmaster).ifPresent(pg -> {
            tree.add(pg);
            tree.addAll(pg.descendants().toList());
        });
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            p.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private static String patient(String server, String token) throws Exception {
        HttpResponse<String> created = send(
                server + "/fhir/Patient",
                token,
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Index\",\"given\":[\"Jeanne\"]}],"
                        + "\"gender\":\"female\",\"birthDate\":\"1950-04-02\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Matcher id = PATIENT_ID.matcher(created.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    /** One transaction of {@code count} documents mentioning {@code word}; the ids it acknowledged. */
    private static Set<String> bundle(String server, String token, String patient, int from, int count, String word)
            throws Exception {
        StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = from; i < from + count; i++) {
            String text =
                    "Compte rendu numéro " + i + " : " + word + " du dossier, examen clinique sans particularité.";
            bundle.append(i == from ? "" : ",")
                    .append("{\"resource\":{\"resourceType\":\"DocumentReference\",\"status\":\"current\",")
                    .append("\"date\":\"2024-01-")
                    .append(String.format(java.util.Locale.ROOT, "%02d", 1 + i % 28))
                    .append("T10:00:00+01:00\",\"subject\":{\"reference\":\"Patient/")
                    .append(patient)
                    .append("\"},\"type\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"11488-4\"}]},")
                    .append("\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"")
                    .append(Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)))
                    .append("\"}}]},\"request\":{\"method\":\"POST\",\"url\":\"DocumentReference\"}}");
        }
        bundle.append("]}");
        HttpResponse<String> answer = send(server + "/fhir", token, bundle.toString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Set<String> ids = new HashSet<>();
        Matcher m = LOCATION.matcher(answer.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertThat(ids).hasSize(count);
        return ids;
    }

    private Process start(int port) throws IOException {
        return CarnetProcesses.demoServer(dataDir, port);
    }

    private static HttpResponse<String> send(String url, String token, String body) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/fhir+json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
