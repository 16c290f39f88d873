package org.carnet.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Patch;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Since;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Date;
import java.util.List;
import org.carnet.record.Applied;
import org.carnet.record.Change;
import org.carnet.record.RecordHistory;
import org.carnet.record.RecordReads;
import org.carnet.record.RecordWrites;
import org.carnet.record.Transactions;
import org.carnet.record.Written;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.transaction.support.TransactionTemplate;

/** The type-level and instance-level interactions of one resource type. One instance per type. */
final class ResourceTypeProvider implements IResourceProvider {

    private final Class<? extends IBaseResource> resourceClass;
    private final String type;
    private final RecordReads vault;
    private final Searches searches;

    private final TransactionTemplate transactions;
    private final Audits audits;
    private final RecordHistory history;
    private final RecordWrites writes;
    private final Transactions bundles;

    ResourceTypeProvider(
            Class<? extends IBaseResource> resourceClass,
            RecordReads vault,
            Searches searches,
            TransactionTemplate transactions,
            Audits audits,
            RecordHistory history,
            RecordWrites writes,
            Transactions bundles) {
        this.audits = audits;
        this.history = history;
        this.writes = writes;
        this.bundles = bundles;
        this.resourceClass = resourceClass;
        this.type = vault.fhirContext().getResourceType(resourceClass);
        this.vault = vault;
        this.searches = searches;
        this.transactions = transactions;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return resourceClass;
    }

    @Read(version = true)
    public IBaseResource read(@IdParam IIdType id) {
        if (id.hasVersionIdPart()) {
            Resource version =
                    history.vread(type, id.getIdPart(), version(id.getVersionIdPart()), CurrentAccess.visibility());
            CurrentAccess.disclose(
                    type, id.getIdPart(), vault.patientOf(type, id.getIdPart()).orElse(null));
            return version;
        }
        var stored = vault.readJson(type, id.getIdPart(), CurrentAccess.visibility());
        if (stored.isEmpty()) {
            // Unknown, hidden or deleted: the store answers 404 or 410 as it should.
            return vault.read(type, id.getIdPart(), CurrentAccess.visibility());
        }
        CurrentAccess.disclose(type, id.getIdPart(), stored.get().patientId());
        return vault.fhirContext().newJsonParser().parseResource(stored.get().json());
    }

    @Create
    public MethodOutcome create(@ResourceParam IBaseResource body, @ConditionalUrlParam String conditionalUrl) {
        Resource resource = (Resource) body;
        resource.setId((String) null);
        if (conditionalUrl == null) {
            return audited(new Change.Create(resource));
        }
        return transactions.execute(status -> createIfNoneExist(resource, conditionalUrl));
    }

    private MethodOutcome createIfNoneExist(Resource resource, String conditionalUrl) {
        return bundles.existing(type, conditionalUrl, CurrentAccess.visibility(), "If-None-Exist")
                .map(found -> {
                    CurrentAccess.disclose(type, found.id(), found.patientId());
                    Resource existing =
                            java.util.Objects.requireNonNull(found.resource(), "a match found is a resource");
                    return new MethodOutcome(existing.getIdElement(), false).setResource(existing);
                })
                .orElseGet(() -> audited(new Change.Create(resource)));
    }

    @Update
    public MethodOutcome update(@IdParam IIdType id, @ResourceParam IBaseResource body) {
        Resource resource = (Resource) body;
        if (resource.getIdElement().hasIdPart()
                && !resource.getIdElement().getIdPart().equals(id.getIdPart())) {
            throw new InvalidRequestException(
                    "The id in the body (" + resource.getIdElement().getIdPart() + ") differs from the id in the URL ("
                            + id.getIdPart() + ")");
        }
        resource.setId(new IdType(type, id.getIdPart()));
        Integer expected = id.hasVersionIdPart() ? version(id.getVersionIdPart()) : null;
        return audited(new Change.Update(resource, expected));
    }

    @Patch
    public MethodOutcome patch(@IdParam IIdType id, PatchTypeEnum patchType, @ResourceParam String body) {
        if (patchType != PatchTypeEnum.JSON_PATCH) {
            throw new UnprocessableEntityException(
                    "Carnet applies JSON Patch (Content-Type: application/json-patch+json) only, not " + patchType);
        }
        Resource current = vault.read(type, id.getIdPart(), CurrentAccess.visibility());
        String json = vault.fhirContext().newJsonParser().encodeResourceToString(current);
        Resource patched;
        try {
            patched = (Resource) vault.fhirContext().newJsonParser().parseResource(JsonPatch.apply(json, body));
        } catch (DataFormatException e) {
            throw new UnprocessableEntityException("The patched resource is not valid FHIR: " + e.getMessage());
        }
        if (!type.equals(patched.fhirType())
                || !id.getIdPart().equals(patched.getIdElement().getIdPart())) {
            throw new UnprocessableEntityException("A patch may not change the resource type or id");
        }
        Integer expected = id.hasVersionIdPart()
                ? version(id.getVersionIdPart())
                : Integer.valueOf(current.getMeta().getVersionId());
        return audited(new Change.Update(patched, expected));
    }

    @Delete
    public MethodOutcome delete(@IdParam IIdType id) {
        MethodOutcome deleted = audited(new Change.Delete(type, id.getIdPart()));
        MethodOutcome outcome = new MethodOutcome();
        outcome.setId(deleted.getId());
        return outcome;
    }

    @Search(allowUnknownParams = true)
    public IBundleProvider search(RequestDetails request) {
        return searches.search(type, request);
    }

    @History
    public IBundleProvider instanceHistory(@IdParam IIdType id, @Since Date since) {
        return new HistoryPages(
                vault,
                history,
                history.history(
                        type, id.getIdPart(), since == null ? null : since.toInstant(), CurrentAccess.visibility()));
    }

    @History
    public IBundleProvider typeHistory(@Since Date since) {
        return new HistoryPages(
                vault,
                history,
                history.history(type, null, since == null ? null : since.toInstant(), CurrentAccess.visibility()));
    }

    /** A write (through the document intake, as every write) and its audit entry, in one transaction. */
    private MethodOutcome audited(Change change) {
        return transactions.execute(status -> {
            Applied filed = writes.apply(List.of(change), CurrentAccess.writeScope());
            Written written = filed.written().get(0);
            CurrentAccess.disclose(written.type(), written.id(), written.patientId());
            audits.recordNow(true, null);
            return filed.duplicate(0) ? duplicate(written) : outcome(written);
        });
    }

    /** A document that was filed already: 200, nothing stored, and where the first one is. */
    static MethodOutcome duplicate(Written existing) {
        IdType id = new IdType(existing.type(), existing.id(), Integer.toString(existing.version()));
        MethodOutcome outcome = new MethodOutcome(id, false);
        OperationOutcome duplicate =
                Applied.duplicateOutcome(id.toUnqualifiedVersionless().getValue());
        outcome.setOperationOutcome(duplicate);
        outcome.setResource(duplicate);
        return outcome;
    }

    static MethodOutcome outcome(Written written) {
        IdType id = new IdType(written.type(), written.id(), Integer.toString(written.version()));
        MethodOutcome outcome = new MethodOutcome(id, written.created());
        outcome.setResource(written.resource());
        OperationOutcome information = new OperationOutcome();
        information
                .addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics((written.created() ? "Created " : "Updated ") + id.getValue());
        outcome.setOperationOutcome(information);
        return outcome;
    }

    private static int version(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Invalid version '" + value + "': versions are whole numbers");
        }
    }
}
