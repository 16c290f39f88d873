package org.carnet.ingestion.cda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CdaReaderTests {

    private static final String LOINC = "2.16.840.1.113883.6.1";
    private static final String INS_NIR_TEST = "1.2.250.1.213.1.4.10";
    private static final String IDNAT_PS = "1.2.250.1.71.4.2.1";
    private static final String PROFESSIONS = "1.2.250.1.213.1.1.4.5";

    @Test
    void readsTheHeaderOfAStructuredConsultationReport() throws Exception {
        CdaDocument cda = CdaReader.read(fixture("consultation_structured.xml"));

        assertThat(cda.uniqueId()).isEqualTo("1.2.250.1.999.42.1^CR-2023-0415-001");
        assertThat(cda.setId()).isEqualTo("1.2.250.1.999.42.1^CR-2023-0415");
        assertThat(cda.version()).isEqualTo(1);
        assertThat(cda.patientIds())
                .containsExactly(new Id(INS_NIR_TEST, "282067512345645"), new Id("1.2.250.1.999.42.2", "IPP-000123"));
        assertThat(cda.birthFamily()).isEqualTo("MARTIN");
        assertThat(cda.givens()).containsExactly("CLAIRE ANNE", "CLAIRE");
        assertThat(cda.birthDate()).isEqualTo(LocalDate.of(1982, 6, 15));
        assertThat(cda.sex()).isEqualTo("F");
        assertThat(cda.type()).isEqualTo(new Coding(LOINC, "11488-4", "CR de consultation"));
        assertThat(cda.title()).isEqualTo("Compte rendu de consultation de cardiologie");
        assertThat(cda.created()).isEqualTo(Instant.parse("2023-04-15T08:30:00Z"));
        assertThat(cda.language()).isEqualTo("fr-FR");
        assertThat(cda.confidentiality()).isEqualTo(new Coding("2.16.840.1.113883.5.25", "N", "Normal"));
        Coding cardiologist =
                new Coding(PROFESSIONS, "G15_10/SM04", "Médecin - Cardiologie et maladies vasculaires (SM)");
        assertThat(cda.authors())
                .containsExactly(new Author(
                        IDNAT_PS,
                        "810002345678",
                        "LEROY",
                        "Jeanne",
                        cardiologist,
                        "Cabinet de cardiologie du Parc",
                        new Id("1.2.250.1.71.4.2.2", "1690000001"),
                        Instant.parse("2023-04-15T08:30:00Z")));
        assertThat(cda.legalAuthenticator())
                .isEqualTo(new Author(
                        IDNAT_PS,
                        "810002345678",
                        "LEROY",
                        "Jeanne",
                        cardiologist,
                        "Cabinet de cardiologie du Parc",
                        null,
                        Instant.parse("2023-04-15T09:00:00Z")));
        assertThat(cda.custodian())
                .isEqualTo(
                        new Organisation(new Id("1.2.250.1.71.4.2.2", "1690000001"), "Cabinet de cardiologie du Parc"));
        assertThat(cda.serviceStart()).isEqualTo(Instant.parse("2023-04-15T08:00:00Z"));
        assertThat(cda.serviceEnd()).isEqualTo(Instant.parse("2023-04-15T08:30:00Z"));
        assertThat(cda.eventCodes())
                .containsExactly(
                        new Coding("1.2.250.1.213.2.5", "DEQP003", "Électrocardiographie sur au moins 12 dérivations"));
        assertThat(cda.facilityType()).isEqualTo(new Coding("1.2.250.1.71.4.2.4", "SA07", "Cabinet individuel"));
        assertThat(cda.practiceSetting()).isEqualTo(new Coding("1.2.250.1.213.1.1.4.9", "AMBULATOIRE", "Ambulatoire"));
        assertThat(cda.templateIds())
                .containsExactly("2.16.840.1.113883.2.8.2.1", "1.2.250.1.213.1.1.1.1", "1.3.6.1.4.1.19376.1.5.3.1.1.1");
        assertThat(cda.replaces()).isNull();
        assertThat(cda.embedded()).isNull();
        assertThat(cda.embeddedMediaType()).isNull();
    }

    @Test
    void narrativeHasEachSectionTitleAndTextOnALineWithoutTheCodedEntries() throws Exception {
        CdaDocument cda = CdaReader.read(fixture("consultation_structured.xml"));

        assertThat(cda.narrative()).isEqualTo("""
                Motif de consultation
                Palpitations à l'effort depuis trois semaines.
                Examen clinique
                Tension artérielle : 135/85 mmHg Fréquence cardiaque : 72/min SpO2 98 % Auscultation normale.
                ECG
                Rythme sinusal régulier, pas de trouble de la repolarisation.
                Conclusion
                Extrasystoles bénignes Holter ECG de 24 h à programmer""");
        assertThat(cda.narrative()).doesNotContain("ENTRY-ONLY");
    }

    @Test
    void decodesTheEmbeddedPdfOfANonXmlBody() throws Exception {
        CdaDocument cda = CdaReader.read(fixture("biology_report_embedded_pdf.xml"));

        assertThat(cda.embedded())
                .isEqualTo(fixture("biology_report_embedded.pdf").readAllBytes());
        assertThat(cda.embeddedMediaType()).isEqualTo("application/pdf");
        assertThat(cda.narrative()).isEmpty();
        assertThat(cda.uniqueId()).as("a root without extension").isEqualTo("1.2.250.1.999.7.2023.1.10.1");
        assertThat(cda.type()).isEqualTo(new Coding(LOINC, "11502-2", "CR d'examens biologiques"));
        assertThat(cda.patientIds()).containsExactly(new Id(INS_NIR_TEST, "175037512345612"));
        assertThat(cda.birthFamily()).as("no BR qualifier: the first family").isEqualTo("BERNARD");
        assertThat(cda.givens()).containsExactly("PAUL");
        assertThat(cda.legalAuthenticator()).isNull();
    }

    @Test
    void readsWinterOffsetsMinutePrecisionAndDateOnlyTimesInParis() throws Exception {
        CdaDocument cda = CdaReader.read(fixture("biology_report_embedded_pdf.xml"));

        assertThat(cda.created()).isEqualTo(Instant.parse("2023-01-10T14:15:00Z"));
        assertThat(cda.authors().get(0).time())
                .as("202301101500+0100")
                .isEqualTo(Instant.parse("2023-01-10T14:00:00Z"));
        assertThat(cda.serviceStart())
                .as("20230110, midnight in Paris")
                .isEqualTo(Instant.parse("2023-01-09T23:00:00Z"));
        assertThat(cda.serviceEnd()).isEqualTo(Instant.parse("2023-01-10T13:30:00Z"));
    }

    @Test
    void aReplacingVersionNamesTheDocumentItReplaces() throws Exception {
        CdaDocument first = CdaReader.read(fixture("consultation_structured.xml"));
        CdaDocument second = CdaReader.read(fixture("consultation_replacing_previous_version.xml"));

        assertThat(second.replaces()).isEqualTo(first.uniqueId());
        assertThat(second.uniqueId()).isEqualTo("1.2.250.1.999.42.1^CR-2023-0415-002");
        assertThat(second.setId()).isEqualTo(first.setId());
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.narrative()).endsWith("Holter ECG de 24 h programmé le 2 mai");
    }

    @Test
    void readsTheDocumentAnAutopresentableStylesheetCarries() throws Exception {
        String consultation = text("consultation_structured.xml");
        String document = consultation.substring(consultation.indexOf("<ClinicalDocument"));
        String stylesheet = """
                <?xml version="1.0" encoding="UTF-8"?>
                <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                    xmlns:data="urn:asip-sante:ci-sis">
                  <data:Contenu>%s</data:Contenu>
                  <xsl:template match="/"/>
                </xsl:stylesheet>
                """.formatted(document);

        assertThat(read(stylesheet).uniqueId()).isEqualTo("1.2.250.1.999.42.1^CR-2023-0415-001");
    }

    @Test
    void readsAThreeDigitOffsetAsHoursAndMinutesAsTheAnsExamplesWriteIt() throws Exception {
        CdaDocument cda = read(consultationWith(
                "<effectiveTime value=\"20230415103000+0200\"/>", "<effectiveTime value=\"20240106113623+100\"/>"));

        assertThat(cda.created()).isEqualTo(Instant.parse("2024-01-06T10:36:23Z"));
    }

    @Test
    void aBirthYearAloneGivesNoBirthDateRatherThanAnInventedDay() throws Exception {
        CdaDocument cda = read(consultationWith("<birthTime value=\"19820615\"/>", "<birthTime value=\"1982\"/>"));

        assertThat(cda.birthDate()).isNull();
    }

    @Test
    void leavesTheStreamOpenForItsOwner() throws Exception {
        boolean[] closed = {false};
        InputStream in = new FilterInputStream(fixture("consultation_structured.xml")) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };

        CdaReader.read(in);

        assertThat(closed[0]).isFalse();
    }

    @Test
    void refusesWhatIsNotXml() {
        assertRefused("this is not XML", "not well-formed XML (line 1): Content is not allowed in prolog.");
        assertRefused(
                "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n  <id root=\"1.2.3\"/>\n",
                "not well-formed XML (line 3): XML document structures must start and end within the same entity.");
        assertRefused("", "not well-formed XML (line 1): Premature end of file.");
    }

    @Test
    void refusesBytesThatAreNotInTheDeclaredEncoding() {
        byte[] latin1 = consultationWith("Palpitations", "Palpitations très").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> CdaReader.read(new ByteArrayInputStream(latin1)))
                .isInstanceOf(CdaException.class)
                .hasMessage("not well-formed XML (line 40): Invalid byte 2 of 3-byte UTF-8 sequence.");
    }

    @Test
    void refusesADoctypeSoNoEntityIsEverExpandedOrFetched() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE ClinicalDocument [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <ClinicalDocument xmlns="urn:hl7-org:v3"><title>&secret;</title></ClinicalDocument>
                """;

        assertRefused(xxe, "DTDs are not accepted (line 2): a CDA document must not carry a DOCTYPE declaration");
    }

    @Test
    void refusesXmlThatIsNotCda() {
        assertRefused("<foo/>", "not a CDA document: the root element is <foo>");
        assertRefused(
                "<ClinicalDocument/>",
                "not a CDA document: the root element is <ClinicalDocument> "
                        + "outside the CDA namespace urn:hl7-org:v3 (namespace: none)");
        assertRefused(
                "<xsl:stylesheet xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\"/>",
                "not a CDA document: the root element is <xsl:stylesheet>, a stylesheet that carries no "
                        + "ClinicalDocument");
    }

    @Test
    void refusesADocumentWithoutId() {
        assertRefused(
                consultationWith(
                        "<id root=\"1.2.250.1.999.42.1\" extension=\"CR-2023-0415-001\"/>", "<id nullFlavor=\"NI\"/>"),
                "no document id (ClinicalDocument/id)");
    }

    @Test
    void refusesADocumentWithoutPatientIdentifier() {
        String noPatientId = consultationWith("<id root=\"1.2.250.1.213.1.4.10\" extension=\"282067512345645\"/>", "")
                .replace("<id root=\"1.2.250.1.999.42.2\" extension=\"IPP-000123\"/>", "<id nullFlavor=\"UNK\"/>");

        assertRefused(noPatientId, "no patient identifier (recordTarget/patientRole/id)");
    }

    @Test
    void refusesADocumentAboutTwoPatients() {
        String recordTarget =
                text("consultation_structured.xml").replaceAll("(?s).*(<recordTarget>.*</recordTarget>).*", "$1");

        assertRefused(
                consultationWith("<author>", recordTarget + "<author>"),
                "more than one patient (2 recordTarget): the record files a document under a single patient");
    }

    @Test
    void refusesADocumentWithoutTypeCreationTimeOrBody() {
        assertRefused(
                consultationWith("<code code=\"11488-4\"", "<code nullFlavor=\"UNK\""),
                "no document type (ClinicalDocument/code)");
        assertRefused(
                consultationWith("<effectiveTime value=\"20230415103000+0200\"/>", ""),
                "no creation time (ClinicalDocument/effectiveTime)");
        String bodiless =
                text("consultation_structured.xml").replaceAll("(?s)<component>\\s*<structuredBody>.*</component>", "");
        assertRefused(bodiless, "no body (component/structuredBody or component/nonXMLBody)");
    }

    @Test
    void refusesAMalformedDateNamingTheElement() {
        assertRefused(
                consultationWith(
                        "20230415103000+0200\"/>\n  <confidentialityCode", "2023-04-15\"/>\n  <confidentialityCode"),
                "malformed date in ClinicalDocument/effectiveTime: \"2023-04-15\" is not an HL7 timestamp "
                        + "(YYYYMMDD[HHMM[SS]][+ZZZZ], e.g. 20230415103000+0200)");
        assertRefused(
                consultationWith("<birthTime value=\"19820615\"/>", "<birthTime value=\"19820231\"/>"),
                "malformed date in recordTarget/patientRole/patient/birthTime: \"19820231\" is not an HL7 timestamp "
                        + "(YYYYMMDD[HHMM[SS]][+ZZZZ], e.g. 20230415103000+0200): Invalid date 'FEBRUARY 31'");
        assertRefused(
                consultationWith(
                        "<low value=\"20230415100000+0200\"/>\n        <high",
                        "<low value=\"202304151000000\"/>\n        <high"),
                "malformed date in documentationOf/serviceEvent/effectiveTime/low: \"202304151000000\" is not an HL7 "
                        + "timestamp (YYYYMMDD[HHMM[SS]][+ZZZZ], e.g. 20230415103000+0200)");
        assertRefused(
                consultationWith("<time value=\"20230415110000+0200\"/>", "<time value=\"20230415250000+0200\"/>"),
                "malformed date in legalAuthenticator/time: \"20230415250000+0200\" is not an HL7 timestamp "
                        + "(YYYYMMDD[HHMM[SS]][+ZZZZ], e.g. 20230415103000+0200): "
                        + "Invalid value for HourOfDay (valid values 0 - 23): 25");
    }

    @Test
    void refusesAMalformedVersionNumber() {
        assertRefused(
                consultationWith("<versionNumber value=\"1\"/>", "<versionNumber value=\"v1\"/>"),
                "malformed version (ClinicalDocument/versionNumber): \"v1\" is not a whole number");
    }

    @Test
    void refusesAnEmbeddedDocumentThatIsNotBase64() {
        String pdf = text("biology_report_embedded_pdf.xml");

        assertRefused(
                pdf.replace("JVBERi0xLjQK", "JVBERi0x#jQK"),
                "embedded document is not valid base64 (component/nonXMLBody/text): Illegal base64 character 23");
        assertRefused(
                pdf.replaceAll("(?s)(representation=\"B64\">).*(</text>)", "$1 $2"),
                "empty embedded document (component/nonXMLBody/text)");
    }

    @Test
    void readsATwentyMegabyteDocument() throws Exception {
        byte[] pdf = new byte[15 * 1024 * 1024];
        new Random(6).nextBytes(pdf);
        String base64 = Base64.getMimeEncoder().encodeToString(pdf);
        String big = text("biology_report_embedded_pdf.xml")
                .replaceAll("(?s)(representation=\"B64\">).*(</text>)", "$1" + base64 + "$2");
        assertThat(big.length()).isGreaterThan(20_000_000);

        CdaDocument cda = read(big);

        assertThat(cda.embedded()).isEqualTo(pdf);
    }

    @Test
    void capsTheNarrativeAtAMillionCharacters() throws Exception {
        String paragraph = "<paragraph>" + "Lorem ipsum dolor sit amet. ".repeat(2_000) + "</paragraph>";
        String huge = consultationWith("<paragraph>Palpitations", paragraph.repeat(25) + "<paragraph>Palpitations");

        CdaDocument cda = read(huge);

        assertThat(cda.narrative().length())
                .isLessThanOrEqualTo(CdaDocument.NARRATIVE_CAP)
                .isGreaterThan(CdaDocument.NARRATIVE_CAP - 10);
        assertThat(cda.narrative()).startsWith("Motif de consultation\nLorem ipsum");
    }

    @Test
    void anUnreadableStreamIsAnIoFailureNotARefusal() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> CdaReader.read(failing)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void neverPrintsThePatientWhenLogged() throws Exception {
        String logged = CdaReader.read(fixture("consultation_structured.xml")).toString();

        assertThat(logged)
                .contains("1.2.250.1.999.42.1^CR-2023-0415-001")
                .doesNotContain("282067512345645", "MARTIN", "Palpitations");
    }

    private static void assertRefused(String xml, String reason) {
        assertThatThrownBy(() -> read(xml)).isInstanceOf(CdaException.class).hasMessage(reason);
    }

    private static CdaDocument read(String xml) throws CdaException {
        return CdaReader.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The structured consultation with one piece of it replaced; fails if the piece is not there. */
    private static String consultationWith(String piece, String replacement) {
        String consultation = text("consultation_structured.xml");
        assertThat(consultation).contains(piece);
        return consultation.replaceFirst(Pattern.quote(piece), Matcher.quoteReplacement(replacement));
    }

    private static InputStream fixture(String name) {
        InputStream in = CdaReaderTests.class.getResourceAsStream("/ingestion/cda/" + name);
        assertThat(in).as(name).isNotNull();
        return in;
    }

    private static String text(String name) {
        try (InputStream in = fixture(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
