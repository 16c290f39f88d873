package org.carnet.synthetic;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Generates synthetic French health records: deterministic for a seed (the same options give byte-identical
 * files), streamed one patient at a time (memory does not grow with the number of patients).
 *
 * <p>Profiles: {@code demo} (a few dozen patients, loaded at the first start of the embedded default),
 * {@code bench} (10,000 patients by default) and {@code heavy} (one geriatric record of ≥ 10,000 documents over
 * 16 years, with ground-truth judgments for search evaluation).
 */
public final class SyntheticData {

    /** The scale profiles. */
    public enum Profile {
        DEMO,
        BENCH,
        HEAVY
    }

    /** Output formats. */
    public static final Set<String> FORMATS = Set.of("fhir", "cda", "hl7v2", "pdf", "csv");

    /** The reference "today" of every data set, so output does not depend on the day it is generated. */
    public static final LocalDate DEFAULT_TODAY = LocalDate.of(2026, 11, 1);

    /**
     * @param patients number of patients (ignored by {@code heavy}, which makes one)
     * @param formats subset of {@link #FORMATS}
     */
    public record Options(Profile profile, long seed, int patients, Set<String> formats, LocalDate today) {

        public Options {
            if (patients < 1) {
                throw new IllegalArgumentException("patients must be at least 1");
            }
            if (!FORMATS.containsAll(formats) || formats.isEmpty()) {
                throw new IllegalArgumentException("formats must be among "
                        + new TreeMap<>(Map.of("fhir", "", "cda", "", "hl7v2", "", "pdf", "", "csv", "")).keySet());
            }
            formats = Set.copyOf(formats);
        }

        String dataSet() {
            return profile.name().toLowerCase(java.util.Locale.ROOT) + "-" + seed;
        }
    }

    /** What a run produced. */
    public record Summary(int patients, long resources, long documents, long documentChars, long files) {

        /** Pages of text, counting 1,500 characters a page (the French "feuillet"). */
        public long pages() {
            return documentChars / 1500;
        }
    }

    private final Options options;
    private final FhirContext fhir = FhirContext.forR4Cached();
    private final Directory directory;
    private final FhirWriter fhirWriter;
    private final Pathways pathways;
    private @org.jspecify.annotations.Nullable String realism;

    public SyntheticData(Options options) {
        this.options = options;
        int directorySize = switch (options.profile()) {
            case DEMO -> 40;
            case HEAVY -> 60;
            // Fixed, so that a patient is the same whatever the number of patients generated.
            case BENCH -> 500;
        };
        SplittableRandom people = new SplittableRandom(options.seed());
        Directory professionals = Professionals.directory(directorySize, people);
        this.directory =
                options.profile() == Profile.HEAVY ? Professionals.withDietitian(professionals, people) : professionals;
        this.fhirWriter = new FhirWriter(options.dataSet());
        this.pathways = new Pathways(directory);
    }

    /** The professionals and organisations, as a transaction to load before the patients. */
    public Bundle directoryBundle() {
        return fhirWriter.directory(directory);
    }

    /** Patient {@code index}'s record as transactions (several for a heavy record). */
    public List<Bundle> patientBundles(int index) {
        return fhirWriter.record(record(index), directory, 500);
    }

    /**
     * The realism figures of the heavy record written by {@link #writeTo}: distinct sentences once digits are masked,
     * vocabulary, share of each document type. Empty for the other profiles, or before writing.
     */
    public Optional<String> realismReport() {
        return Optional.ofNullable(realism);
    }

