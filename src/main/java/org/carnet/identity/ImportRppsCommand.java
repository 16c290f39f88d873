package org.carnet.identity;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar carnet.jar import-rpps FILE [--carnet.data-dir=…]}: imports an RPPS extraction into the
 * store the platform would use (embedded or {@code CARNET_DB_URL}) without serving HTTP, with progress on
 * standard error and a report at the end.
 */
public final class ImportRppsCommand {

    private ImportRppsCommand() {}

    /**
     * Runs the import in a started context; returns the exit code: 0 every line imported as it is, 2 some lines
     * rejected or some professionals' lines disagreeing (the rest is imported), 1 failure, 64 bad usage.
     */
    public static int run(Path file, ConfigurableApplicationContext context, PrintStream out, PrintStream err) {
        if (!Files.isRegularFile(file)) {
            err.println("import-rpps: no such file: " + file);
            return 64;
        }
        long start = System.nanoTime();
        try {
            DirectoryImport.Report report = context.getBean(DirectoryImport.class)
                    .importFile(file, progress -> {
                        double seconds = (System.nanoTime() - start) / 1e9;
                        err.printf(
                                Locale.ROOT,
                                "\r%d lines, %d rejected, %.0f lines/s",
                                progress.lines(),
                                progress.rejected(),
                                progress.lines() / Math.max(seconds, 1e-3));
                    });
            double seconds = (System.nanoTime() - start) / 1e9;
            err.println();
            out.printf(
                    Locale.ROOT,
                    "%s: %d lines, %d imported, %d rejected; %d resources written, %d unchanged;"
                            + " %.1f s (%.0f lines/s)%n",
                    file,
                    report.lines(),
                    report.imported(),
                    report.rejected(),
                    report.written(),
                    report.unchanged(),
                    seconds,
                    report.lines() / Math.max(seconds, 1e-3));
            DirectoryImport.Deactivation gone = report.deactivation();
            if (gone.skipped() != null) {
                out.println("  absent professionals were not deactivated: " + gone.skipped());
            } else {
                out.printf(
                        Locale.ROOT,
                        "  deactivated (absent from this extraction): %d practitioners, %d activities%n",
                        gone.practitioners(),
                        gone.roles());
            }
            if (report.rejected() > 0) {
                out.printf(
                        Locale.ROOT,
                        "  %d line%s rejected (not imported):%n",
                        report.rejected(),
                        report.rejected() == 1 ? "" : "s");
            }
            report.rejections().stream().limit(20).forEach(r -> out.println("  line " + r.line() + ": " + r.reason()));
            if (report.rejected() > 20) {
                out.println("  … " + (report.rejected() - 20) + " more rejected lines");
            }
            if (report.conflicted() > 0) {
                out.printf(
                        Locale.ROOT,
                        "  %d line%s disagreeing with an earlier line of the same professional"
                                + " (activity imported, person kept from the earlier line):%n",
                        report.conflicted(),
                        report.conflicted() == 1 ? "" : "s");
            }
            report.conflicts().stream().limit(20).forEach(c -> out.println("  " + c));
            if (report.conflicted() > 20) {
                out.println("  … " + (report.conflicted() - 20) + " more disagreeing lines");
            }
            if (!report.clean()) {
                err.println("import-rpps: " + report.rejected() + " line(s) rejected, " + report.conflicted()
                        + " disagreeing: see the report");
                return 2;
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println();
            err.println("import-rpps: failed: " + e.getMessage());
            return 1;
        }
    }
}
