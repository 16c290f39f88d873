import java.io.*;
import java.net.URI;
import java.net.http.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.*;
import java.time.format.DateTimeFormatter;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.function.*;
import java.util.regex.*;
import java.util.stream.Stream;

/**
 * Carnet FHIR R4 benchmark harness: ingest (transaction bundles), read by id, patient-scoped search and
 * Patient/$everything, against any FHIR R4 base URL. Self-contained (JDK only, Java 21):
 * {@code java bench/FhirBench.java --help}.
 */
public class FhirBench {

    static final String USAGE = """
            Usage: java bench/FhirBench.java [options]
              --url URL                   FHIR R4 base URL (default http://localhost:8080/fhir)
              --patients N                generated patients (default 100)
              --resources-per-patient R   mean resources per patient, Patient included (default 80)
              --concurrency C             concurrent HTTP workers (default 4)
              --seed S                    generator / sampling seed (default 42)
              --reads N                   timed reads by id (default 2000, plus 10% warm-up)
              --searches N                timed patient-scoped searches (default 2000, plus 10% warm-up)
              --everything-resources N    size of the large patient for $everything (default 10000, 0 = skip)
              --everything-page N         _count for $everything pages (default 1000)
              --everything-runs N         timed $everything runs after 1 warm-up (default 5)
              --synthea-dir DIR           POST the Synthea FHIR R4 bundles in DIR (or the output of
                                          `java -jar carnet.jar generate`) instead of generating
              --skip-load                 measure only; find data loaded earlier with the same --seed
              --dry-run DIR               write the generated bundles to DIR and exit (no server needed)
              --as ID                     sign in as this demo identity to load and discover (Carnet's demo
                                          provider, <server>/oauth2/token, secret "demo"; default: no token)
              --measure-as ID             sign in as this identity for the timed reads, searches and $everything
                                          (default: the --as identity)
              --grant IDNAT               before measuring, add this IdNat_PS to the care team of every
                                          patient found (Carnet's $add-care-team, untimed), so that a
                                          professional can be measured on the same data
              --compare URL2              run the whole sequence (same options, seed and data) against --url,
                                          then against URL2 (a second, empty server), and print one table:
                                          --url's value, URL2's value and their ratio for each metric.
                                          --as, --measure-as and --grant apply to --url only
              --compare-header 'N: V'     send this header with every request to URL2, e.g.
                                          'Authorization: Bearer ...' (repeatable; default: none)
              --help                      this text
            """;

    record Options(String url, int patients, int resourcesPerPatient, int concurrency, long seed, int reads,
                   int searches, int everythingResources, int everythingPage, int everythingRuns,
                   Path syntheaDir, Path dryRunDir, boolean skipLoad, String as, String measureAs, String grant,
                   String compare, List<Header> compareHeaders) {

        static final Set<String> VALUED = Set.of("--url", "--patients", "--resources-per-patient", "--concurrency",
                "--seed", "--reads", "--searches", "--everything-resources", "--everything-page",
                "--everything-runs", "--synthea-dir", "--dry-run", "--as", "--measure-as", "--grant", "--compare",
                "--compare-header");

        /** Returns null when --help was asked for. */
        static Options parse(String[] args) {
            Map<String, String> m = new LinkedHashMap<>();
            List<Header> compareHeaders = new ArrayList<>(); // the one repeatable option
            for (int i = 0; i < args.length; i++) {
                String a = args[i], key, value;
                int eq = a.indexOf('=');
                if (a.equals("--help") || a.equals("-h")) return null;
                if (a.equals("--skip-load")) {
                    m.put(a, "true");
                    continue;
                }
                if (eq > 0 && VALUED.contains(a.substring(0, eq))) {
                    key = a.substring(0, eq);
                    value = a.substring(eq + 1);
                } else if (!VALUED.contains(a)) throw new IllegalArgumentException("unknown option " + a);
                else if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + a);
                else {
                    key = a;
                    value = args[++i];
                }
                if (key.equals("--compare-header")) compareHeaders.add(Header.parse(value));
                else m.put(key, value);
            }
            String url = m.getOrDefault("--url", "http://localhost:8080/fhir").replaceAll("/+$", "");
            String compare = m.containsKey("--compare") ? m.get("--compare").replaceAll("/+$", "") : null;
            if (compare != null && compare.equals(url))
                throw new IllegalArgumentException("--compare must name another server than --url");
            if (compare != null && m.containsKey("--dry-run"))
                throw new IllegalArgumentException("--dry-run needs no server; it does not go with --compare");
            if (compare == null && !compareHeaders.isEmpty())
                throw new IllegalArgumentException("--compare-header goes with --compare");
            return new Options(url, num(m, "--patients", 100), num(m, "--resources-per-patient", 80),
                    Math.max(1, num(m, "--concurrency", 4)), Long.parseLong(m.getOrDefault("--seed", "42")),
                    num(m, "--reads", 2000), num(m, "--searches", 2000), num(m, "--everything-resources", 10000),
                    Math.max(1, num(m, "--everything-page", 1000)), Math.max(1, num(m, "--everything-runs", 5)),
                    m.containsKey("--synthea-dir") ? Path.of(m.get("--synthea-dir")) : null,
                    m.containsKey("--dry-run") ? Path.of(m.get("--dry-run")) : null, m.containsKey("--skip-load"),
                    m.get("--as"), m.getOrDefault("--measure-as", m.get("--as")), m.get("--grant"),
                    compare, List.copyOf(compareHeaders));
        }

        /** The same run against the --compare server: no Carnet sign-in there, its own headers instead. */
        Options forCompare() {
            return new Options(compare, patients, resourcesPerPatient, concurrency, seed, reads, searches,
                    everythingResources, everythingPage, everythingRuns, syntheaDir, dryRunDir, skipLoad, null, null,
                    null, null, List.of());
        }

