package org.carnet.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.carnet.audit.AuditRecord;
import org.carnet.document.DocumentViewsSeen;
import org.carnet.record.QueryStrings;
import org.carnet.record.RecordReads;
import org.carnet.record.References;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code Patient/[id]/$documents}: the professional's default view of the shared record (DMP): documents of the last
 * two years, current (approved) ones only, newest first, each marked when it was filed since the caller last opened
 * this view of this record. {@code type} (LOINC codes, repeatable) narrows it; {@code since} moves or ({@code all}) removes the
 * two-year window; {@code status=all} shows superseded and withdrawn ones too. What the caller may not see is not
 * there (the access decision is compiled into the search), and the view is audited like any read.
 */
final class DocumentViews {

    static final String NEW = "https://carnet.example.org/fhir/StructureDefinition/new-since-last-access";
    private static final ZoneId FRANCE = ZoneId.of("Europe/Paris");

    private final RecordReads vault;
    private final QueryStrings queries;
    private final DocumentViewsSeen seen;
    private final Clock clock;

    DocumentViews(RecordReads vault, QueryStrings queries, DocumentViewsSeen seen, Clock clock) {
        this.vault = vault;
        this.queries = queries;
        this.seen = seen;
        this.clock = clock;
    }

    @Operation(name = "$documents", type = Patient.class, idempotent = true)
    public Bundle documents(
            @IdParam IIdType patient,
            @OperationParam(name = "type") List<StringType> types,
            @OperationParam(name = "since", max = 1) StringType since,
            @OperationParam(name = "status", max = 1) StringType status) {
        String id = patient.getIdPart();
        if (!References.isValidId(id)) {
            throw new InvalidRequestException("Invalid patient id '" + id + "'");
        }
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        params.put("patient", List.of(id));
        params.put("_sort", List.of("-date"));
        String window = since == null || since.isEmpty()
                ? LocalDate.now(clock.withZone(FRANCE)).minusYears(2).toString()
                : since.getValue().strip();
        if (!window.equals("all")) {
            try {
                params.put("date", List.of("ge" + new DateType(window).getValueAsString()));
            } catch (IllegalArgumentException | ca.uhn.fhir.parser.DataFormatException e) {
                throw new InvalidRequestException("since is a date (YYYY-MM-DD) or 'all', not '" + window + "'");
            }
        }
        String state = status == null || status.isEmpty()
                ? "current"
                : status.getValue().strip();
        if (!state.equals("all")) {
            if (!List.of("current", "superseded", "entered-in-error").contains(state)) {
                throw new InvalidRequestException(
                        "status is current, superseded, entered-in-error or all, not '" + state + "'");
            }
            params.put("status", List.of(state));
        }
        if (types != null && !types.isEmpty()) {
            params.put(
                    "type",
                    List.of(String.join(
                            ",", types.stream().map(StringType::getValue).toList())));
        }
        List<Long> pks =
                vault.search(queries.parse("DocumentReference", params, true).query(), CurrentAccess.visibility());
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        if (vault.visibleReferences(java.util.Set.of("Patient/" + id), CurrentAccess.visibility())
                .isEmpty()) {
            // A record the caller does not see (unknown, hidden, blocked): an empty view, as any search, and no state.
            return bundle.setTotal(0);
        }
        Optional<Instant> last = seen.previousAndNow(
                id, AuditRecord.Actor.of(CurrentAccess.caller()).key(), clock.instant());
        List<Resource> documents = new ArrayList<>(vault.load(pks, CurrentAccess.visibility()));
        for (Resource resource : documents) {
            DocumentReference doc = (DocumentReference) resource;
            CurrentAccess.disclose("DocumentReference", doc.getIdElement().getIdPart(), id);
            Instant filed = doc.getMeta().getLastUpdated().toInstant();
            Bundle.BundleEntryComponent entry = bundle.addEntry()
                    .setResource(doc)
                    .setFullUrl("DocumentReference/" + doc.getIdElement().getIdPart());
            entry.getSearch()
                    .setMode(Bundle.SearchEntryMode.MATCH)
                    .addExtension(NEW, new BooleanType(last.isEmpty() || filed.isAfter(last.get())));
        }
        bundle.setTotal(documents.size());
        return bundle;
    }
}
