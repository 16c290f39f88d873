package org.carnet.document;

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.context.ApplicationContext;

/**
 * {@code java -jar carnet.jar documents verify|repair [--grace PT1H] [--contents]}: checks that blobs and document
 * metadata agree and, with {@code repair}, removes what a crash or an abandoned upload left behind. Prints ids only.
 * Exit code 0 when consistent, 2 when something remains that needs an operator, 64 on bad usage.
 */
public final class DocumentRepairCommand {

    public static final String USAGE = """
            Usage: java -jar carnet.jar documents verify|repair [options]
              --grace DURATION   ignore blobs and uploads younger than this, as they may be in flight (default PT1H)
              --contents         also read every blob back and check its hash (slow: reads everything)
            """;

    private DocumentRepairCommand() {}

    public static int run(String[] args, ApplicationContext context, PrintStream out, PrintStream err) {
        boolean repair;
        Duration grace = Duration.ofHours(1);
        boolean contents = false;
        try {
            if (args.length == 0 || !(args[0].equals("verify") || args[0].equals("repair"))) {
                throw new IllegalArgumentException("say verify or repair");
            }
            repair = args[0].equals("repair");
            for (int i = 1; i < args.length; i++) {
                if (args[i].startsWith("--") && args[i].indexOf('=') > 2) {
                    continue; // a Spring property (--carnet.data-dir=…), for the application
                }
                switch (args[i]) {
                    case "--grace" -> grace = Duration.parse(i + 1 < args.length ? args[++i] : "");
                    case "--contents" -> contents = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println("documents: " + e.getMessage());
            err.print(USAGE);
            return 64;
        }
        DocumentRepair.Report report = context.getBean(DocumentRepair.class).run(repair, grace, contents);
        out.printf("Blobs: %d stored, %d content rows%n", report.blobs(), report.contents());
        print(out, report.orphanBlobs(), "orphan blobs", repair ? "removed" : "to remove");
        print(out, report.unclaimedContents(), "unclaimed uploads", repair ? "removed" : "to remove");
        print(out, report.danglingContents(), "contents whose blob is missing", "need their source to re-send");
        print(
                out,
                report.documentsWithoutContent(),
                "documents naming a missing content",
                "need their source to re-send");
        print(out, report.corruptBlobs(), "blobs failing their hash", "need their source to re-send");
        out.println(report.consistent() ? "Consistent." : "Not consistent.");
        return report.consistent() ? 0 : 2;
    }

    private static void print(PrintStream out, List<String> items, String what, String action) {
        out.printf("%s: %d%s%n", what, items.size(), items.isEmpty() ? "" : " (" + action + ")");
        items.stream().limit(50).forEach(item -> out.println("  " + item));
        if (items.size() > 50) {
            out.printf("  … and %d more%n", items.size() - 50);
        }
    }
}
