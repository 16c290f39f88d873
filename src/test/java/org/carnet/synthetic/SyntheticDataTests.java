package org.carnet.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.carnet.identity.InsiAnswer;
import org.carnet.identity.InsiTraits;
import org.carnet.identity.ReferenceRegistryInsi;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDataTests {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    Path temp;

    @Test
    void sameSeedGivesByteIdenticalFilesInEveryFormat() throws IOException {
        SyntheticData.Options options = options(SyntheticData.Profile.DEMO, 42, 4, SyntheticData.FORMATS);
        new SyntheticData(options).writeTo(temp.resolve("a"), done -> {});
        new SyntheticData(options).writeTo(temp.resolve("b"), done -> {});

        Map<String, byte[]> a = files(temp.resolve("a"));
        Map<String, byte[]> b = files(temp.resolve("b"));

        assertThat(a.keySet()).isEqualTo(b.keySet());
        assertThat(a.keySet())
                .anyMatch(f -> f.startsWith("cda/"))
                .anyMatch(f -> f.startsWith("hl7v2/"))
                .anyMatch(f -> f.startsWith("pdf/"))
                .contains("reimbursements.csv", "directory.json", "manifest.json", "insi-registry.csv");
        a.forEach((name, bytes) -> assertThat(b.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void everyGeneratedCdaHl7MessageAndPdfIsValid() throws Exception {
        new SyntheticData(options(SyntheticData.Profile.DEMO, 9, 3, SyntheticData.FORMATS)).writeTo(temp, done -> {});
        var xml = javax.xml.parsers.DocumentBuilderFactory.newInstance();
        xml.setNamespaceAware(true);
        var hl7 = new ca.uhn.hl7v2.DefaultHapiContext();
        int cdas = 0;
        int messages = 0;
        int pdfs = 0;
        for (Map.Entry<String, byte[]> file : files(temp).entrySet()) {
            if (file.getKey().startsWith("cda/")) {
                org.w3c.dom.Document cda =
                        xml.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(file.getValue()));
                org.w3c.dom.Element patientId = firstChild(
                        cda.getElementsByTagNameNS("urn:hl7-org:v3", "patientRole")
                                .item(0),
                        "id");
                assertThat(patientId).as(file.getKey()).isNotNull();
                assertThat(patientId.getAttribute("root")).isEqualTo(FrenchPeople.INS_DEMO_OID);
                assertThat(Nir.key(patientId.getAttribute("extension").substring(0, 13)))
                        .isEqualTo(patientId.getAttribute("extension").substring(13));
                assertThat(cda.getElementsByTagNameNS("urn:hl7-org:v3", "author")
                                .getLength())
                        .isPositive();
                cdas++;
            } else if (file.getKey().startsWith("hl7v2/")) {
                var message = (ca.uhn.hl7v2.model.v25.message.ORU_R01)
                        hl7.getPipeParser().parse(new String(file.getValue(), java.nio.charset.StandardCharsets.UTF_8));
                assertThat(message.getPATIENT_RESULT()
                                .getPATIENT()
                                .getPID()
                                .getPatientIdentifierList(0)
                                .getIDNumber()
                                .getValue())
                        .hasSize(15);
                assertThat(message.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATIONReps())
                        .isPositive();
                messages++;
            } else if (file.getKey().startsWith("pdf/") && file.getKey().endsWith(".pdf")) {
                try (var pdf = org.apache.pdfbox.Loader.loadPDF(file.getValue())) {
                    assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(pdf))
                            .isNotBlank();
                }
                pdfs++;
            }
        }
        hl7.close();

        assertThat(cdas).isGreaterThan(50);
        assertThat(messages).isGreaterThan(5);
        assertThat(pdfs).isPositive();
    }

    @Test
    void writesAnInsiRegistryWhereEveryGeneratedPersonIsFound() throws IOException {
        SyntheticData.Options options = options(SyntheticData.Profile.DEMO, 42, 30, Set.of("fhir"));
        SyntheticData data = new SyntheticData(options);
        data.writeTo(temp, done -> {});

        ReferenceRegistryInsi registry = ReferenceRegistryInsi.load(temp.resolve("insi-registry.csv"));

        assertThat(registry.rejected()).isEmpty();
        int people = 0;
        int minors = 0;
        for (int i = 0; i < options.patients(); i++) {
            Model.PatientRecord record = data.record(i);
            Model.Identity who = record.identity();
            InsiTraits traits = new InsiTraits(
                    who.birthFamily(),
                    who.birthGivens(),
                    who.sex() == Model.Sex.MALE ? "M" : "F",
                    who.birthDate().toString(),
                    null);
            InsiAnswer answer = registry.retrieveByTraits(traits.withFirstNames(List.of(who.firstGiven())));
            assertThat(answer.code()).as(record.key()).isEqualTo(InsiAnswer.Code.ONE);
            var ins = answer.identity().orElseThrow().ins();
            assertThat(ins.matricule()).isEqualTo(who.nir());
            assertThat(registry.verify(ins, traits.withBirthPlace(who.birthplaceInsee()))
                            .code())
                    .isEqualTo(InsiAnswer.Code.ONE);
            if (!record.parents().isEmpty()) {
                assertThat(registry.retrieveByCard(record.parents().get(0).nir(), traits)
                                .code())
                        .isEqualTo(InsiAnswer.Code.ONE);
                minors++;
            }
            people += 1 + record.parents().size();
        }
        assertThat(registry.size()).isEqualTo(people);
        assertThat(minors).isPositive();
    }

    @Test
    void differentSeedsGiveDifferentPatients() {
        Model.PatientRecord one =
                new SyntheticData(options(SyntheticData.Profile.BENCH, 1, 10, Set.of("fhir"))).record(3);
        Model.PatientRecord two =
                new SyntheticData(options(SyntheticData.Profile.BENCH, 2, 10, Set.of("fhir"))).record(3);

        assertThat(one.identity().nir()).isNotEqualTo(two.identity().nir());
    }

    @Test
    void aPatientIsTheSameWhateverTheSizeOfTheDataSet() {
        Model.PatientRecord small =
                new SyntheticData(options(SyntheticData.Profile.BENCH, 5, 10, Set.of("fhir"))).record(7);
        Model.PatientRecord large =
                new SyntheticData(options(SyntheticData.Profile.BENCH, 5, 5000, Set.of("fhir"))).record(7);

        assertThat(small).isEqualTo(large);
    }

    /**
     * Every resource of twelve demo patients and the directory passes base R4 validation. The validator takes tens of
     * milliseconds a resource and these are some 3,000 resources, but 84 shapes: one resource of each
     * {@link ResourceShape} is validated, which gives every resource its verdict. (Every resource is still encoded and
     * parsed back.) Checked once on thirty patients: validating all 7,464 resources gave, shape by shape, the same
     * messages as validating the first of each.
     */
    @Test
    @Tag("heavy") // the R4 validator's set-up alone takes most of its 20 s: the whole suite (-Pfull) runs it
    void everyFhirResourcePassesBaseR4Validation() {
        FhirValidator validator = FHIR.newValidator();
        ValidationSupportChain support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR));
        validator.registerValidatorModule(new FhirInstanceValidator(support));
        SyntheticData data = new SyntheticData(options(SyntheticData.Profile.DEMO, 11, 12, Set.of("fhir")));
        List<Bundle> bundles = new ArrayList<>();
        bundles.add(data.directoryBundle());
        for (int i = 0; i < 12; i++) {
            bundles.addAll(data.patientBundles(i));
        }
        Map<String, org.hl7.fhir.r4.model.Resource> oneOfEachShape = new java.util.LinkedHashMap<>();
        Set<String> types = new java.util.TreeSet<>();
        int resources = 0;
        for (Bundle bundle : bundles) {
            String json = FHIR.newJsonParser().encodeResourceToString(bundle);
            FHIR.newJsonParser().parseResource(Bundle.class, json);
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                resources++;
                types.add(entry.getResource().fhirType());
                oneOfEachShape.putIfAbsent(ResourceShape.of(entry.getResource()), entry.getResource());
            }
        }
        List<String> errors = new ArrayList<>();
        for (org.hl7.fhir.r4.model.Resource resource : oneOfEachShape.values()) {
            for (SingleValidationMessage message :
                    validator.validateWithResult(resource).getMessages()) {
                if (message.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) {
                    errors.add(resource.fhirType() + " " + message.getLocationString() + ": " + message.getMessage());
                }
            }
        }

        assertThat(resources).isGreaterThan(2_000);
        assertThat(types)
                .contains(
                        "Patient",
                        "Practitioner",
                        "PractitionerRole",
                        "Organization",
                        "Encounter",
                        "Observation",
                        "Condition",
                        "MedicationRequest",
                        "Immunization",
                        "AllergyIntolerance",
                        "Appointment",
                        "DocumentReference");
        assertThat(oneOfEachShape).as("shapes validated").hasSizeGreaterThan(60);
        assertThat(errors).isEmpty();
    }

    /** The heavy record of seed 42, generated once for the tests that read it (a few seconds). */
    private static Model.PatientRecord heavy;

    private static synchronized Model.PatientRecord heavy() {
        if (heavy == null) {
            heavy = new SyntheticData(options(SyntheticData.Profile.HEAVY, 42, 1, Set.of("fhir"))).record(0);
        }
        return heavy;
    }

    @Test
    @Tag("heavy") // generates a 16-year record of 10,000 documents: the whole suite (-Pfull) runs it
    void heavyRecordHasTenThousandDocumentsOverFifteenYearsAndConsistentJudgments() {
        Model.PatientRecord record = heavy();
        long chars =
                record.documents().stream().mapToLong(d -> d.text().length()).sum();
        var first = record.documents().get(0).date();
        var last = record.documents().get(record.documents().size() - 1).date();

        assertThat(record.documents()).hasSizeGreaterThanOrEqualTo(10_000);
        assertThat(chars / 1500).isGreaterThanOrEqualTo(5_000);
        assertThat(java.time.temporal.ChronoUnit.YEARS.between(first, last)).isGreaterThanOrEqualTo(15);
        assertThat(record.documents()).filteredOn(d -> d.duplicateOf() != null).isNotEmpty();

        Map<String, Model.Document> byId = new TreeMap<>();
        record.documents().forEach(d -> byId.put(d.uniqueId(), d));
        List<Judgments.Query> queries = Judgments.of(record);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(15);
        assertThat(queries).filteredOn(q -> !q.relevant().isEmpty()).hasSizeGreaterThanOrEqualTo(12);
        Set<String> whys = new java.util.TreeSet<>();
        for (Judgments.Query query : queries) {
            for (Judgments.Relevant relevant : query.relevant()) {
                Model.Document document = byId.get(relevant.id());
                assertThat(document).as(relevant.id()).isNotNull();
                assertThat(document.mentions())
                        .contains(new Model.Mention(query.concept(), Model.Polarity.AFFIRMED, relevant.answeredBy()));
                switch (relevant.answeredBy()) {
                    case TEXT ->
                        assertThat(
                                        query.concept().equals(Judgments.ANTICOAGULANT)
                                                ? Concepts.fold(document.text())
                                                        .matches("(?s).*(anticoagul|avk|a\\.v\\.k|aod).*")
                                                : Concepts.mentions(document.text(), query.concept()))
                                .as(relevant.id() + " " + query.concept())
                                .isTrue();
                    case NUMBERS ->
                        assertThat(document.kind()).isIn(Model.DocKind.CR_BIOLOGIE, Model.DocKind.SURVEILLANCE);
                    case DRUGS -> assertThat(document.text()).containsPattern("(?i)apixaban|warfarine|fluindione");
                }
            }
            for (Judgments.NotRelevant other : query.notRelevant()) {
                Model.Document document = byId.get(other.id());
                assertThat(document).isNotNull();
                assertThat(Concepts.mentions(document.text(), query.concept())).isTrue();
                assertThat(document.mentions())
                        .contains(new Model.Mention(query.concept(), other.why()))
                        .doesNotContain(new Model.Mention(query.concept(), Model.Polarity.AFFIRMED));
                whys.add(other.why().name());
            }
        }
        assertThat(whys).contains("NEGATED", "HYPOTHETICAL", "FAMILY", "GENERIC");
        Map<String, Set<Model.Evidence>> answeredBy = new TreeMap<>();
        queries.forEach(q -> answeredBy.put(q.concept(), q.answeredBy()));
        assertThat(answeredBy.get("perte_poids")).containsExactly(Model.Evidence.NUMBERS);
        assertThat(answeredBy.get("anemie")).containsExactly(Model.Evidence.NUMBERS);
        assertThat(answeredBy.get("insuffisance_renale")).contains(Model.Evidence.NUMBERS, Model.Evidence.TEXT);
        assertThat(answeredBy.get(Judgments.ANTICOAGULANT)).contains(Model.Evidence.DRUGS);

        String json = Judgments.toJson(record.key(), "Patient/x", queries);
        assertThat(json).contains("\"answeredBy\": \"numbers\"", "\"answeredBy\": \"drugs\"", "\"why\": \"generic\"");
    }

    @Test
    @Tag("heavy")
    void heavyRecordReadsLikeARealOneNotASentenceBank() {
        Realism realism = Realism.of(heavy().documents());

        // The goal is 60 %; about half is reached for seed 42 (headers, signatures, lab result lines and copied
        // paragraphs repeat by nature, and each author keeps their turns of phrase).
        assertThat(realism.distinctShare()).as(realism.report()).isGreaterThanOrEqualTo(0.45);
        assertThat(realism.vocabulary()).as(realism.report()).isGreaterThanOrEqualTo(5_000);
        assertThat(realism.share(Model.DocKind.NOTE_INFIRMIERE))
                .as(realism.report())
                .isLessThan(0.80);
        assertThat(realism.documentsByType()).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    @Tag("heavy")
    void heavyRecordTellsOneTimeline() {
        Model.PatientRecord record = heavy();
        java.time.LocalDate stroke = onset(record, "I63.9");
        java.time.LocalDate anticoagulated = record.medications().stream()
                .filter(m -> m.atc().startsWith("B01AA") || m.atc().startsWith("B01AF"))
                .map(Model.Medication::start)
                .min(java.util.Comparator.naturalOrder())
                .orElseThrow();
        var strokeYear = java.util.regex.Pattern.compile(
                "(?i)(?:AVC|infarctus cérébral)[^.\\n(]{0,40}?(?:en |de |\\(\\d\\d/)(\\d{4})");
        int discovered = 0;
        for (Model.Document document : record.documents()) {
            java.time.LocalDate day = document.date().toLocalDate();
            for (Model.Mention mention : document.mentions()) {
                if (mention.polarity() != Model.Polarity.AFFIRMED) {
                    continue;
                }
                if (mention.concept().equals("saignement_anticoagulant")) {
                    assertThat(day).as("bleeding on an anticoagulant").isAfterOrEqualTo(anticoagulated);
                }
                if (mention.concept().equals("avc")) {
                    assertThat(day).as(document.text()).isAfterOrEqualTo(stroke);
                }
                if (mention.concept().equals("diabete")) {
                    assertThat(day).isAfterOrEqualTo(onset(record, "E11.9"));
                }
            }
            assertThat(document.mentions())
                    .as("weight loss and anaemia are in the numbers only")
                    .doesNotContain(
                            new Model.Mention("perte_poids", Model.Polarity.AFFIRMED),
                            new Model.Mention("anemie", Model.Polarity.AFFIRMED));
            var years = strokeYear.matcher(document.text());
            while (years.find()) {
                assertThat(Integer.parseInt(years.group(1))).as(years.group()).isEqualTo(stroke.getYear());
            }
            if (Concepts.fold(document.text()).contains("diabete de type 2 decouvert")) {
                discovered++;
            }
        }
        assertThat(discovered).as("the diabetes is found once").isEqualTo(1);

        List<Model.Measurement> weights = record.measurements().stream()
                .filter(m -> m.loinc().equals("29463-7"))
                .toList();
        Model.Measurement lastWeight = weights.get(weights.size() - 1);
        double sixMonthsBefore = weights.stream()
                .filter(m -> !m.at().isAfter(lastWeight.at().minusMonths(6)))
                .reduce((a, b) -> b)
                .orElseThrow()
                .value();
        assertThat((sixMonthsBefore - lastWeight.value()) / sixMonthsBefore).isGreaterThanOrEqualTo(0.05);
    }

    private static java.time.LocalDate onset(Model.PatientRecord record, String icd10) {
        return record.conditions().stream()
                .filter(c -> c.icd10().equals(icd10))
                .findFirst()
                .orElseThrow()
                .onset();
    }

    @Test
    void commandRefusesBadOptionsWithUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = GenerateCommand.run(
                new String[] {"--profile", "huge"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));

        assertThat(code).isEqualTo(64);
        assertThat(err.toString()).contains("Usage:");
    }

    @Test
    void commandWritesADataSetAndSaysWhatItWrote() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = GenerateCommand.run(
                new String[] {
                    "--profile",
                    "bench",
                    "--patients",
                    "3",
                    "--out",
                    temp.resolve("x").toString()
                },
                new PrintStream(out),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(code).isZero();
        assertThat(out.toString()).contains("3 patients");
        assertThat(temp.resolve("x/fhir/p000003.json")).exists();
    }

    private static SyntheticData.Options options(
            SyntheticData.Profile profile, long seed, int patients, Set<String> formats) {
        return new SyntheticData.Options(profile, seed, patients, formats, SyntheticData.DEFAULT_TODAY);
    }

    private static org.w3c.dom.Element firstChild(org.w3c.dom.Node parent, String localName) {
        for (org.w3c.dom.Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof org.w3c.dom.Element element && localName.equals(element.getLocalName())) {
                return element;
            }
        }
        return null;
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString(), Files.readAllBytes(path));
            }
        }
        return files;
    }
}
