package org.carnet.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Timing;

/** Extracts the search-index rows of a resource, and the patient it belongs to. Thread-safe. */
final class SearchIndexer {

    private final SearchParameters parameters;
    private final IFhirPath fhirPath;
    private final ElementPaths paths;

    SearchIndexer(FhirContext context, SearchParameters parameters) {
        this.parameters = parameters;
        this.fhirPath = context.newFhirPath();
        this.paths = new ElementPaths(context);
    }

    IndexRows index(Resource resource) {
        String type = resource.fhirType();
        var tokens = new ArrayList<IndexRows.Token>();
        var strings = new ArrayList<IndexRows.Text>();
        var dates = new ArrayList<IndexRows.DateRange>();
        var refs = new ArrayList<IndexRows.Ref>();
        for (SearchParameters.Compiled compiled : parameters.of(type).values()) {
            String name = compiled.param().name();
            for (SearchParameters.CompiledPath path : compiled.paths()) {
                for (IBase value : evaluate(resource, path)) {
                    switch (compiled.param().kind()) {
                        case TOKEN, URI -> tokens(name, value, tokens);
                        case STRING -> strings(name, value, strings);
                        case DATE -> dates(name, value, dates);
                        case REFERENCE -> reference(name, value, path.targetType(), refs);
                    }
                }
            }
        }
        resource.getMeta().getSecurity().forEach(label -> add(tokens, SECURITY, label.getSystem(), label.getCode()));
        return new IndexRows(owner(type, resource, refs), dedupe(tokens), dedupe(strings), dedupe(dates), dedupe(refs));
    }

    /**
     * The parameter holding {@code meta.security} codes (see {@link SearchParameters}): searchable, and indexed so
     * that access conditions can test the labels inside queries.
     */
    static final String SECURITY = "_security";

    private List<IBase> evaluate(Resource resource, SearchParameters.CompiledPath path) {
        if (path.walk().isPresent()) {
            Optional<List<IBase>> walked = paths.walk(resource, path.walk().get());
            if (walked.isPresent()) {
                return walked.get();
            }
        }
        return evaluated(resource, path);
    }

    /** What the FHIRPath engine gives for a path (the reference {@link ElementPaths} is compared with). */
    List<IBase> evaluated(Resource resource, SearchParameters.CompiledPath path) {
        try {
            return fhirPath.evaluate(resource, path.expression(), IBase.class);
        } catch (RuntimeException e) {
            // A path that does not apply to this instance (e.g. a type test on an absent element).
            return List.of();
        }
    }

    private @org.jspecify.annotations.Nullable String owner(String type, Resource resource, List<IndexRows.Ref> refs) {
        if ("Patient".equals(type)) {
            return resource.getIdElement().getIdPart();
        }
        for (SearchParameters.Compiled param : parameters.compartmentParams(type)) {
            for (IndexRows.Ref ref : refs) {
                if (ref.param().equals(param.param().name()) && "Patient".equals(ref.targetType())) {
                    return ref.targetId();
                }
            }
        }
        return null;
    }

    private static void tokens(String name, IBase value, List<IndexRows.Token> out) {
        switch (value) {
            case CodeableConcept concept -> concept.getCoding().forEach(c -> coding(name, c, out));
            case Coding coding -> coding(name, coding, out);
            case Identifier identifier -> add(out, name, identifier.getSystem(), identifier.getValue());
            case ContactPoint contact -> add(out, name, null, contact.getValue());
            case Enumeration<?> enumeration -> add(out, name, enumeration.getSystem(), enumeration.getValueAsString());
            case IPrimitiveType<?> primitive -> add(out, name, null, primitive.getValueAsString());
            default -> {}
        }
    }

    private static void coding(String name, Coding coding, List<IndexRows.Token> out) {
        add(out, name, coding.getSystem(), coding.getCode());
    }

    private static void add(
            List<IndexRows.Token> out,
            String name,
            @org.jspecify.annotations.Nullable String system,
            @org.jspecify.annotations.Nullable String code) {
        if (code != null && !code.isBlank()) {
            out.add(new IndexRows.Token(name, system == null || system.isBlank() ? null : system, code));
        }
    }

    private static void strings(String name, IBase value, List<IndexRows.Text> out) {
        switch (value) {
            case HumanName human -> {
                text(name, human.getFamily(), out);
                human.getGiven().forEach(g -> text(name, g.getValue(), out));
                human.getPrefix().forEach(p -> text(name, p.getValue(), out));
                text(name, human.getText(), out);
            }
            case Address address -> {
                address.getLine().forEach(l -> text(name, l.getValue(), out));
                text(name, address.getCity(), out);
                text(name, address.getDistrict(), out);
                text(name, address.getState(), out);
                text(name, address.getPostalCode(), out);
                text(name, address.getCountry(), out);
                text(name, address.getText(), out);
            }
            case StringType string -> text(name, string.getValue(), out);
            case IPrimitiveType<?> primitive -> text(name, primitive.getValueAsString(), out);
            default -> {}
        }
    }

    private static void text(String name, String value, List<IndexRows.Text> out) {
        if (value != null && !value.isBlank()) {
            String exact = value.length() > 512 ? value.substring(0, 512) : value;
            out.add(new IndexRows.Text(name, Text.normalize(exact), exact));
        }
    }

    private static void dates(String name, IBase value, List<IndexRows.DateRange> out) {
        switch (value) {
            case BaseDateTimeType date
            when date.getValue() != null ->
                out.add(new IndexRows.DateRange(name, FhirDates.low(date), FhirDates.high(date)));
            case Period period
            when period.hasStart() || period.hasEnd() ->
                out.add(new IndexRows.DateRange(
                        name,
                        period.hasStart() ? FhirDates.low(period.getStartElement()) : FhirDates.MIN,
                        period.hasEnd() ? FhirDates.high(period.getEndElement()) : FhirDates.MAX));
            case Timing timing -> timing.getEvent().forEach(e -> dates(name, e, out));
            default -> {}
        }
    }

    private static void reference(
            String name, IBase value, @org.jspecify.annotations.Nullable String targetType, List<IndexRows.Ref> out) {
        if (!(value instanceof Reference reference) || !reference.hasReference()) {
            return;
        }
        References.parseLocal(reference.getReference())
                .filter(ref -> targetType == null || targetType.equals(ref.type()))
                .ifPresent(ref -> out.add(new IndexRows.Ref(name, ref.type(), ref.id())));
    }

    private static <T> List<T> dedupe(List<T> rows) {
        return rows.stream().distinct().toList();
    }
}
