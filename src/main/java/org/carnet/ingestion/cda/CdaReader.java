package org.carnet.ingestion.cda;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Reads the header and text of a CDA R2 document as the French interoperability framework (CI-SIS) shapes it,
 * including the "autoprésentable" form, where the document sits inside its own XSLT stylesheet.
 *
 * <p>Contract: a document is read only if it can be filed: well-formed XML whose CDA root is in the
 * {@code urn:hl7-org:v3} namespace, with a document id, exactly one patient with at least one identifier, a
 * document type, a creation time, and a body; every date it gives must be a valid HL7 timestamp. Otherwise
 * {@link CdaException} says which of these failed. The XML is parsed with no DTD, no external entity and no
 * network access (see {@link SecureXml}), so a hostile document can neither read files nor blow up memory through
 * entities. Nothing is validated against the CDA schema or the CI-SIS schematrons: elements the header does not
 * need are ignored. Stateless, hence thread-safe.
 */
public final class CdaReader {

    private static final String XSLT = "http://www.w3.org/1999/XSL/Transform";

    private CdaReader() {}

    /**
     * Reads a CDA document's header and narrative. Throws CdaException with a precise, human reason for anything
     * that cannot be filed.
     *
     * <p>Reads {@code in} to its end and leaves it open. A failure to read the stream itself is an
     * {@link java.io.UncheckedIOException}: it is no fault of the document.
     */
    public static CdaDocument read(InputStream in) throws CdaException {
        Element cda = clinicalDocument(SecureXml.parse(in).getDocumentElement());
        Id id = Hl7Xml.id(Hl7Xml.child(cda, "id"));
        if (id == null) {
            throw new CdaException("no document id (ClinicalDocument/id)");
        }
        Element patientRole = patientRole(cda);
        List<Id> patientIds = new ArrayList<>();
        for (Element patientId : Hl7Xml.all(patientRole, "id")) {
            Id patient = Hl7Xml.id(patientId);
            if (patient != null) {
                patientIds.add(patient);
            }
        }
        if (patientIds.isEmpty()) {
            throw new CdaException("no patient identifier (recordTarget/patientRole/id)");
        }
        Coding type = Hl7Xml.coding(Hl7Xml.child(cda, "code"));
        if (type == null) {
            throw new CdaException("no document type (ClinicalDocument/code)");
        }
        Instant created = Hl7Time.instant(Hl7Xml.child(cda, "effectiveTime"), "ClinicalDocument/effectiveTime");
        if (created == null) {
            throw new CdaException("no creation time (ClinicalDocument/effectiveTime)");
        }
        Element patient = Hl7Xml.child(patientRole, "patient");
        Element serviceEvent = Hl7Xml.first(cda, "documentationOf", "serviceEvent");
        Element servicePeriod = Hl7Xml.child(serviceEvent, "effectiveTime");
        Id setId = Hl7Xml.id(Hl7Xml.child(cda, "setId"));
        CdaBody body = CdaBody.of(cda);
        return new CdaDocument(
                id.asUniqueId(),
                setId == null ? null : setId.asUniqueId(),
                version(cda),
                patientIds,
                Participants.birthFamily(patient),
                Participants.givens(patient),
                Hl7Time.date(Hl7Xml.child(patient, "birthTime"), "recordTarget/patientRole/patient/birthTime"),
                Hl7Xml.attribute(Hl7Xml.child(patient, "administrativeGenderCode"), "code"),
                type,
                Hl7Xml.text(Hl7Xml.child(cda, "title")),
                created,
                Hl7Xml.attribute(Hl7Xml.child(cda, "languageCode"), "code"),
                Hl7Xml.coding(Hl7Xml.child(cda, "confidentialityCode")),
                Participants.authors(cda),
                Participants.legalAuthenticator(cda),
                Participants.custodian(cda),
                serviceTime(servicePeriod, "low"),
                serviceTime(servicePeriod, "high"),
                codings(Hl7Xml.all(cda, "documentationOf", "serviceEvent", "code")),
                Hl7Xml.coding(Hl7Xml.first(
                        cda, "componentOf", "encompassingEncounter", "location", "healthCareFacility", "code")),
                firstCoding(Hl7Xml.all(
                        cda,
                        "documentationOf",
                        "serviceEvent",
                        "performer",
                        "assignedEntity",
                        "representedOrganization",
                        "standardIndustryClassCode")),
                templateIds(cda),
                replaced(cda),
                body.narrative(),
                body.embedded(),
                body.mediaType());
    }

