import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Carnet search benchmark harness (issue 15): {@code Patient/<id>/$search} latency per query class, at one client,
 * as the médecin traitant, a restricted professional and the integration system, on a running Carnet (demo profile)
 * that holds one large record; the server's heap after a full GC before and after the query load; the index on
 * disk. Self-contained (JDK only, Java 21): {@code java bench/SearchBench.java --help}. {@code bench/search} makes
 * the record, imports and indexes it, starts Carnet and runs this.
 */
public class SearchBench {

    static final String USAGE = """
            Usage: java bench/SearchBench.java [options]
              --url URL          Carnet FHIR base (default http://127.0.0.1:8080/fhir), demo profile
              --patient ID       the record searched (default: the Patient with the most DocumentReferences)
              --queries N        timed queries per class and identity (default 200)
              --warmup N         untimed queries before them (default 50)
              --masked N         documents masked from the restricted professional (default: documents/400, 3 to 25)
              --seed S           seed for the documents masked (default 42)
              --pid PID          the server's process, for its heap after a full GC (jcmd); without it, the heap
                                 in use from /actuator/prometheus as `operateur` (no GC first)
              --jcmd PATH        jcmd (default: beside this JVM's java)
              --index-dir DIR    <data-dir>/search, for its size on disk
              --facts FILE       "section<TAB>figure<TAB>value" lines to print in the summary (bench/search)
              --started EPOCH_S  when the whole run started (bench/search), for its total time
            Exit code: 0 done, 2 some requests failed, 1 the server could not be reached or set up, 64 bad options.
            """;

    static final String TRAITANT = "dr-moreau";
    static final String TRAITANT_IDNAT = "810004372156";
    static final String RESTRICTED = "dr-lambert";
    static final String RESTRICTED_IDNAT = "810005820468";
    static final String SYSTEM = "integration";
    static final String LIST = "syndromes gériatriques";

    static final List<String> SINGLE =
            List.of("chute", "confusion", "anémie", "AVC", "dénutrition", "escarre", "incontinence", "dyspnée");
    static final List<String> PHRASES = List.of(
            "\"retrouvée au sol\"", "\"perte de poids\"", "\"insuffisance cardiaque\"", "\"troubles cognitifs\"");
    static final List<String> ABBREVIATIONS = List.of("HTA", "FA", "IRC", "AVK");

    record Options(
            String url,
            String patient,
            int queries,
            int warmup,
            int masked,
            long seed,
            long pid,
            String jcmd,
            Path indexDir,
            Path facts,
            double started) {}

    /** A query class: its name, its goal for p95 in ms, and the queries it cycles through (URL query strings). */
    record QueryClass(String name, double goalMs, List<String> queries) {}

    /** One class measured as one identity. */
    record Measured(String identity, QueryClass queryClass, double[] millis, double meanTotal, int errors) {
        double percentile(double p) {
            if (millis.length == 0) return Double.NaN;
            return millis[Math.max(0, (int) Math.ceil(p / 100 * millis.length) - 1)];
        }
    }

    final Options opt;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    final Map<String, String> tokens = new LinkedHashMap<>();
    final List<String> problems = new ArrayList<>();
    int errors;

    SearchBench(Options opt) {
        this.opt = opt;
    }

    public static void main(String[] args) throws Exception {
        Options opt;
        try {
            opt = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(64);
            return;
        }
        if (opt == null) {
            System.out.print(USAGE);
            return;
        }
        System.exit(new SearchBench(opt).run());
    }

