package org.carnet;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Carnet as a real process of its own, for the tests that kill it or watch it start: a command line on the test
 * classpath, a free port, and a wait for readiness.
 */
public final class CarnetProcesses {

    /**
     * The lock of the test classes that run Carnet as processes: they run beside the other integration tests (most of
     * their time is spent in another process, or waiting for one) but one at a time, so that the machine runs at most
     * two Carnets at once, the test server and one process.
     */
    public static final String LOCK = "carnet-process";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CarnetProcesses() {}

    /**
     * {@code java -Xmx<heap> -cp <test classpath> org.carnet.CarnetApplication <args>}, reading nothing from stdin.
     *
     * <p>These processes live seconds to a minute: the JIT's optimising tier (C2) would spend more CPU compiling than it
     * saves, and on a small machine that CPU is taken from the process itself. With the quick tier only, a start and a
     * bulk import take about half the CPU (measured: an import of four synthetic patients, 46 s of CPU down to 20 s).
     * The JIT tier changes nothing Carnet does.
     */
    public static ProcessBuilder carnet(String heap, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "org.carnet.CarnetApplication"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }

    /**
     * Carnet on {@code dataDir} (demo sign-in, no demo data) on {@code port}, its output discarded and its errors kept in
     * {@code <dataDir>/stderr-<n>.log}.
     */
    public static Process demoServer(Path dataDir, int port) throws IOException {
        return carnet(
                        "512m",
                        "--spring.profiles.active=demo",
                        "--server.port=" + port,
                        "--carnet.data-dir=" + dataDir,
                        "--carnet.demo.seed=false",
                        "--logging.level.root=WARN")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(
                        dataDir.resolve("stderr-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The body of a GET without a token; empty when nothing answers (yet). */
    public static String body(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Waits until the server says it is ready; fails when the process dies or the time runs out. */
    public static void awaitReady(String server, Process process, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!body(server + "/actuator/health/readiness").contains("\"UP\"")) {
            if (process != null && !process.isAlive()) {
                throw new AssertionError("Carnet stopped before it was ready");
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Carnet was not ready within " + within);
            }
            Thread.sleep(200);
        }
    }
}