    /** Writes the data set into {@code out}; {@code progress} receives the number of patients done. */
    public Summary writeTo(Path out, Consumer<Integer> progress) throws IOException {
        Files.createDirectories(out);
        IParser json = fhir.newJsonParser();
        long files = 0;
        long resources = 0;
        long documents = 0;
        long chars = 0;
        if (options.formats().contains("fhir")) {
            Bundle directoryBundle = directoryBundle();
            write(out.resolve("directory.json"), json.encodeResourceToString(directoryBundle));
            files++;
            resources += directoryBundle.getEntry().size();
        }
        int count = options.profile() == Profile.HEAVY ? 1 : options.patients();
        Writer csv = options.formats().contains("csv") ? writer(out.resolve("reimbursements.csv")) : null;
        if (csv != null) {
            csv.write(ReimbursementCsv.header());
            files++;
        }
        Writer registry = writer(out.resolve("insi-registry.csv"));
        InsiRegistryCsv.header(registry);
        files++;
        CdaWriter cda = new CdaWriter();
        Hl7v2Writer hl7 = new Hl7v2Writer();
        PdfWriter pdf = new PdfWriter();
        ReimbursementCsv reimbursements = new ReimbursementCsv(directory);
        for (int i = 0; i < count; i++) {
            Model.PatientRecord record = record(i);
            documents += record.documents().size();
            for (Model.Document document : record.documents()) {
                chars += document.text().length();
            }
            if (options.formats().contains("fhir")) {
                List<Bundle> bundles = fhirWriter.record(record, directory, 500);
                for (int b = 0; b < bundles.size(); b++) {
                    String name = bundles.size() == 1
                            ? record.key() + ".json"
                            : record.key() + "-" + String.format("%03d", b) + ".json";
                    write(dir(out, "fhir").resolve(name), json.encodeResourceToString(bundles.get(b)));
                    resources += bundles.get(b).getEntry().size();
                    files++;
                }
            }
            if (options.formats().contains("cda")) {
                for (Model.Document document : record.documents()) {
                    write(
                            dir(out, "cda").resolve(record.key() + "-" + suffix(document) + ".xml"),
                            cda.write(record, document, directory));
                    files++;
                }
            }
            if (options.formats().contains("pdf")) {
                for (Model.Document document : record.documents()) {
                    if (isLong(document.kind())) {
                        String name = record.key() + "-" + suffix(document) + ".pdf";
                        Files.write(dir(out, "pdf").resolve(name), pdf.write(record, document));
                        write(dir(out, "pdf").resolve(name + ".properties"), sidecar(record, document));
                        files++;
                    }
                }
            }
            if (options.formats().contains("hl7v2")) {
                files += writeLabMessages(out, record, hl7);
            }
            if (csv != null) {
                reimbursements.append(record, csv);
            }
            InsiRegistryCsv.append(record, registry);
            if (options.profile() == Profile.HEAVY) {
                realism = Realism.of(record.documents()).report();
                write(
                        out.resolve("judgments.json"),
                        Judgments.toJson(record.key(), fhirWriter.id("Patient", record.key()), Judgments.of(record)));
                files++;
            }
            progress.accept(i + 1);
        }
        if (csv != null) {
            csv.close();
        }
        registry.close();
        Summary summary = new Summary(count, resources, documents, chars, files + 1);
        write(out.resolve("manifest.json"), manifest(summary));
        return summary;
    }