        static int num(Map<String, String> m, String key, int dflt) {
            int v = Integer.parseInt(m.getOrDefault(key, String.valueOf(dflt)));
            if (v < 0) throw new IllegalArgumentException(key + " must be >= 0");
            return v;
        }
    }

    /** A header sent with every request to one server (--compare-header "Name: value"). */
    record Header(String name, String value) {
        static Header parse(String s) {
            int colon = s.indexOf(':');
            String name = colon < 0 ? "" : s.substring(0, colon).strip(), value = colon < 0 ? "" : s.substring(colon + 1).strip();
            if (name.isEmpty()) throw new IllegalArgumentException("--compare-header wants \"Name: value\", not \"" + s + "\"");
            try { // the JDK client refuses some names (Host, Connection, Content-Length, ...): say so now
                HttpRequest.newBuilder().header(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--compare-header " + name + ": " + e.getMessage());
            }
            return new Header(name, value);
        }
    }

    public static void main(String[] args) throws Exception {
        Options opt;
        try {
            opt = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n\n" + USAGE);
            System.exit(64);
            return;
        }
        if (opt == null) {
            System.out.print(USAGE);
            return;
        }
        System.exit(opt.compare() == null ? new FhirBench(opt, List.of()).run() : compare(opt));
    }

    // ------------------------------------------------------------------------------------------------ JSON writing

    /** Already-serialized JSON, embedded verbatim by {@link #obj} and {@link #arr}. */
    record Raw(String json) {}

    /** {@code obj("k1", v1, "k2", v2, ...)}; null values are omitted, so optional fields can be passed inline. */
    static Raw obj(Object... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) continue;
            if (sb.length() > 1) sb.append(',');
            quote(sb, (String) kv[i]).append(':');
            value(sb, kv[i + 1]);
        }
        return new Raw(sb.append('}').toString());
    }

    static Raw arr(Object... items) { return arr(Arrays.asList(items)); }

    static Raw arr(List<?> items) {
        StringBuilder sb = new StringBuilder("[");
        for (Object item : items) {
            if (sb.length() > 1) sb.append(',');
            value(sb, item);
        }
        return new Raw(sb.append(']').toString());
    }

    static void value(StringBuilder sb, Object v) {
        if (v instanceof Raw r) sb.append(r.json());
        else if (v instanceof String s) quote(sb, s);
        else if (v instanceof Number || v instanceof Boolean) sb.append(v);
        else throw new IllegalArgumentException("not a JSON value: " + v);
    }

    static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"');
    }

    static Raw coding(String system, String code, String display) {
        return obj("system", system, "code", code, "display", display);
    }

    static Raw concept(String system, String code, String display, String text) {
        return obj("coding", arr(coding(system, code, display)), "text", text);
    }

    static Raw ref(String reference) { return obj("reference", reference); }

    // ------------------------------------------------------------------------------------------- data generation

    static final String LOINC = "http://loinc.org", UCUM = "http://unitsofmeasure.org", SCT = "http://snomed.info/sct";
    static final String TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/";
    static final String BENCH_SYSTEM = "urn:carnet:bench", NIR_SYSTEM = "urn:oid:1.2.250.1.213.1.4.11";
    /** Fixed "now" of the generated data, so bundles are identical from run to run for a given seed. */
    static final Instant GENERATED = Instant.parse("2025-01-01T00:00:00Z");
    static final long TEN_YEARS_S = 3653L * 86_400;
    static final int BIG_CHUNK = 500;
    static final DateTimeFormatter NOTE_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy").withZone(ZoneOffset.UTC);

    record ObsType(String code, String display, String text, String category, String unit, String ucum,
                   double mean, double sd, int decimals) {}
    record Code(String code, String display) {}
    record Med(String atc, String name, String dosage) {}

    static final List<ObsType> OBS = List.of(
            new ObsType("29463-7", "Body weight", "Poids", "vital-signs", "kg", "kg", 74, 14, 1),
            new ObsType("8302-2", "Body height", "Taille", "vital-signs", "cm", "cm", 169, 9, 0),
            new ObsType("8480-6", "Systolic blood pressure", "Pression artérielle systolique", "vital-signs", "mmHg", "mm[Hg]", 132, 16, 0),
            new ObsType("8462-4", "Diastolic blood pressure", "Pression artérielle diastolique", "vital-signs", "mmHg", "mm[Hg]", 79, 9, 0),
            new ObsType("8867-4", "Heart rate", "Fréquence cardiaque", "vital-signs", "/min", "/min", 72, 11, 0),
            new ObsType("8310-5", "Body temperature", "Température", "vital-signs", "°C", "Cel", 36.8, 0.4, 1),
            new ObsType("2339-0", "Glucose [Mass/volume] in Blood", "Glycémie", "laboratory", "mg/dL", "mg/dL", 105, 25, 0),
            new ObsType("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "HbA1c", "laboratory", "%", "%", 6.6, 1.1, 1),
            new ObsType("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "Créatininémie", "laboratory", "mg/dL", "mg/dL", 1.0, 0.3, 2),
            new ObsType("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "Cholestérol total", "laboratory", "mg/dL", "mg/dL", 195, 35, 0),
            new ObsType("718-7", "Hemoglobin [Mass/volume] in Blood", "Hémoglobine", "laboratory", "g/dL", "g/dL", 13.8, 1.4, 1));
    static final List<Code> CONDITIONS = List.of(new Code("E11.9", "Diabète sucré de type 2, sans complication"),
            new Code("I10", "Hypertension essentielle (primitive)"), new Code("N18.3", "Maladie rénale chronique, stade 3"),
            new Code("I48.9", "Fibrillation et flutter auriculaires, sans précision"),
            new Code("J44.9", "Maladie pulmonaire obstructive chronique, sans précision"),
            new Code("E78.0", "Hypercholestérolémie essentielle"), new Code("F32.9", "Épisode dépressif, sans précision"));
    static final List<Med> MEDS = List.of(
            new Med("A10BA02", "Metformine 1000 mg", "1 comprimé matin et soir au cours des repas"),
            new Med("C09AA05", "Ramipril 5 mg", "1 comprimé le matin"),
            new Med("C10AA05", "Atorvastatine 20 mg", "1 comprimé le soir"),
            new Med("B01AF01", "Rivaroxaban 20 mg", "1 comprimé par jour au cours du repas du soir"),
            new Med("C07AB07", "Bisoprolol 2,5 mg", "1 comprimé le matin"),
            new Med("N02BE01", "Paracétamol 1 g", "1 comprimé jusqu'à 3 fois par jour si douleur, espacer de 6 heures"),
            new Med("R03AK06", "Salmétérol/Fluticasone 50/250 µg", "1 inhalation matin et soir, se rincer la bouche après"));
    static final List<Code> ALLERGIES = List.of(new Code("91936005", "Allergie à la pénicilline"),
            new Code("91935009", "Allergie à l'arachide"), new Code("300913006", "Allergie aux crustacés"),
            new Code("294505008", "Allergie aux AINS"));
    static final List<Code> VACCINES = List.of(new Code("141", "Vaccin grippe saisonnière"),
            new Code("115", "Vaccin diphtérie-tétanos-coqueluche (rappel)"), new Code("208", "Vaccin COVID-19 ARNm"),
            new Code("133", "Vaccin pneumococcique conjugué 13-valent"));
    static final List<Code> PROCEDURES = List.of(new Code("29303009", "Électrocardiogramme"),
            new Code("73761001", "Coloscopie"), new Code("399208008", "Radiographie du thorax"),
            new Code("80146002", "Appendicectomie"), new Code("40701008", "Échocardiographie"));
    static final List<Code> DOC_TYPES = List.of(new Code("11488-4", "Compte rendu de consultation"),
            new Code("18842-5", "Lettre de sortie d'hospitalisation"), new Code("11506-3", "Note d'évolution"));
    static final List<String> GIVEN_F = List.of("Marie", "Camille", "Léa", "Chloé", "Manon", "Inès", "Sophie",
            "Nathalie", "Isabelle", "Françoise", "Hélène", "Élodie", "Jeanne", "Océane", "Brigitte");
    static final List<String> GIVEN_M = List.of("Jean", "Pierre", "Lucas", "Hugo", "Louis", "Thomas", "Nicolas",
            "Philippe", "Michel", "Gérard", "François", "Mathieu", "Julien", "Théo", "Étienne");
    static final List<String> FAMILY = List.of("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard",
            "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David",
            "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefebvre", "Mercier");
    static final List<Code> CITIES = List.of(new Code("75011", "Paris"), new Code("69003", "Lyon"),
            new Code("13005", "Marseille"), new Code("31000", "Toulouse"), new Code("33000", "Bordeaux"),
            new Code("59000", "Lille"), new Code("44000", "Nantes"), new Code("67000", "Strasbourg"),
            new Code("35000", "Rennes"), new Code("34000", "Montpellier"));

    /** Deterministic generator for one bundle; all randomness (uuids included) comes from one seeded stream. */
    static final class Gen {
        final SplittableRandom r;

        Gen(long seed, long salt) { r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + salt); }

        <T> T pick(List<T> list) { return list.get(r.nextInt(list.size())); }

        String urn() {
            long hi = (r.nextLong() & ~0xF000L) | 0x4000L;                       // version 4
            long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
            return "urn:uuid:" + new UUID(hi, lo);
        }

        /** A minute-aligned instant within the ten years before {@link #GENERATED}. */
        Instant instant() { return GENERATED.minusSeconds(r.nextLong(TEN_YEARS_S) / 60 * 60); }

        double measure(ObsType t) {
            double f = Math.pow(10, t.decimals());
            return Math.round(Math.max(t.mean() / 4, t.mean() + t.sd() * r.nextGaussian()) * f) / f;
        }
    }

    static Raw entry(String fullUrl, Raw resource, String type) {
        return obj("fullUrl", fullUrl, "resource", resource, "request", obj("method", "POST", "url", type));
    }

    static String transaction(List<Raw> entries) {
        return obj("resourceType", "Bundle", "type", "transaction", "entry", arr(entries)).json();
    }

    static Raw patient(Gen g, String benchId) {
        boolean female = g.r.nextBoolean();
        LocalDate birth = LocalDate.of(1935 + g.r.nextInt(70), 1 + g.r.nextInt(12), 1 + g.r.nextInt(28));
        Code city = g.pick(CITIES);
        // NIR-shaped 15 digits: sex, yy, mm, department, commune, order, then the mod-97 key.
        String body13 = String.format("%d%02d%02d%s%03d%03d", female ? 2 : 1, birth.getYear() % 100,
                birth.getMonthValue(), city.code().substring(0, 2), 1 + g.r.nextInt(999), 1 + g.r.nextInt(999));
        String nir = body13 + String.format("%02d", 97 - Long.parseLong(body13) % 97);
        String given = g.pick(female ? GIVEN_F : GIVEN_M);
        String core = "https://hl7.fr/ig/fhir/core/";
        // A qualified identity as FR Core Patient INS has it (Carnet refuses an INS without its traits and provenance).
        Raw ins = obj("use", "official",
                "type", obj("coding", arr(obj("system", core + "CodeSystem/fr-core-cs-v2-0203", "code", "INS-NIR-DEMO"))),
                "system", NIR_SYSTEM, "value", nir);
        Raw birthPlace = obj("url", "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                "valueAddress", obj("extension", arr(obj(
                        "url", core + "StructureDefinition/fr-core-address-insee-code",
                        "valueCoding", obj("system", "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM",
                                "code", body13.substring(5, 10)))), "country", "FR"));
        Raw reliability = obj("url", core + "StructureDefinition/fr-core-identity-reliability", "extension", arr(
                obj("url", "identityStatus", "valueCoding", obj("system", core + "CodeSystem/fr-core-cs-v2-0445", "code", "VALI")),
                obj("url", "methodCollection", "valueCoding", obj("system", core + "CodeSystem/fr-core-cs-method-collection", "code", "INSI")),
                obj("url", "dateCollection", "valueDate", "2026-01-15"),
                obj("url", "validationMode", "valueCoding", obj("system", core + "CodeSystem/fr-core-cs-mode-validation-identity", "code", "CN")),
                obj("url", "validationDate", "valueDate", "2026-01-15")));
        return obj("resourceType", "Patient",
                "extension", arr(birthPlace, reliability),
                "identifier", arr(ins, obj("system", BENCH_SYSTEM, "value", benchId)),
                "name", arr(obj("use", "official", "family", g.pick(FAMILY), "given", arr(given), "extension", arr(obj(
                        "url", core + "StructureDefinition/fr-core-patient-birth-list-given-name", "valueString", given)))),
                "gender", female ? "female" : "male", "birthDate", birth.toString(),
                "address", arr(obj("city", city.display(), "postalCode", city.code(), "country", "FR")));
    }

    /** n clinical resources for one patient, referencing it by patientRef (urn:uuid or Patient/id). */
    static List<Raw> clinical(Gen g, String patientRef, int n) {
        List<Raw> out = new ArrayList<>();
        if (n <= 0) return out;
        int enc = Math.max(1, n * 6 / 100), cond = n * 4 / 100, med = n * 8 / 100, alg = n * 2 / 100;
        int imm = n * 6 / 100, proc = n * 6 / 100, doc = n * 5 / 100;
        int obs = n - enc - cond - med - alg - imm - proc - doc; // ~60% of the resources

        List<String> encounters = new ArrayList<>();
        for (int i = 0; i < enc; i++) {
            String id = g.urn();
            encounters.add(id);
            boolean inpatient = g.r.nextInt(5) == 0;
            Instant start = g.instant();
            Instant end = start.plusSeconds(inpatient ? 86_400L * (1 + g.r.nextInt(10)) : 60L * (15 + g.r.nextInt(45)));
            out.add(entry(id, obj("resourceType", "Encounter", "status", "finished",
                    "class", coding(TERMINOLOGY + "v3-ActCode", inpatient ? "IMP" : "AMB", inpatient ? "inpatient encounter" : "ambulatory"),
                    "subject", ref(patientRef), "period", obj("start", start.toString(), "end", end.toString())), "Encounter"));
        }
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < cond; i++) {
            Code c = g.pick(CONDITIONS);
            problems.add(c.display());
            out.add(entry(g.urn(), obj("resourceType", "Condition",
                    "clinicalStatus", concept(TERMINOLOGY + "condition-clinical", "active", "Active", null),
                    "verificationStatus", concept(TERMINOLOGY + "condition-ver-status", "confirmed", "Confirmed", null),
                    "category", arr(concept(TERMINOLOGY + "condition-category", "problem-list-item", "Problem List Item", null)),
                    "code", concept("http://hl7.org/fhir/sid/icd-10", c.code(), c.display(), c.display()),
                    "subject", ref(patientRef), "encounter", ref(g.pick(encounters)),
                    "onsetDateTime", g.instant().toString()), "Condition"));
        }
        for (int i = 0; i < obs; i++) {
            ObsType t = g.pick(OBS);
            Number value = t.decimals() == 0 ? (Number) Math.round(g.measure(t)) : (Number) g.measure(t);
            String category = t.category().equals("laboratory") ? "Laboratory" : "Vital Signs";
            out.add(entry(g.urn(), obj("resourceType", "Observation", "status", "final",
                    "category", arr(concept(TERMINOLOGY + "observation-category", t.category(), category, null)),
                    "code", concept(LOINC, t.code(), t.display(), t.text()),
                    "subject", ref(patientRef), "encounter", ref(g.pick(encounters)),
                    "effectiveDateTime", g.instant().toString(),
                    "valueQuantity", obj("value", value, "unit", t.unit(), "system", UCUM, "code", t.ucum())), "Observation"));
        }
        for (int i = 0; i < med; i++) {
            Med m = g.pick(MEDS);
            out.add(entry(g.urn(), obj("resourceType", "MedicationRequest", "status", "active", "intent", "order",
                    "medicationCodeableConcept", concept("http://www.whocc.no/atc", m.atc(), m.name(), m.name()),
                    "subject", ref(patientRef), "encounter", ref(g.pick(encounters)),
                    "authoredOn", g.instant().toString(), "dosageInstruction", arr(obj("text", m.dosage()))), "MedicationRequest"));
        }
        for (int i = 0; i < alg; i++) {
            Code a = g.pick(ALLERGIES);
            out.add(entry(g.urn(), obj("resourceType", "AllergyIntolerance",
                    "clinicalStatus", concept(TERMINOLOGY + "allergyintolerance-clinical", "active", "Active", null),
                    "verificationStatus", concept(TERMINOLOGY + "allergyintolerance-verification", "confirmed", "Confirmed", null),
                    "type", "allergy", "criticality", g.r.nextBoolean() ? "low" : "high",
                    "code", concept(SCT, a.code(), null, a.display()), "patient", ref(patientRef),
                    "recordedDate", g.instant().toString()), "AllergyIntolerance"));
        }
        for (int i = 0; i < imm; i++) {
            Code v = g.pick(VACCINES);
            out.add(entry(g.urn(), obj("resourceType", "Immunization", "status", "completed",
                    "vaccineCode", concept("http://hl7.org/fhir/sid/cvx", v.code(), null, v.display()),
                    "patient", ref(patientRef), "encounter", ref(g.pick(encounters)),
                    "occurrenceDateTime", g.instant().toString(), "primarySource", true,
                    "lotNumber", "LOT" + (100_000 + g.r.nextInt(900_000))), "Immunization"));
        }
        for (int i = 0; i < proc; i++) {
            Code p = g.pick(PROCEDURES);
            out.add(entry(g.urn(), obj("resourceType", "Procedure", "status", "completed",
                    "code", concept(SCT, p.code(), null, p.display()), "subject", ref(patientRef),
                    "encounter", ref(g.pick(encounters)), "performedDateTime", g.instant().toString()), "Procedure"));
        }
        for (int i = 0; i < doc; i++) {
            Code type = g.pick(DOC_TYPES);
            Instant date = g.instant();
            String note = String.format(Locale.FRANCE, "%s du %s.%nPatient(e) suivi(e) pour %s. TA %d/%d mmHg, poids %.1f kg. "
                            + "Examen clinique sans particularité. Poursuite du traitement habituel, bilan biologique dans 3 mois.",
                    type.display(), NOTE_DATE.format(date), problems.isEmpty() ? "un bilan de santé" : lowerFirst(g.pick(problems)),
                    110 + g.r.nextInt(50), 65 + g.r.nextInt(30), 50 + g.r.nextDouble() * 50);
            String data = Base64.getEncoder().encodeToString(note.getBytes(StandardCharsets.UTF_8));
            out.add(entry(g.urn(), obj("resourceType", "DocumentReference", "status", "current",
                    "type", concept(LOINC, type.code(), null, type.display()), "subject", ref(patientRef),
                    "date", date.toString(), "description", type.display(),
                    "content", arr(obj("attachment", obj("contentType", "text/plain", "language", "fr",
                            "data", data, "title", type.display()))),
                    "context", obj("encounter", arr(ref(g.pick(encounters))))), "DocumentReference"));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- harness state

    static final String FHIR_JSON = "application/fhir+json";
    static final Pattern LOCATION = Pattern.compile("\"location\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern FULL_URL = Pattern.compile("\"fullUrl\"\\s*:\\s*\"([^\"]+)\"");
    /** A link object holds no nested objects, so {...} around "relation":"next" is the whole link, in any key order. */
    static final Pattern NEXT_LINK = Pattern.compile("\\{[^{}]*\"relation\"\\s*:\\s*\"next\"[^{}]*}");
    static final Pattern URL_FIELD = Pattern.compile("\"url\"\\s*:\\s*\"([^\"]+)\"");
    static final int MAX_OBSERVATION_IDS = 50_000;

    final Options opt;
    final String runId;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
    });
    final AtomicInteger errors = new AtomicInteger();
    /** Sent with every request to this server, after the harness's own (the --compare server's --compare-header). */
    final List<Header> headers;

    FhirBench(Options opt, List<Header> headers) {
        this.opt = opt;
        this.headers = headers;
        this.runId = "s" + opt.seed(); // same seed -> same identifiers, which is what lets --skip-load find the data
    }

    /** Server ids collected from transaction responses or search results. */
    static final class Ids {
        final List<String> patients = Collections.synchronizedList(new ArrayList<>());
        final List<String> observations = Collections.synchronizedList(new ArrayList<>());

        /** Accepts "Observation/123/_history/1", "http://host/fhir/Observation/123" and the like. */
        void add(String location) {
            String s = location.replaceAll("/_history/.*$", "").replaceAll("[?#].*$", "");
            String[] parts = s.split("/");
            if (parts.length < 2) return;
            String type = parts[parts.length - 2], id = parts[parts.length - 1];
            if (type.equals("Patient")) patients.add(id);
            else if (type.equals("Observation") && observations.size() < MAX_OBSERVATION_IDS) observations.add(id);
        }

        void addAll(Pattern p, String body) {
            Matcher m = p.matcher(body);
            while (m.find()) add(m.group(1));
        }
    }

    static final class LoadStats {
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        final LongAdder resources = new LongAdder();
        final AtomicInteger bundles = new AtomicInteger(), failed = new AtomicInteger();
        long wallNanos;
    }

    /** Latencies sorted ascending, in nanoseconds, with the wall time of the timed phase. */
    record Latencies(long[] nanos, long wallNanos) {
        Latencies {
            nanos = nanos.clone();
            Arrays.sort(nanos);
        }

        double pctMs(double p) {
            if (nanos.length == 0) return Double.NaN;
            int rank = (int) Math.ceil(p / 100 * nanos.length) - 1; // nearest-rank percentile
            return nanos[Math.max(0, Math.min(nanos.length - 1, rank))] / 1e6;
        }

        double perSecond() { return nanos.length / (wallNanos / 1e9); }

        String summary() {
            return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f", pctMs(50), pctMs(95), pctMs(99), pctMs(100));
        }
    }

    record EverythingRun(long nanos, int entries, int pages) {}

    /** What one whole sequence against one server measured; null parts were not run. */
    record Result(LoadStats ingest, LoadStats big, Latencies reads, Latencies searches, List<EverythingRun> everything,
                  int errors) {}

    // ---------------------------------------------------------------------------------------------------- flow

    int run() throws Exception {
        if (opt.dryRunDir() != null) return dryRun();
        checkServer();
        Result result = measure();
        report(result);
        return result.errors() > 0 ? 2 : 0;
    }

    /** --compare: the same whole sequence against --url (A), then against the --compare server (B); one table. */
    static int compare(Options opt) throws Exception {
        FhirBench a = new FhirBench(opt, List.of()), b = new FhirBench(opt.forCompare(), opt.compareHeaders());
        a.checkServer();
        b.checkServer(); // both reachable before anything is loaded
        System.err.printf("=== A: %s ===%n", a.opt.url());
        Result ra = a.measure();
        System.err.printf("=== B: %s ===%n", b.opt.url());
        Result rb = b.measure();
        compareReport(a, ra, b, rb);
        return ra.errors() + rb.errors() > 0 ? 2 : 0;
    }

    /** The whole sequence against this server: sign in, load (or discover), grant, then the timed phases. */
    Result measure() throws Exception {
        token = opt.as() == null ? null : signIn(opt.as());
        Ids ids = new Ids();
        LoadStats ingest = null, big = null;
        String bigPid = null;
        if (!opt.skipLoad()) {
            ingest = new LoadStats();
            if (opt.syntheaDir() != null) loadSynthea(ids, ingest);
            else postAll("ingest", opt.patients(), opt.concurrency(), i -> body(patientBundle(i)), ids, ingest);
            if (opt.everythingResources() > 0) {
                big = new LoadStats();
                bigPid = loadBigPatient(big);
            }
        } else {
            discover(ids);
            if (opt.everythingResources() > 0) {
                bigPid = findPatients(runId + "-big").stream().findFirst().orElse(null);
                if (bigPid == null) System.err.println("warning: no big patient (" + runId + "-big) found; skipping $everything");
            }
        }
        Collections.sort(ids.patients); // arrival order varies with concurrency; sorting keeps sampling seed-stable
        Collections.sort(ids.observations);
        System.err.printf("ids: %d patients, %d observations sampled%n", ids.patients.size(), ids.observations.size());
        if (opt.grant() != null) grant(ids, bigPid);
        token = opt.measureAs() == null ? null : signIn(opt.measureAs());
        if (opt.measureAs() != null) System.err.printf("measuring as %s%n", opt.measureAs());
        Latencies reads = measureReads(ids), searches = measureSearches(ids);
        List<EverythingRun> everything = bigPid == null ? null : measureEverything(bigPid);
        return new Result(ingest, big, reads, searches, everything, errors.get() + failed(ingest) + failed(big));
    }

    /** The bearer token sent with every request (loading identity first, then the measured one). */
    volatile String token;

    /** A token of a Carnet demo identity (client credentials against the demo provider). */
    String signIn(String identity) {
        String server = opt.url().replaceAll("/fhir$", "");
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server + "/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((identity + ":demo").getBytes()))
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
            if (r.statusCode() != 200 || !m.find()) throw new IllegalStateException("HTTP " + r.statusCode() + " " + head(r.body()));
            return m.group(1);
        } catch (IOException | RuntimeException e) {
            System.err.println("error: cannot sign in as " + identity + ": " + e);
            System.exit(1);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Untimed: opens every found patient's record to a professional (care team), as the loading identity. */
    void grant(Ids ids, String bigPid) throws InterruptedException {
        List<String> all = new ArrayList<>(ids.patients);
        if (bigPid != null) all.add(bigPid);
        String body = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"practitioner\",\"valueString\":\""
                + opt.grant() + "\"}]}";
        parallel(all.size(), opt.concurrency(), i -> {
            try {
                HttpRequest req = authorize(HttpRequest.newBuilder(uri(opt.url() + "/Patient/" + all.get(i) + "/$add-care-team"))
                        .header("Content-Type", FHIR_JSON).POST(body(body))).build();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) error("$add-care-team", "HTTP " + r.statusCode() + " " + head(r.body()));
            } catch (IOException e) {
                error("$add-care-team", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.err.printf("granted %s care-team access to %d records%n", opt.grant(), all.size());
    }

    void checkServer() {
        try {
            HttpResponse<Void> r = http.send(get(opt.url() + "/metadata"), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) System.err.println("warning: GET /metadata returned HTTP " + r.statusCode());
        } catch (IOException | InterruptedException e) {
            System.err.println("error: cannot reach FHIR server at " + opt.url() + ": " + e);
            System.exit(1);
        }
    }

    int dryRun() throws IOException {
        Files.createDirectories(opt.dryRunDir());
        for (int i = 0; i < opt.patients(); i++)
            Files.writeString(opt.dryRunDir().resolve(String.format("patient-%05d.json", i)), patientBundle(i));
        int chunks = bigChunkCount();
        for (int k = 0; k < chunks; k++)
            Files.writeString(opt.dryRunDir().resolve(String.format("big-%03d.json", k)), bigChunk(k, "Patient/BIG-PATIENT-ID"));
        System.err.printf("wrote %d patient bundles and %d big-patient bundles to %s%n", opt.patients(), chunks, opt.dryRunDir());
        return 0;
    }

    String patientBundle(int index) {
        Gen g = new Gen(opt.seed(), index);
        int size = Math.max(1, (int) Math.round(opt.resourcesPerPatient() * (0.75 + 0.5 * g.r.nextDouble())));
        String pid = g.urn();
        List<Raw> entries = new ArrayList<>();
        entries.add(entry(pid, patient(g, runId + "-" + index), "Patient"));
        entries.addAll(clinical(g, pid, size - 1));
        return transaction(entries);
    }

    int bigChunkCount() {
        int n = opt.everythingResources();
        return n <= 0 ? 0 : 1 + (Math.max(0, n - BIG_CHUNK) + BIG_CHUNK - 1) / BIG_CHUNK;
    }

    /** Chunk 0 creates the big Patient plus 499 resources; later chunks reference it by its server id. */
    String bigChunk(int k, String patientRef) {
        Gen g = new Gen(opt.seed() ^ 0xB16L, k);
        int total = opt.everythingResources();
        if (k == 0) {
            String pid = g.urn();
            List<Raw> entries = new ArrayList<>();
            entries.add(entry(pid, patient(g, runId + "-big"), "Patient"));
            entries.addAll(clinical(g, pid, Math.min(total, BIG_CHUNK) - 1));
            return transaction(entries);
        }
        return transaction(clinical(g, patientRef, Math.min(BIG_CHUNK, total - k * BIG_CHUNK)));
    }

    // ---------------------------------------------------------------------------------------------------- load

    void loadSynthea(Ids ids, LoadStats st) throws Exception {
        List<Path> files;
        // A Carnet `generate` output directory holds directory.json and fhir/*.json; Synthea's holds *.json.
        Path carnetBundles = opt.syntheaDir().resolve("fhir");
        boolean carnet = Files.isRegularFile(opt.syntheaDir().resolve("directory.json")) && Files.isDirectory(carnetBundles);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(carnet ? carnetBundles : opt.syntheaDir())) {
            s.filter(p -> p.toString().endsWith(".json")).forEach(found::add);
        }
        if (carnet) found.add(opt.syntheaDir().resolve("directory.json"));
        files = found.stream().sorted().toList();
        // Patient bundles reference organizations and practitioners, so those go first, serially; so does the
        // first bundle of a record split in several (it holds the Patient the others refer to).
        List<Path> shared = files.stream().filter(p -> {
            String name = p.getFileName().toString();
            return name.startsWith("hospitalInformation") || name.startsWith("practitionerInformation")
                    || name.equals("directory.json") || name.endsWith("-000.json");
        }).sorted((a, b) -> a.getFileName().toString().equals("directory.json") ? -1
                : b.getFileName().toString().equals("directory.json") ? 1 : a.compareTo(b)).toList();
        List<Path> patients = files.stream().filter(p -> !shared.contains(p)).toList();
        System.err.printf("synthea: %d shared bundles, %d patient bundles in %s%n", shared.size(), patients.size(), opt.syntheaDir());
        postAll("synthea-shared", shared.size(), 1, i -> fileBody(shared.get(i)), ids, st);
        postAll("synthea", patients.size(), opt.concurrency(), i -> fileBody(patients.get(i)), ids, st);
    }

    String loadBigPatient(LoadStats st) throws InterruptedException {
        Ids big = new Ids();
        postAll("big-patient", 1, 1, i -> body(bigChunk(0, null)), big, st);
        if (big.patients.isEmpty()) {
            System.err.println("warning: big patient was not created; skipping $everything");
            return null;
        }
        String pid = big.patients.get(0);
        postAll("big-patient", bigChunkCount() - 1, opt.concurrency(), i -> body(bigChunk(i + 1, "Patient/" + pid)), big, st);
        return pid;
    }

    static HttpRequest.BodyPublisher body(String json) { return HttpRequest.BodyPublishers.ofString(json); }

    static HttpRequest.BodyPublisher fileBody(Path p) {
        try {
            return HttpRequest.BodyPublishers.ofFile(p);
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** POSTs count bundles with the given concurrency; bundles are built lazily by the workers to bound memory. */
    void postAll(String label, int count, int concurrency, IntFunction<HttpRequest.BodyPublisher> bodies, Ids ids,
                 LoadStats st) throws InterruptedException {
        if (count <= 0) return;
        long t0 = System.nanoTime(), r0 = st.resources.sum();
        AtomicInteger done = new AtomicInteger();
        ScheduledFuture<?> progress = ticker.scheduleAtFixedRate(() -> System.err.printf(Locale.ROOT,
                "[%s] %d/%d bundles, %d resources, %.0f res/s%n", label, done.get(), count, st.resources.sum() - r0,
                (st.resources.sum() - r0) / ((System.nanoTime() - t0) / 1e9)), 3, 3, TimeUnit.SECONDS);
        try {
            parallel(count, concurrency, i -> {
                postBundle(label + " #" + i, () -> bodies.apply(i), ids, st);
                done.incrementAndGet();
            });
        } finally {
            progress.cancel(false);
        }
        st.wallNanos += System.nanoTime() - t0;
        System.err.printf(Locale.ROOT, "[%s] done: %d bundles, %d resources in %.2f s%n", label, count,
                st.resources.sum() - r0, (System.nanoTime() - t0) / 1e9);
    }

    /** The body is built inside the try, so a bad bundle or unreadable file counts as one failure. */
    void postBundle(String what, Supplier<HttpRequest.BodyPublisher> body, Ids ids, LoadStats st) {
        st.bundles.incrementAndGet();
        try {
            HttpRequest req = authorize(HttpRequest.newBuilder(URI.create(opt.url())).timeout(Duration.ofMinutes(10))
                    .header("Content-Type", FHIR_JSON).header("Accept", FHIR_JSON)).POST(body.get()).build();
            long t0 = System.nanoTime();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            st.latencies.add(System.nanoTime() - t0);
            if (resp.statusCode() != 200) {
                st.failed.incrementAndGet();
                System.err.printf("%s failed: HTTP %d %s%n", what, resp.statusCode(), head(resp.body()));
                return;
            }
            Matcher m = LOCATION.matcher(resp.body());
            int n = 0;
            for (; m.find(); n++) ids.add(m.group(1));
            st.resources.add(n);
        } catch (IOException | RuntimeException e) {
            st.failed.incrementAndGet();
            System.err.printf("%s failed: %s%n", what, e);
        } catch (InterruptedException e) {
            st.failed.incrementAndGet();
            Thread.currentThread().interrupt();
        }
    }

    /** With --skip-load: find the patients of an earlier load with this seed by their bench identifier. */
    void discover(Ids ids) throws InterruptedException {
        parallel(opt.patients(), opt.concurrency(), i -> ids.patients.addAll(findPatients(runId + "-" + i)));
        if (ids.patients.isEmpty()) { // e.g. Synthea data: take whatever patients the server has
            fetch("Patient?_count=" + Math.max(1, Math.min(opt.patients(), 1000))).ifPresent(b -> ids.addAll(FULL_URL, b));
        }
        List<String> some = List.copyOf(ids.patients.subList(0, Math.min(20, ids.patients.size())));
        parallel(some.size(), opt.concurrency(),
                i -> fetch("Observation?patient=" + some.get(i) + "&_count=200").ifPresent(b -> ids.addAll(FULL_URL, b)));
    }

    List<String> findPatients(String benchId) {
        Ids found = new Ids();
        fetch("Patient?identifier=" + BENCH_SYSTEM + "%7C" + benchId).ifPresent(b -> found.addAll(FULL_URL, b));
        return found.patients;
    }

    /** Untimed GET of a path relative to the base URL, for discovery. */
    Optional<String> fetch(String path) {
        try {
            HttpResponse<String> r = http.send(get(opt.url() + "/" + path), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) return Optional.of(r.body());
            System.err.printf("GET %s: HTTP %d %s%n", path, r.statusCode(), head(r.body()));
        } catch (IOException e) {
            System.err.printf("GET %s: %s%n", path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------------------------------------ measure

    Latencies measureReads(Ids ids) throws InterruptedException {
        if (opt.reads() == 0 || (ids.patients.isEmpty() && ids.observations.isEmpty())) return null;
        SplittableRandom r = new SplittableRandom(opt.seed() ^ 0x5EADL);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < opt.reads() + opt.reads() / 10; i++) {
            boolean obs = !ids.observations.isEmpty() && (ids.patients.isEmpty() || r.nextInt(5) != 0); // 80/20 mix
            List<String> from = obs ? ids.observations : ids.patients;
            urls.add(opt.url() + (obs ? "/Observation/" : "/Patient/") + from.get(r.nextInt(from.size())));
        }
        return timed("read", urls, opt.reads() / 10);
    }

    Latencies measureSearches(Ids ids) throws InterruptedException {
        if (opt.searches() == 0 || ids.patients.isEmpty()) return null;
        SplittableRandom r = new SplittableRandom(opt.seed() ^ 0x5EA4C4L);
        LocalDate newest = LocalDate.ofInstant(GENERATED, ZoneOffset.UTC);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < opt.searches() + opt.searches() / 10; i++) {
            urls.add(opt.url() + "/Observation?patient=" + ids.patients.get(r.nextInt(ids.patients.size()))
                    + "&code=" + LOINC + "%7C" + OBS.get(r.nextInt(OBS.size())).code()
                    + "&date=ge" + newest.minusDays(r.nextInt(3653)));
        }
        return timed("search", urls, opt.searches() / 10);
    }

    /** Runs the first `warmup` GETs untimed, then times the rest; the whole body is consumed each time. */
    Latencies timed(String label, List<String> urls, int warmup) throws InterruptedException {
        System.err.printf("[%s] %d warm-up + %d timed requests, concurrency %d%n", label, warmup, urls.size() - warmup, opt.concurrency());
        parallel(warmup, opt.concurrency(), i -> timedGet(urls.get(i)));
        long[] nanos = new long[urls.size() - warmup];
        long t0 = System.nanoTime();
        parallel(nanos.length, opt.concurrency(), i -> nanos[i] = timedGet(urls.get(warmup + i)));
        return new Latencies(nanos, System.nanoTime() - t0);
    }

    long timedGet(String url) {
        long t0 = System.nanoTime();
        try {
            HttpResponse<Void> r = http.send(get(url), HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) error(url, "HTTP " + r.statusCode());
        } catch (IOException e) {
            error(url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return System.nanoTime() - t0;
    }

    /** Successful timed runs only; a failed run is counted in errors and left out of the timings. */
    List<EverythingRun> measureEverything(String pid) {
        String first = opt.url() + "/Patient/" + pid + "/$everything?_count=" + opt.everythingPage();
        System.err.printf("[$everything] Patient/%s: 1 warm-up + %d timed runs%n", pid, opt.everythingRuns());
        List<EverythingRun> runs = new ArrayList<>();
        for (int i = 0; i <= opt.everythingRuns(); i++) {
            EverythingRun run = everything(first);
            if (run != null && i > 0) runs.add(run);
        }
        return runs;
    }

    /** Fetches every page, following "next" links exactly as the server wrote them (hosts may be rewritten). */
    EverythingRun everything(String url) {
        long t0 = System.nanoTime();
        int entries = 0, pages = 0;
        Set<String> seen = new HashSet<>();
        try {
            while (url != null && seen.add(url)) {
                HttpResponse<String> r = http.send(get(url), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    error(url, "HTTP " + r.statusCode() + " " + head(r.body()));
                    return null;
                }
                pages++;
                entries += occurrences(r.body(), "\"fullUrl\"");
                url = nextLink(r.body());
            }
        } catch (IOException | IllegalArgumentException e) {
            error(url, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return new EverythingRun(System.nanoTime() - t0, entries, pages);
    }

    String nextLink(String bundle) {
        Matcher link = NEXT_LINK.matcher(bundle);
        if (!link.find()) return null;
        Matcher u = URL_FIELD.matcher(link.group());
        if (!u.find()) return null;
        String next = u.group(1).replace("\\/", "/").replace("\\u0026", "&");
        return URI.create(opt.url() + "/").resolve(uri(next)).toString(); // tolerate relative links
    }

    // ---------------------------------------------------------------------------------------------------- report

    void report(Result result) {
        LoadStats ingest = result.ingest(), big = result.big();
        Latencies reads = result.reads(), searches = result.searches();
        List<EverythingRun> everything = result.everything();
        Map<String, String> rows = new LinkedHashMap<>();
        if (ingest != null) {
            long[] lat = ingest.latencies.stream().mapToLong(Long::longValue).toArray();
            Latencies bundles = new Latencies(lat, ingest.wallNanos);
            double wall = ingest.wallNanos / 1e9;
            rows.put("ingest bundles (failed)", ingest.bundles.get() + " (" + ingest.failed.get() + ")");
            rows.put("ingest resources", String.valueOf(ingest.resources.sum()));
            rows.put("ingest wall time (s)", fmt("%.2f", wall));
            rows.put("ingest resources/s", fmt("%.0f", ingest.resources.sum() / wall));
            rows.put("bundle latency p50/p99 (ms)", fmt("%.1f / %.1f", bundles.pctMs(50), bundles.pctMs(99)));
        }
        if (big != null && big.wallNanos > 0) {
            rows.put("big patient load (s)", fmt("%.2f  (%d res, %.0f res/s, failed bundles %d)", big.wallNanos / 1e9,
                    big.resources.sum(), big.resources.sum() / (big.wallNanos / 1e9), big.failed.get()));
        }
        if (reads != null) {
            rows.put("read p50/p95/p99/max (ms)", reads.summary());
            rows.put("read req/s", fmt("%.0f", reads.perSecond()));
        }
        if (searches != null) {
            rows.put("search p50/p95/p99/max (ms)", searches.summary());
            rows.put("search req/s", fmt("%.0f", searches.perSecond()));
        }
        String everythingRow = "$everything " + opt.everythingResources() + " res (s) min/median";
        if (everything != null && everything.isEmpty()) rows.put(everythingRow, "all runs failed (see stderr)");
        if (everything != null && !everything.isEmpty()) {
            long[] t = everything.stream().mapToLong(EverythingRun::nanos).sorted().toArray();
            EverythingRun last = everything.get(everything.size() - 1);
            rows.put(everythingRow, fmt("%.2f / %.2f  (entries=%d, pages=%d, runs=%d)", t[0] / 1e9, t[t.length / 2] / 1e9,
                            last.entries(), last.pages(), t.length));
        }
        rows.put("errors (non-200 + failed bundles)", String.valueOf(result.errors()));

        out.printf("Carnet bench — url=%s %s concurrency=%d seed=%d%s%n", opt.url(), source(), opt.concurrency(),
                opt.seed(), opt.skipLoad() ? " (skip-load)" : "");
        out.println(client());
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(6) + 3;
        out.printf("%-" + width + "s%s%n", "metric", "value");
        rows.forEach((k, v) -> out.printf("%-" + width + "s%s%n", k, v));
    }

    String source() {
        return opt.syntheaDir() != null ? "synthea=" + opt.syntheaDir()
                : "patients=" + opt.patients() + " res/patient≈" + opt.resourcesPerPatient();
    }

    static String client() {
        Runtime rt = Runtime.getRuntime();
        return fmt("client: Java %s (%s), %s %s %s, %d cores, max heap %d MB", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), rt.availableProcessors(), rt.maxMemory() >> 20);
    }

    /** One numeric row of the comparison: better is +1 (higher is better), -1 (lower) or 0 (a count, no verdict). */
    record Metric(double value, String format, int better) {
        String shown() { return Double.isNaN(value) ? "–" : fmt(format, value); }
    }

    /** The numbers of one run, one per row, each percentile on its own row. */
    static Map<String, Metric> metrics(Result r) {
        Map<String, Metric> m = new LinkedHashMap<>();
        if (r.ingest() != null) {
            LoadStats in = r.ingest();
            Latencies bundles = new Latencies(in.latencies.stream().mapToLong(Long::longValue).toArray(), in.wallNanos);
            double wall = in.wallNanos / 1e9;
            m.put("ingest bundles", new Metric(in.bundles.get(), "%.0f", 0));
            m.put("ingest resources", new Metric(in.resources.sum(), "%.0f", 0));
            m.put("ingest wall time (s)", new Metric(wall, "%.2f", -1));
            m.put("ingest resources/s", new Metric(in.resources.sum() / wall, "%.0f", 1));
            m.put("bundle latency p50 (ms)", new Metric(bundles.pctMs(50), "%.1f", -1));
            m.put("bundle latency p99 (ms)", new Metric(bundles.pctMs(99), "%.1f", -1));
        }
        if (r.big() != null && r.big().wallNanos > 0) {
            double wall = r.big().wallNanos / 1e9;
            m.put("big patient resources", new Metric(r.big().resources.sum(), "%.0f", 0));
            m.put("big patient load (s)", new Metric(wall, "%.2f", -1));
            m.put("big patient resources/s", new Metric(r.big().resources.sum() / wall, "%.0f", 1));
        }
        latencyMetrics(m, "read", r.reads());
        latencyMetrics(m, "search", r.searches());
        if (r.everything() != null) {
            List<EverythingRun> runs = r.everything();
            long[] t = runs.stream().mapToLong(EverythingRun::nanos).sorted().toArray();
            EverythingRun last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            m.put("$everything min (ms)", new Metric(t.length == 0 ? Double.NaN : t[0] / 1e6, "%.0f", -1));
            m.put("$everything median (ms)", new Metric(t.length == 0 ? Double.NaN : t[t.length / 2] / 1e6, "%.0f", -1));
            m.put("$everything entries", new Metric(last == null ? Double.NaN : last.entries(), "%.0f", 0));
            m.put("$everything pages", new Metric(last == null ? Double.NaN : last.pages(), "%.0f", 0));
            m.put("$everything timed runs", new Metric(t.length, "%.0f", 0));
        }
        m.put("errors (non-200 + failed bundles)", new Metric(r.errors(), "%.0f", -1));
        return m;
    }

    static void latencyMetrics(Map<String, Metric> m, String label, Latencies l) {
        if (l == null) return;
        for (int p : new int[] {50, 95, 99}) m.put(label + " p" + p + " (ms)", new Metric(l.pctMs(p), "%.1f", -1));
        m.put(label + " max (ms)", new Metric(l.pctMs(100), "%.1f", -1));
        m.put(label + " req/s", new Metric(l.perSecond(), "%.0f", 1));
    }

    /** One table: A's value, B's value, A/B, and who is ahead ("even" when the values or the ratio shown are equal). */
    static void compareReport(FhirBench a, Result ra, FhirBench b, Result rb) {
        Map<String, Metric> ma = metrics(ra), mb = metrics(rb);
        Set<String> names = new LinkedHashSet<>(ma.keySet());
        names.addAll(mb.keySet()); // a part that ran for only one server (e.g. no big patient found) still shows
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"metric", "A", "B", "A/B", "who is ahead"});
        Metric none = new Metric(Double.NaN, "%.0f", 0);
        for (String name : names) {
            Metric x = ma.getOrDefault(name, none), y = mb.getOrDefault(name, none);
            int better = ma.containsKey(name) ? x.better() : y.better();
            double ratio = x.value() / y.value();
            String shownRatio = Double.isNaN(ratio) || Double.isInfinite(ratio) ? "–" : fmt("%.2f×", ratio), verdict = "";
            if (better != 0) {
                String ahead = Double.isNaN(x.value()) || Double.isNaN(y.value()) ? "–"
                        : x.shown().equals(y.shown()) || shownRatio.equals("1.00×") ? "even"
                        : (x.value() > y.value()) == (better > 0) ? "A ahead" : "B ahead";
                verdict = (better > 0 ? "higher" : "lower") + " is better: " + ahead;
            }
            rows.add(new String[] {name, x.shown(), y.shown(), shownRatio, verdict});
        }
        int[] w = new int[5];
        for (String[] row : rows) for (int i = 0; i < 5; i++) w[i] = Math.max(w[i], row[i].length());

        Options opt = a.opt;
        a.out.printf("Carnet bench — compare A=%s with B=%s %s concurrency=%d seed=%d%s%n", opt.url(), b.opt.url(),
                a.source(), opt.concurrency(), opt.seed(), opt.skipLoad() ? " (skip-load)" : "");
        String signIn = opt.as() == null ? "no sign-in" : "signed in as " + opt.as()
                + (Objects.equals(opt.measureAs(), opt.as()) ? "" : ", measured as " + opt.measureAs())
                + (opt.grant() == null ? "" : ", --grant " + opt.grant());
        a.out.printf("A: %s; B: %s%n", signIn, b.headers.isEmpty() ? "no extra headers"
                : "headers " + String.join(", ", b.headers.stream().map(Header::name).toList()));
        a.out.println(client());
        for (String[] row : rows) {
            a.out.println(fmt("%-" + (w[0] + 3) + "s%" + w[1] + "s | %" + w[2] + "s | %" + w[3] + "s   %s",
                    (Object[]) row).stripTrailing());
        }
        if (ra.errors() + rb.errors() > 0) {
            a.out.printf("note: %s had errors (see stderr); failed requests are timed too, so the rows above do not "
                    + "compare like for like%n", ra.errors() == 0 ? "B" : rb.errors() == 0 ? "A" : "A and B");
        }
    }

    // ----------------------------------------------------------------------------------------------- utilities

    static int failed(LoadStats st) { return st == null ? 0 : st.failed.get(); }

    /** Runs task(0..count-1) on `threads` platform threads pulling indexes from a shared counter. */
    static void parallel(int count, int threads, IntConsumer task) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < Math.min(threads, count); t++) {
            workers.add(Thread.ofPlatform().name("worker-" + t).start(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) task.accept(i);
            }));
        }
        for (Thread w : workers) w.join();
    }

    HttpRequest get(String url) {
        return authorize(HttpRequest.newBuilder(uri(url)).timeout(Duration.ofMinutes(5)).header("Accept", FHIR_JSON)).GET().build();
    }

    /** Adds the signed-in identity's token, then this server's own headers (which win over the harness's). */
    HttpRequest.Builder authorize(HttpRequest.Builder req) {
        if (token != null) req.header("Authorization", "Bearer " + token);
        for (Header h : headers) req.setHeader(h.name(), h.value());
        return req;
    }

    /** URI.create, tolerating the few characters servers sometimes leave unencoded in links. */
    static URI uri(String s) {
        try {
            return URI.create(s);
        } catch (IllegalArgumentException e) {
            return URI.create(s.replace(" ", "%20").replace("|", "%7C").replace("\"", "%22"));
        }
    }

    void error(String url, String what) {
        if (errors.incrementAndGet() <= 10) System.err.printf("error: GET %s -> %s%n", url, what);
    }

    static int occurrences(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) n++;
        return n;
    }

    static String head(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ");
        return one.length() <= 300 ? one : one.substring(0, 300) + "…";
    }

    static String lowerFirst(String s) { return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1); }

    static String fmt(String format, Object... args) { return String.format(Locale.ROOT, format, args); }
}
