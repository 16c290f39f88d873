package org.carnet.ingestion.cda;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Walks a CDA DOM by element names in the HL7 v3 namespace, and reads its data types (II, CD, TS) the way the
 * header uses them. An attribute that is absent or blank reads as null; an element with a {@code nullFlavor} and
 * no value reads as absent.
 */
final class Hl7Xml {

    static final String V3 = "urn:hl7-org:v3";

    private Hl7Xml() {}

    static boolean is(Node node, String name) {
        return node instanceof Element && V3.equals(node.getNamespaceURI()) && name.equals(node.getLocalName());
    }

    /** The first child element with that name, or null. */
    static @org.jspecify.annotations.Nullable Element child(
            @org.jspecify.annotations.Nullable Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (is(node, name)) {
                return (Element) node;
            }
        }
        return null;
    }

    /** The child elements, whatever their namespace. */
    static List<Element> elements(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                elements.add(element);
            }
        }
        return elements;
    }

    /** The first element at the end of the path, following first children only, or null. */
    static @org.jspecify.annotations.Nullable Element first(
            @org.jspecify.annotations.Nullable Element from, String... path) {
        Element at = from;
        for (String name : path) {
            at = child(at, name);
        }
        return at;
    }

    /** Every element at the end of the path, trying every child at each step, in document order. */
    static List<Element> all(@org.jspecify.annotations.Nullable Element from, String... path) {
        List<Element> level = from == null ? List.of() : List.of(from);
        for (String name : path) {
            List<Element> next = new ArrayList<>();
            for (Element parent : level) {
                for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
                    if (is(node, name)) {
                        next.add((Element) node);
                    }
                }
            }
            level = next;
        }
        return level;
    }

    static @org.jspecify.annotations.Nullable String attribute(
            @org.jspecify.annotations.Nullable Element element, String name) {
        if (element == null || !element.hasAttribute(name)) {
            return null;
        }
        String value = element.getAttribute(name).strip();
        return value.isEmpty() ? null : value;
    }

    /** The element's text, whitespace collapsed; null when absent or blank. */
    static @org.jspecify.annotations.Nullable String text(@org.jspecify.annotations.Nullable Element element) {
        if (element == null) {
            return null;
        }
        String text = element.getTextContent().strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? null : text;
    }

    /** An II: null without a root (a nullFlavor id identifies nothing). */
    static @org.jspecify.annotations.Nullable Id id(@org.jspecify.annotations.Nullable Element element) {
        String root = attribute(element, "root");
        return root == null ? null : new Id(root, attribute(element, "extension"));
    }

    /** The first II among the elements that has a root, or null. */
    static @org.jspecify.annotations.Nullable Id firstId(List<Element> elements) {
        for (Element element : elements) {
            Id id = id(element);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    /** A CD/CE: null without a code. */
    static @org.jspecify.annotations.Nullable Coding coding(@org.jspecify.annotations.Nullable Element element) {
        String code = attribute(element, "code");
        return code == null
                ? null
                : new Coding(attribute(element, "codeSystem"), code, attribute(element, "displayName"));
    }
}
