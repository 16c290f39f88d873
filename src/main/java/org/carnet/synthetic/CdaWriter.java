package org.carnet.synthetic;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Writes one {@link Model.Document} as a CDA R2 document with the header of the French interoperability framework
 * (CI-SIS), the way a hospital or practice system sends it to the shared record.
 *
 * <p>Contract: the output is a well-formed, UTF-8, {@code urn:hl7-org:v3} document; it depends only on the
 * arguments (same inputs, same string: no clock, no random ids); every text and attribute is escaped, and
 * characters XML 1.0 cannot carry are replaced by U+FFFD. The header follows the CI-SIS examples: HL7 France,
 * CI-SIS and IHE PCC "medical document" templates, the patient under their INS (root = the record's INS OID,
 * extension = the matricule), the author and legal authenticator under their IdNat_PS, the organisation under
 * its FINESS, and a structured body with one free-text section (FR-Commentaire-non-code) holding the note as
 * one {@code <paragraph>} per non-blank line. The document's author and organisation must be in the
 * directory, otherwise {@link IllegalArgumentException}. Stateless, hence thread-safe.
 */
final class CdaWriter {

    static final String HL7_V3 = "urn:hl7-org:v3";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String LOINC = "2.16.840.1.113883.6.1";
    static final String IDNAT_PS = "1.2.250.1.71.4.2.1";
    /** IdNat_Struct: a structure's national id; a FINESS is prefixed with {@code 1}. */
    static final String IDNAT_STRUCT = "1.2.250.1.71.4.2.2";