    static Options parse(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) return null;
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad option " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        Set<String> known = Set.of(
                "url", "patient", "queries", "warmup", "masked", "seed", "pid", "jcmd", "index-dir", "facts",
                "started");
        for (String k : o.keySet()) {
            if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k);
        }
        try {
            return new Options(
                    o.getOrDefault("url", "http://127.0.0.1:8080/fhir").replaceAll("/$", ""),
                    o.get("patient"),
                    Integer.parseInt(o.getOrDefault("queries", "200")),
                    Integer.parseInt(o.getOrDefault("warmup", "50")),
                    Integer.parseInt(o.getOrDefault("masked", "-1")),
                    Long.parseLong(o.getOrDefault("seed", "42")),
                    Long.parseLong(o.getOrDefault("pid", "-1")),
                    o.getOrDefault(
                            "jcmd",
                            Path.of(ProcessHandle.current().info().command().orElse("java"))
                                    .resolveSibling("jcmd")
                                    .toString()),
                    o.containsKey("index-dir") ? Path.of(o.get("index-dir")) : null,
                    o.containsKey("facts") ? Path.of(o.get("facts")) : null,
                    Double.parseDouble(o.getOrDefault("started", "0")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a number was expected: " + e.getMessage());
        }
    }

    int run() throws Exception {
        String server = opt.url().replaceAll("/fhir$", "");
        for (String who : List.of(SYSTEM, TRAITANT, RESTRICTED)) {
            tokens.put(who, signIn(server, who));
        }
        String patient = opt.patient() != null ? opt.patient() : largestRecord();
        long documents = count("DocumentReference?patient=" + patient + "&_summary=count");
        System.err.printf("Record Patient/%s: %,d DocumentReference%n", patient, documents);
        waitForIndex(patient);

        // Access: the médecin traitant, and a professional authorised while some documents are masked
        String rules = call(SYSTEM, "GET", "Patient/" + patient + "/$access-rules", null, 200);
        boolean named = rules.contains(TRAITANT_IDNAT);
        if (!named) {
            call(SYSTEM, "POST", "Patient/" + patient + "/$designate-traitant", practitioner(TRAITANT_IDNAT), 200);
        }
        call(SYSTEM, "POST", "Patient/" + patient + "/$authorise", practitioner(RESTRICTED_IDNAT), 200);
        int toMask = opt.masked() >= 0 ? opt.masked() : (int) Math.max(3, Math.min(25, documents / 400));
        List<String> masked = mask(patient, toMask);
        System.err.printf(
                "Access: %s %s médecin traitant; %s authorised; %d documents masked (MASQUE_PS)%n",
                TRAITANT, named ? "already" : "designated", RESTRICTED, masked.size());
        waitForMasks(patient, masked);

        List<QueryClass> classes = classes(patient);
        Map<String, Long> restriction = new LinkedHashMap<>();
        for (String who : List.of(SYSTEM, TRAITANT, RESTRICTED)) {
            restriction.put(who, total(who, patient, "q=" + enc(String.join(" OR ", SINGLE)) + "&count=1"));
        }
        System.err.println("Entries matching any single term, by identity: " + restriction);

        Heap before = heap();
        String loadBefore = loadAverage();
        List<Measured> results = new ArrayList<>();
        Map<String, String> loads = new LinkedHashMap<>();
        for (String who : List.of(TRAITANT, RESTRICTED, SYSTEM)) {
            String start = loadAverage();
            for (QueryClass c : classes) {
                Measured m = measure(who, patient, c);
                results.add(m);
                System.err.printf(
                        Locale.ROOT,
                        "%-12s %-30s p50 %7.1f  p95 %7.1f  p99 %7.1f  max %7.1f ms  (%d errors)%n",
                        who, c.name(), m.percentile(50), m.percentile(95), m.percentile(99), m.percentile(100),
                        m.errors());
            }
            loads.put(who, start + " → " + loadAverage());
        }
        Heap after = heap();
        print(patient, documents, named, masked, restriction, results, loads, before, after, loadBefore);
        return errors > 0 ? 2 : 0;
    }

    // ---- set-up -----------------------------------------------------------------------------------------------

    String signIn(String server, String identity) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(server + "/oauth2/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header(
                                    "Authorization",
                                    "Basic " + Base64.getEncoder()
                                            .encodeToString((identity + ":demo").getBytes(StandardCharsets.UTF_8)))
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("HTTP " + r.statusCode() + " " + head(r.body()));
            }
            return m.group(1);
        } catch (IOException | RuntimeException | InterruptedException e) {
            throw fail("cannot sign in as " + identity + " at " + server + "/oauth2/token: " + e);
        }
    }

    /** The Patient with the most DocumentReferences (the heavy record among the directory's few). */
    String largestRecord() {
        Map<String, Object> bundle = Json.object(call(SYSTEM, "GET", "Patient?_count=100&_elements=id", null, 200));
        String best = null;
        long most = -1;
        for (Object e : Json.list(bundle.get("entry"))) {
            String id = (String) Json.object(Json.object(e).get("resource")).get("id");
            long n = count("DocumentReference?patient=" + id + "&_summary=count");
            if (n > most) {
                most = n;
                best = id;
            }
        }
        if (best == null) throw fail("the server holds no Patient");
        return best;
    }

    long count(String path) {
        return ((Number) Json.object(call(SYSTEM, "GET", path, null, 200)).get("total")).longValue();
    }

    /** Searches answer 503 while the index is rebuilt (it is, at the first start on a store): wait, up to 15 min. */
    void waitForIndex(String patient) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (true) {
            HttpResponse<String> r = send(SYSTEM, "GET", "Patient/" + patient + "/$search?q=chute&count=1", null);
            if (r.statusCode() == 200) return;
            if (r.statusCode() != 503 || System.nanoTime() > deadline) {
                throw fail("GET Patient/" + patient + "/$search?q=chute: HTTP " + r.statusCode() + " " + head(r.body()));
            }
            System.err.println("index not ready: " + head(r.body()));
            Thread.sleep(5000);
        }
    }

    static String practitioner(String idNat) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"practitioner\",\"valueString\":\""
                + idNat + "\"}]}";
    }

    /**
     * Masks {@code n} documents that the single-term queries find (so the restricted view differs where it is
     * measured), drawn with the seed among each term's hits in turn.
     */
    List<String> mask(String patient, int n) {
        SplittableRandom random = new SplittableRandom(opt.seed());
        List<List<String>> candidates = new ArrayList<>();
        for (String term : SINGLE) {
            List<String> ids = new ArrayList<>();
            for (Object hit : Json.list(search(SYSTEM, patient, "q=" + enc(term) + "&count=50").get("hits"))) {
                String ref = (String) Json.object(hit).get("reference");
                if (ref.startsWith("DocumentReference/")) ids.add(ref.substring("DocumentReference/".length()));
            }
            candidates.add(ids);
        }
        Set<String> chosen = new LinkedHashSet<>();
        for (int round = 0; chosen.size() < n && candidates.stream().anyMatch(l -> !l.isEmpty()); round++) {
            List<String> ids = candidates.get(round % candidates.size());
            if (!ids.isEmpty()) chosen.add(ids.remove(random.nextInt(ids.size())));
        }
        for (String id : chosen) {
            call(SYSTEM, "POST", "DocumentReference/" + id + "/$mask", "{\"resourceType\":\"Parameters\"}", 200);
        }
        return List.copyOf(chosen);
    }

    /** The index applies a mask from the record's change event, shortly after the write: wait until it shows. */
    void waitForMasks(String patient, List<String> masked) throws InterruptedException {
        if (masked.isEmpty()) return;
        String query = "q=" + enc(String.join(" OR ", SINGLE)) + "&count=200&doublons=tous";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String body = call(RESTRICTED, "GET", "Patient/" + patient + "/$search?" + query, null, 200);
            if (masked.stream().noneMatch(id -> body.contains("DocumentReference/" + id + "\""))) return;
            if (System.nanoTime() > deadline) {
                problems.add("a masked document still appears in " + RESTRICTED + "'s search 60 s after $mask");
                return;
            }
            Thread.sleep(500);
        }
    }

    /** The query classes, with facet values and date bounds taken from the record itself. */
    List<QueryClass> classes(String patient) {
        List<String> faceted = new ArrayList<>();
        List<String> dated = new ArrayList<>();
        for (String term : SINGLE) {
            Map<String, Object> r = search(SYSTEM, patient, "q=" + enc(term) + "&count=1");
            Map<String, Object> facets = Json.object(r.get("facets"));
            String kind = top(facets.get("type"));
            String profession = top(facets.get("profession"));
            if (kind != null && profession != null) {
                faceted.add("q=" + enc(term) + "&type=" + enc(kind) + "&profession=" + enc(profession));
            }
            List<Object> years = Json.list(facets.get("annee"));
            if (!years.isEmpty()) {
                int last = Integer.parseInt((String) Json.object(years.getFirst()).get("value"));
                int first = Integer.parseInt((String) Json.object(years.getLast()).get("value"));
                int mid = (first + last) / 2;
                // the last year; two years in the middle; the last three years but their first and last half-year
                dated.add("q=" + enc(term) + "&depuis=" + LocalDate.of(last, 1, 1));
                dated.add("q=" + enc(term) + "&depuis=" + LocalDate.of(mid, 1, 1) + "&jusqua="
                        + LocalDate.of(mid + 1, 12, 31));
                dated.add("q=" + enc(term) + "&depuis=" + LocalDate.of(Math.max(first, last - 2), 7, 1) + "&jusqua="
                        + LocalDate.of(Math.max(first, last - 2) + Math.max(1, Math.min(2, last - first)), 6, 30));
            }
        }
        if (faceted.isEmpty() || dated.isEmpty()) {
            problems.add("the record gave no facet values or no dates for the single terms: faceted or dated class empty");
        }
        List<QueryClass> classes = new ArrayList<>();
        classes.add(new QueryClass("terme simple", 50, SINGLE.stream().map(t -> "q=" + enc(t)).toList()));
        classes.add(new QueryClass("expression", 50, PHRASES.stream().map(t -> "q=" + enc(t)).toList()));
        classes.add(new QueryClass(
                "abréviation (synonymes)", 50, ABBREVIATIONS.stream().map(t -> "q=" + enc(t)).toList()));
        classes.add(new QueryClass("liste de 8 termes", 150, List.of("liste=" + enc(LIST))));
        if (!faceted.isEmpty()) classes.add(new QueryClass("facettes type + profession", 50, faceted));
        if (!dated.isEmpty()) classes.add(new QueryClass("bornes de dates", 50, dated));
        classes.add(new QueryClass(
                "contextes=tous", 50, SINGLE.stream().map(t -> "q=" + enc(t) + "&contextes=tous").toList()));
        return classes;
    }

    static String top(Object facet) {
        List<Object> values = Json.list(facet);
        return values.isEmpty() ? null : (String) Json.object(values.getFirst()).get("value");
    }

    // ---- measurement ------------------------------------------------------------------------------------------

    Measured measure(String who, String patient, QueryClass c) throws InterruptedException {
        int n = c.queries().size();
        for (int i = 0; i < opt.warmup(); i++) {
            send(who, "GET", "Patient/" + patient + "/$search?" + c.queries().get(i % n), null);
        }
        double[] millis = new double[opt.queries()];
        long totals = 0;
        int counted = 0;
        int failed = 0;
        Pattern total = Pattern.compile("^\\{\"total\":(\\d+)");
        for (int i = 0; i < opt.queries(); i++) {
            String query = c.queries().get(i % n);
            long t0 = System.nanoTime();
            HttpResponse<String> r = send(who, "GET", "Patient/" + patient + "/$search?" + query, null);
            millis[i] = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                failed++;
                if (failed <= 3) {
                    problems.add(who + " GET Patient/" + patient + "/$search?" + query + " → HTTP " + r.statusCode()
                            + " " + head(r.body()));
                }
                continue;
            }
            Matcher m = total.matcher(r.body());
            if (m.find()) {
                totals += Long.parseLong(m.group(1));
                counted++;
            }
        }
        errors += failed;
        Arrays.sort(millis);
        return new Measured(who, c, millis, counted == 0 ? 0 : (double) totals / counted, failed);
    }

    Map<String, Object> search(String who, String patient, String query) {
        return Json.object(call(who, "GET", "Patient/" + patient + "/$search?" + query, null, 200));
    }

    long total(String who, String patient, String query) {
        return ((Number) search(who, patient, query).get("total")).longValue();
    }

    // ---- the server's heap and the machine -------------------------------------------------------------------

    record Heap(String how, long usedBytes, long committedBytes) {
        String shown() {
            return usedBytes < 0
                    ? how
                    : String.format(Locale.ROOT, "%.0f MB used, %.0f MB committed (%s)", usedBytes / 1e6,
                            committedBytes / 1e6, how);
        }
    }

    /** The server's heap after a full GC (jcmd GC.run, then GC.heap_info), or from the metrics without GC. */
    Heap heap() {
        if (opt.pid() > 0) {
            try {
                jcmd("GC.run");
                String info = jcmd("GC.heap_info");
                Matcher m = Pattern.compile("total (?:reserved \\d+K, )?committed (\\d+)K, used (\\d+)K")
                        .matcher(info);
                if (!m.find()) {
                    m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
                    if (!m.find()) throw new IOException("unexpected GC.heap_info: " + head(info));
                }
                return new Heap("after a full GC, jcmd", Long.parseLong(m.group(2)) * 1024, Long.parseLong(m.group(1)) * 1024);
            } catch (IOException | InterruptedException e) {
                problems.add("jcmd on pid " + opt.pid() + ": " + e.getMessage() + "; heap read from the metrics");
            }
        }
        try {
            String server = opt.url().replaceAll("/fhir$", "");
            tokens.computeIfAbsent("operateur", who -> signIn(server, who));
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(server + "/actuator/prometheus"))
                            .header("Authorization", "Bearer " + tokens.get("operateur"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return new Heap("/actuator/prometheus: HTTP " + r.statusCode(), -1, -1);
            double used = 0;
            double committed = 0;
            for (String line : r.body().split("\n")) {
                if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                    used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
                if (line.startsWith("jvm_memory_committed_bytes{") && line.contains("area=\"heap\"")) {
                    committed += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return new Heap("in use, no GC first, /actuator/prometheus", (long) used, (long) committed);
        } catch (IOException | InterruptedException e) {
            return new Heap("not measured: " + e.getMessage(), -1, -1);
        }
    }

    String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(opt.jcmd(), Long.toString(opt.pid()), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("jcmd " + command + " exited " + p.exitValue() + ": " + head(out));
        return out;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static long bytesOnDisk(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- the report -------------------------------------------------------------------------------------------

    void print(
            String patient,
            long documents,
            boolean named,
            List<String> masked,
            Map<String, Long> restriction,
            List<Measured> results,
            Map<String, String> loads,
            Heap before,
            Heap after,
            String loadBefore) {
        StringBuilder out = new StringBuilder("\n## Carnet search benchmark\n\n");
        out.append("| section | figure | value |\n|---|---|---|\n");
        if (opt.facts() != null && Files.exists(opt.facts())) {
            try {
                for (String line : Files.readAllLines(opt.facts())) {
                    String[] f = line.split("\t", 3);
                    if (f.length == 3) out.append("| ").append(f[0]).append(" | ").append(f[1]).append(" | ")
                            .append(f[2].replace("|", "\\|")).append(" |\n");
                }
            } catch (IOException e) {
                problems.add("cannot read " + opt.facts() + ": " + e.getMessage());
            }
        }
        out.append(String.format(Locale.ROOT, "| record | searched | Patient/%s, %,d DocumentReference |%n", patient, documents));
        out.append(String.format(
                "| access | %s | médecin traitant (%s) |%n", TRAITANT, named ? "named by the record" : "designated by " + SYSTEM));
        out.append(String.format(
                "| access | %s | authorised; %d documents masked (MASQUE_PS) |%n", RESTRICTED, masked.size()));
        out.append("| access | entries matching any single term | ");
        restriction.forEach((who, n) -> out.append(who).append(' ').append(n).append("; "));
        out.append("|\n");
        out.append("| heap | server, before the query load | ").append(before.shown()).append(" |\n");
        out.append("| heap | server, after the query load | ").append(after.shown()).append(" |\n");
        if (opt.indexDir() != null) {
            out.append(String.format(
                    Locale.ROOT, "| index | on disk at the end | %.1f MB (%s) |%n", bytesOnDisk(opt.indexDir()) / 1e6,
                    opt.indexDir()));
        }
        out.append("| load | load average before the queries | ").append(loadBefore).append(" |\n");
        loads.forEach((who, l) -> out.append("| load | while measuring ").append(who).append(" | ").append(l).append(" |\n"));
        if (opt.started() > 0) {
            out.append(String.format(
                    Locale.ROOT, "| run | total time | %.0f s |%n", System.currentTimeMillis() / 1e3 - opt.started()));
        }
        out.append(String.format(
                "%n%d timed queries per line after %d of warm-up, 1 client, HTTP/1.1 keep-alive; milliseconds, client side.%n%n",
                opt.queries(), opt.warmup()));
        out.append("| identity | query class | mean total | p50 | p95 | p99 | max | goal (p95) | errors |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---|---:|\n");
        for (Measured m : results) {
            double p95 = m.percentile(95);
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.0f | %.1f | %.1f | %.1f | %.1f | ≤ %.0f ms %s | %d |%n",
                    m.identity(),
                    m.queryClass().name(),
                    m.meanTotal(),
                    m.percentile(50),
                    p95,
                    m.percentile(99),
                    m.percentile(100),
                    m.queryClass().goalMs(),
                    p95 <= m.queryClass().goalMs() ? "met" : "**missed**",
                    m.errors()));
        }
        if (!problems.isEmpty()) {
            out.append("\nProblems:\n");
            problems.forEach(p -> out.append("- ").append(p).append('\n'));
        }
        System.out.print(out);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    HttpResponse<String> send(String who, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(opt.url() + "/" + path))
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + tokens.get(who))
                .header("Accept", "application/fhir+json, application/json");
        if (body != null) {
            b.header("Content-Type", "application/fhir+json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw fail(method + " " + path + " as " + who + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted");
        }
    }

    /** A set-up call that must succeed: anything else stops the run with the request and the answer. */
    String call(String who, String method, String path, String body, int expected) {
        HttpResponse<String> r = send(who, method, path, body);
        if (r.statusCode() != expected) {
            throw fail(method + " " + opt.url() + "/" + path + " as " + who + (body == null ? "" : " with " + body)
                    + " → HTTP " + r.statusCode() + ": " + head(r.body()));
        }
        return r.body();
    }

    static RuntimeException fail(String message) {
        System.err.println("error: " + message);
        System.exit(1);
        return new IllegalStateException(message);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String head(String s) {
        String t = s.replaceAll("\\s+", " ");
        return t.length() > 400 ? t.substring(0, 400) + "…" : t;
    }

    /** Just enough JSON reading for the answers this harness looks into: objects, arrays, strings, numbers. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        @SuppressWarnings("unchecked")
        static Map<String, Object> object(Object o) {
            if (o instanceof String text) o = new Json(text).value();
            return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }

        @SuppressWarnings("unchecked")
        static List<Object> list(Object o) {
            return o instanceof List<?> l ? (List<Object>) l : List.of();
        }

        private Object value() {
            skip();
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    i++;
                    skip();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        skip();
                        String key = string();
                        skip();
                        i++; // ':'
                        m.put(key, value());
                        skip();
                        if (s.charAt(i++) == '}') return m;
                    }
                }
                case '[' -> {
                    List<Object> l = new ArrayList<>();
                    i++;
                    skip();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        skip();
                        if (s.charAt(i++) == ']') return l;
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    int start = i;
                    while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) i++;
                    String word = s.substring(start, i);
                    return switch (word) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> Double.parseDouble(word);
                    };
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
