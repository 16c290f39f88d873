package org.carnet.ingestion.cda;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.carnet.document.DocumentIntake;
import org.carnet.ingestion.Connector;
import org.carnet.ingestion.PatientClaim;
import org.carnet.ingestion.pdf.PdfContent;
import org.carnet.ingestion.pdf.PdfException;
import org.carnet.ingestion.pdf.PdfText;
import org.carnet.record.Change;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

/**
 * A CI-SIS CDA document as the DMP files it: a DocumentReference with the header's metadata, the CDA itself as the
 * content, and its narrative as a second, plain-text content kept for search. Shared by the CDA and HL7 v2
 * connectors (an ORU or MDM message carries a CDA).
 */
public final class CdaDocuments {

    static final String IDNAT_PS = "urn:oid:1.2.250.1.71.4.2.1";
    /** The national structure id of the CI-SIS (IdNat_Struct: 1 + FINESS, 3 + SIRET, ...), FR Core type IDNST. */
    static final String IDNAT_STRUCT = "urn:oid:1.2.250.1.71.4.2.2";

    static final String RPPS = "https://rpps.esante.gouv.fr";
    static final String ID_TYPE = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203";
    static final String CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

    private CdaDocuments() {}

    /** The patient a CDA says it is about. */
    static PatientClaim claim(CdaDocument cda) {
        List<PatientClaim.Identifier> ids = cda.patientIds().stream()
                .map(id -> new PatientClaim.Identifier(id.root(), id.extension()))
                .toList();
        return new PatientClaim(
                ids,
                cda.birthFamily(),
                cda.givens().isEmpty() ? null : cda.givens().get(0),
                cda.birthDate(),
                cda.sex());
    }

    /** A document's unique id as the DMP writes it in masterIdentifier: {@code urn:oid:…} or {@code urn:uuid:…}. */
    public static String uniqueId(String cdaId) {
        String root = cdaId.contains("^") ? cdaId.substring(0, cdaId.indexOf('^')) : cdaId;
        if (root.matches("[0-2](\\.[0-9]+)+")) {
            return "urn:oid:" + cdaId;
        }
        if (root.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return "urn:uuid:" + cdaId.toLowerCase(java.util.Locale.ROOT);
        }
        return cdaId;
    }