    private static final String HL7_FRANCE_TEMPLATE = "2.16.840.1.113883.2.8.2.1";
    private static final String CI_SIS_TEMPLATE = "1.2.250.1.213.1.1.1.1";
    private static final String IHE_PCC_MEDICAL_DOCUMENT = "1.3.6.1.4.1.19376.1.5.3.1.1.1";
    private static final String PROFESSION_SYSTEM = "1.2.250.1.213.1.1.4.5";
    private static final String FACILITY_TYPE_SYSTEM = "1.2.250.1.71.4.2.4";
    private static final String PRACTICE_SETTING_SYSTEM = "1.2.250.1.213.1.1.4.9";
    private static final String ACT_CODE_SYSTEM = "2.16.840.1.113883.5.4";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmssxx");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");
    /**
     * Root for uniqueIds that are not OIDs: a 2.25 (UUID-derived) OID nobody else allocates, computed from a fixed
     * name so it never changes between runs.
     */
    static final String CARNET_ROOT = "2.25."
            + uuidAsDecimal(UUID.nameUUIDFromBytes("carnet:synthetic:document".getBytes(StandardCharsets.UTF_8)));

    String write(Model.PatientRecord patient, Model.Document document, Directory directory) {
        Model.Professional author =
                require(directory.professional(document.authorKey()), "author", document.authorKey());
        Model.Organisation organisation =
                require(directory.organisation(document.organisationKey()), "organisation", document.organisationKey());
        Period period = period(patient, document);

        Xml xml = new Xml();
        xml.open("ClinicalDocument", "xmlns", HL7_V3, "xmlns:xsi", XSI);
        header(xml, document);
        recordTarget(xml, patient.identity());
        author(xml, document, author, organisation);
        custodian(xml, organisation);
        legalAuthenticator(xml, document, author, organisation);
        documentationOf(xml, period, author, organisation);
        componentOf(xml, period, organisation);
        body(xml, document);
        xml.close();
        return xml.toString();
    }

    private static void header(Xml xml, Model.Document document) {
        xml.empty("realmCode", "code", "FR");
        xml.empty("typeId", "root", "2.16.840.1.113883.1.3", "extension", "POCD_HD000040");
        xml.empty("templateId", "root", HL7_FRANCE_TEMPLATE);
        xml.empty("templateId", "root", CI_SIS_TEMPLATE);
        xml.empty("templateId", "root", IHE_PCC_MEDICAL_DOCUMENT);
        InstanceId id = InstanceId.of(document.uniqueId());
        xml.empty("id", "root", id.root(), "extension", id.extension());
        xml.empty(
                "code",
                "code",
                document.kind().loinc,
                "displayName",
                document.kind().label,
                "codeSystem",
                LOINC,
                "codeSystemName",
                "LOINC");
        xml.element("title", Optional.ofNullable(document.title()).orElse(document.kind().label));
        xml.empty("effectiveTime", "value", timestamp(document.date()));
        xml.empty(
                "confidentialityCode",
                "code",
                "N",
                "displayName",
                "Normal",
                "codeSystem",
                "2.16.840.1.113883.5.25",
                "codeSystemName",
                "Confidentiality");
        xml.empty("languageCode", "code", "fr-FR");
        InstanceId set = id.set();
        xml.empty("setId", "root", set.root(), "extension", set.extension());
        xml.empty("versionNumber", "value", "1");
    }

    private static void recordTarget(Xml xml, Model.Identity who) {
        xml.open("recordTarget").open("patientRole");
        xml.empty("id", "root", who.insOid(), "extension", who.nir());
        address(xml, who.address(), "H");
        if (who.phone() != null && !who.phone().isBlank()) {
            String phone = who.phone().replaceAll("[^0-9+]", "");
            xml.empty("telecom", "value", "tel:" + phone, "use", phone.matches("0[67].*") ? "MC" : "H");
        }
        xml.open("patient", "classCode", "PSN");
        patientName(xml, who);
        boolean male = who.sex() == Model.Sex.MALE;
        xml.empty(
                "administrativeGenderCode",
                "code",
                male ? "M" : "F",
                "displayName",
                male ? "Masculin" : "Féminin",
                "codeSystem",
                "2.16.840.1.113883.5.1");
        xml.empty("birthTime", "value", who.birthDate().format(DAY));
        if (who.birthplaceInsee() != null) {
            xml.open("birthplace").open("place").open("addr");
            xml.element("county", who.birthplaceInsee());
            xml.element("city", who.birthplaceName());
            xml.close().close().close();
        }
        xml.close().close().close();
    }

    /** The INS traits as the CI-SIS examples write them: birth names (BR), then the names in use (CL). */
    private static void patientName(Xml xml, Model.Identity who) {
        xml.open("name");
        xml.element("family", who.birthFamily(), "qualifier", "BR");
        xml.element("given", String.join(" ", who.birthGivens()));
        xml.element("given", who.firstGiven(), "qualifier", "BR");
        xml.element("family", Optional.ofNullable(who.usedFamily()).orElse(who.birthFamily()), "qualifier", "CL");
        xml.element("given", who.firstGiven(), "qualifier", "CL");
        xml.close();
    }

    private static void author(
            Xml xml, Model.Document document, Model.Professional author, Model.Organisation organisation) {
        xml.open("author");
        xml.empty("time", "value", timestamp(document.date()));
        xml.open("assignedAuthor");
        professional(xml, author, organisation);
        xml.close().close();
    }

    private static void custodian(Xml xml, Model.Organisation organisation) {
        xml.open("custodian").open("assignedCustodian").open("representedCustodianOrganization");
        xml.empty("id", "root", IDNAT_STRUCT, "extension", "1" + organisation.finess());
        xml.element("name", organisation.name());
        xml.empty("telecom", "nullFlavor", "NASK");
        address(xml, organisation.address(), null);
        xml.close().close().close();
    }

    private static void legalAuthenticator(
            Xml xml, Model.Document document, Model.Professional author, Model.Organisation organisation) {
        xml.open("legalAuthenticator");
        xml.empty("time", "value", timestamp(document.date()));
        xml.empty("signatureCode", "code", "S");
        xml.open("assignedEntity");
        professional(xml, author, organisation);
        xml.close().close();
    }

    /** The id, profession, person and organisation shared by assignedAuthor and assignedEntity. */
    private static void professional(Xml xml, Model.Professional who, Model.Organisation organisation) {
        xml.empty("id", "root", IDNAT_PS, "extension", who.idNatPs());
        profession(xml, who.profession());
        address(xml, organisation.address(), null);
        xml.open("assignedPerson").open("name");
        xml.element("prefix", who.sex() == Model.Sex.MALE ? "M" : "MME");
        xml.element("given", who.given());
        xml.element("family", who.family());
        if ("10".equals(who.profession().code())) {
            xml.element("suffix", "DR");
        }
        xml.close().close();
        xml.open("representedOrganization");
        xml.empty("id", "root", IDNAT_STRUCT, "extension", "1" + organisation.finess());
        xml.element("name", organisation.name());
        address(xml, organisation.address(), null);
        practiceSetting(xml, organisation);
        xml.close();
    }

    /** TRE_G15 profession, with the specialty appended as the CI-SIS examples do ({@code G15_10/SM26}). */
    private static void profession(Xml xml, Model.Profession profession) {
        boolean specialised = profession.specialtyCode() != null;
        String code = "G15_" + profession.code() + (specialised ? "/" + profession.specialtyCode() : "");
        String label = profession.label() + (specialised ? " - " + profession.specialtyLabel() + " (SM)" : "");
        xml.empty("code", "code", code, "displayName", label, "codeSystem", PROFESSION_SYSTEM);
    }

    private static void practiceSetting(Xml xml, Model.Organisation organisation) {
        boolean hospital = "hospital".equals(organisation.kind());
        xml.empty(
                "standardIndustryClassCode",
                "code",
                hospital ? "ETABLISSEMENT" : "AMBULATOIRE",
                "displayName",
                hospital ? "Établissement de santé" : "Ambulatoire",
                "codeSystem",
                PRACTICE_SETTING_SYSTEM,
                "codeSystemName",
                "practiceSettingCode");
    }

    private static void documentationOf(
            Xml xml, Period period, Model.Professional author, Model.Organisation organisation) {
        xml.open("documentationOf").open("serviceEvent", "classCode", "ACT", "moodCode", "EVN");
        period.write(xml);
        xml.open("performer", "typeCode", "PRF").open("assignedEntity");
        professional(xml, author, organisation);
        xml.close().close();
        xml.close().close();
    }

    private static void componentOf(Xml xml, Period period, Model.Organisation organisation) {
        xml.open("componentOf").open("encompassingEncounter");
        xml.empty(
                "code",
                "code",
                period.encounterKind(),
                "displayName",
                encounterLabel(period.encounterKind()),
                "codeSystem",
                ACT_CODE_SYSTEM);
        period.write(xml);
        xml.open("location").open("healthCareFacility");
        xml.empty("id", "root", IDNAT_STRUCT, "extension", "1" + organisation.finess());
        FacilityType type = FacilityType.of(organisation.kind());
        xml.empty(
                "code",
                "code",
                type.code(),
                "displayName",
                type.label(),
                "codeSystem",
                FACILITY_TYPE_SYSTEM,
                "codeSystemName",
                "healthCareFacilityTypeCode");
        xml.open("location");
        xml.element("name", organisation.name());
        address(xml, organisation.address(), null);
        xml.close();
        xml.close().close();
        xml.close().close();
    }

    /** One FR-Commentaire-non-code section: the CI-SIS examples' container for free text. */
    private static void body(Xml xml, Model.Document document) {
        xml.open("component").open("structuredBody").open("component").open("section");
        xml.empty("templateId", "root", "2.16.840.1.113883.10.12.201");
        xml.empty("templateId", "root", "1.3.6.1.4.1.19376.1.4.1.2.16");
        xml.empty("templateId", "root", "1.2.250.1.213.1.1.2.73");
        xml.empty(
                "code",
                "code",
                "55112-7",
                "displayName",
                "Commentaire",
                "codeSystem",
                LOINC,
                "codeSystemName",
                "LOINC");
        xml.element("title", document.kind().label);
        xml.open("text");
        String text = Optional.ofNullable(document.text()).orElse("");
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                xml.element("paragraph", line);
            }
        }
        xml.close();
        xml.close().close().close().close();
    }

    private static void address(Xml xml, Model.Address address, @org.jspecify.annotations.Nullable String use) {
        if (address == null) {
            return;
        }
        xml.open("addr", "use", use);
        xml.element("streetAddressLine", address.line());
        xml.element("postalCode", address.postalCode());
        xml.element("city", address.city());
        xml.element("country", "FRANCE");
        xml.close();
    }

    /** A CDA timestamp with the Paris offset of that instant (+0100 in winter, +0200 in summer). */
    static String timestamp(LocalDateTime at) {
        return ZonedDateTime.of(at, PARIS).format(TIMESTAMP);
    }

    private static String encounterLabel(String kind) {
        return switch (kind) {
            case "IMP" -> "Hospitalisation (établissement, y compris HAD)";
            case "EMER" -> "Urgences";
            default -> "Ambulatoire";
        };
    }

    /**
     * The care episode the document belongs to: the record's encounter at the same organisation that covers the
     * document's day, else the document's own date with a kind guessed from the document type.
     */
    private static Period period(Model.PatientRecord patient, Model.Document document) {
        for (Model.Encounter encounter : patient.encounters()) {
            LocalDateTime end = Optional.ofNullable(encounter.end()).orElse(encounter.start());
            boolean sameOrganisation = document.organisationKey().equals(encounter.organisationKey());
            boolean covers = !document.date().isBefore(encounter.start())
                    && !document.date().toLocalDate().isAfter(end.toLocalDate());
            if (sameOrganisation && covers) {
                return new Period(encounter.kind(), encounter.start(), encounter.end());
            }
        }
        String kind = switch (document.kind()) {
            case CR_HOSPITALISATION, LETTRE_LIAISON, CR_OPERATOIRE -> "IMP";
            case URGENCES -> "EMER";
            default -> "AMB";
        };
        return new Period(kind, document.date(), null);
    }

    private static <T> T require(@org.jspecify.annotations.Nullable T value, String what, String key) {
        if (value == null) {
            throw new IllegalArgumentException("the directory has no " + what + " with key " + key);
        }
        return value;
    }

    private static String uuidAsDecimal(UUID uuid) {
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        return new BigInteger(1, bytes).toString();
    }

    private record Period(
            String encounterKind,
            LocalDateTime start,
            @org.jspecify.annotations.Nullable LocalDateTime end) {

        void write(Xml xml) {
            xml.open("effectiveTime");
            xml.empty("low", "value", timestamp(start));
            if (end != null) {
                xml.empty("high", "value", timestamp(end));
            }
            xml.close();
        }
    }

    /** The healthcare facility type (TRE_R02-SecteurActivite) of each kind of generated organisation. */
    private record FacilityType(String code, String label) {

        static FacilityType of(String kind) {
            return switch (kind) {
                case "hospital" -> new FacilityType("SA01", "Etablissement public de santé");
                case "lab" -> new FacilityType("SA25", "Laboratoire de biologie médicale");
                case "pharmacy" -> new FacilityType("SA33", "Pharmacie d'officine");
                default -> new FacilityType("SA07", "Cabinet individuel");
            };
        }
    }

    /**
     * A CDA instance identifier. The generator's uniqueIds are OIDs and the DMP takes {@code root} alone as the
     * XDS uniqueId, so an OID becomes the root with no extension: the CDA id then equals the FHIR
     * masterIdentifier and deduplication sees one key across formats. A {@code root^extension} value is split;
     * anything else goes under {@link #CARNET_ROOT} as the extension.
     */
    record InstanceId(
            String root, @org.jspecify.annotations.Nullable String extension) {

        static InstanceId of(String uniqueId) {
            int caret = uniqueId.indexOf('^');
            if (caret > 0 && OID.matcher(uniqueId.substring(0, caret)).matches()) {
                return new InstanceId(uniqueId.substring(0, caret), uniqueId.substring(caret + 1));
            }
            return OID.matcher(uniqueId).matches()
                    ? new InstanceId(uniqueId, null)
                    : new InstanceId(CARNET_ROOT, uniqueId);
        }

        /**
         * The setId of the first version: distinct from the id, as in every CI-SIS example, yet derived from it
         * (a child arc {@code .0}, or the extension suffixed with {@code -set}) so it stays stable.
         */
        InstanceId set() {
            return extension == null ? new InstanceId(root + ".0", null) : new InstanceId(root, extension + "-set");
        }
    }

    /** A minimal indenting XML writer: escapes every value, omits attributes whose value is null. */
    private static final class Xml {

        private final StringBuilder out =
                new StringBuilder(8192).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        private final Deque<String> open = new ArrayDeque<>();

        Xml open(String name, @org.jspecify.annotations.Nullable String... attributes) {
            indent().append('<').append(name);
            attributes(attributes);
            out.append(">\n");
            open.push(name);
            return this;
        }

        Xml empty(String name, @org.jspecify.annotations.Nullable String... attributes) {
            indent().append('<').append(name);
            attributes(attributes);
            out.append("/>\n");
            return this;
        }

        /** An element with text content; nothing at all when the text is null. */
        Xml element(
                String name,
                @org.jspecify.annotations.Nullable String text,
                @org.jspecify.annotations.Nullable String... attributes) {
            if (text == null) {
                return this;
            }
            indent().append('<').append(name);
            attributes(attributes);
            out.append('>').append(escape(text)).append("</").append(name).append(">\n");
            return this;
        }

        Xml close() {
            String name = open.pop();
            indent().append("</").append(name).append(">\n");
            return this;
        }

        private void attributes(@org.jspecify.annotations.Nullable String... pairs) {
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                if (pairs[i + 1] != null) {
                    out.append(' ')
                            .append(pairs[i])
                            .append("=\"")
                            .append(escape(pairs[i + 1]))
                            .append('"');
                }
            }
        }

        private StringBuilder indent() {
            return out.repeat("  ", open.size());
        }

        @Override
        public String toString() {
            if (!open.isEmpty()) {
                throw new IllegalStateException("unclosed elements: " + open);
            }
            return out.toString();
        }
    }

    /** Escapes markup characters and replaces what XML 1.0 forbids (controls, lone surrogates) by U+FFFD. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.appendCodePoint(allowedInXml(c) ? c : 0xFFFD);
            }
        });
        return escaped.toString();
    }

    private static boolean allowedInXml(int c) {
        return c == 0x9
                || c == 0xA
                || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || c >= 0x10000;
    }
}
