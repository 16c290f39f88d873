package org.carnet.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.CarnetProcesses;
import org.carnet.CarnetTestServer;
import org.carnet.ProcessTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 201 means durable. Carnet runs as a real process on the embedded PostgreSQL (its own processes) while eight
 * clients write; then the whole process tree is killed at once (SIGKILL), as an OOM killer or a container stop does.
 * After a restart on the same data directory every write that was acknowledged is there.
 */
@ProcessTest
class CrashDurabilityIT {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedWriteSurvivesAKillOfTheWholeProcessTree() throws Exception {
        int port = CarnetProcesses.freePort();
        String server = "http://localhost:" + port;
        Process carnet = start(port);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try {
            CarnetProcesses.awaitReady(server, carnet, Duration.ofMinutes(3));
            String token = CarnetTestServer.freshToken(server, "integration");
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> write(server, token, writer, writing, acknowledged)));
            }
            Thread.sleep(4_000);
            // pg_ctl detaches the postmaster from Carnet: the tree is Carnet's JVM, the postmaster named in its pid
            // file, and every PostgreSQL process under it.
            List<ProcessHandle> tree = new ArrayList<>(carnet.descendants().toList());
            tree.add(carnet.toHandle());
            long postmaster = Long.parseLong(
                    java.nio.file.Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"))
                            .get(0)
                            .strip());
            ProcessHandle.of(postmaster).ifPresent(pg -> {
                tree.add(pg);
                tree.addAll(pg.descendants().toList());
            });
            assertThat(tree.size()).as("Carnet and its PostgreSQL processes").isGreaterThan(3);
            tree.forEach(ProcessHandle::destroyForcibly);
            writing.set(false);
            for (Thread writer : writers) {
                writer.join(10_000);
            }
            for (ProcessHandle p : tree) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
            System.out.println(
                    "Crash test: killed " + tree.size() + " processes (Carnet, PostgreSQL and its backends)");
        } finally {
            carnet.destroyForcibly();
        }
        System.out.println("Crash test: " + acknowledged.size() + " writes acknowledged before the kill");
        assertThat(acknowledged).hasSizeGreaterThan(50);
        java.nio.file.Files.deleteIfExists(dataDir.resolve("postgres").resolve("postmaster.pid"));

        Process again = start(port);
        try {
            CarnetProcesses.awaitReady(server, again, Duration.ofMinutes(3));
            String token = CarnetTestServer.freshToken(server, "integration");
            Set<String> found = new java.util.HashSet<>();
            String next = server + "/fhir/Patient?identifier=urn:carnet:crash%7C&_count=1000&_elements=id";
            while (next != null) {
                String page = get(next, token).body();
                Matcher ids = Pattern.compile(
                                "\"resource\"\\s*:\\s*\\{\\s*\"resourceType\"\\s*:\\s*\"Patient\"\\s*,\\s*\"id\"\\s*:\\s*\"([^\"]+)\"")
                        .matcher(page);
                while (ids.find()) {
                    found.add(ids.group(1));
                }
                Matcher link = Pattern.compile("\"relation\"\\s*:\\s*\"next\"\\s*,\\s*\"url\"\\s*:\\s*\"([^\"]+)\"")
                        .matcher(page);
                next = link.find() ? link.group(1) : null;
            }
            assertThat(found).as("acknowledged writes present after the crash").containsAll(acknowledged);
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static void write(
            String server, String token, int writer, AtomicBoolean writing, Set<String> acknowledged) {
        for (int i = 0; writing.get(); i++) {
            String body = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:carnet:crash\",\"value\":\"w"
                    + writer + "-" + i + "\"}],\"name\":[{\"family\":\"Durable\"}]}";
            try {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create(server + "/fhir/Patient"))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/fhir+json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                    Matcher id = ID.matcher(response.body());
                    if (id.find()) {
                        acknowledged.add(id.group(1));
                    }
                }
            } catch (IOException e) {
                return; // the server is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Process start(int port) throws IOException {
        return CarnetProcesses.demoServer(dataDir, port);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