    /**
     * The changes filing a CDA for a patient: the organisations its header identifies (custodian, authors'
     * organisations) and the roles of identified authors in them, under ids derived from their identifiers (so that
     * filing again writes nothing new: an identical update is a no-op), after the DocumentReference (replacing the
     * document the CDA names, when it is filed) with the CDA and its narrative as contents. An author or organisation
     * the directory cannot hold (no identifier, or an author not in it) is contained in the DocumentReference.
     */
    public static List<Change> file(
            CdaDocument cda, byte[] xml, Set<String> flags, String patientId, Connector.Documents documents) {
        DocumentReference doc = new DocumentReference();
        doc.setId(UUID.randomUUID().toString());
        doc.setMasterIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue(uniqueId(cda.uniqueId())));
        doc.setStatus(DocumentReferenceStatus.CURRENT);
        doc.setType(new CodeableConcept(cda.type().toFhir()));
        doc.setSubject(new Reference("Patient/" + patientId));
        doc.setDate(Date.from(cda.created()));
        doc.setDescription(cda.title());
        List<org.hl7.fhir.r4.model.Resource> contained = new ArrayList<>();
        java.util.Map<String, org.hl7.fhir.r4.model.Resource> shared = new java.util.LinkedHashMap<>();
        int n = 0;
        for (Author author : cda.authors()) {
            String local = "author" + n++;
            Reference who = practitioner(author, documents, contained, local);
            doc.addAuthor(who);
            Reference organisation = author.organisation() == null && author.organisationId() == null
                    ? null
                    : organization(
                            new Organisation(author.organisationId(), author.organisation()),
                            contained,
                            shared,
                            local + "-org");
            if (organisation != null) {
                doc.addAuthor(role(author, who, organisation, contained, shared, local + "-role"));
            }
        }
        if (cda.legalAuthenticator() != null) {
            doc.setAuthenticator(practitioner(cda.legalAuthenticator(), documents, contained, "authenticator"));
        }
        if (cda.custodian() != null) {
            doc.setCustodian(organization(cda.custodian(), contained, shared, "custodian"));
        }
        contained.forEach(doc::addContained);
        if (cda.confidentiality() != null) {
            doc.addSecurityLabel(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                    CONFIDENTIALITY,
                    cda.confidentiality().code(),
                    cda.confidentiality().display())));
        }
        for (String flag : flags) {
            // the document intake mirrors these into meta.security, where the access decision reads them
            doc.addSecurityLabel(new CodeableConcept(
                    new org.hl7.fhir.r4.model.Coding(DocumentIntake.VISIBILITY_SYSTEM, flag, null)));
        }
        DocumentReference.DocumentReferenceContextComponent context = doc.getContext();
        if (cda.serviceStart() != null || cda.serviceEnd() != null) {
            context.setPeriod(new Period()
                    .setStartElement(dateTime(cda.serviceStart()))
                    .setEndElement(dateTime(cda.serviceEnd())));
        }
        cda.eventCodes().forEach(code -> context.addEvent(new CodeableConcept(code.toFhir())));
        if (cda.facilityType() != null) {
            context.setFacilityType(new CodeableConcept(cda.facilityType().toFhir()));
        }
        if (cda.practiceSetting() != null) {
            context.setPracticeSetting(new CodeableConcept(cda.practiceSetting().toFhir()));
        }
        var content = doc.addContent()
                .getAttachment()
                .setContentType("text/xml")
                .setData(xml)
                .setTitle(cda.title());
        content.setLanguage(cda.language());
        content.setCreationElement(dateTime(cda.created()));
        String text = cda.narrative().isBlank() ? embeddedText(cda, doc) : cda.narrative();
        if (!text.isBlank()) {
            doc.addContent()
                    .getAttachment()
                    .setContentType("text/plain; charset=utf-8")
                    .setTitle("Texte du document (pour la recherche)")
                    .setData(text.getBytes(StandardCharsets.UTF_8));
        }
        if (cda.replaces() != null) {
            // The replaced version may never have reached Carnet (sent before, or elsewhere): then the new one is
            // filed as current and names the one it replaces by unique id only.
            String replaced = documents.filedUnder(uniqueId(cda.replaces()), patientId);
            Reference target = replaced != null
                    ? new Reference("DocumentReference/" + replaced)
                    : new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem("urn:ietf:rfc:3986")
                                    .setValue(uniqueId(cda.replaces())));
            doc.addRelatesTo()
                    .setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                    .setTarget(target);
        }
        // The document first: callers name an item's filed resources in order, the document before what it names.
        List<Change> changes = new ArrayList<>();
        changes.add(new Change.Create(doc));
        shared.values().forEach(resource -> changes.add(new Change.Update(resource, null)));
        return changes;
    }

    /** The changes with each shared resource (same type and id) once: two CDAs of a message may name one hospital. */
    public static List<Change> distinct(List<Change> changes) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return changes.stream()
                .filter(c -> !(c instanceof Change.Update u)
                        || seen.add(u.type() + "/" + u.resource().getIdElement().getIdPart()))
                .toList();
    }

    /**
     * The organisation: shared (an Organization whose id derives from its identifier) when the header identifies it,
     * else contained, with its name only.
     */
    private static Reference organization(
            Organisation organisation,
            List<org.hl7.fhir.r4.model.Resource> contained,
            java.util.Map<String, org.hl7.fhir.r4.model.Resource> shared,
            String localId) {
        org.hl7.fhir.r4.model.Organization resource = new org.hl7.fhir.r4.model.Organization();
        resource.setName(organisation.name());
        Id id = organisation.id();
        if (id == null || id.extension() == null) {
            resource.setId(localId);
            contained.add(resource);
            return new Reference("#" + localId).setDisplay(organisation.name());
        }
        Identifier identifier =
                resource.addIdentifier().setSystem("urn:oid:" + id.root()).setValue(id.extension());
        if (IDNAT_STRUCT.equals(identifier.getSystem())) {
            identifier.setType(
                    idType("IDNST", "Identification nationale de structure définie par l’ANS dans le CI_SIS"));
        }
        String key = identifier.getSystem() + "|" + id.extension();
        resource.setId(stableId("cda-org", key));
        // Once per unit; a later header naming it otherwise writes a new version (the last header read wins).
        shared.putIfAbsent("Organization/" + resource.getIdPart(), resource);
        return new Reference("Organization/" + resource.getIdPart()).setDisplay(organisation.name());
    }

    /**
     * The author's role in their organisation (PractitionerRole: who, where, as what): shared when both the person
     * (in the directory) and the organisation are, under an id derived from the three; contained otherwise.
     */
    private static Reference role(
            Author author,
            Reference who,
            Reference organisation,
            List<org.hl7.fhir.r4.model.Resource> contained,
            java.util.Map<String, org.hl7.fhir.r4.model.Resource> shared,
            String localId) {
        org.hl7.fhir.r4.model.PractitionerRole role = new org.hl7.fhir.r4.model.PractitionerRole();
        role.setPractitioner(new Reference(who.getReference()));
        role.setOrganization(new Reference(organisation.getReference()));
        if (author.role() != null) {
            role.addCode(new CodeableConcept(author.role().toFhir()));
        }
        if (who.getReference().startsWith("#") || organisation.getReference().startsWith("#")) {
            role.setId(localId);
            contained.add(role);
            return new Reference("#" + localId);
        }
        String key = who.getReference() + "|" + organisation.getReference() + "|"
                + (author.role() == null
                        ? ""
                        : author.role().system() + "|" + author.role().code());
        role.setId(stableId("cda-role", key));
        shared.putIfAbsent("PractitionerRole/" + role.getIdPart(), role);
        return new Reference("PractitionerRole/" + role.getIdPart());
    }

    private static String stableId(String prefix, String key) {
        return prefix + "-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private static CodeableConcept idType(String code, String display) {
        return new CodeableConcept(new org.hl7.fhir.r4.model.Coding(ID_TYPE, code, display));
    }

    /**
     * The text of a level 1 CDA's embedded PDF, read as an uploaded PDF's is (ADR 0010): a scan is tagged
     * {@code sans-texte}, a PDF with some pages without text {@code texte-partiel}, a PDF that cannot be read
     * {@code contenu-illisible}; the CDA itself is filed as sent whatever its PDF holds.
     */
    private static String embeddedText(CdaDocument cda, DocumentReference doc) {
        if (cda.embedded() == null
                || cda.embeddedMediaType() == null
                || !cda.embeddedMediaType().toLowerCase(java.util.Locale.ROOT).startsWith("application/pdf")) {
            return "";
        }
        java.nio.file.Path temp = null;
        try {
            temp = java.nio.file.Files.createTempFile("carnet-cda-pdf-", ".pdf");
            java.nio.file.Files.write(temp, cda.embedded());
            PdfContent pdf = PdfText.read(temp);
            if (pdf.scanned()) {
                doc.getMeta().addTag(DocumentIntake.DOCUMENT_FLAGS, "sans-texte", "Pages numérisées, sans texte");
            } else if (!pdf.pagesWithoutText().isEmpty()) {
                doc.getMeta().addTag(DocumentIntake.DOCUMENT_FLAGS, "texte-partiel", "Certaines pages sans texte");
            }
            return pdf.text();
        } catch (PdfException e) {
            String message = java.util.Objects.requireNonNull(e.getMessage(), "a PdfException has its reason");
            String reason = message.length() > 200 ? message.substring(0, 200) : message;
            doc.getMeta()
                    .addTag(
                            DocumentIntake.DOCUMENT_FLAGS,
                            "contenu-illisible",
                            "Contenu illisible comme application/pdf : " + reason);
            return "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (temp != null) {
                try {
                    java.nio.file.Files.deleteIfExists(temp);
                } catch (java.io.IOException ignored) {
                    // a temporary file left behind is removed by the system's cleaner
                }
            }
        }
    }

    /** A reference to the directory's Practitioner with that IdNat_PS, or a contained one when it is not there. */
    private static Reference practitioner(
            Author author,
            Connector.Documents documents,
            List<org.hl7.fhir.r4.model.Resource> contained,
            String localId) {
        String idNat = author.idExtension();
        String known =
                idNat != null && author.idRoot() != null && author.idRoot().equals(IDNAT_PS.substring(8))
                        ? documents.practitioner(idNat)
                        : null;
        if (known != null) {
            return new Reference("Practitioner/" + known);
        }
        Practitioner practitioner = new Practitioner();
        practitioner.setId(localId);
        if (idNat != null && IDNAT_PS.equals("urn:oid:" + author.idRoot())) {
            // FR Core's slices: idNatPs (type IDNPS); for an RPPS-based one (8 + RPPS), rpps too. An ADELI-based one
            // (0 + ADELI) gets no ADELI identifier: ADELI has no system in FR Core (ADR 0013).
            practitioner
                    .addIdentifier()
                    .setType(idType("IDNPS", "Identifiant National de Professionnel de Santé"))
                    .setSystem(IDNAT_PS)
                    .setValue(idNat);
            if (idNat.length() == 12 && idNat.startsWith("8")) {
                practitioner
                        .addIdentifier()
                        .setType(idType("RPPS", "N° RPPS"))
                        .setSystem(RPPS)
                        .setValue(idNat.substring(1));
            }
        } else if (idNat != null) {
            practitioner
                    .addIdentifier()
                    .setSystem(author.idRoot() == null ? null : "urn:oid:" + author.idRoot())
                    .setValue(idNat);
        }
        var name = practitioner.addName().setFamily(author.family());
        if (author.given() != null) {
            name.addGiven(author.given());
        }
        contained.add(practitioner);
        return new Reference("#" + localId);
    }

    private static @org.jspecify.annotations.Nullable DateTimeType dateTime(
            @org.jspecify.annotations.Nullable Instant instant) {
        return instant == null ? null : new DateTimeType(Date.from(instant));
    }
}
