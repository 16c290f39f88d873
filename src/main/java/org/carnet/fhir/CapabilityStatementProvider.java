package org.carnet.fhir;

import ca.uhn.fhir.rest.annotation.Metadata;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Date;
import org.carnet.record.RecordReads;
import org.carnet.record.SearchParam;
import org.carnet.record.SearchParamKind;
import org.carnet.record.SupportedTypes;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations;

/**
 * {@code /fhir/metadata}, built from what the record actually indexes and what the providers implement,
 * so that it cannot promise a parameter or interaction Carnet does not answer. Public: HAPI's server calls it
 * reflectively as its conformance provider.
 */
public final class CapabilityStatementProvider {

    private final RecordReads vault;
    private final @org.jspecify.annotations.Nullable String version;
    private final java.util.List<Object> operationProviders;
    private final java.time.Clock clock;
    private volatile @org.jspecify.annotations.Nullable CapabilityStatement cached;

    /** @param operationProviders the providers whose {@code @Operation} methods the statement lists, as they are */
    CapabilityStatementProvider(
            RecordReads vault,
            @org.jspecify.annotations.Nullable String version,
            java.util.List<Object> operationProviders,
            java.time.Clock clock) {
        this.vault = vault;
        this.version = version;
        this.operationProviders = java.util.List.copyOf(operationProviders);
        this.clock = clock;
    }

    /**
     * HAPI hands its server to a conformance provider through this method, found by reflection (so on a public class;
     * HAPI warns with a stack trace when it cannot call it); the statement is built from the record instead, so there
     * is nothing to keep.
     */
    public void setRestfulServer(ca.uhn.fhir.rest.server.RestfulServer server) {
        // nothing to keep: see above
    }

    @Metadata
    public CapabilityStatement metadata(HttpServletRequest request) {
        CapabilityStatement statement = cached;
        if (statement == null) {
            statement = build();
            cached = statement;
        }
        CapabilityStatement copy = statement.copy();
        String base = request.getRequestURL().toString().replaceFirst("/metadata$", "");
        copy.getImplementation().setUrl(base);
        return copy;
    }

