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
import org.hl7.fhir.r4.model.DocumentReference;
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

    @Test
    @Tag("heavy") // generates a 16-year record of 20,000 documents: the whole suite (-Pfull) runs it
    void heavyRecordHasTenThousandDocumentsOverFifteenYearsAndConsistentJudgments() {
        SyntheticData data = new SyntheticData(options(SyntheticData.Profile.HEAVY, 42, 1, Set.of("fhir")));
        Model.PatientRecord record = data.record(0);
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
        for (Judgments.Query query : queries) {
            assertThat(query.relevant()).as(query.query()).isNotEmpty();
            for (String id : query.relevant()) {
                Model.Document document = byId.get(id);
                assertThat(document).as(id).isNotNull();
                assertThat(Concepts.mentions(document.text(), query.concept()))
                        .as(id + " " + query.concept())
                        .isTrue();
                assertThat(document.mentions()).contains(new Model.Mention(query.concept(), Model.Polarity.AFFIRMED));
            }
            for (Judgments.NotRelevant other : query.notRelevant()) {
                Model.Document document = byId.get(other.id());
                assertThat(document).isNotNull();
                assertThat(Concepts.mentions(document.text(), query.concept())).isTrue();
                assertThat(document.mentions())
                        .contains(new Model.Mention(query.concept(), other.why()))
                        .doesNotContain(new Model.Mention(query.concept(), Model.Polarity.AFFIRMED));
            }
        }
        List<Bundle> bundles = data.patientBundles(0);
        assertThat(bundles.size()).isGreaterThan(20);
        assertThat(bundles.stream()
                        .mapToLong(b -> b.getEntry().stream()
                                .filter(e -> e.getResource() instanceof DocumentReference)
                                .count())
                        .sum())
                .isEqualTo(record.documents().size());
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
