package org.carnet.ingestion.cda;

import java.io.ByteArrayInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The ids a CDA header gives: {@code ClinicalDocument/id} and the
 * {@code relatedDocument[@typeCode=RPLC]/parentDocument/id} of a new version, each as {@code root} or
 * {@code root^extension} (the DMP's unique id). Reads the header only, stopping at the body; DTDs and external
 * entities are refused. A payload that is not a CDA gives no ids rather than an error: an ORU may carry any
 * document, and its structure is checked where documents are stored.
 */
public record CdaIds(
        @org.jspecify.annotations.Nullable String documentId,
        @org.jspecify.annotations.Nullable String replacedDocumentId) {

    private static final String V3 = "urn:hl7-org:v3";
    private static final CdaIds NONE = new CdaIds(null, null);

    public static CdaIds of(byte[] payload) {
        try {
            XMLStreamReader xml = factory().createXMLStreamReader(new ByteArrayInputStream(payload));
            try {
                return read(xml);
            } finally {
                xml.close();
            }
        } catch (XMLStreamException | RuntimeException notXml) {
            return NONE;
        }
    }

    private static CdaIds read(XMLStreamReader xml) throws XMLStreamException {
        String documentId = null;
        String replacedId = null;
        String[] path = new String[5];
        int depth = 0;
        boolean replacement = false;
        while (xml.hasNext()) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
                continue;
            }
            if (event != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            depth++;
            String name = V3.equals(xml.getNamespaceURI()) ? xml.getLocalName() : "?";
            if (depth <= path.length) {
                path[depth - 1] = name;
            }
            if (depth == 1 && !name.equals("ClinicalDocument")) {
                return NONE;
            }
            if (depth == 2 && name.equals("component")) {
                break;
            }
            if (depth == 2 && name.equals("id") && documentId == null) {
                documentId = id(xml);
            } else if (depth == 2 && name.equals("relatedDocument")) {
                replacement = "RPLC".equals(xml.getAttributeValue(null, "typeCode"));
            } else if (depth == 4
                    && replacement
                    && name.equals("id")
                    && path[1].equals("relatedDocument")
                    && path[2].equals("parentDocument")
                    && replacedId == null) {
                replacedId = id(xml);
            }
        }
        return new CdaIds(documentId, replacedId);
    }

    private static @org.jspecify.annotations.Nullable String id(XMLStreamReader xml) {
        String root = xml.getAttributeValue(null, "root");
        String extension = xml.getAttributeValue(null, "extension");
        if (root == null || root.isBlank()) {
            return null;
        }
        return extension == null || extension.isBlank() ? root.strip() : root.strip() + "^" + extension.strip();
    }

    private static XMLInputFactory factory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return factory;
    }
}
