package org.carnet.ingestion;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code java -jar carnet.jar import <directory|archive.zip>}: files every item of a directory tree or zip archive
 * through the connectors, with progress on standard error and a report at the end. Safe to re-run: what was filed
 * before is recognised and left alone, so an interrupted import is finished by running it again. Exit code 0 when
 * every item is filed (or was before), 2 when some wait in quarantine or the dead-letter list, 64 on bad usage.
 */
public final class ImportCommand {

    public static final String USAGE = "Usage: java -jar carnet.jar import <directory|archive.zip> [--carnet.…=…]\n";

    private ImportCommand() {}

    /** The largest heap in use while the import ran, sampled every 100 ms (the benchmark's memory figure). */
    private static final class HeapPeak {
        private final java.util.concurrent.atomic.AtomicLong peak = new java.util.concurrent.atomic.AtomicLong();
        private final Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            var memory = java.lang.management.ManagementFactory.getMemoryMXBean();
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });

        void stop() {
            sampler.interrupt();
        }

        long peak() {
            return peak.get();
        }
    }

    public static int run(String[] args, ApplicationContext context, PrintStream out, PrintStream err) {
        if (args.length < 1 || args[0].startsWith("--")) {
            err.print(USAGE);
            return 64;
        }
        BulkImport.Report report;
        HeapPeak heap = new HeapPeak();
        try {
            report = context.getBean(BulkImport.class).run(Path.of(args[0]), err, System.console() != null);
        } catch (IOException e) {
            err.println("import: cannot read "
                    + (e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null
                            ? fs.getFile() + (fs.getReason() == null ? "" : ": " + fs.getReason())
                            : args[0] + ": " + e.getMessage()));
            return 64;
        } finally {
            heap.stop();
        }
        out.printf(
                Locale.ROOT,
                "Imported %s: %d files, %d items, %.1f MB in %.1f s (%.1f items/s, %.2f MB/s)%n",
                args[0],
                report.files(),
                report.items(),
                report.bytes() / 1e6,
                report.took().toMillis() / 1e3,
                report.items() / Math.max(1e-3, report.took().toMillis() / 1e3),
                report.bytes() / 1e6 / Math.max(1e-3, report.took().toMillis() / 1e3));
        for (Ingestion.Status status : Ingestion.Status.values()) {
            if (status == Ingestion.Status.WAITING) {
                continue; // none at the end of an import: what waited was filed, or failed with its reason
            }
            out.printf("  %-17s %d%n", status.name().toLowerCase(Locale.ROOT).replace('_', ' '), report.count(status));
        }
        report.problems().stream().limit(100).forEach(problem -> out.println("  ! " + problem));
        if (report.problems().size() > 100) {
            out.printf(
                    "  ! … and %d more (see /actuator/ingestion)%n",
                    report.problems().size() - 100);
        }
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        out.printf(
                "Ledger: %d items filed, %d duplicates, %d waiting; %d documents filed%n",
                jdbc.queryForObject("select count(*) from ingest_item where status = 'FILED'", Long.class),
                jdbc.queryForObject("select count(*) from ingest_item where status = 'DUPLICATE'", Long.class),
                jdbc.queryForObject(
                        "select count(*) from ingest_item where status in ('QUARANTINED', 'FAILED')", Long.class),
                jdbc.queryForObject("select count(*) from document_identity", Long.class));
        out.println("Record: "
                + context.getBean(org.carnet.record.RecordReads.class).countByType());
        out.printf(
                "Peak heap used: %d MB (sampled every 100 ms; max heap %d MB)%n",
                heap.peak() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        return report.count(Ingestion.Status.QUARANTINED) + report.count(Ingestion.Status.FAILED) > 0 ? 2 : 0;
    }
}
