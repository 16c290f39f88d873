package org.carnet.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.carnet.document.DocumentContents;
import org.carnet.record.IndexSources;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.FamilyMemberHistory;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Turns the record's resources into {@link Entry entries}: a document's text (its plain-text content, which the
 * intake keeps for every PDF and CDA), a Composition's or a report's narrative, and the structured facts as short
 * French lines carrying their codes and values. Authors and facilities are resolved from the directory (shared
 * resources) once per batch.
 */
@Component
class Entries {

    /** The text read of one document, at most (a document is searched by its first 4 MB of text). */
    static final int MAX_TEXT_CHARS = 4 * 1024 * 1024;

    private static final Set<String> SEARCHED = Set.of(
            "DocumentReference",
            "Composition",
            "DiagnosticReport",
            "Observation",
            "Condition",
            "MedicationRequest",
            "MedicationStatement",
            "AllergyIntolerance",
            "Immunization",
            "Procedure",
            "Encounter",
            "FamilyMemberHistory");

    private final FhirContext fhir;
    private final IndexSources sources;
    private final DocumentContents contents;

    Entries(FhirContext fhir, IndexSources sources, DocumentContents contents) {
        this.fhir = fhir;
        this.sources = sources;
        this.contents = contents;
    }

    /** Whether resources of this type make entries. */
    static boolean searched(String type) {
        return SEARCHED.contains(type);
    }

