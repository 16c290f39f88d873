package org.carnet.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v25.datatype.CX;
import ca.uhn.hl7v2.model.v25.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v25.message.ORU_R01;
import ca.uhn.hl7v2.model.v25.segment.OBX;
import ca.uhn.hl7v2.model.v25.segment.PID;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.xml.XMLConstants;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class FormatsTests {

    private static final String NOTE = """
            Patiente vue pour le suivi de son diabète & de son HTA.
            TA 135/85 mmHg, pouls < 80/min, "pas de chute" rapportée.

            Poursuite du traitement ; contrôle HbA1c dans 3 mois.""";

    @Nested
    class Cda {

        private final Model.PatientRecord patient = Fixtures.patient();
        private final Model.Document document = Fixtures.document(NOTE);
        private final String cda = new CdaWriter().write(patient, document, Fixtures.directory());

        @Test
        void isWellFormedCdaInTheHl7V3Namespace() throws Exception {
            Document xml = parse(cda);

            assertThat(xml.getDocumentElement().getNamespaceURI()).isEqualTo("urn:hl7-org:v3");
            assertThat(xml.getDocumentElement().getLocalName()).isEqualTo("ClinicalDocument");
            assertThat(value(xml, "/h:ClinicalDocument/h:realmCode/@code")).isEqualTo("FR");
            assertThat(value(xml, "/h:ClinicalDocument/h:typeId/@extension")).isEqualTo("POCD_HD000040");
            assertThat(values(xml, "/h:ClinicalDocument/h:templateId/@root"))
                    .contains("2.16.840.1.113883.2.8.2.1", "1.2.250.1.213.1.1.1.1");
        }

        @Test
        void headerIdentifiesTheDocumentByItsUniqueIdTypeTitleAndParisTime() throws Exception {
            Document xml = parse(cda);

            assertThat(value(xml, "/h:ClinicalDocument/h:id/@root")).isEqualTo(document.uniqueId());
            assertThat(value(xml, "/h:ClinicalDocument/h:setId/@root")).isNotEqualTo(document.uniqueId());
            assertThat(value(xml, "/h:ClinicalDocument/h:versionNumber/@value")).isEqualTo("1");
            assertThat(value(xml, "/h:ClinicalDocument/h:code/@code")).isEqualTo("11488-4");
            assertThat(value(xml, "/h:ClinicalDocument/h:code/@codeSystem")).isEqualTo("2.16.840.1.113883.6.1");
            assertThat(value(xml, "/h:ClinicalDocument/h:code/@displayName"))
                    .isEqualTo(Model.DocKind.CONSULTATION.label);
            assertThat(value(xml, "/h:ClinicalDocument/h:title")).isEqualTo(document.title());
            assertThat(value(xml, "/h:ClinicalDocument/h:effectiveTime/@value")).isEqualTo("20240715103000+0200");
            assertThat(value(xml, "/h:ClinicalDocument/h:confidentialityCode/@code"))
                    .isEqualTo("N");
            assertThat(value(xml, "/h:ClinicalDocument/h:languageCode/@code")).isEqualTo("fr-FR");
        }

        @Test
        void winterTimesCarryTheWinterOffset() {
            assertThat(CdaWriter.timestamp(LocalDateTime.of(2024, 1, 5, 8, 0))).isEqualTo("20240105080000+0100");
        }

        @Test
        void recordTargetCarriesTheInsAndTheStrictTraits() throws Exception {
            Document xml = parse(cda);
            String role = "/h:ClinicalDocument/h:recordTarget/h:patientRole";
            Model.Identity who = patient.identity();

            assertThat(value(xml, role + "/h:id/@root")).isEqualTo(FrenchPeople.INS_TEST_OID);
            assertThat(value(xml, role + "/h:id/@extension")).isEqualTo(who.nir());
            assertThat(value(xml, role + "/h:patient/h:name/h:family[@qualifier='BR']"))
                    .isEqualTo("MARTIN");
            assertThat(value(xml, role + "/h:patient/h:name/h:family[@qualifier='CL']"))
                    .isEqualTo("DURAND");
            assertThat(value(xml, role + "/h:patient/h:name/h:given[@qualifier='BR']"))
                    .isEqualTo("MARIE");
            assertThat(value(xml, role + "/h:patient/h:administrativeGenderCode/@code"))
                    .isEqualTo("F");
            assertThat(value(xml, role + "/h:patient/h:birthTime/@value")).isEqualTo("19580314");
            assertThat(value(xml, role + "/h:patient/h:birthplace/h:place/h:addr/h:county"))
                    .isEqualTo("75056");
        }

        @Test
        void authorAndLegalAuthenticatorAreIdentifiedByIdNatPs() throws Exception {
            Document xml = parse(cda);

            assertThat(value(xml, "/h:ClinicalDocument/h:author/h:assignedAuthor/h:id/@root"))
                    .isEqualTo("1.2.250.1.71.4.2.1");
            assertThat(value(xml, "/h:ClinicalDocument/h:author/h:assignedAuthor/h:id/@extension"))
                    .isEqualTo("810001234567");
            assertThat(value(xml, "/h:ClinicalDocument/h:author/h:assignedAuthor/h:code/@code"))
                    .isEqualTo("G15_10/SM54");
            assertThat(value(xml, "/h:ClinicalDocument/h:legalAuthenticator/h:assignedEntity/h:id/@extension"))
                    .isEqualTo("810001234567");
            assertThat(value(
                            xml,
                            "/h:ClinicalDocument/h:custodian/h:assignedCustodian"
                                    + "/h:representedCustodianOrganization/h:name"))
                    .isEqualTo("Centre hospitalier Saint-Louis & Lariboisière");
            assertThat(value(
                            xml,
                            "/h:ClinicalDocument/h:componentOf/h:encompassingEncounter/h:location"
                                    + "/h:healthCareFacility/h:code/@code"))
                    .isEqualTo("SA01");
            assertThat(value(xml, "/h:ClinicalDocument/h:documentationOf/h:serviceEvent/h:effectiveTime/h:low/@value"))
                    .isEqualTo("20240715103000+0200");
        }

        @Test
        void noteSurvivesAsOneParagraphPerLineWithItsMarkupCharacters() throws Exception {
            Document xml = parse(cda);
            List<String> paragraphs = values(xml, "//h:structuredBody/h:component/h:section/h:text/h:paragraph");

            assertThat(paragraphs)
                    .containsExactly(
                            "Patiente vue pour le suivi de son diabète & de son HTA.",
                            "TA 135/85 mmHg, pouls < 80/min, \"pas de chute\" rapportée.",
                            "Poursuite du traitement ; contrôle HbA1c dans 3 mois.");
        }

        @Test
        void charactersXmlCannotCarryDoNotBreakTheDocument() throws Exception {
            Model.Document odd = Fixtures.document("bip\u0007 </paragraph> ]]> \uD800 fin");

            Document xml = parse(new CdaWriter().write(patient, odd, Fixtures.directory()));

            assertThat(values(xml, "//h:section/h:text/h:paragraph"))
                    .containsExactly("bip\uFFFD </paragraph> ]]> \uFFFD fin");
        }

        @Test
        void sameInputsGiveTheSameDocument() {
            assertThat(new CdaWriter().write(patient, document, Fixtures.directory()))
                    .isEqualTo(cda);
        }
    }

    @Nested
    class Hl7v2 {

        private final Model.PatientRecord patient = Fixtures.patient();
        private final List<Model.Measurement> results = Fixtures.labResults();
        private final String message = oru();

        private String oru() {
            Directory directory = Fixtures.directory();
            return new Hl7v2Writer()
                    .oru(
                            patient,
                            results,
                            directory.professional("pro-1"),
                            directory.organisation("lab-1"),
                            "MSG-0001");
        }

        @Test
        void segmentsAreSeparatedByCarriageReturns() {
            assertThat(message.split("\r"))
                    .extracting(segment -> segment.substring(0, 3))
                    .containsExactly("MSH", "PID", "PV1", "ORC", "OBR", "OBX", "OBX", "OBX");
            assertThat(message).startsWith("MSH|^~\\&|").doesNotContain("\n");
        }

        @Test
        void parsesAsAnOruR01WithTheInsInPid3() throws Exception {
            ORU_R01 oru = parse(message);
            PID pid = oru.getPATIENT_RESULT().getPATIENT().getPID();
            CX ins = pid.getPatientIdentifierList(0);

            assertThat(oru.getMSH().getMessageControlID().getValue()).isEqualTo("MSG-0001");
            assertThat(oru.getMSH().getDateTimeOfMessage().getTime().getValue()).isEqualTo("20240710081500");
            assertThat(oru.getMSH().getCharacterSet(0).getValue()).isEqualTo("UNICODE UTF-8");
            assertThat(ins.getIDNumber().getValue())
                    .isEqualTo(patient.identity().nir());
            assertThat(ins.getAssigningAuthority().getNamespaceID().getValue()).isEqualTo("ASIP-SANTE-INS-NIR");
            assertThat(ins.getAssigningAuthority().getUniversalID().getValue()).isEqualTo(FrenchPeople.INS_TEST_OID);
            assertThat(ins.getAssigningAuthority().getUniversalIDType().getValue())
                    .isEqualTo("ISO");
            assertThat(ins.getIdentifierTypeCode().getValue()).isEqualTo("INS");
            assertThat(pid.getIdentityReliabilityCode(0).getValue()).isEqualTo("QUAL");
        }

        @Test
        void pidCarriesTheBirthNameThenTheUsedName() throws Exception {
            PID pid = parse(message).getPATIENT_RESULT().getPATIENT().getPID();

            assertThat(pid.getPatientName(0).getFamilyName().getSurname().getValue())
                    .isEqualTo("MARTIN");
            assertThat(pid.getPatientName(0).getGivenName().getValue()).isEqualTo("MARIE");
            assertThat(pid.getPatientName(0)
                            .getSecondAndFurtherGivenNamesOrInitialsThereof()
                            .getValue())
                    .isEqualTo("MARIE CLAIRE");
            assertThat(pid.getPatientName(0).getNameTypeCode().getValue()).isEqualTo("L");
            assertThat(pid.getPatientName(1).getFamilyName().getSurname().getValue())
                    .isEqualTo("DURAND");
            assertThat(pid.getPatientName(1).getNameTypeCode().getValue()).isEqualTo("D");
            assertThat(pid.getDateTimeOfBirth().getTime().getValue()).isEqualTo("19580314");
            assertThat(pid.getAdministrativeSex().getValue()).isEqualTo("F");
        }

        @Test
        void oneNumericObxPerResultWithRangeAndFlag() throws Exception {
            ORU_R01_ORDER_OBSERVATION order = parse(message).getPATIENT_RESULT().getORDER_OBSERVATION();
            List<OBX> obx = IntStream.range(0, order.getOBSERVATIONReps())
                    .mapToObj(i -> order.getOBSERVATION(i).getOBX())
                    .toList();

            assertThat(obx).hasSize(results.size());
            assertThat(obx)
                    .extracting(o -> o.getObservationValue(0).getData().encode())
                    .containsExactly("11.2", "0.95", "142");
            assertThat(obx).extracting(o -> o.getAbnormalFlags(0).getValue()).containsExactly("L", "N", "N");
            assertThat(obx)
                    .extracting(
                            o -> o.getObservationIdentifier().getIdentifier().getValue())
                    .containsExactly("718-7", "2345-7", "2951-2");
            assertThat(obx.get(0).getUnits().getIdentifier().getValue()).isEqualTo("g/dL");
            assertThat(obx.get(0).getReferencesRange().getValue()).isEqualTo("12-16");
            assertThat(obx.get(0).getObservationResultStatus().getValue()).isEqualTo("F");
            assertThat(obx.get(0).getDateTimeOfTheObservation().getTime().getValue())
                    .isEqualTo("20240710081500");
            assertThat(order.getOBR().getOrderingProvider(0).getIDNumber().getValue())
                    .isEqualTo("810001234567");
            assertThat(order.getOBR()
                            .getOrderingProvider(0)
                            .getIdentifierTypeCode()
                            .getValue())
                    .isEqualTo("IDNPS");
        }

        @Test
        void delimitersInTextAreEscapedAndComeBackIntact() throws Exception {
            ORU_R01_ORDER_OBSERVATION order = parse(message).getPATIENT_RESULT().getORDER_OBSERVATION();

            assertThat(message).contains("Sodium \\T\\ co \\S\\ \\F\\ \\R\\ \\E\\");
            assertThat(order.getOBSERVATION(2)
                            .getOBX()
                            .getObservationIdentifier()
                            .getText()
                            .getValue())
                    .isEqualTo("Sodium & co ^ | ~ \\");
        }

        @Test
        void sameInputsGiveTheSameMessage() {
            assertThat(oru()).isEqualTo(message);
        }

        private static ORU_R01 parse(String message) throws Exception {
            try (HapiContext context = new DefaultHapiContext()) {
                return (ORU_R01) context.getPipeParser().parse(message);
            }
        }
    }

    @Nested
    class Csv {

        private final ReimbursementCsv csv = new ReimbursementCsv(Fixtures.directory());

        @Test
        void headerNamesTheColumns() {
            assertThat(ReimbursementCsv.header())
                    .isEqualTo("nir;date_soins;code_acte;libelle;montant;montant_rembourse;idnat_ps\r\n");
        }

        @Test
        void oneLinePerReimbursementWithDecimalCommasAndIsoDates() {
            Model.PatientRecord patient = Fixtures.patient();
            StringBuilder out = new StringBuilder();

            csv.append(patient, out);

            String nir = patient.identity().nir();
            assertThat(out.toString().split("\r\n"))
                    .containsExactly(
                            nir + ";2024-03-02;G;Consultation;30,00;21,00;810001234567",
                            nir + ";2024-03-09;B;\"Bilan \"\"lipides\"\" ; glycémie\";12,50;8,75;",
                            nir + ";2024-04-01;K;Acte inconnu;1234,56;0,00;");
        }

        @Test
        void fieldsWithSeparatorsQuotesOrLineBreaksAreQuoted() {
            assertThat(ReimbursementCsv.quoted("a;b")).isEqualTo("\"a;b\"");
            assertThat(ReimbursementCsv.quoted("dit \"oui\"")).isEqualTo("\"dit \"\"oui\"\"\"");
            assertThat(ReimbursementCsv.quoted("deux\nlignes")).isEqualTo("\"deux\nlignes\"");
            assertThat(ReimbursementCsv.quoted("simple")).isEqualTo("simple");
        }

        @Test
        void sameInputsGiveTheSameLines() {
            StringBuilder first = new StringBuilder();
            StringBuilder second = new StringBuilder();

            csv.append(Fixtures.patient(), first);
            csv.append(Fixtures.patient(), second);

            assertThat(first).hasToString(second.toString());
        }
    }

    @Nested
    class Pdf {

        private final Model.PatientRecord patient = Fixtures.patient();

        @Test
        void shortNoteFitsOnePageWithItsHeaderAndText() throws Exception {
            byte[] bytes = new PdfWriter().write(patient, Fixtures.document(NOTE + "\nSœur présente, cœur régulier."));

            try (PDDocument pdf = Loader.loadPDF(bytes)) {
                String text = new PDFTextStripper().getText(pdf);

                assertThat(pdf.getNumberOfPages()).isEqualTo(1);
                assertThat(text)
                        .contains("Consultation du 15/07 <suivi>")
                        .contains("15/07/2024 10:30")
                        .contains("DURAND MARIE (née MARTIN)");
                assertThat(text)
                        .contains("Patiente vue pour le suivi de son diabète & de son HTA.")
                        .contains("Sœur présente, cœur régulier.");
                assertThat(pdf.getDocumentInformation().getProducer()).isEqualTo("Carnet");
                Calendar created = pdf.getDocumentInformation().getCreationDate();
                assertThat(created.get(Calendar.YEAR)).isEqualTo(2024);
                assertThat(created.get(Calendar.HOUR_OF_DAY)).isEqualTo(10);
            }
        }

        @Test
        void longNoteIsWrappedOverSeveralPages() throws Exception {
            String longNote = IntStream.rangeClosed(1, 150)
                    .mapToObj(i -> "Ligne " + i + " : évolution favorable, pas de récidive des douleurs thoraciques,"
                            + " tolérance correcte du traitement, poursuite de la surveillance clinique habituelle.")
                    .collect(Collectors.joining("\n"));

            byte[] bytes = new PdfWriter().write(patient, Fixtures.document(longNote));

            try (PDDocument pdf = Loader.loadPDF(bytes)) {
                String text = new PDFTextStripper().getText(pdf);
                assertThat(pdf.getNumberOfPages()).isGreaterThan(1);
                assertThat(text).contains("Ligne 1 : évolution favorable").contains("Ligne 150 : évolution");
                assertThat(text).contains("1 / " + pdf.getNumberOfPages());
            }
        }

        @Test
        void charactersHelveticaCannotShowAreReplacedNotFatal() throws Exception {
            String exotic = "β-bloquant, K⁺ ≤ 5\u202Fmmol/L, 💊 x2, 患者, ŝ\u200B, \u00ADnon, long: " + "A".repeat(200);

            byte[][] bytes = new byte[1][];
            assertThatCode(() -> bytes[0] = new PdfWriter().write(patient, Fixtures.document(exotic)))
                    .doesNotThrowAnyException();

            try (PDDocument pdf = Loader.loadPDF(bytes[0])) {
                assertThat(new PDFTextStripper().getText(pdf))
                        .contains("beta-bloquant")
                        .contains("<= 5 mmol/L")
                        .contains("? x2")
                        .contains("s, non");
            }
        }

        @Test
        void sameInputsGiveTheSameBytes() {
            Model.Document document = Fixtures.document(NOTE);

            assertThat(new PdfWriter().write(patient, document)).isEqualTo(new PdfWriter().write(patient, document));
        }

        @Test
        void emptyNoteStillGivesAPageWithTheHeader() throws Exception {
            try (PDDocument pdf = Loader.loadPDF(new PdfWriter().write(patient, Fixtures.document("")))) {
                assertThat(pdf.getNumberOfPages()).isEqualTo(1);
                assertThat(new PDFTextStripper().getText(pdf)).contains("Consultation du 15/07");
            }
        }
    }

    /** A small record, one practitioner, a hospital and a lab. */
    static final class Fixtures {

        private static final Model.Address HOME = new Model.Address("12 rue des Lilas", "75011", "Paris", "75111");

        static Model.Identity identity() {
            String body = "2580375056123";
            return new Model.Identity(
                    "MARTIN",
                    "DURAND",
                    List.of("MARIE", "CLAIRE"),
                    Model.Sex.FEMALE,
                    LocalDate.of(1958, 3, 14),
                    "75056",
                    "PARIS",
                    body + Nir.key(body),
                    FrenchPeople.INS_TEST_OID,
                    Model.IdentityStatus.QUAL,
                    HOME,
                    "06 12 34 56 78");
        }

        static Directory directory() {
            Model.Profession generalist = new Model.Profession("10", "Médecin", "SM54", "Médecine générale");
            Model.Professional doctor = new Model.Professional(
                    "pro-1", "10001234567", "LEROY", "Jean", Model.Sex.MALE, generalist, "org-1");
            Model.Organisation hospital = new Model.Organisation(
                    "org-1",
                    "750100125",
                    "Centre hospitalier Saint-Louis & Lariboisière",
                    "hospital",
                    new Model.Address("1 avenue Claude Vellefaux", "75010", "Paris", "75110"));
            Model.Organisation lab = new Model.Organisation(
                    "lab-1",
                    "750200131",
                    "Laboratoire des Lilas",
                    "lab",
                    new Model.Address("3 rue des Lilas", "75011", "Paris", "75111"));
            return new Directory(Map.of("pro-1", doctor), Map.of("org-1", hospital, "lab-1", lab));
        }

        static Model.Document document(String text) {
            return new Model.Document(
                    "1.2.250.1.213.1.1.9.7.42",
                    Model.DocKind.CONSULTATION,
                    LocalDateTime.of(2024, 7, 15, 10, 30),
                    "pro-1",
                    "org-1",
                    "Consultation du 15/07 <suivi>",
                    text,
                    List.of(),
                    null);
        }

        static List<Model.Measurement> labResults() {
            LocalDateTime at = LocalDateTime.of(2024, 7, 10, 8, 15);
            return List.of(
                    new Model.Measurement(at, "718-7", "Hémoglobine", 11.2, "g/dL", "g/dL", "laboratory", 12.0, 16.0),
                    new Model.Measurement(at, "2345-7", "Glucose", 0.95, "g/L", "g/L", "laboratory", 0.70, 1.10),
                    new Model.Measurement(
                            at.plusMinutes(5),
                            "2951-2",
                            "Sodium & co ^ | ~ \\",
                            142.0,
                            "mmol/L",
                            "mmol/L",
                            "laboratory",
                            135.0,
                            145.0));
        }

        static Model.PatientRecord patient() {
            List<Model.Reimbursement> reimbursements = new ArrayList<>();
            reimbursements.add(
                    new Model.Reimbursement(LocalDate.of(2024, 3, 2), "G", "Consultation", 30.0, 21.0, "pro-1"));
            reimbursements.add(new Model.Reimbursement(
                    LocalDate.of(2024, 3, 9), "B", "Bilan \"lipides\" ; glycémie", 12.5, 8.75, null));
            reimbursements.add(
                    new Model.Reimbursement(LocalDate.of(2024, 4, 1), "K", "Acte inconnu", 1234.56, 0.0, "unknown"));
            return new Model.PatientRecord(
                    "patient-1",
                    identity(),
                    "pro-1",
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.copyOf(reimbursements));
        }
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String value(Document xml, String path) throws Exception {
        return xpath().evaluate(path, xml);
    }

    private static List<String> values(Document xml, String path) throws Exception {
        NodeList nodes = (NodeList) xpath().evaluate(path, xml, XPathConstants.NODESET);
        return IntStream.range(0, nodes.getLength())
                .mapToObj(i -> nodes.item(i).getTextContent())
                .toList();
    }

    private static XPath xpath() {
        XPath xpath = XPathFactory.newInstance().newXPath();
        xpath.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return "h".equals(prefix) ? "urn:hl7-org:v3" : XMLConstants.NULL_NS_URI;
            }

            @Override
            public String getPrefix(String namespaceUri) {
                return null;
            }

            @Override
            public Iterator<String> getPrefixes(String namespaceUri) {
                return List.<String>of().iterator();
            }
        });
        return xpath;
    }
}
