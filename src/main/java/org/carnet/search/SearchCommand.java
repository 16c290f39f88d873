package org.carnet.search;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.carnet.record.Visibility;
import org.springframework.context.ApplicationContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar carnet.jar search rebuild} reads the whole record into a new index, with progress;
 * {@code java -jar carnet.jar search evaluate --judgments FILE [--patient ID]} runs each judged query of FILE
 * (docs/judgments.md) and prints nDCG@10, P@10 and recall@50 per query and overall, with context handling on (only
 * affirmed mentions count, the default) and off (every mention counts), and how many documents that only mention the
 * concept negated, hypothetically, for someone else or generically reach the top 10. Exit code 0, 64 on bad usage.
 */
public final class SearchCommand {

    public static final String USAGE = """
            Usage: java -jar carnet.jar search rebuild
                   java -jar carnet.jar search evaluate --judgments FILE [--patient ID]
              rebuild      reads the whole record into a new search index (searches wait until it is done)
              evaluate     runs each query of a judgments file (docs/judgments.md) and prints its quality figures
              --patient    the patient's id in this Carnet (default: the file's "patientId")
            """;

    private SearchCommand() {}

    public static int run(String[] args, ApplicationContext context, PrintStream out, PrintStream err) {
        List<String> own = new ArrayList<>();
        for (String arg : args) {
            if (!(arg.startsWith("--") && arg.indexOf('=') > 2)) {
                own.add(arg);
            }
        }
        try {
            if (own.isEmpty()) {
                throw new IllegalArgumentException("say rebuild or evaluate");
            }
            switch (own.getFirst()) {
                case "rebuild" -> {
                    if (own.size() > 1) {
                        throw new IllegalArgumentException("rebuild takes no option");
                    }
                    return rebuild(context, out);
                }
                case "evaluate" -> {
                    Path judgments = null;
                    @org.jspecify.annotations.Nullable String patient = null;
                    for (int i = 1; i < own.size(); i++) {
                        switch (own.get(i)) {
                            case "--judgments" -> judgments = Path.of(value(own, ++i, "--judgments"));
                            case "--patient" -> patient = value(own, ++i, "--patient");
                            default -> throw new IllegalArgumentException("unknown option " + own.get(i));
                        }
                    }
                    if (judgments == null) {
                        throw new IllegalArgumentException("evaluate needs --judgments FILE");
                    }
                    return evaluate(context, judgments, patient, out, err);
                }
                default -> throw new IllegalArgumentException("unknown command " + own.getFirst());
            }
        } catch (IllegalArgumentException e) {
            err.println("search: " + e.getMessage());
            err.print(USAGE);
            return 64;
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    private static int rebuild(ApplicationContext context, PrintStream out) {
        SearchIndexing indexing = context.getBean(SearchIndexing.class);
        out.println("Rebuilding the search index from the record…");
        long[] shown = {-1};
        SearchIndexing.Rebuilt done = indexing.rebuild(n -> {
            int percent = indexing.progressPercent();
            if (percent / 5 != shown[0]) {
                shown[0] = percent / 5;
                out.printf("  %3d %%  %,d resources%n", percent, n);
            }
        });
        double seconds = done.millis() / 1000.0;
        out.printf(
                Locale.ROOT,
                "Done: %,d entries from %,d resources in %.1f s (%.0f resources/s); index %.1f MB on disk%n",
                done.entries(),
                done.resources(),
                seconds,
                done.resources() / Math.max(seconds, 0.001),
                done.bytesOnDisk() / 1e6);
        return 0;
    }

    private record Judged(String query, String answeredBy, Set<String> relevant, Set<String> notRelevant) {}

    private static int evaluate(
            ApplicationContext context,
            Path file,
            @org.jspecify.annotations.Nullable String patientOption,
            PrintStream out,
            PrintStream err) {
        JsonNode root;
        try {
            root = JsonMapper.builder().build().readTree(Files.readAllBytes(file));
        } catch (IOException | JacksonException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        String patient =
                patientOption != null ? patientOption : root.path("patientId").asString("");
        if (patient.isEmpty()) {
            throw new IllegalArgumentException("the file names no patientId: give --patient ID");
        }
        patient = patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
        List<Judged> judged = new ArrayList<>();
        for (JsonNode q : root.path("queries")) {
            Set<String> relevant = new HashSet<>();
            // format 1: ids; format 2 (carnet-judgments/2): {"id": …, "answeredBy": …}
            q.path("relevant")
                    .forEach(r -> relevant.add(bare(r.isObject() ? r.path("id").asString() : r.asString())));
            Set<String> notRelevant = new HashSet<>();
            q.path("notRelevant").forEach(n -> notRelevant.add(bare(n.path("id").asString())));
            judged.add(new Judged(q.path("query").asString(), answeredBy(q.path("answeredBy")), relevant, notRelevant));
        }
        if (judged.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no queries");
        }
        SearchIndexing indexing = context.getBean(SearchIndexing.class);
        if (!indexing.ready()) {
            out.println("The search index does not hold the whole record yet: rebuilding it first.");
            rebuild(context, out);
        }
        RecordSearch search = context.getBean(RecordSearch.class);
        out.printf("%-34s %-12s %5s | %-26s | %-26s%n", "", "", "", "context on (default)", "context off");
        out.printf(
                "%-34s %-12s %5s | %6s %6s %6s %5s | %6s %6s %6s %5s%n",
                "query", "by", "rel", "nDCG10", "P@10", "R@50", "bad10", "nDCG10", "P@10", "R@50", "bad10");
        double[] on = new double[4];
        double[] off = new double[4];
        int counted = 0;
        for (Judged j : judged) {
            if (j.relevant().isEmpty()) {
                continue;
            }
            double[] a = figures(search, patient, j, false);
            double[] b = figures(search, patient, j, true);
            out.printf(
                    Locale.ROOT,
                    "%-34s %-12s %5d | %6.3f %6.3f %6.3f %5.0f | %6.3f %6.3f %6.3f %5.0f%n",
                    j.query().length() > 34 ? j.query().substring(0, 33) + "…" : j.query(),
                    j.answeredBy(),
                    j.relevant().size(),
                    a[0],
                    a[1],
                    a[2],
                    a[3],
                    b[0],
                    b[1],
                    b[2],
                    b[3]);
            for (int i = 0; i < 4; i++) {
                on[i] += a[i];
                off[i] += b[i];
            }
            counted++;
        }
        out.printf(
                Locale.ROOT,
                "%-34s %-12s %5d | %6.3f %6.3f %6.3f %5.0f | %6.3f %6.3f %6.3f %5.0f%n",
                "MEAN over " + counted + " queries (bad10: total)",
                "",
                0,
                on[0] / counted,
                on[1] / counted,
                on[2] / counted,
                on[3],
                off[0] / counted,
                off[1] / counted,
                off[2] / counted,
                off[3]);
        return 0;
    }

    /** How a query is answered: {@code text}, {@code numbers}, {@code drugs}, or several joined by "+". */
    private static String answeredBy(JsonNode by) {
        List<String> ways = new ArrayList<>();
        if (by.isArray()) {
            by.forEach(w -> ways.add(w.asString()));
        } else if (by.isString()) {
            ways.add(by.asString());
        }
        return ways.isEmpty() ? "text" : String.join("+", ways);
    }

    /**
     * nDCG@10, P@10, recall@50 and the count of judged-not-relevant documents in the top 10, over the documents among
     * the hits: judgments are about documents, so the structured facts a search also finds are left out here.
     */
    private static double[] figures(RecordSearch search, String patient, Judged j, boolean allContexts) {
        SearchRequest request = new SearchRequest(
                j.query(), allContexts, null, null, List.of(), List.of(), List.of(), SearchRequest.MAX_COUNT, false);
        SearchResults results = search.search(patient, request, Visibility.UNRESTRICTED);
        List<String> ids = results.hits().stream()
                .filter(h -> !h.uniqueId().isEmpty())
                .map(h -> bare(h.uniqueId()))
                .limit(50)
                .toList();
        double dcg = 0;
        int hits10 = 0;
        int bad10 = 0;
        for (int i = 0; i < Math.min(10, ids.size()); i++) {
            if (j.relevant().contains(ids.get(i))) {
                dcg += 1 / (Math.log(i + 2) / Math.log(2));
                hits10++;
            } else if (j.notRelevant().contains(ids.get(i))) {
                bad10++;
            }
        }
        double ideal = 0;
        for (int i = 0; i < Math.min(10, j.relevant().size()); i++) {
            ideal += 1 / (Math.log(i + 2) / Math.log(2));
        }
        long found50 = ids.stream().limit(50).filter(j.relevant()::contains).count();
        return new double[] {
            ideal == 0 ? 0 : dcg / ideal,
            hits10 / 10.0,
            (double) found50 / Math.min(50, j.relevant().size()),
            bad10
        };
    }

    private static String bare(String id) {
        return id.startsWith("urn:oid:") ? id.substring("urn:oid:".length()) : id;
    }
}