    /** The entries of current (not deleted) sources, one per source of a searched type. */
    List<Entry> of(Collection<IndexSources.Source> batch) {
        IParser parser = fhir.newJsonParser();
        List<Parsed> parsed = new ArrayList<>();
        Set<String> directory = new java.util.HashSet<>();
        for (IndexSources.Source source : batch) {
            String json = source.json();
            if (json == null || source.patientId() == null || !searched(source.type())) {
                continue;
            }
            DomainResource resource = (DomainResource) parser.parseResource(json);
            parsed.add(new Parsed(source, resource));
            for (Reference ref : actors(resource)) {
                if (ref.hasReference() && !ref.getReference().startsWith("#")) {
                    directory.add(ref.getReference());
                }
            }
        }
        Map<String, Resource> actors = new HashMap<>();
        if (!directory.isEmpty()) {
            for (IndexSources.Source s : sources.current(directory)) {
                String json = s.json();
                if (json != null && s.patientId() == null) {
                    actors.put(s.key(), (Resource) parser.parseResource(json));
                }
            }
            // a PractitionerRole's practitioner and organisation, one level down
            Set<String> more = new java.util.HashSet<>();
            for (Resource r : actors.values()) {
                if (r instanceof PractitionerRole role) {
                    more.add(role.getPractitioner().getReference());
                    more.add(role.getOrganization().getReference());
                }
            }
            more.removeIf(r -> r == null || actors.containsKey(r));
            for (IndexSources.Source s : sources.current(more)) {
                String json = s.json();
                if (json != null && s.patientId() == null) {
                    actors.put(s.key(), (Resource) parser.parseResource(json));
                }
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Parsed p : parsed) {
            Entry entry = entry(p.source(), p.resource(), actors);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private record Parsed(IndexSources.Source source, DomainResource resource) {}

    private static List<Reference> actors(DomainResource resource) {
        List<Reference> refs = new ArrayList<>();
        switch (resource) {
            case DocumentReference d -> {
                refs.addAll(d.getAuthor());
                refs.add(d.getCustodian());
            }
            case Composition c -> {
                refs.addAll(c.getAuthor());
                refs.add(c.getCustodian());
            }
            case DiagnosticReport r -> refs.addAll(r.getPerformer());
            case Observation o -> refs.addAll(o.getPerformer());
            case Encounter e -> refs.add(e.getServiceProvider());
            case MedicationRequest m -> refs.add(m.getRequester());
            case Condition c -> refs.add(c.getAsserter());
            default -> {}
        }
        return refs;
    }

    private @Nullable Entry entry(IndexSources.Source source, DomainResource resource, Map<String, Resource> actors) {
        String patient = java.util.Objects.requireNonNull(source.patientId());
        Entry.Measure measure = null;
        MentionContext factContext = null;
        String title;
        String kind;
        String text;
        Date date;
        String status = "";
        String uniqueId = "";
        List<Reference> authors = List.of();
        Reference facility = null;
        switch (resource) {
            case DocumentReference d -> {
                title = firstNonBlank(d.getDescription(), label(d.getType()), "Document");
                kind = firstNonBlank(label(d.getType()), "Document");
                text = documentText(d).orElse(title);
                date = d.hasDate() ? d.getDate() : d.getContext().getPeriod().getStart();
                status = d.hasStatus() ? d.getStatus().toCode() : "current";
                uniqueId = d.getMasterIdentifier().getValue() == null
                        ? ""
                        : d.getMasterIdentifier().getValue();
                authors = d.getAuthor();
                facility = d.getCustodian();
            }
            case Composition c -> {
                title = firstNonBlank(c.getTitle(), label(c.getType()), "Composition");
                kind = firstNonBlank(label(c.getType()), "Document");
                StringBuilder all = new StringBuilder(title).append('\n');
                all.append(narrative(c)).append('\n');
                for (Composition.SectionComponent section : c.getSection()) {
                    all.append(firstNonBlank(section.getTitle(), "")).append('\n');
                    all.append(plain(section.getText().getDivAsString())).append('\n');
                }
                text = all.toString();
                date = c.getDate();
                status = c.hasStatus() ? c.getStatus().toCode() : "";
                authors = c.getAuthor();
                facility = c.getCustodian();
            }
            case DiagnosticReport r -> {
                title = firstNonBlank(label(r.getCode()), "Compte rendu");
                kind = "Compte rendu d'examen";
                text = String.join("\n", title, narrative(r), firstNonBlank(r.getConclusion(), ""), codes(r.getCode()));
                date = r.hasEffectiveDateTimeType()
                        ? r.getEffectiveDateTimeType().getValue()
                        : r.getIssued();
                status = r.hasStatus() ? r.getStatus().toCode() : "";
                authors = r.getPerformer();
            }
            case Observation o -> {
                title = firstNonBlank(label(o.getCode()), "Résultat");
                kind = "Résultat";
                StringBuilder line = new StringBuilder(title);
                if (o.hasValueQuantity()) {
                    Quantity q = o.getValueQuantity();
                    if (q.hasValue()) {
                        line.append(' ').append(q.getValue().toPlainString().replace('.', ','));
                        String unit = firstNonBlank(q.getUnit(), q.getCode(), "");
                        line.append(' ').append(unit);
                        measure = new Entry.Measure(
                                firstCode(o.getCode()), q.getValue().doubleValue(), unit);
                    }
                } else if (o.hasValueCodeableConcept()) {
                    line.append(" : ").append(label(o.getValueCodeableConcept()));
                } else if (o.hasValueStringType()) {
                    line.append(" : ").append(o.getValueStringType().getValue());
                }
                o.getInterpretation()
                        .forEach(i -> line.append(" (").append(label(i)).append(')'));
                o.getNote().forEach(n -> line.append(". ").append(n.getText()));
                line.append('\n').append(codes(o.getCode()));
                text = line.toString();
                date = o.hasEffectiveDateTimeType()
                        ? o.getEffectiveDateTimeType().getValue()
                        : o.getIssued();
                status = o.hasStatus() ? o.getStatus().toCode() : "";
                authors = o.getPerformer();
            }
            case Condition c -> {
                title = firstNonBlank(label(c.getCode()), "Problème");
                kind = "Problème de santé";
                text = String.join("\n", title, codes(c.getCode()), notes(c.getNote()));
                date = c.hasOnsetDateTimeType() ? c.getOnsetDateTimeType().getValue() : c.getRecordedDate();
                String verification = firstCode(c.getVerificationStatus());
                factContext = switch (verification) {
                    case "refuted", "entered-in-error" -> MentionContext.NEGATED;
                    case "provisional", "differential", "unconfirmed" -> MentionContext.HYPOTHETICAL;
                    default -> MentionContext.AFFIRMED;
                };
                status = firstCode(c.getClinicalStatus());
                authors = c.hasAsserter() ? List.of(c.getAsserter()) : List.of();
            }
            case MedicationRequest m -> {
                CodeableConcept drug = m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
                title = firstNonBlank(
                        drug == null ? null : label(drug),
                        m.hasMedicationReference() ? m.getMedicationReference().getDisplay() : null,
                        "Traitement");
                kind = "Traitement";
                StringBuilder line = new StringBuilder(title);
                m.getDosageInstruction().forEach(d -> line.append(". ").append(firstNonBlank(d.getText(), "")));
                line.append('\n').append(drug == null ? "" : codes(drug));
                text = line.toString();
                date = m.getAuthoredOn();
                status = m.hasStatus() ? m.getStatus().toCode() : "";
                authors = m.hasRequester() ? List.of(m.getRequester()) : List.of();
            }
            case MedicationStatement m -> {
                CodeableConcept drug = m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
                title = firstNonBlank(drug == null ? null : label(drug), "Traitement");
                kind = "Traitement";
                text = String.join("\n", title, drug == null ? "" : codes(drug), notes(m.getNote()));
                date = m.hasEffectiveDateTimeType()
                        ? m.getEffectiveDateTimeType().getValue()
                        : m.getEffectivePeriod().getStart();
                status = m.hasStatus() ? m.getStatus().toCode() : "";
                if ("not-taken".equals(status)) {
                    factContext = MentionContext.NEGATED;
                }
            }
            case AllergyIntolerance a -> {
                title = "Allergie : " + firstNonBlank(label(a.getCode()), "");
                kind = "Allergie";
                text = String.join("\n", title, codes(a.getCode()), notes(a.getNote()));
                date = a.getRecordedDate();
                String verification = firstCode(a.getVerificationStatus());
                factContext = "refuted".equals(verification) ? MentionContext.NEGATED : null;
                status = firstCode(a.getClinicalStatus());
            }
            case Immunization i -> {
                title = "Vaccination : " + firstNonBlank(label(i.getVaccineCode()), "");
                kind = "Vaccination";
                text = String.join("\n", title, codes(i.getVaccineCode()));
                date = i.hasOccurrenceDateTimeType()
                        ? i.getOccurrenceDateTimeType().getValue()
                        : i.getRecorded();
                status = i.hasStatus() ? i.getStatus().toCode() : "";
                if ("not-done".equals(status)) {
                    factContext = MentionContext.NEGATED;
                }
            }
            case Procedure p -> {
                title = firstNonBlank(label(p.getCode()), "Acte");
                kind = "Acte";
                text = String.join("\n", title, codes(p.getCode()), notes(p.getNote()));
                date = p.hasPerformedDateTimeType()
                        ? p.getPerformedDateTimeType().getValue()
                        : p.getPerformedPeriod().getStart();
                status = p.hasStatus() ? p.getStatus().toCode() : "";
                if ("not-done".equals(status)) {
                    factContext = MentionContext.NEGATED;
                }
            }
            case Encounter e -> {
                String types = e.getType().stream().map(Entries::label).collect(Collectors.joining(", "));
                String reasons = e.getReasonCode().stream().map(Entries::label).collect(Collectors.joining(", "));
                title = firstNonBlank(types, "Venue");
                kind = "Venue";
                text = String.join("\n", title, reasons);
                date = e.getPeriod().getStart();
                status = e.hasStatus() ? e.getStatus().toCode() : "";
                facility = e.getServiceProvider();
            }
            case FamilyMemberHistory f -> {
                String who = firstNonBlank(label(f.getRelationship()), "Famille");
                String what = f.getCondition().stream()
                        .map(c -> label(c.getCode()) + " " + codes(c.getCode()))
                        .collect(Collectors.joining(", "));
                title = "Antécédent familial (" + who + ")";
                kind = "Antécédent familial";
                text = title + " : " + what;
                date = f.getDate();
                factContext = MentionContext.OTHER_PERSON;
            }
            default -> {
                return null;
            }
        }
        String author = "";
        String profession = "";
        for (Reference ref : authors) {
            Resource actor = actors.get(ref.getReference());
            author = firstNonBlank(name(actor), ref.getDisplay(), author);
            profession = firstNonBlank(profession(actor, actors), profession);
            if (!author.isEmpty()) {
                break;
            }
        }
        String place = "";
        if (facility != null) {
            Resource org = actors.get(facility.getReference());
            place = firstNonBlank(org instanceof Organization o ? o.getName() : null, facility.getDisplay(), "");
        }
        return new Entry(
                source.key(),
                patient,
                source.type(),
                source.accessTags(),
                title,
                uniqueId,
                kind,
                date == null ? Long.MIN_VALUE : date.getTime(),
                author,
                profession,
                place,
                status,
                text.length() > MAX_TEXT_CHARS ? text.substring(0, MAX_TEXT_CHARS) : text,
                factContext,
                measure);
    }

    /** The document's plain-text content (the sender's, or the one the intake extracted from a PDF or a CDA). */
    private Optional<String> documentText(DocumentReference doc) {
        for (DocumentContents.Content content :
                contents.ofDocument(doc.getIdElement().getIdPart())) {
            if (!content.contentType().startsWith("text/plain")) {
                continue;
            }
            try {
                Optional<InputStream> in = contents.open(content);
                if (in.isEmpty()) {
                    return Optional.empty(); // the patient's key was destroyed
                }
                try (InputStream stream = in.get()) {
                    byte[] bytes = stream.readNBytes(MAX_TEXT_CHARS * 2);
                    return Optional.of(new String(bytes, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Could not read a document's text for the index", e);
            }
        }
        return Optional.empty();
    }

    private static String narrative(DomainResource resource) {
        return resource.hasText() ? plain(resource.getText().getDivAsString()) : "";
    }

    /** XHTML narrative as plain text: tags become spaces, block ends become line breaks. */
    static String plain(@Nullable String xhtml) {
        if (xhtml == null || xhtml.isEmpty()) {
            return "";
        }
        String text = xhtml.replaceAll("(?i)</(p|div|li|tr|h[1-6])>|<br\\s*/?>", "\n")
                .replaceAll("<[^>]*>", " ")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&nbsp;", " ")
                .replace("&amp;", "&");
        return text.replaceAll("[ \\t]+", " ").strip();
    }

    static String label(@Nullable CodeableConcept concept) {
        if (concept == null) {
            return "";
        }
        if (concept.hasText()) {
            return concept.getText();
        }
        for (Coding coding : concept.getCoding()) {
            if (coding.hasDisplay()) {
                return coding.getDisplay();
            }
        }
        return "";
    }

    /** The codes of a concept as words the index keeps whole (CIM-10, ATC, LOINC…). */
    private static String codes(CodeableConcept concept) {
        return concept.getCoding().stream()
                .filter(Coding::hasCode)
                .map(c -> c.getCode()
                        + (c.hasDisplay() && !c.getDisplay().equals(label(concept)) ? " " + c.getDisplay() : ""))
                .collect(Collectors.joining(" "));
    }

    private static String firstCode(CodeableConcept concept) {
        return concept.getCoding().stream()
                .filter(Coding::hasCode)
                .map(Coding::getCode)
                .findFirst()
                .orElse("");
    }

    private static String notes(List<org.hl7.fhir.r4.model.Annotation> notes) {
        return notes.stream().map(n -> firstNonBlank(n.getText(), "")).collect(Collectors.joining("\n"));
    }

    private static String name(@Nullable Resource actor) {
        if (actor instanceof Practitioner p && p.hasName()) {
            return p.getNameFirstRep().getNameAsSingleString();
        }
        if (actor instanceof Organization o) {
            return firstNonBlank(o.getName(), "");
        }
        return "";
    }

    private static String profession(@Nullable Resource actor, Map<String, Resource> actors) {
        if (actor instanceof PractitionerRole role) {
            String specialty =
                    role.getSpecialty().stream().map(Entries::label).findFirst().orElse("");
            String code =
                    role.getCode().stream().map(Entries::label).findFirst().orElse("");
            return firstNonBlank(specialty, code, "");
        }
        if (actor instanceof Practitioner p) {
            return p.getQualification().stream()
                    .map(q -> label(q.getCode()))
                    .filter(s -> !s.isEmpty())
                    .findFirst()
                    .orElse("");
        }
        return "";
    }

    private static String firstNonBlank(@Nullable String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "";
    }
}
