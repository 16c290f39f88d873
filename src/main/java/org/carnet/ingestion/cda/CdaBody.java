package org.carnet.ingestion.cda;

import java.util.Arrays;
import java.util.Base64;
import org.w3c.dom.Element;

/**
 * The content of a CDA document: a structured body gives its narrative text; a non-XML body sent in base64 gives
 * the embedded bytes (a PDF, as the CI-SIS "niveau 1" documents do) and no narrative.
 */
record CdaBody(
        String narrative,
        byte @org.jspecify.annotations.Nullable [] embedded,
        @org.jspecify.annotations.Nullable String mediaType) {

    /** HL7's default for an ED without a media type. */
    private static final String PLAIN_TEXT = "text/plain";

    static CdaBody of(Element clinicalDocument) throws CdaException {
        Element component = Hl7Xml.child(clinicalDocument, "component");
        Element structured = Hl7Xml.child(component, "structuredBody");
        if (structured != null) {
            return new CdaBody(Narrative.of(structured), null, null);
        }
        Element nonXml = Hl7Xml.child(component, "nonXMLBody");
        if (nonXml == null) {
            throw new CdaException("no body (component/structuredBody or component/nonXMLBody)");
        }
        Element text = Hl7Xml.child(nonXml, "text");
        if (text == null || !"B64".equals(Hl7Xml.attribute(text, "representation"))) {
            return new CdaBody("", null, null);
        }
        String mediaType = Hl7Xml.attribute(text, "mediaType");
        return new CdaBody("", base64(text.getTextContent()), mediaType == null ? PLAIN_TEXT : mediaType);
    }

    /** Strict base64 once line breaks and indentation are removed: stray characters are refused, not skipped. */
    private static byte[] base64(String encoded) throws CdaException {
        byte[] ascii = new byte[encoded.length()];
        int length = 0;
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            if (c > 127) {
                throw notBase64("character U+%04X at offset %d".formatted((int) c, i));
            }
            ascii[length++] = (byte) c;
        }
        if (length == 0) {
            throw new CdaException("empty embedded document (component/nonXMLBody/text)");
        }
        try {
            return Base64.getDecoder().decode(Arrays.copyOf(ascii, length));
        } catch (IllegalArgumentException e) {
            throw notBase64(e.getMessage());
        }
    }

    private static CdaException notBase64(@org.jspecify.annotations.Nullable String detail) {
        return new CdaException("embedded document is not valid base64 (component/nonXMLBody/text): " + detail);
    }
}
