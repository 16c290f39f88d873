package org.carnet.ingestion.cda;

import java.util.Set;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Gathers the human-readable text of a structured body for search: each section's title and narrative block, in
 * document order through nested sections, one line each. Coded entries are left out (their meaning is in the
 * narrative, which CDA requires to be complete). Whitespace, no-break spaces included, collapses to one space;
 * block-level narrative elements (paragraphs, table cells, list items, line breaks) separate words, inline ones
 * ({@code content}, {@code sub}, {@code sup}) do not. Collection stops at {@link CdaDocument#NARRATIVE_CAP}.
 */
final class Narrative {

    private static final Set<String> INLINE = Set.of("content", "sub", "sup", "footnoteRef", "linkHtml");

    private final StringBuilder text = new StringBuilder();
    private boolean pendingSpace;
    private boolean pendingLine;
    private boolean full;

    private Narrative() {}

    static String of(Element structuredBody) {
        Narrative narrative = new Narrative();
        for (Element section : Hl7Xml.all(structuredBody, "component", "section")) {
            narrative.section(section);
        }
        return narrative.text.toString();
    }

    private void section(Element section) {
        line(Hl7Xml.child(section, "title"));
        line(Hl7Xml.child(section, "text"));
        for (Element nested : Hl7Xml.all(section, "component", "section")) {
            section(nested);
        }
    }

    private void line(@org.jspecify.annotations.Nullable Element element) {
        if (element != null) {
            pendingLine = true;
            walk(element);
        }
    }

    private void walk(Node node) {
        for (Node child = node.getFirstChild(); child != null && !full; child = child.getNextSibling()) {
            switch (child.getNodeType()) {
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> append(child.getNodeValue());
                case Node.ELEMENT_NODE -> {
                    boolean block = !INLINE.contains(child.getLocalName());
                    pendingSpace |= block;
                    walk(child);
                    pendingSpace |= block;
                }
                default -> {}
            }
        }
    }

    private void append(String chars) {
        for (int i = 0; i < chars.length() && !full; i++) {
            char c = chars.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = true;
                continue;
            }
            boolean separate = !text.isEmpty() && (pendingLine || pendingSpace);
            int needed = (separate ? 1 : 0) + (Character.isHighSurrogate(c) ? 2 : 1);
            if (text.length() + needed > CdaDocument.NARRATIVE_CAP) {
                full = true;
                return;
            }
            if (separate) {
                text.append(pendingLine ? '\n' : ' ');
            }
            pendingLine = false;
            pendingSpace = false;
            text.append(c);
        }
    }
}
