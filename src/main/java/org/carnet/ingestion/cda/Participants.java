package org.carnet.ingestion.cda;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Element;

/** Reads the people a CDA header names: its authors, its legal authenticator, and the patient's names. */
final class Participants {

    private Participants() {}

    static List<Author> authors(Element clinicalDocument) throws CdaException {
        List<Element> authors = Hl7Xml.all(clinicalDocument, "author");
        List<Author> read = new ArrayList<>(authors.size());
        for (int i = 0; i < authors.size(); i++) {
            Element author = authors.get(i);
            Element assigned = Hl7Xml.child(author, "assignedAuthor");
            Coding role = Hl7Xml.coding(Hl7Xml.child(assigned, "code"));
            if (role == null) {
                role = Hl7Xml.coding(Hl7Xml.child(author, "functionCode"));
            }
            String timePath = "author" + (authors.size() > 1 ? "[" + (i + 1) + "]" : "") + "/time";
            read.add(person(author, assigned, role, timePath));
        }
        return read;
    }

    /** The legal authenticator, or null when the header has none. */
    static @org.jspecify.annotations.Nullable Author legalAuthenticator(Element clinicalDocument) throws CdaException {
        Element authenticator = Hl7Xml.child(clinicalDocument, "legalAuthenticator");
        if (authenticator == null) {
            return null;
        }
        Element assigned = Hl7Xml.child(authenticator, "assignedEntity");
        return person(
                authenticator, assigned, Hl7Xml.coding(Hl7Xml.child(assigned, "code")), "legalAuthenticator/time");
    }

    /**
     * @param participation {@code author} or {@code legalAuthenticator}, which holds the time
     * @param assigned {@code assignedAuthor} or {@code assignedEntity}, which holds the id, person and organisation
     */
    private static Author person(
            Element participation,
            @org.jspecify.annotations.Nullable Element assigned,
            @org.jspecify.annotations.Nullable Coding role,
            String timePath)
            throws CdaException {
        Id id = Hl7Xml.firstId(Hl7Xml.all(assigned, "id"));
        Element name = Hl7Xml.first(assigned, "assignedPerson", "name");
        List<String> givens = new ArrayList<>();
        for (Element given : Hl7Xml.all(name, "given")) {
            String text = Hl7Xml.text(given);
            if (text != null) {
                givens.add(text);
            }
        }
        return new Author(
                id == null ? null : id.root(),
                id == null ? null : id.extension(),
                Hl7Xml.text(Hl7Xml.child(name, "family")),
                givens.isEmpty() ? null : String.join(" ", givens),
                role,
                Hl7Xml.text(Hl7Xml.first(assigned, "representedOrganization", "name")),
                Hl7Xml.firstId(Hl7Xml.all(assigned, "representedOrganization", "id")),
                Hl7Time.instant(Hl7Xml.child(participation, "time"), timePath));
    }

    /** The custodian ({@code custodian/assignedCustodian/representedCustodianOrganization}), or null. */
    static @org.jspecify.annotations.Nullable Organisation custodian(Element clinicalDocument) {
        Element organisation =
                Hl7Xml.first(clinicalDocument, "custodian", "assignedCustodian", "representedCustodianOrganization");
        if (organisation == null) {
            return null;
        }
        Id id = Hl7Xml.firstId(Hl7Xml.all(organisation, "id"));
        String name = Hl7Xml.text(Hl7Xml.child(organisation, "name"));
        return id == null && name == null ? null : new Organisation(id, name);
    }

    /** The birth name ({@code family} qualified {@code BR}) if the patient has one, else the first family name. */
    static @org.jspecify.annotations.Nullable String birthFamily(@org.jspecify.annotations.Nullable Element patient) {
        List<Element> families = Hl7Xml.all(patient, "name", "family");
        for (Element family : families) {
            if (qualified(family, "BR") && Hl7Xml.text(family) != null) {
                return Hl7Xml.text(family);
            }
        }
        for (Element family : families) {
            if (Hl7Xml.text(family) != null) {
                return Hl7Xml.text(family);
            }
        }
        return null;
    }

    /**
     * The given names as the birth certificate has them: every {@code given} not qualified {@code CL} (the name in
     * use), duplicates dropped; the names in use when there is nothing else. CI-SIS headers write the whole list,
     * then the first name ({@code BR}).
     */
    static List<String> givens(@org.jspecify.annotations.Nullable Element patient) {
        List<Element> elements = Hl7Xml.all(patient, "name", "given");
        Set<String> birth = new LinkedHashSet<>();
        Set<String> any = new LinkedHashSet<>();
        for (Element given : elements) {
            String text = Hl7Xml.text(given);
            if (text != null) {
                any.add(text);
                if (!qualified(given, "CL")) {
                    birth.add(text);
                }
            }
        }
        return List.copyOf(birth.isEmpty() ? any : birth);
    }

    /** HL7 qualifiers are a space-separated set of codes. */
    private static boolean qualified(Element part, String qualifier) {
        String qualifiers = Hl7Xml.attribute(part, "qualifier");
        return qualifiers != null && List.of(qualifiers.split("\\s+")).contains(qualifier);
    }
}
