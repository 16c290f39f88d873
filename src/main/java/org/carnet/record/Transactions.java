package org.carnet.record;

import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * FHIR {@code batch} and {@code transaction} Bundles as write units. A transaction is one database transaction: its
 * entries are applied in FHIR's order (DELETE, POST, PUT), {@code urn:uuid} references are resolved to the
 * ids the entries receive, conditional creates ({@code ifNoneExist}) find or create, and any failure rolls every
 * entry back. A batch applies each entry on its own and reports each outcome. Every unit goes through
 * {@link RecordWrites}, hence through every module's rules.
 */
@Component
public class Transactions {

    private final RecordReads vault;
    private final RecordWrites writes;
    private final UnitLocks locks;
    private final TransactionTemplate transactions;

    Transactions(RecordReads vault, RecordWrites writes, UnitLocks locks, TransactionTemplate transactions) {
        this.vault = vault;
        this.writes = writes;
        this.locks = locks;
        this.transactions = transactions;
    }

    /**
     * What a Bundle did: the response Bundle, and every resource an entry wrote or found (a conditional create's
     * match), with the patient whose record holds it — what the request disclosed to its caller.
     */
    public record Processed(Bundle response, List<Written> touched) {}

    /** Processes a batch or transaction Bundle for the platform's own work or a trusted system. */
    public Bundle process(Bundle bundle) {
        return process(bundle, WriteScope.TRUSTED).response();
    }

    /** Processes a batch or transaction Bundle for a writer: every entry is confined to what it may see and change. */
    public Processed process(Bundle bundle, WriteScope scope) {
        if (bundle.getType() == null) {
            throw new InvalidRequestException("Bundle.type is required: transaction or batch");
        }
        List<Written> touched = new ArrayList<>();
        Bundle response = switch (bundle.getType()) {
            case TRANSACTION -> transactions.execute(status -> transaction(bundle, scope, touched));
            case BATCH -> batch(bundle, scope, touched);
            default ->
                throw new InvalidRequestException(
                        "Only Bundles of type transaction or batch can be posted to the base URL, not "
                                + bundle.getType());
        };
        return new Processed(response, touched);
    }

    private Bundle transaction(Bundle bundle, WriteScope scope, List<Written> touched) {
        Visibility visibility = scope.visibility();
        List<BundleEntryComponent> entries = bundle.getEntry();
        Map<String, String> resolved = new HashMap<>();
        BundleEntryComponent[] responses = new BundleEntryComponent[entries.size()];
        List<Change> changes = new ArrayList<>();
        List<Integer> changeEntry = new ArrayList<>();
        for (HTTPVerb verb : List.of(HTTPVerb.DELETE, HTTPVerb.POST, HTTPVerb.PUT)) {
            for (int i = 0; i < entries.size(); i++) {
                BundleEntryComponent entry = entries.get(i);
                if (method(entry, i) != verb) {
                    continue;
                }
                Change change = switch (verb) {
                    case DELETE -> delete(entry, i);
                    case POST -> create(entry, i, resolved, responses, visibility, touched);
                    case PUT -> update(entry, i, resolved);
                    default -> throw new IllegalStateException();
                };
                if (change != null) {
                    changes.add(change);
                    changeEntry.add(i);
                }
            }
        }
        for (int i = 0; i < entries.size(); i++) {
            HTTPVerb verb = method(entries.get(i), i);
            if (verb != HTTPVerb.DELETE && verb != HTTPVerb.POST && verb != HTTPVerb.PUT) {
                throw new InvalidRequestException("Bundle entry " + i + ": " + verb
                        + " is not supported inside a transaction; Carnet accepts POST, PUT and DELETE");
            }
        }
        boolean carriesBinary = resolved.values().stream().anyMatch(target -> target.startsWith("Binary/"));
        for (BundleEntryComponent entry : entries) {
            if (entry.hasResource()) {
                rewriteReferences(entry.getResource(), resolved, carriesBinary);
            }
        }
        Applied filed = writes.apply(changes, scope);
        List<Written> written = filed.written();
        touched.addAll(written);
        for (int c = 0; c < written.size(); c++) {
            responses[changeEntry.get(c)] = filed.duplicate(c) ? duplicate(written.get(c)) : response(written.get(c));
        }
        Bundle result = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (int i = 0; i < entries.size(); i++) {
            result.addEntry(responses[i] != null ? responses[i] : noChange(entries.get(i)));
        }
        return result;
    }

