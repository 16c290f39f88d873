package org.carnet.synthetic;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code java -jar carnet.jar generate …}: writes a synthetic data set to a directory, with progress on
 * standard error and a summary at the end. Runs without starting the platform.
 */
public final class GenerateCommand {

    private static final String USAGE = """
            Usage: java -jar carnet.jar generate [options]
              --profile demo|bench|heavy   scale profile (default: demo)
              --patients N                 patients (default: demo 30, bench 10000; heavy makes one)
              --seed S                     seed; the same options give byte-identical files (default 42)
              --out DIR                    output directory (default: ./synthetic-<profile>-<seed>)
              --formats LIST               fhir,cda,hl7v2,pdf,csv or all (default: fhir)
              --today YYYY-MM-DD           the data set's "today" (default 2026-11-01)
            """;

    private GenerateCommand() {}

    /** Runs the command; returns the process exit code (0 done, 64 bad usage, 1 failure). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        quietLibraries();
        SyntheticData.Profile profile = SyntheticData.Profile.DEMO;
        Integer patients = null;
        long seed = 42;
        Path dir = null;
        Set<String> formats = Set.of("fhir");
        LocalDate today = SyntheticData.DEFAULT_TODAY;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--profile" ->
                        profile = SyntheticData.Profile.valueOf(
                                require(value, args[i++]).toUpperCase(Locale.ROOT));
                    case "--patients" -> patients = Integer.parseInt(require(value, args[i++]));
                    case "--seed" -> seed = Long.parseLong(require(value, args[i++]));
                    case "--out" -> dir = Path.of(require(value, args[i++]));
                    case "--formats" -> formats = formats(require(value, args[i++]));
                    case "--today" -> today = LocalDate.parse(require(value, args[i++]));
                    case "--help", "-h" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("Unknown option " + args[i]);
                }
            }
            int count = patients != null ? patients : profile == SyntheticData.Profile.BENCH ? 10_000 : 30;
            String name = profile.name().toLowerCase(Locale.ROOT);
            Path target = dir != null ? dir : Path.of("synthetic-" + name + "-" + seed);
            SyntheticData.Options options = new SyntheticData.Options(profile, seed, count, formats, today);
            return generate(options, target, out, err);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println("generate: " + e.getMessage());
            err.print(USAGE);
            return 64;
        }
    }

    private static int generate(SyntheticData.Options options, Path target, PrintStream out, PrintStream err) {
        long start = System.nanoTime();
        int total = options.profile() == SyntheticData.Profile.HEAVY ? 1 : options.patients();
        long[] lastReport = {start};
        try {
            SyntheticData data = new SyntheticData(options);
            SyntheticData.Summary summary = data.writeTo(target, done -> {
                long now = System.nanoTime();
                if (now - lastReport[0] > 2_000_000_000L || done == total) {
                    lastReport[0] = now;
                    double seconds = (now - start) / 1e9;
                    err.printf(Locale.ROOT, "\r%d/%d patients  %.1f patients/s", done, total, done / seconds);
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            err.println();
            out.printf(
                    Locale.ROOT,
                    "%s: %d patients, %d resources, %d documents (%d pages of 1,500 characters), %d files in %.1f s%n",
                    target,
                    summary.patients(),
                    summary.resources(),
                    summary.documents(),
                    summary.pages(),
                    summary.files(),
                    seconds);
            data.realismReport().ifPresent(out::print);
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println();
            err.println("generate: failed: " + e.getMessage());
            return 1;
        }
    }

    /** Outside the platform nothing configures logging: keep library chatter (HAPI, PDFBox fonts) off the console. */
    private static void quietLibraries() {
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
            context.getLogger("org.apache.pdfbox").setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    private static Set<String> formats(String value) {
        if ("all".equals(value)) {
            return SyntheticData.FORMATS;
        }
        Set<String> formats = new LinkedHashSet<>(List.of(value.split(",")));
        if (!SyntheticData.FORMATS.containsAll(formats)) {
            throw new IllegalArgumentException("Unknown format in '" + value + "'; use fhir,cda,hl7v2,pdf,csv or all");
        }
        return formats;
    }

    private static String require(@org.jspecify.annotations.Nullable String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException("Option " + option + " needs a value");
        }
        return value;
    }
}
