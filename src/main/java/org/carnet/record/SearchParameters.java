package org.carnet.record;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search parameters Carnet indexes, taken from the FHIR R4 definitions that HAPI ships: every token,
 * string, date, reference and uri parameter of the supported types whose path the FHIRPath engine can
 * evaluate, plus the few French profiles add for the shared record ({@link #EXTRA}). Number, quantity, composite and special parameters are not indexed (yet) and so are unknown
 * to search — the CapabilityStatement says so by not listing them.
 */
final class SearchParameters {

    private static final Pattern RESOLVE_IS = Pattern.compile("\\.where\\(resolve\\(\\) is ([A-Za-z]+)\\)");

    /**
     * One FHIRPath of a parameter; {@code targetType} narrows references when the path says {@code resolve() is X};
     * {@code walk} is that of a plain path ({@link ElementPaths}), which is walked rather than evaluated.
     */
    record CompiledPath(
            IFhirPath.IParsedExpression expression,
            @org.jspecify.annotations.Nullable String targetType,
            Optional<ElementPaths.Walk> walk) {}

    /** A parameter with its compiled paths. */
    record Compiled(SearchParam param, List<CompiledPath> paths) {}

    private final Map<String, Map<String, Compiled>> byType = new LinkedHashMap<>();
    private final Map<String, List<Compiled>> compartmentParams = new LinkedHashMap<>();

    SearchParameters(FhirContext context) {
        IFhirPath fhirPath = context.newFhirPath();
        for (String type : SupportedTypes.ALL) {
            Map<String, Compiled> params = new LinkedHashMap<>();
            List<Compiled> compartment = new ArrayList<>();
            for (RuntimeSearchParam runtime :
                    context.getResourceDefinition(type).getSearchParams()) {
                Optional<SearchParamKind> kind = kindOf(runtime.getParamType());
                if (kind.isEmpty() || runtime.getName().startsWith("_")) {
                    continue;
                }
                List<CompiledPath> paths = compile(fhirPath, runtime.getPathsSplitForResourceType(type));
                if (paths.isEmpty()) {
                    continue;
                }
                Set<String> targets = runtime.getTargets() == null ? Set.of() : Set.copyOf(runtime.getTargets());
                Compiled compiled = new Compiled(
                        new SearchParam(runtime.getName(), kind.get(), targets, runtime.getDescription()), paths);
                params.put(runtime.getName(), compiled);
                if (kind.get() == SearchParamKind.REFERENCE
                        && runtime.getProvidesMembershipInCompartments() != null
                        && runtime.getProvidesMembershipInCompartments().contains("Patient")) {
                    compartment.add(compiled);
                }
            }
            for (Extra extra : EXTRA) {
                if (extra.type().equals(type)) {
                    params.put(
                            extra.name(),
                            new Compiled(
                                    new SearchParam(extra.name(), extra.kind(), Set.of(), extra.description()),
                                    compile(fhirPath, List.of(extra.path()))));
                }
            }
            // Security labels (MASQUE_PS, INVISIBLE_PATIENT, ...) are searchable; SearchIndexer reads them from the
            // resource's meta directly (no FHIRPath on the write path).
            params.put(
                    SearchIndexer.SECURITY,
                    new Compiled(
                            new SearchParam(
                                    SearchIndexer.SECURITY,
                                    SearchParamKind.TOKEN,
                                    Set.of(),
                                    "Security labels applied to this resource"),
                            List.of()));
            // The owner of a resource is read from its `patient` parameter when it has one (even where FHIR's
            // compartment definition lists only `subject`, as for Observation), so that `patient=X` and the
            // compartment column always agree and a patient-scoped search can use the column.
            Compiled patient = params.get("patient");
            if (patient != null
                    && patient.param().kind() == SearchParamKind.REFERENCE
                    && !compartment.contains(patient)
                    && (patient.param().targets().isEmpty()
                            || patient.param().targets().contains("Patient"))) {
                compartment.add(patient);
            }
            compartment.sort((a, b) ->
                    Integer.compare(rank(a.param().name()), rank(b.param().name())));
            byType.put(type, Collections.unmodifiableMap(params));
            compartmentParams.put(type, List.copyOf(compartment));
        }
    }

    /** A parameter a French profile defines beyond FHIR R4 (PDSm for the shared record's documents, IHE MHD). */
    private record Extra(String type, String name, SearchParamKind kind, String path, String description) {}

    private static final List<Extra> EXTRA = List.of(
            new Extra(
                    "DocumentReference",
                    "period-start",
                    SearchParamKind.DATE,
                    "DocumentReference.context.period.start",
                    "Start of the care the document is about (PDSm)"),
            new Extra(
                    "DocumentReference",
                    "period-end",
                    SearchParamKind.DATE,
                    "DocumentReference.context.period.end",
                    "End of the care the document is about (PDSm)"),
            new Extra(
                    "DocumentReference",
                    "creation",
                    SearchParamKind.DATE,
                    "DocumentReference.content.attachment.creation",
                    "When the document was created (IHE MHD)"),
            new Extra(
                    "DocumentReference",
                    "isArchived",
                    SearchParamKind.TOKEN,
                    "DocumentReference.extension('https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/"
                            + "pdsm-ext-is-archived').value",
                    "Whether the document is archived (PDSm)"));

    /** The parameters indexed for a type, by name. */
    Map<String, Compiled> of(String type) {
        return byType.getOrDefault(type, Map.of());
    }

    /** Reference parameters that put a resource of this type into a patient's compartment, best first. */
    List<Compiled> compartmentParams(String type) {
        return compartmentParams.getOrDefault(type, List.of());
    }

    /** The parameter whose value is the owning patient, so {@code patient=X} can use the compartment column. */
    Optional<String> ownerParam(String type) {
        List<Compiled> params = compartmentParams(type);
        return params.isEmpty()
                ? Optional.empty()
                : Optional.of(params.get(0).param().name());
    }

    private static int rank(String name) {
        return switch (name) {
            case "patient" -> 0;
            case "subject" -> 1;
            default -> 2;
        };
    }

    private static List<CompiledPath> compile(IFhirPath fhirPath, List<String> paths) {
        List<CompiledPath> compiled = new ArrayList<>();
        for (String path : paths) {
            String target = null;
            Matcher matcher = RESOLVE_IS.matcher(path);
            if (matcher.find()) {
                target = matcher.group(1);
                path = matcher.replaceAll("");
            }
            try {
                compiled.add(new CompiledPath(fhirPath.parse(path), target, ElementPaths.walkOf(path)));
            } catch (Exception unsupported) {
                // A path our FHIRPath engine cannot parse: the parameter is simply not offered.
                return List.of();
            }
        }
        return compiled;
    }

    private static Optional<SearchParamKind> kindOf(RestSearchParameterTypeEnum type) {
        return switch (type) {
            case TOKEN -> Optional.of(SearchParamKind.TOKEN);
            case STRING -> Optional.of(SearchParamKind.STRING);
            case DATE -> Optional.of(SearchParamKind.DATE);
            case REFERENCE -> Optional.of(SearchParamKind.REFERENCE);
            case URI -> Optional.of(SearchParamKind.URI);
            default -> Optional.empty();
        };
    }
}