    /**
     * The document's {@code ClinicalDocument/effectiveTime}, read from its first bytes with a streaming parser that
     * stops there (a bulk import orders its items by it without reading each document twice); null when the bytes
     * end before it, are no CDA, or the time is not an HL7 timestamp. No DTD, no external entity, as for
     * {@link #read}.
     */
    static @org.jspecify.annotations.Nullable Instant effectiveTime(byte[] head) {
        javax.xml.stream.XMLInputFactory factory = javax.xml.stream.XMLInputFactory.newDefaultFactory();
        factory.setProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        javax.xml.stream.XMLStreamReader xml = null;
        try {
            xml = factory.createXMLStreamReader(new java.io.ByteArrayInputStream(head));
            int depth = 0;
            int document = -1;
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == javax.xml.stream.XMLStreamConstants.DTD) {
                    return null; // refused by read(): no time to order it by
                }
                if (event == javax.xml.stream.XMLStreamConstants.END_ELEMENT) {
                    depth--;
                    if (depth < document) {
                        return null; // the ClinicalDocument ended without one
                    }
                } else if (event == javax.xml.stream.XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    boolean v3 = Hl7Xml.V3.equals(xml.getNamespaceURI());
                    if (v3 && document < 0 && xml.getLocalName().equals("ClinicalDocument")) {
                        document = depth;
                    } else if (v3
                            && depth == document + 1
                            && document > 0
                            && xml.getLocalName().equals("effectiveTime")) {
                        return Hl7Time.instant(xml.getAttributeValue(null, "value"));
                    }
                }
            }
            return null;
        } catch (javax.xml.stream.XMLStreamException | java.time.DateTimeException e) {
            return null; // the head ends inside the header, or the time is malformed: read() will say so
        } finally {
            if (xml != null) {
                try {
                    xml.close();
                } catch (javax.xml.stream.XMLStreamException ignored) {
                    // nothing held
                }
            }
        }
    }

    /** The root itself, or the document an "autoprésentable" stylesheet carries ({@code xsl:stylesheet/*}/...). */
    private static Element clinicalDocument(Element root) throws CdaException {
        if (Hl7Xml.is(root, "ClinicalDocument")) {
            return root;
        }
        String reason = "not a CDA document: the root element is <" + root.getTagName() + ">";
        if ("ClinicalDocument".equals(root.getLocalName())) {
            throw new CdaException(reason + " outside the CDA namespace " + Hl7Xml.V3 + " (namespace: "
                    + (root.getNamespaceURI() == null ? "none" : root.getNamespaceURI()) + ")");
        }
        if (XSLT.equals(root.getNamespaceURI())) {
            for (Element content : Hl7Xml.elements(root)) {
                for (Element candidate : Hl7Xml.elements(content)) {
                    if (Hl7Xml.is(candidate, "ClinicalDocument")) {
                        return candidate;
                    }
                }
            }
            throw new CdaException(reason + ", a stylesheet that carries no ClinicalDocument");
        }
        throw new CdaException(reason);
    }

    private static @org.jspecify.annotations.Nullable Element patientRole(Element cda) throws CdaException {
        List<Element> targets = Hl7Xml.all(cda, "recordTarget");
        if (targets.size() > 1) {
            throw new CdaException("more than one patient (" + targets.size()
                    + " recordTarget): the record files a document under a single patient");
        }
        return Hl7Xml.first(cda, "recordTarget", "patientRole");
    }

    private static @org.jspecify.annotations.Nullable Integer version(Element cda) throws CdaException {
        String value = Hl7Xml.attribute(Hl7Xml.child(cda, "versionNumber"), "value");
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new CdaException(
                    "malformed version (ClinicalDocument/versionNumber): \"" + value + "\" is not a whole number", e);
        }
    }

    /** A bound of the service period; a single {@code @value} stands for both bounds. */
    private static @org.jspecify.annotations.Nullable Instant serviceTime(
            @org.jspecify.annotations.Nullable Element period, String bound) throws CdaException {
        String path = "documentationOf/serviceEvent/effectiveTime";
        if (Hl7Xml.attribute(period, "value") != null) {
            return Hl7Time.instant(period, path);
        }
        return Hl7Time.instant(Hl7Xml.child(period, bound), path + "/" + bound);
    }

    private static List<Coding> codings(List<Element> elements) {
        List<Coding> codings = new ArrayList<>();
        for (Element element : elements) {
            Coding coding = Hl7Xml.coding(element);
            if (coding != null) {
                codings.add(coding);
            }
        }
        return codings;
    }

    private static @org.jspecify.annotations.Nullable Coding firstCoding(List<Element> elements) {
        List<Coding> codings = codings(elements);
        return codings.isEmpty() ? null : codings.get(0);
    }

    private static List<String> templateIds(Element cda) {
        List<String> roots = new ArrayList<>();
        for (Element templateId : Hl7Xml.all(cda, "templateId")) {
            String root = Hl7Xml.attribute(templateId, "root");
            if (root != null) {
                roots.add(root);
            }
        }
        return roots;
    }

    /** The uniqueId of the document this one replaces, or null. */
    private static @org.jspecify.annotations.Nullable String replaced(Element cda) {
        for (Element related : Hl7Xml.all(cda, "relatedDocument")) {
            if ("RPLC".equals(Hl7Xml.attribute(related, "typeCode"))) {
                Id parent = Hl7Xml.firstId(Hl7Xml.all(related, "parentDocument", "id"));
                if (parent != null) {
                    return parent.asUniqueId();
                }
            }
        }
        return null;
    }
}
