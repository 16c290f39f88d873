package org.carnet.ingestion.cda;

import java.io.CharConversionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses untrusted XML into a namespace-aware DOM with everything that reaches outside the document turned off:
 * a DOCTYPE is refused outright (CDA needs no DTD, and refusing it rules out entity expansion and XXE), no
 * external entity, DTD, schema or XInclude is ever fetched. The JDK's own parser is used whatever else is on the
 * classpath, so these settings mean what they say. Comments are dropped and CDATA merged into text. The parser's
 * messages are in English whatever the JVM's locale, since they end up in reasons sent back to senders.
 */
final class SecureXml {

    private SecureXml() {}

    /**
     * Reads {@code in} to its end without closing it.
     *
     * @throws CdaException when the bytes are not well-formed XML (with the line, when the parser knows it)
     * @throws UncheckedIOException when reading fails: the sender's document is not at fault, a retry may work
     */
    static Document parse(InputStream in) throws CdaException {
        try {
            return builder().parse(new KeepOpen(in));
        } catch (SAXParseException e) {
            String line = e.getLineNumber() > 0 ? " (line " + e.getLineNumber() + ")" : "";
            // The parser has no error code for it; its message is stable since the locale is fixed (see builder()).
            if (String.valueOf(e.getMessage()).startsWith("DOCTYPE is disallowed")) {
                throw new CdaException(
                        "DTDs are not accepted" + line + ": a CDA document must not carry a DOCTYPE declaration", e);
            }
            throw new CdaException("not well-formed XML" + line + ": " + e.getMessage(), e);
        } catch (SAXException e) {
            throw new CdaException("not well-formed XML: " + e.getMessage(), e);
        } catch (CharConversionException e) {
            // The JDK's parser reports bad encodings as a SAXParseException with a line; this is the fallback.
            throw new CdaException(
                    "not well-formed XML: bytes that are not in the declared encoding (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the CDA document", e);
        }
    }

    private static DocumentBuilder builder() {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultNSInstance();
        try {
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            // The root locale, not English: asking for English falls back to the JVM's default locale's messages.
            factory.setAttribute("http://apache.org/xml/properties/locale", Locale.ROOT);
            factory.setIgnoringComments(true);
            factory.setCoalescing(true);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(Strict.INSTANCE);
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a security feature", e);
        }
    }

    /** Turns every error into a failure, and keeps the parser from printing to stderr. */
    private enum Strict implements ErrorHandler {
        INSTANCE;

        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXParseException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXParseException {
            throw e;
        }
    }

    /** The parser closes its input at the end; the stream belongs to the caller. */
    private static final class KeepOpen extends FilterInputStream {

        KeepOpen(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }
}