    private Bundle batch(Bundle bundle, WriteScope scope, List<Written> touched) {
        Bundle result = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        for (BundleEntryComponent entry : bundle.getEntry()) {
            Bundle single = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            single.addEntry(entry);
            try {
                List<Written> entryTouched = new ArrayList<>();
                result.addEntry(transactions
                        .execute(status -> transaction(single, scope, entryTouched))
                        .getEntryFirstRep());
                touched.addAll(entryTouched);
            } catch (BaseServerResponseException e) {
                BundleEntryComponent failed = new BundleEntryComponent();
                failed.getResponse()
                        .setStatus(e.getStatusCode() + " " + reason(e.getStatusCode()))
                        .setOutcome(new OperationOutcome()
                                .addIssue(new OperationOutcome.OperationOutcomeIssueComponent()
                                        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                                        .setCode(OperationOutcome.IssueType.PROCESSING)
                                        .setDiagnostics(e.getMessage())));
                result.addEntry(failed);
            }
        }
        return result;
    }

    private static String reason(int status) {
        return java.util.Objects.requireNonNullElse(Constants.HTTP_STATUS_NAMES.get(status), "");
    }

    private static HTTPVerb method(BundleEntryComponent entry, int index) {
        if (!entry.hasRequest()
                || entry.getRequest().getMethod() == null
                || !entry.getRequest().hasUrl()) {
            throw new InvalidRequestException("Bundle entry " + index + " has no request method and url");
        }
        return entry.getRequest().getMethod();
    }

    private @org.jspecify.annotations.Nullable Change create(
            BundleEntryComponent entry,
            int index,
            Map<String, String> resolved,
            BundleEntryComponent[] responses,
            Visibility visibility,
            List<Written> touched) {
        Resource resource = requireResource(entry, index);
        String ifNoneExist = entry.getRequest().getIfNoneExist();
        if (ifNoneExist != null && !ifNoneExist.isBlank()) {
            java.util.Optional<Written> match = existing(
                    resource.fhirType(),
                    ifNoneExist,
                    visibility,
                    "Bundle entry " + index + ": ifNoneExist '" + ifNoneExist + "'");
            if (match.isPresent()) {
                Resource existing = java.util.Objects.requireNonNull(match.get().resource());
                String id = match.get().id();
                touched.add(match.get());
                remember(entry, resource.fhirType() + "/" + id, resolved);
                BundleEntryComponent response = new BundleEntryComponent();
                response.getResponse()
                        .setStatus("200 OK")
                        .setLocation(resource.fhirType() + "/" + id + "/_history/"
                                + existing.getMeta().getVersionId())
                        .setEtag("W/\"" + existing.getMeta().getVersionId() + "\"");
                responses[index] = response;
                return null;
            }
        }
        String id = UUID.randomUUID().toString();
        resource.setId(new IdType(resource.fhirType(), id));
        remember(entry, resource.fhirType() + "/" + id, resolved);
        return new Change.Create(resource);
    }

    /**
     * What a conditional create ({@code If-None-Exist}, a Bundle entry's {@code ifNoneExist}) finds: the one resource
     * its query matches, or none (then create). Concurrent conditional creates of the same query are serialised until
     * the transaction ends, so that they cannot both create. Must run in a transaction.
     *
     * @param what names the condition in the error when it matches several resources
     */
    public java.util.Optional<Written> existing(String type, String condition, Visibility visibility, String what) {
        String query = condition.contains("?") ? condition.substring(condition.indexOf('?') + 1) : condition;
        locks.serializeOn(type + "?" + query);
        List<Long> matches = vault.search(type, query, visibility);
        if (matches.size() > 1) {
            throw new PreconditionFailedException(
                    what + " matches " + matches.size() + " resources; it must match at most one");
        }
        if (matches.isEmpty()) {
            return java.util.Optional.empty();
        }
        Resource found = vault.load(matches, visibility).get(0);
        String id = found.getIdElement().getIdPart();
        return java.util.Optional.of(new Written(
                type,
                id,
                Integer.parseInt(found.getMeta().getVersionId()),
                found.getMeta().getLastUpdated().toInstant(),
                found,
                false,
                false,
                vault.patientOf(type, id).orElse(null)));
    }

