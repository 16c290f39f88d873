package org.carnet.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.CarnetProcesses;
import org.carnet.ProcessTest;
import org.carnet.synthetic.SyntheticData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test of the documents issue: a bulk import of a mixed synthetic data set is killed (SIGKILL) part-way, then
 * run again to its end. Every item must then be present exactly once: the record holds the same resources, type by
 * type, as an import of the same files that was never interrupted, and blobs and metadata agree
 * ({@code documents verify} after {@code documents repair}). Each step is a real Carnet process on its own data
 * directory, as an operator would run it.
 */
@ProcessTest
class BulkImportCrashIT {

    private static final Pattern PERCENT = Pattern.compile("^\\s*(\\d+)% ");
    private static final Pattern RECORD = Pattern.compile("^Record: (.*)$", Pattern.MULTILINE);

    @TempDir
    Path temp;

    @Test
    void anImportKilledMidWayAndRunAgainFilesEveryItemExactlyOnce() throws Exception {
        Path data = temp.resolve("synthetic");
        // Two patients give every format (FHIR, directory, CDA, HL7 v2, PDF with sidecars, CSV) in about 140 files: the
        // kill at 35% falls among the documents, after the FHIR and directory files, with some ninety left for the
        // rerun. The generator itself, not its command: the command quiets the logging of the whole JVM, which the
        // other integration tests share while this one runs beside them.
        new SyntheticData(new SyntheticData.Options(
                        SyntheticData.Profile.DEMO, 42, 2, SyntheticData.FORMATS, SyntheticData.DEFAULT_TODAY))
                .writeTo(data, done -> {});

        Path crashed = temp.resolve("crashed");
        Process first = carnet(crashed, "import", data.toString());
        int reached = killAfter(first, 35);
        System.out.println("Crash test: import killed at " + reached + "%");
        assertThat(reached).as("killed before the end").isBetween(35, 99);

        Run rerun = run(carnet(crashed, "import", data.toString()));
        System.out.println(rerun.out());
        assertThat(rerun.exit()).as(rerun.out() + rerun.err()).isIn(0, 2);
        assertThat(rerun.out()).containsPattern("already received\\s+[1-9]");

        Run reference = run(carnet(temp.resolve("reference"), "import", data.toString()));
        assertThat(reference.exit()).as(reference.err()).isIn(0, 2);
        assertThat(record(rerun.out())).isEqualTo(record(reference.out()));
        assertThat(ledger(rerun.out())).isEqualTo(ledger(reference.out()));

        Run repair = run(carnet(crashed, "documents", "repair", "--grace", "PT0S"));
        System.out.println(repair.out());
        Run verify = run(carnet(crashed, "documents", "verify", "--grace", "PT0S", "--contents"));
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("Consistent.").contains("orphan blobs: 0");
    }

    private static String record(String out) {
        Matcher m = RECORD.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    private static String ledger(String out) {
        return out.lines().filter(l -> l.startsWith("Ledger: ")).findFirst().orElseThrow();
    }

    private Process carnet(Path dataDir, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--carnet.data-dir=" + dataDir);
        all.add("--logging.level.root=WARN");
        return CarnetProcesses.carnet("512m", all.toArray(String[]::new)).start();
    }

    /**
     * Kills the process (SIGKILL) once its progress reaches {@code percent}; returns the progress it had reached.
     */
    private static int killAfter(Process process, int percent) throws Exception {
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException ignored) {
                // the process is being killed
            }
        });
        int reached = -1;
        try (BufferedReader err =
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                Matcher m = PERCENT.matcher(line);
                if (m.find()) {
                    reached = Integer.parseInt(m.group(1));
                    if (reached >= percent) {
                        // Carnet dies mid-write (SIGKILL); its embedded PostgreSQL, a process of its own, lives on
                        // and rolls back the transaction of the item in flight when the connection drops.
                        process.destroyForcibly();
                        break;
                    }
                }
            }
        }
        process.waitFor(60, TimeUnit.SECONDS);
        drain.join(5_000);
        return reached;
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(Process process) throws Exception {
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        Thread readOut = Thread.ofVirtual().start(() -> read(process.getInputStream(), stdout));
        Thread readErr = Thread.ofVirtual().start(() -> read(process.getErrorStream(), stderr));
        assertThat(process.waitFor(5, TimeUnit.MINUTES))
                .as("finished within 5 minutes")
                .isTrue();
        readOut.join();
        readErr.join();
        return new Run(process.exitValue(), stdout.toString(), stderr.toString());
    }

    private static void read(java.io.InputStream in, StringBuilder into) {
        try {
            into.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            into.append("(unreadable: ").append(e.getMessage()).append(')');
        }
    }
}
