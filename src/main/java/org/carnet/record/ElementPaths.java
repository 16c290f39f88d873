package org.carnet.record;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.jspecify.annotations.Nullable;

/**
 * The plain FHIRPaths of search parameters ({@code Observation.code}, {@code Patient.name.given},
 * {@code Observation.effective}), walked through HAPI's model definitions instead of the FHIRPath engine: most
 * parameters are plain (or plain with a cast at the end), and evaluating them with the engine was a large share of the
 * CPU of a write. A path with anything else (a function, a filter, an index) stays with the engine, and so does a path
 * whose step the model does not know. The walk gives the same elements as the engine ({@code ElementPathsTests}
 * compares both on every parameter of generated records).
 */
final class ElementPaths {

    private static final String PLAIN_PATH = "[A-Z][A-Za-z]*(?:\\.[a-z][A-Za-z0-9]*)+";
    private static final Pattern PLAIN = Pattern.compile(PLAIN_PATH);
    /** {@code (Observation.value as CodeableConcept)} and {@code Condition.onset.as(dateTime)}. */
    private static final Pattern CAST = Pattern.compile(
            "\\(\\s*(" + PLAIN_PATH + ")\\s+as\\s+([A-Za-z]+)\\s*\\)|(" + PLAIN_PATH + ")\\.as\\(([A-Za-z]+)\\)");

    /**
     * The steps of a plain path after its type ({@code Patient.name.given} → name, given), and the type the
     * elements reached must have when the path ends with a cast ({@code as CodeableConcept}), or null.
     */
    record Walk(List<String> steps, @Nullable String type) {}

    private final FhirContext context;

    ElementPaths(FhirContext context) {
        this.context = context;
    }

    /** The walk of a plain path, possibly ending with a cast; empty for any other path. */
    static Optional<Walk> walkOf(String path) {
        String trimmed = path.trim();
        if (PLAIN.matcher(trimmed).matches()) {
            return Optional.of(new Walk(afterType(trimmed), null));
        }
        Matcher cast = CAST.matcher(trimmed);
        if (cast.matches()) {
            return cast.group(1) != null
                    ? Optional.of(new Walk(afterType(cast.group(1)), cast.group(2)))
                    : Optional.of(new Walk(afterType(cast.group(3)), cast.group(4)));
        }
        return Optional.empty();
    }

    private static List<String> afterType(String plain) {
        List<String> steps = List.of(plain.split("\\."));
        return steps.subList(1, steps.size());
    }

    /** The elements a walk reaches from a resource of the path's type, or empty when a step is unknown. */
    Optional<List<IBase>> walk(IBaseResource resource, Walk walk) {
        Optional<List<IBase>> reached = walk(resource, walk.steps());
        String type = walk.type();
        if (type == null || reached.isEmpty()) {
            return reached;
        }
        return Optional.of(reached.get().stream()
                .filter(e -> e instanceof Base base && base.fhirType().equals(type))
                .toList());
    }

    private Optional<List<IBase>> walk(IBaseResource resource, List<String> steps) {
        List<IBase> current = List.of(resource);
        List<BaseRuntimeElementDefinition<?>> definitions = List.of(context.getResourceDefinition(resource));
        for (String step : steps) {
            List<IBase> next = new ArrayList<>();
            List<BaseRuntimeElementDefinition<?>> nextDefinitions = new ArrayList<>();
            for (int i = 0; i < current.size(); i++) {
                if (!(definitions.get(i) instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
                    continue; // a primitive has nothing beyond it (its value is not a step of these paths)
                }
                BaseRuntimeChildDefinition child = child(composite, step);
                if (child == null) {
                    return Optional.empty();
                }
                for (IBase value : child.getAccessor().getValues(current.get(i))) {
                    BaseRuntimeElementDefinition<?> definition =
                            child.getChildElementDefinitionByDatatype(value.getClass());
                    if (definition == null) {
                        return Optional.empty();
                    }
                    next.add(value);
                    nextDefinitions.add(definition);
                }
            }
            current = next;
            definitions = nextDefinitions;
        }
        return Optional.of(current);
    }

    /** The child of that name, or the choice {@code name[x]}; null when the element has neither. */
    private static @Nullable BaseRuntimeChildDefinition child(
            BaseRuntimeElementCompositeDefinition<?> composite, String name) {
        BaseRuntimeChildDefinition child = composite.getChildByName(name);
        return child != null ? child : composite.getChildByName(name + "[x]");
    }
}