    private Change update(BundleEntryComponent entry, int index, Map<String, String> resolved) {
        Resource resource = requireResource(entry, index);
        References.Local target = References.parseLocal(entry.getRequest().getUrl())
                .filter(t -> t.type().equals(resource.fhirType()))
                .orElseThrow(() -> new InvalidRequestException("Bundle entry " + index + ": PUT url '"
                        + entry.getRequest().getUrl() + "' must be " + resource.fhirType()
                        + "/[id] (conditional update is not supported)"));
        resource.setId(new IdType(target.type(), target.id()));
        remember(entry, target.toString(), resolved);
        return new Change.Update(resource, ifMatch(entry, index));
    }

    private static Change delete(BundleEntryComponent entry, int index) {
        return References.parseLocal(entry.getRequest().getUrl())
                .map(t -> (Change) new Change.Delete(t.type(), t.id()))
                .orElseThrow(() -> new InvalidRequestException("Bundle entry " + index + ": DELETE url '"
                        + entry.getRequest().getUrl() + "' must be [type]/[id] (conditional delete is not supported)"));
    }

    private static Resource requireResource(BundleEntryComponent entry, int index) {
        if (!entry.hasResource()) {
            throw new InvalidRequestException("Bundle entry " + index + " has no resource");
        }
        String type = entry.getResource().fhirType();
        if (!SupportedTypes.isSupported(type)) {
            throw new InvalidRequestException(
                    "Bundle entry " + index + ": resource type " + type + " cannot be stored");
        }
        return entry.getResource();
    }

    private static @org.jspecify.annotations.Nullable Integer ifMatch(BundleEntryComponent entry, int index) {
        String ifMatch = entry.getRequest().getIfMatch();
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String digits = ifMatch.replace("W/", "").replace("\"", "").trim();
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Bundle entry " + index + ": invalid ifMatch '" + ifMatch + "'");
        }
    }

    private static void remember(BundleEntryComponent entry, String localId, Map<String, String> resolved) {
        String fullUrl = entry.getFullUrl();
        if (fullUrl != null && !fullUrl.isBlank()) {
            resolved.put(fullUrl, localId);
        }
    }

    private void rewriteReferences(Resource resource, Map<String, String> resolved, boolean carriesBinary) {
        for (Reference reference :
                vault.fhirContext().newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String target = resolved.get(reference.getReference());
            if (target != null) {
                reference.setReference(target);
            }
        }
        // A document's content names its Binary entry by URL (IHE MHD ITI-65), not by Reference: only Bundles that
        // carry a Binary have such URLs to resolve.
        if (!carriesBinary) {
            return;
        }
        for (Attachment attachment :
                vault.fhirContext().newTerser().getAllPopulatedChildElementsOfType(resource, Attachment.class)) {
            String target = attachment.hasUrl() ? resolved.get(attachment.getUrl()) : null;
            if (target != null) {
                attachment.setUrl(target);
            }
        }
    }

    private static BundleEntryComponent duplicate(Written existing) {
        BundleEntryComponent entry = new BundleEntryComponent();
        entry.getResponse()
                .setStatus("200 OK")
                .setLocation(existing.type() + "/" + existing.id() + "/_history/" + existing.version())
                .setOutcome(Applied.duplicateOutcome(existing.type() + "/" + existing.id()));
        return entry;
    }

    private static BundleEntryComponent response(Written written) {
        BundleEntryComponent entry = new BundleEntryComponent();
        String status = written.resource() == null ? "204 No Content" : written.created() ? "201 Created" : "200 OK";
        entry.getResponse()
                .setStatus(status)
                .setLocation(written.type() + "/" + written.id() + "/_history/" + written.version())
                .setEtag("W/\"" + written.version() + "\"")
                .setLastModified(java.util.Date.from(written.lastUpdated()));
        return entry;
    }

    private static BundleEntryComponent noChange(BundleEntryComponent request) {
        BundleEntryComponent entry = new BundleEntryComponent();
        entry.getResponse()
                .setStatus(request.getRequest().getMethod() == HTTPVerb.DELETE ? "204 No Content" : "200 OK");
        return entry;
    }
}