    private CapabilityStatement build() {
        CapabilityStatement statement = new CapabilityStatement();
        statement
                .setStatus(Enumerations.PublicationStatus.ACTIVE)
                .setDate(Date.from(clock.instant()))
                .setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE)
                .setFhirVersion(Enumerations.FHIRVersion._4_0_1)
                .setPublisher("Carnet")
                .setName("Carnet")
                .setTitle("Carnet FHIR R4 record store");
        statement.getSoftware().setName("Carnet").setVersion(version);
        statement.getImplementation().setDescription("Carnet citizen health record vault");
        statement
                .addFormat("application/fhir+json")
                .addFormat("application/fhir+xml")
                .addFormat("json")
                .addFormat("xml");
        statement.addPatchFormat("application/json-patch+json");
        CapabilityStatementRestComponent rest = statement.addRest();
        rest.setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH);
        for (String type : SupportedTypes.ALL) {
            rest.addResource(resource(type));
        }
        addOperations(rest);
        return statement;
    }

    /** Every operation the providers implement, read from their annotations, at the level they are served. */
    private void addOperations(CapabilityStatementRestComponent rest) {
        java.util.Map<String, java.util.Set<String>> byType = new java.util.TreeMap<>();
        for (Object provider : operationProviders) {
            for (java.lang.reflect.Method method : provider.getClass().getMethods()) {
                ca.uhn.fhir.rest.annotation.Operation operation =
                        method.getAnnotation(ca.uhn.fhir.rest.annotation.Operation.class);
                if (operation != null) {
                    String type = operation.type() == org.hl7.fhir.instance.model.api.IBaseResource.class
                            ? ""
                            : operation.type().getSimpleName();
                    byType.computeIfAbsent(type, t -> new java.util.TreeSet<>())
                            .add(operation.name().replace("$", ""));
                }
            }
        }
        byType.getOrDefault("", java.util.Set.of())
                .forEach(name -> rest.addOperation()
                        .setName(name)
                        .setDefinition("https://carnet.example.org/fhir/OperationDefinition/" + name));
        for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
            for (String name : byType.getOrDefault(resource.getType(), java.util.Set.of())) {
                if (resource.getOperation().stream().noneMatch(o -> o.getName().equals(name))) {
                    resource.addOperation()
                            .setName(name)
                            .setDefinition("https://carnet.example.org/fhir/OperationDefinition/" + resource.getType()
                                    + "-" + name);
                }
            }
        }
    }

    private CapabilityStatementRestResourceComponent resource(String type) {
        if ("Binary".equals(type)) {
            // A document's content (ADR 0010): read (ITI-68) and raw upload, streamed outside the resource store.
            CapabilityStatementRestResourceComponent binary =
                    new CapabilityStatementRestResourceComponent().setType(type);
            binary.setDocumentation("A document's content: GET Binary/[id] returns the raw bytes to whoever may see "
                    + "its DocumentReference; POST Binary takes raw bytes with X-Security-Context: Patient/[id]");
            binary.addInteraction().setCode(TypeRestfulInteraction.READ);
            binary.addInteraction().setCode(TypeRestfulInteraction.CREATE);
            return binary;
        }
        CapabilityStatementRestResourceComponent resource = new CapabilityStatementRestResourceComponent();
        resource.setType(type)
                .setVersioning(CapabilityStatement.ResourceVersionPolicy.VERSIONEDUPDATE)
                .setReadHistory(true)
                .setUpdateCreate(true)
                .setConditionalCreate(true)
                .setConditionalUpdate(false)
                .setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED)
                .addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.LITERAL)
                .addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.LOCAL)
                .addReferencePolicy(CapabilityStatement.ReferenceHandlingPolicy.ENFORCED);
        for (TypeRestfulInteraction interaction : new TypeRestfulInteraction[] {
            TypeRestfulInteraction.READ, TypeRestfulInteraction.VREAD, TypeRestfulInteraction.UPDATE,
            TypeRestfulInteraction.PATCH, TypeRestfulInteraction.DELETE, TypeRestfulInteraction.HISTORYINSTANCE,
            TypeRestfulInteraction.HISTORYTYPE, TypeRestfulInteraction.CREATE, TypeRestfulInteraction.SEARCHTYPE
        }) {
            resource.addInteraction().setCode(interaction);
        }
        resource.addSearchParam(param("_id", Enumerations.SearchParamType.TOKEN, "Logical id of the resource"));
        resource.addSearchParam(
                param("_lastUpdated", Enumerations.SearchParamType.DATE, "When the resource last changed"));
        for (SearchParam param : vault.searchParams(type).values()) {
            resource.addSearchParam(param(param.name(), fhirType(param.kind()), param.description()));
            if (param.kind() == SearchParamKind.REFERENCE) {
                resource.addSearchInclude(type + ":" + param.name());
            }
        }
        resource.addSearchInclude(type + ":*");
        if (Searches.TEXT_TYPES.contains(type)) {
            for (String name : new String[] {"_content", "_text"}) {
                resource.addSearchParam(param(
                        name,
                        Enumerations.SearchParamType.STRING,
                        "Words in the entry's text (documents' contents, narratives, coded facts), through the search"
                                + " module's French clinical analysis; with patient=<id> (one record at a time)"));
            }
        }
        if ("Patient".equals(type)) {
            resource.addOperation()
                    .setName("everything")
                    .setDefinition("http://hl7.org/fhir/OperationDefinition/Patient-everything");
            resource.addOperation()
                    .setName("documents")
                    .setDefinition("https://carnet.example.org/fhir/OperationDefinition/Patient-documents");
            resource.addOperation()
                    .setName("search")
                    .setDefinition("https://carnet.example.org/fhir/OperationDefinition/Patient-search");
        }
        return resource;
    }

    private static CapabilityStatementRestResourceSearchParamComponent param(
            String name, Enumerations.SearchParamType type, String description) {
        return new CapabilityStatementRestResourceSearchParamComponent()
                .setName(name)
                .setType(type)
                .setDocumentation(description);
    }

    private static Enumerations.SearchParamType fhirType(SearchParamKind kind) {
        return switch (kind) {
            case TOKEN -> Enumerations.SearchParamType.TOKEN;
            case STRING -> Enumerations.SearchParamType.STRING;
            case DATE -> Enumerations.SearchParamType.DATE;
            case REFERENCE -> Enumerations.SearchParamType.REFERENCE;
            case URI -> Enumerations.SearchParamType.URI;
        };
    }
}