    Model.PatientRecord record(int index) {
        // One random stream per patient, derived from the seed and the index: patient 7 is the same whether
        // 10 or 10,000 are generated, and patients can be generated in any order.
        SplittableRandom random = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + index + 1);
        String key = "p" + String.format("%06d", index + 1);
        String oid = options.profile() == Profile.DEMO ? FrenchPeople.INS_DEMO_OID : FrenchPeople.INS_TEST_OID;
        if (options.profile() == Profile.HEAVY) {
            Model.Identity identity = FrenchPeople.identity(
                    Model.Sex.FEMALE, LocalDate.of(1934, 5, 3).plusDays(random.nextInt(700)), oid, index, random);
            return new Chronicle(directory).record(key, identity, options.today(), random);
        }
        Model.Sex sex = random.nextBoolean() ? Model.Sex.FEMALE : Model.Sex.MALE;
        int age = ageDraw(random);
        LocalDate birth = options.today().minusYears(age).minusDays(random.nextInt(365));
        Model.Identity identity = FrenchPeople.identity(sex, birth, oid, index, random);
        return pathways.record(key, identity, options.today(), Pathways.Intensity.ORDINARY, List.of(), random);
    }

    /** Ages skewed towards the people who use a health record most: many over 60, some children. */
    private static int ageDraw(SplittableRandom random) {
        int band = random.nextInt(100);
        if (band < 12) {
            return random.nextInt(18);
        }
        if (band < 45) {
            return 18 + random.nextInt(42);
        }
        if (band < 80) {
            return 60 + random.nextInt(20);
        }
        return 80 + random.nextInt(16);
    }

    private long writeLabMessages(Path out, Model.PatientRecord record, Hl7v2Writer hl7) throws IOException {
        Map<java.time.LocalDateTime, List<Model.Measurement>> byTime = new LinkedHashMap<>();
        for (Model.Measurement m : record.measurements()) {
            if ("laboratory".equals(m.category())) {
                byTime.computeIfAbsent(m.at(), k -> new ArrayList<>()).add(m);
            }
        }
        Model.Organisation lab = directory.organisations().values().stream()
                .filter(o -> "lab".equals(o.kind()))
                .findFirst()
                .orElseThrow();
        long files = 0;
        int n = 0;
        for (List<Model.Measurement> results : byTime.values()) {
            String controlId = record.key() + "-" + n;
            write(
                    dir(out, "hl7v2").resolve(controlId + ".hl7"),
                    hl7.oru(
                            record,
                            results,
                            java.util.Objects.requireNonNull(
                                    directory.professional(record.treatingPhysicianKey()),
                                    "the treating physician is in the directory"),
                            lab,
                            controlId));
            files++;
            n++;
        }
        return files;
    }

    private String manifest(Summary summary) {
        return "{\n  \"generator\": \"carnet synthetic\",\n  \"profile\": \""
                + options.profile().name().toLowerCase(java.util.Locale.ROOT)
                + "\",\n  \"seed\": " + options.seed()
                + ",\n  \"today\": \"" + options.today()
                + "\",\n  \"formats\": \"" + String.join(",", new java.util.TreeSet<>(options.formats()))
                + "\",\n  \"patients\": " + summary.patients()
                + ",\n  \"resources\": " + summary.resources()
                + ",\n  \"documents\": " + summary.documents()
                + ",\n  \"documentCharacters\": " + summary.documentChars()
                + ",\n  \"pages\": " + summary.pages()
                + ",\n  \"insOid\": \""
                + (options.profile() == Profile.DEMO ? FrenchPeople.INS_DEMO_OID : FrenchPeople.INS_TEST_OID)
                + "\"\n}\n";
    }

    /**
     * What a PDF says about itself in a bulk import (the ingestion's sidecar format): the patient's INS and traits,
     * the document's type, title, date and author. Its unique id is left to the importer (the PDF's hash), as the
     * same document also exists as a CDA.
     */
    private String sidecar(Model.PatientRecord record, Model.Document document) {
        Model.Identity who = record.identity();
        StringBuilder text = new StringBuilder("# Carnet import sidecar of a synthetic PDF\n");
        if (who.nir() != null && who.insOid() != null) {
            text.append("ins=")
                    .append(who.nir())
                    .append("\nins-oid=")
                    .append(who.insOid())
                    .append('\n');
        }
        text.append("family=")
                .append(who.birthFamily())
                .append('\n')
                .append("given=")
                .append(who.birthGivens().get(0))
                .append('\n')
                .append("birthdate=")
                .append(who.birthDate())
                .append('\n')
                .append("sex=")
                .append(who.sex() == Model.Sex.FEMALE ? "F" : "M")
                .append('\n')
                .append("type=")
                .append(document.kind().loinc)
                .append('\n')
                .append("type-display=")
                .append(document.kind().label)
                .append('\n')
                .append("title=")
                .append(Optional.ofNullable(document.title()).orElse(document.kind().label))
                .append('\n')
                .append("date=")
                .append(document.date().toLocalDate())
                .append('\n')
                .append("author-idnat=")
                .append(java.util.Objects.requireNonNull(
                                directory.professional(document.authorKey()), "a document's author is in the directory")
                        .idNatPs())
                .append('\n');
        return text.toString();
    }

    private static boolean isLong(Model.DocKind kind) {
        return kind == Model.DocKind.CR_HOSPITALISATION
                || kind == Model.DocKind.SYNTHESE
                || kind == Model.DocKind.CR_OPERATOIRE
                || kind == Model.DocKind.CR_IMAGERIE;
    }

    private static String suffix(Model.Document document) {
        return document.uniqueId().substring(document.uniqueId().lastIndexOf('.') + 1);
    }

    private static Path dir(Path out, String name) throws IOException {
        Path dir = out.resolve(name);
        Files.createDirectories(dir);
        return dir;
    }

    private static BufferedWriter writer(Path file) throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
